-- The consent ledger is append-only: evidence of consent must be provable years later.
-- (TRUNCATE is rejected too: on PostgreSQL it bypasses row triggers.)
CREATE FUNCTION consent_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'consent_events is append-only' USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER consent_events_no_update BEFORE UPDATE ON consent_events
FOR EACH ROW EXECUTE FUNCTION consent_events_append_only();
--> statement-breakpoint
CREATE TRIGGER consent_events_no_delete BEFORE DELETE ON consent_events
FOR EACH ROW EXECUTE FUNCTION consent_events_append_only();
--> statement-breakpoint
CREATE TRIGGER consent_events_no_truncate BEFORE TRUNCATE ON consent_events
FOR EACH STATEMENT EXECUTE FUNCTION consent_events_append_only();
--> statement-breakpoint
-- Published journey versions are immutable; only the draft row changes.
CREATE FUNCTION journey_versions_published_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'published journey versions are immutable' USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER journey_versions_published_immutable BEFORE UPDATE ON journey_versions
FOR EACH ROW WHEN (NOT OLD.is_draft) EXECUTE FUNCTION journey_versions_published_immutable();
