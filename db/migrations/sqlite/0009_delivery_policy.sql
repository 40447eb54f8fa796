CREATE TABLE `deliverability_notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`provider` text NOT NULL,
	`kind` text NOT NULL,
	`customer_id` integer,
	`outbox_id` integer,
	`purpose_id` integer,
	`address` text,
	`detail` text DEFAULT '' NOT NULL,
	`raw` text NOT NULL,
	`block_id` integer,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `deliverability_customer` ON `deliverability_notifications` (`customer_id`,`kind`);--> statement-breakpoint
CREATE INDEX `deliverability_received` ON `deliverability_notifications` (`received_at`);--> statement-breakpoint
CREATE TABLE `delivery_policies` (
	`channel` text PRIMARY KEY NOT NULL,
	`cap_max` integer,
	`cap_days` integer,
	`quiet_start` text,
	`quiet_end` text,
	`exempt_transactional` integer DEFAULT true NOT NULL,
	`soft_bounce_limit` integer DEFAULT 3 NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` integer
);
--> statement-breakpoint
CREATE TABLE `provider_rate_limits` (
	`provider` text PRIMARY KEY NOT NULL,
	`per_second` integer,
	`per_hour` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `send_slots` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`provider` text NOT NULL,
	`granted_at` integer NOT NULL,
	`ended_at` integer NOT NULL,
	`in_flight` integer DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE INDEX `send_slots_provider` ON `send_slots` (`provider`,`in_flight`,`ended_at`);--> statement-breakpoint
ALTER TABLE `outbox` ADD `policy_released_at` integer;--> statement-breakpoint
CREATE INDEX `outbox_policy_released` ON `outbox` (`customer_id`,`policy_released_at`);