CREATE TABLE `api_keys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`key_hash` text NOT NULL,
	`scopes` text NOT NULL,
	`created_by` integer,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`expires_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_key_hash_unique` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` integer NOT NULL,
	`actor_type` text NOT NULL,
	`actor_id` text,
	`action` text NOT NULL,
	`target_type` text,
	`target_id` text,
	`details` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_target` ON `audit_log` (`target_type`,`target_id`);--> statement-breakpoint
CREATE INDEX `audit_log_at` ON `audit_log` (`created_at`);--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`api_key_id` integer NOT NULL,
	`key` text NOT NULL,
	`request_hash` text NOT NULL,
	`status` integer NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`api_key_id`, `key`)
);
--> statement-breakpoint
CREATE TABLE `rate_limits` (
	`bucket` text NOT NULL,
	`window_start` integer NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`bucket`, `window_start`)
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	`role` text NOT NULL,
	`password_hash` text NOT NULL,
	`disabled` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer,
	`last_login_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE TABLE `customers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`external_id` text,
	`email` text,
	`name` text DEFAULT '' NOT NULL,
	`locale` text DEFAULT 'en' NOT NULL,
	`time_zone` text DEFAULT 'UTC' NOT NULL,
	`attributes` text DEFAULT '{}' NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`merged_into_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customers_external_id` ON `customers` (`external_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `customers_email` ON `customers` (`email`);--> statement-breakpoint
CREATE TABLE `events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`customer_id` integer NOT NULL,
	`name` text NOT NULL,
	`properties` text DEFAULT '{}' NOT NULL,
	`occurred_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `events_customer_name` ON `events` (`customer_id`,`name`,`occurred_at`);--> statement-breakpoint
CREATE TABLE `tombstones` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email_hash` text NOT NULL,
	`reason` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tombstones_email_hash_unique` ON `tombstones` (`email_hash`);--> statement-breakpoint
CREATE TABLE `consent_counters` (
	`purpose_id` integer NOT NULL,
	`theme_key` text DEFAULT '' NOT NULL,
	`state` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`purpose_id`, `theme_key`, `state`)
);
--> statement-breakpoint
CREATE TABLE `consent_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`customer_id` integer NOT NULL,
	`purpose_id` integer NOT NULL,
	`theme_key` text DEFAULT '' NOT NULL,
	`action` text NOT NULL,
	`state_after` text NOT NULL,
	`source` text NOT NULL,
	`notice_hash` text,
	`evidence_digest` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `consent_events_customer` ON `consent_events` (`customer_id`,`purpose_id`);--> statement-breakpoint
CREATE INDEX `consent_events_time` ON `consent_events` (`occurred_at`);--> statement-breakpoint
CREATE TABLE `consent_evidence` (
	`event_id` integer PRIMARY KEY NOT NULL,
	`details` text,
	`redacted_at` integer
);
--> statement-breakpoint
CREATE TABLE `consent_state` (
	`customer_id` integer NOT NULL,
	`purpose_id` integer NOT NULL,
	`theme_key` text DEFAULT '' NOT NULL,
	`state` text NOT NULL,
	`last_event_id` integer NOT NULL,
	`notice_hash` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`customer_id`, `purpose_id`, `theme_key`)
);
--> statement-breakpoint
CREATE INDEX `consent_state_purpose` ON `consent_state` (`purpose_id`,`theme_key`,`state`);--> statement-breakpoint
CREATE TABLE `contact_blocks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`customer_id` integer,
	`address` text,
	`scope` text NOT NULL,
	`channel` text,
	`theme_key` text,
	`reason` text NOT NULL,
	`evidence` text NOT NULL,
	`set_at` integer NOT NULL,
	`set_by` text NOT NULL,
	`lifted_at` integer,
	`lifted_by` text,
	`lift_reason` text,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `contact_blocks_customer` ON `contact_blocks` (`customer_id`,`lifted_at`);--> statement-breakpoint
CREATE INDEX `contact_blocks_address` ON `contact_blocks` (`address`);--> statement-breakpoint
CREATE TABLE `exports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`customer_id` integer,
	`request_id` integer,
	`file_name` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`download_count` integer DEFAULT 0 NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `exports_file_name_unique` ON `exports` (`file_name`);--> statement-breakpoint
CREATE TABLE `ledger_checks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` integer NOT NULL,
	`ok` integer NOT NULL,
	`checked_count` integer NOT NULL,
	`first_broken_event_id` integer,
	`message` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `notices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`purpose_id` integer NOT NULL,
	`version` integer NOT NULL,
	`locale` text DEFAULT 'en' NOT NULL,
	`text` text NOT NULL,
	`text_hash` text NOT NULL,
	`requires_reconsent` integer DEFAULT false NOT NULL,
	`created_by` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`purpose_id`) REFERENCES `purposes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notices_purpose_version_locale` ON `notices` (`purpose_id`,`version`,`locale`);--> statement-breakpoint
