-- The consent ledger is append-only: evidence of consent must be provable years later.
CREATE TRIGGER consent_events_no_update BEFORE UPDATE ON consent_events
BEGIN SELECT RAISE(ABORT, 'consent_events is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER consent_events_no_delete BEFORE DELETE ON consent_events
BEGIN SELECT RAISE(ABORT, 'consent_events is append-only'); END;
--> statement-breakpoint
-- Published journey versions are immutable; only the draft row changes.
CREATE TRIGGER journey_versions_published_immutable BEFORE UPDATE ON journey_versions
WHEN OLD.is_draft = 0
BEGIN SELECT RAISE(ABORT, 'published journey versions are immutable'); END;
