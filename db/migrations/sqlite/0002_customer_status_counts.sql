CREATE TABLE `customer_status_counts` (
	`status` text PRIMARY KEY NOT NULL,
	`count` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
-- Triggers keep the per-status counts exact for every writer (web, worker, import, erasure).
CREATE TRIGGER customers_status_count_insert AFTER INSERT ON customers
BEGIN
  INSERT INTO customer_status_counts (status, count) VALUES (NEW.status, 1)
  ON CONFLICT (status) DO UPDATE SET count = count + 1;
END;
--> statement-breakpoint
CREATE TRIGGER customers_status_count_delete AFTER DELETE ON customers
BEGIN
  UPDATE customer_status_counts SET count = count - 1 WHERE status = OLD.status;
END;
--> statement-breakpoint
CREATE TRIGGER customers_status_count_update AFTER UPDATE OF status ON customers
WHEN OLD.status IS NOT NEW.status
BEGIN
  UPDATE customer_status_counts SET count = count - 1 WHERE status = OLD.status;
  INSERT INTO customer_status_counts (status, count) VALUES (NEW.status, 1)
  ON CONFLICT (status) DO UPDATE SET count = count + 1;
END;
--> statement-breakpoint
INSERT INTO customer_status_counts (status, count) SELECT status, count(*) FROM customers WHERE true GROUP BY status;