CREATE TABLE `privacy_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`customer_id` integer,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`source` text NOT NULL,
	`details` text DEFAULT '{}' NOT NULL,
	`received_at` integer NOT NULL,
	`due_at` integer NOT NULL,
	`extension_reason` text,
	`verified_at` integer,
	`completed_at` integer,
	`status_reason` text,
	`receipt` text,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `privacy_requests_status_due` ON `privacy_requests` (`status`,`due_at`);--> statement-breakpoint
CREATE TABLE `purposes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`legal_basis` text NOT NULL,
	`retention_days` integer NOT NULL,
	`recipients` text DEFAULT '[]' NOT NULL,
	`retention_duty` text,
	`created_at` integer NOT NULL,
	`archived_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `purposes_key_unique` ON `purposes` (`key`);--> statement-breakpoint
CREATE TABLE `themes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`purpose_id` integer NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`purpose_id`) REFERENCES `purposes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `themes_purpose_key` ON `themes` (`purpose_id`,`key`);--> statement-breakpoint
CREATE TABLE `tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`token_hash` text NOT NULL,
	`customer_id` integer,
	`purpose_id` integer,
	`payload` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tokens_token_hash_unique` ON `tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `tokens_customer` ON `tokens` (`customer_id`,`kind`);--> statement-breakpoint
CREATE TABLE `enrollments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`journey_id` integer NOT NULL,
	`version_id` integer NOT NULL,
	`customer_id` integer NOT NULL,
	`node_id` text NOT NULL,
	`state` text NOT NULL,
	`wait_key` text,
	`run_at` integer NOT NULL,
	`seq` integer DEFAULT 0 NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`lease_owner` text,
	`lease_expires_at` integer,
	`context` text DEFAULT '{}' NOT NULL,
	`test_mode` integer DEFAULT false NOT NULL,
	`entered_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`ended_at` integer,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `enrollments_due` ON `enrollments` (`state`,`run_at`);--> statement-breakpoint
CREATE INDEX `enrollments_customer` ON `enrollments` (`customer_id`,`journey_id`);--> statement-breakpoint
CREATE INDEX `enrollments_journey_node` ON `enrollments` (`journey_id`,`node_id`,`state`);--> statement-breakpoint
CREATE INDEX `enrollments_wait_key` ON `enrollments` (`wait_key`);--> statement-breakpoint
CREATE TABLE `journey_node_stats` (
	`journey_id` integer NOT NULL,
	`node_id` text NOT NULL,
	`handle` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`journey_id`, `node_id`, `handle`)
);
--> statement-breakpoint
CREATE TABLE `journey_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`journey_id` integer NOT NULL,
	`is_draft` integer NOT NULL,
	`number` integer,
	`graph` text NOT NULL,
	`revision` integer DEFAULT 1 NOT NULL,
	`change_summary` text DEFAULT '' NOT NULL,
	`author_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`journey_id`) REFERENCES `journeys`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `journey_versions_one_draft` ON `journey_versions` (`journey_id`) WHERE is_draft = 1;--> statement-breakpoint
CREATE UNIQUE INDEX `journey_versions_number` ON `journey_versions` (`journey_id`,`number`);--> statement-breakpoint
CREATE TABLE `journeys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`live_version_id` integer,
	`created_by` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer,
	`updated_by` integer,
	`archived_at` integer,
	`purged_at` integer,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `step_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`enrollment_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`journey_id` integer NOT NULL,
	`version_id` integer NOT NULL,
	`customer_id` integer,
	`node_id` text NOT NULL,
	`step_type` text NOT NULL,
	`outcome` text NOT NULL,
	`reason` text NOT NULL,
	`context` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `step_events_enrollment_seq` ON `step_events` (`enrollment_id`,`seq`);--> statement-breakpoint
CREATE INDEX `step_events_customer` ON `step_events` (`customer_id`);--> statement-breakpoint
CREATE INDEX `step_events_journey_node` ON `step_events` (`journey_id`,`node_id`);--> statement-breakpoint
CREATE TABLE `journey_test_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`journey_id` integer NOT NULL,
	`created_by` integer,
	`created_at` integer NOT NULL,
	`trace` text NOT NULL,
	`simulated` integer DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE `import_jobs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`status` text NOT NULL,
	`dry_run` integer DEFAULT false NOT NULL,
	`file_name` text NOT NULL,
	`mapping` text NOT NULL,
	`total_rows` integer DEFAULT 0 NOT NULL,
	`processed_rows` integer DEFAULT 0 NOT NULL,
	`imported_rows` integer DEFAULT 0 NOT NULL,
	`skipped_rows` integer DEFAULT 0 NOT NULL,
	`failed_rows` integer DEFAULT 0 NOT NULL,
	`error_report` text,
	`created_by` integer,
	`created_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`category` text DEFAULT 'marketing' NOT NULL,
	`customer_id` integer,
	`purpose_id` integer,
	`theme_key` text,
	`enrollment_id` integer,
	`webhook_id` integer,
	`to_address` text,
	`subject` text,
	`body_text` text,
	`body_html` text,
	`headers` text,
	`payload` text,
	`status` text DEFAULT 'queued' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`lease_owner` text,
	`lease_expires_at` integer,
	`last_error` text,
	`cancel_reason` text,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_idempotency_key_unique` ON `outbox` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_customer` ON `outbox` (`customer_id`,`status`);--> statement-breakpoint
CREATE INDEX `outbox_webhook` ON `outbox` (`webhook_id`);--> statement-breakpoint
CREATE TABLE `webhooks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`url` text NOT NULL,
	`events` text NOT NULL,
	`secret` text NOT NULL,
	`recipient_key` text,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` integer
);
--> statement-breakpoint
CREATE TABLE `worker_heartbeats` (
	`worker_id` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`started_at` integer NOT NULL,
	`paused` integer DEFAULT false NOT NULL
);
