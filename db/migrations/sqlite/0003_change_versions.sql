CREATE TABLE `change_versions` (
	`name` text PRIMARY KEY NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
INSERT INTO change_versions (name, version) VALUES ('contact_blocks', 1);
--> statement-breakpoint
CREATE TRIGGER contact_blocks_version_insert AFTER INSERT ON contact_blocks
BEGIN UPDATE change_versions SET version = version + 1 WHERE name = 'contact_blocks'; END;
--> statement-breakpoint
CREATE TRIGGER contact_blocks_version_update AFTER UPDATE ON contact_blocks
BEGIN UPDATE change_versions SET version = version + 1 WHERE name = 'contact_blocks'; END;
--> statement-breakpoint
CREATE TRIGGER contact_blocks_version_delete AFTER DELETE ON contact_blocks
BEGIN UPDATE change_versions SET version = version + 1 WHERE name = 'contact_blocks'; END;
