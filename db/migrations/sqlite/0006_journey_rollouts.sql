CREATE TABLE `journey_rollouts` (
	`journey_id` integer PRIMARY KEY NOT NULL,
	`version_id` integer NOT NULL,
	`move_running` integer NOT NULL,
	`phase` text NOT NULL,
	`after_id` integer DEFAULT 0 NOT NULL,
	`lease_owner` text NOT NULL,
	`lease_expires_at` integer NOT NULL,
	`started_at` integer NOT NULL,
	FOREIGN KEY (`journey_id`) REFERENCES `journeys`(`id`) ON UPDATE no action ON DELETE no action
);
