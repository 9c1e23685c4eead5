-- Articles written at the staff desk start as drafts. `published_at` of a draft is a
-- placeholder until its first publication; this column says whether that has happened, so
-- unpublishing and publishing again keeps the original date.
ALTER TABLE articles ADD COLUMN ever_published INTEGER NOT NULL DEFAULT 1;

-- The desk lists every article, most recently changed first.
CREATE INDEX articles_changed_idx ON articles (COALESCE(updated_at, published_at) DESC, id DESC);

-- The topics a revision was saved with (names, comma-separated), so history shows them too.
ALTER TABLE article_revisions ADD COLUMN topics TEXT;
