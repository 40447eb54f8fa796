-- Every write to contact_blocks bumps its version, as SQLite migration 0003 does (statement-level
-- here: one bump per statement is enough to invalidate a cached aggregate).
INSERT INTO change_versions (name, version) VALUES ('contact_blocks', 1);
--> statement-breakpoint
CREATE FUNCTION bump_change_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE change_versions SET version = version + 1 WHERE name = TG_TABLE_NAME;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER contact_blocks_version AFTER INSERT OR UPDATE OR DELETE ON contact_blocks
FOR EACH STATEMENT EXECUTE FUNCTION bump_change_version();
