-- Published journey versions stay immutable (0001's guard, dropped by 0006 so is_draft could become
-- a 0/1 smallint); the same condition as SQLite's trigger: only the draft row (is_draft = 1) changes.
CREATE TRIGGER journey_versions_published_immutable BEFORE UPDATE ON journey_versions
FOR EACH ROW WHEN (OLD.is_draft = 0) EXECUTE FUNCTION journey_versions_published_immutable();
