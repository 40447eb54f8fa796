-- Triggers keep the per-status customer counts exact for every writer (web, worker, import, erasure),
-- as SQLite migration 0002 does.
CREATE FUNCTION customers_status_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE customer_status_counts SET count = count - 1 WHERE status = OLD.status;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO customer_status_counts (status, count) VALUES (NEW.status, 1)
    ON CONFLICT (status) DO UPDATE SET count = customer_status_counts.count + 1;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER customers_status_count_insert AFTER INSERT ON customers
FOR EACH ROW EXECUTE FUNCTION customers_status_count();
--> statement-breakpoint
CREATE TRIGGER customers_status_count_delete AFTER DELETE ON customers
FOR EACH ROW EXECUTE FUNCTION customers_status_count();
--> statement-breakpoint
CREATE TRIGGER customers_status_count_update AFTER UPDATE OF status ON customers
FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION customers_status_count();
--> statement-breakpoint
INSERT INTO customer_status_counts (status, count) SELECT status, count(*) FROM customers GROUP BY status;
