-- The per-status customer counts move once per statement on INSERT and DELETE (transition tables)
-- instead of once per row. Each per-row bump updated the same counter row again: inside one
-- transaction every update walks the chain of that row's earlier versions, so a COPY of 100,000
-- customers in one transaction took 274 s (1.5 s without the trigger; 3.3 s with this one at the
-- same load). UPDATE OF status stays per row (PostgreSQL allows no transition tables with a
-- column list) and changes one customer at a time (erasure, merge).
CREATE FUNCTION customers_status_count_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    UPDATE customer_status_counts c SET count = c.count - d.n
      FROM (SELECT status, count(*) AS n FROM old_rows GROUP BY status) d
     WHERE c.status = d.status;
  ELSE
    INSERT INTO customer_status_counts (status, count)
      SELECT status, count(*) FROM new_rows GROUP BY status
    ON CONFLICT (status) DO UPDATE SET count = customer_status_counts.count + excluded.count;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DROP TRIGGER customers_status_count_insert ON customers;
--> statement-breakpoint
DROP TRIGGER customers_status_count_delete ON customers;
--> statement-breakpoint
CREATE TRIGGER customers_status_count_insert AFTER INSERT ON customers
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION customers_status_count_rows();
--> statement-breakpoint
CREATE TRIGGER customers_status_count_delete AFTER DELETE ON customers
REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION customers_status_count_rows();
