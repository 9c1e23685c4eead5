-- Scheduled publication (see the SQLite migration of this version).
ALTER TABLE articles ADD COLUMN scheduled_at TIMESTAMPTZ;
CREATE INDEX articles_scheduled_idx ON articles (scheduled_at) WHERE scheduled_at IS NOT NULL;
