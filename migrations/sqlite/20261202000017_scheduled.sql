-- Scheduled publication: a draft with `scheduled_at` set is published at that time by
-- whichever app server's scheduler runs first (src/services/scheduling.rs): one UPDATE
-- claims it, so it is published once; until then it is a draft, on no public page.
ALTER TABLE articles ADD COLUMN scheduled_at TEXT;
CREATE INDEX articles_scheduled_idx ON articles (scheduled_at) WHERE scheduled_at IS NOT NULL;
