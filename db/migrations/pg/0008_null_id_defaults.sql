-- drizzle's SQLite dialect (which the store speaks on both databases) renders an omitted
-- autoincrement id as an explicit NULL in INSERT … VALUES: SQLite then assigns the next rowid, but a
-- PostgreSQL identity column only fills in its default when the column is omitted or DEFAULT. This
-- trigger gives a NULL id the identity's next value, before the NOT NULL check. A new table with an
-- identity id needs the same trigger (tests/pg/dialect-roundtrip.test.ts checks that every one has it).
CREATE FUNCTION fill_null_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.id := nextval(pg_get_serial_sequence(format('%I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME), 'id'));
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER api_keys_fill_null_id BEFORE INSERT ON api_keys
FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION fill_null_id();
--> statement-breakpoint
CREATE TRIGGER audit_log_fill_null_id BEFORE INSERT ON audit_log
FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION fill_null_id();
--> statement-breakpoint
CREATE TRIGGER consent_events_fill_null_id BEFORE INSERT ON consent_events
FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION fill_null_id();
--> statement-breakpoint
CREATE TRIGGER contact_blocks_fill_null_id BEFORE INSERT ON contact_blocks
FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION fill_null_id();
--> statement-breakpoint
CREATE TRIGGER customers_fill_null_id BEFORE INSERT ON customers
FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION fill_null_id();
--> statement-breakpoint
CREATE TRIGGER enrollments_fill_null_id BEFORE INSERT ON enrollments
FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION fill_null_id();
--> statement-breakpoint
CREATE TRIGGER events_fill_null_id BEFORE INSERT ON events
FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION fill_null_id();
--> statement-breakpoint
CREATE TRIGGER exports_fill_null_id BEFORE INSERT ON exports
FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION fill_null_id();
--> statement-breakpoint
CREATE TRIGGER import_jobs_fill_null_id BEFORE INSERT ON import_jobs
FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION fill_null_id();
--> statement-breakpoint
CREATE TRIGGER journey_test_runs_fill_null_id BEFORE INSERT ON journey_test_runs
FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION fill_null_id();
--> statement-breakpoint
CREATE TRIGGER journey_versions_fill_null_id BEFORE INSERT ON journey_versions
FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION fill_null_id();
--> statement-breakpoint
CREATE TRIGGER journeys_fill_null_id BEFORE INSERT ON journeys
FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION fill_null_id();
--> statement-breakpoint
CREATE TRIGGER ledger_checks_fill_null_id BEFORE INSERT ON ledger_checks
FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION fill_null_id();
--> statement-breakpoint
CREATE TRIGGER notices_fill_null_id BEFORE INSERT ON notices
FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION fill_null_id();
--> statement-breakpoint
CREATE TRIGGER outbox_fill_null_id BEFORE INSERT ON outbox
FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION fill_null_id();
--> statement-breakpoint
CREATE TRIGGER privacy_requests_fill_null_id BEFORE INSERT ON privacy_requests
FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION fill_null_id();
--> statement-breakpoint
CREATE TRIGGER purposes_fill_null_id BEFORE INSERT ON purposes
FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION fill_null_id();
--> statement-breakpoint
CREATE TRIGGER step_events_fill_null_id BEFORE INSERT ON step_events
FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION fill_null_id();
--> statement-breakpoint
CREATE TRIGGER themes_fill_null_id BEFORE INSERT ON themes
FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION fill_null_id();
--> statement-breakpoint
CREATE TRIGGER tokens_fill_null_id BEFORE INSERT ON tokens
FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION fill_null_id();
--> statement-breakpoint
CREATE TRIGGER tombstones_fill_null_id BEFORE INSERT ON tombstones
FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION fill_null_id();
--> statement-breakpoint
CREATE TRIGGER users_fill_null_id BEFORE INSERT ON users
FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION fill_null_id();
--> statement-breakpoint
CREATE TRIGGER webhooks_fill_null_id BEFORE INSERT ON webhooks
FOR EACH ROW WHEN (NEW.id IS NULL) EXECUTE FUNCTION fill_null_id();
