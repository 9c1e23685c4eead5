-- Notices of the four kinds newsrooms publish; links from suggestions to the comments they
-- came from; suggestions closed as already fixed (see the SQLite migration of this version).
ALTER TABLE correction_notices DROP CONSTRAINT correction_notices_kind_check;
ALTER TABLE correction_notices ADD CONSTRAINT correction_notices_kind_check
    CHECK (kind IN ('correction', 'clarification', 'editors_note', 'update'));

ALTER TABLE correction_reports ADD COLUMN comment_id BIGINT REFERENCES comments (id) ON DELETE SET NULL;
ALTER TABLE correction_reports ADD COLUMN reply_id BIGINT REFERENCES comments (id) ON DELETE SET NULL;
CREATE INDEX correction_reports_comment_idx ON correction_reports (comment_id) WHERE comment_id IS NOT NULL;

ALTER TABLE correction_groups ADD COLUMN fixed_revision BIGINT;
