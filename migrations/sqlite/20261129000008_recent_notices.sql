-- The corrections page and feed walk notices newest first, ties broken by id.
DROP INDEX correction_notices_time_idx;
CREATE INDEX correction_notices_recent_idx ON correction_notices (created_at, id);
