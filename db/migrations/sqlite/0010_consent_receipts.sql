CREATE TABLE `consent_receipts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`receipt_id` text NOT NULL,
	`customer_id` integer NOT NULL,
	`event_id` integer NOT NULL,
	`kid` text NOT NULL,
	`token` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `consent_receipts_receipt_id_unique` ON `consent_receipts` (`receipt_id`);--> statement-breakpoint
CREATE INDEX `consent_receipts_customer` ON `consent_receipts` (`customer_id`);--> statement-breakpoint
CREATE INDEX `consent_receipts_event` ON `consent_receipts` (`event_id`);