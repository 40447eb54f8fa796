CREATE TABLE `ledger_checkpoints` (
	`event_count` integer PRIMARY KEY NOT NULL,
	`head_event_id` integer NOT NULL,
	`head_hash` text NOT NULL,
	`at` integer NOT NULL,
	`signature` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `lifecycle_job_runs` (
	`job` text PRIMARY KEY NOT NULL,
	`last_run_at` integer NOT NULL,
	`last_duration_ms` integer DEFAULT 0 NOT NULL,
	`last_pruned` integer DEFAULT 0 NOT NULL,
	`total_pruned` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`next_run_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `idempotency_keys` ADD `customer_id` integer;--> statement-breakpoint
CREATE INDEX `idempotency_keys_customer` ON `idempotency_keys` (`customer_id`);--> statement-breakpoint
CREATE INDEX `idempotency_keys_created` ON `idempotency_keys` (`created_at`);