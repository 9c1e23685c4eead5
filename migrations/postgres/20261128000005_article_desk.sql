-- Drafts, the desk's article list and revision topics (see the SQLite migration of this
-- version).
ALTER TABLE articles ADD COLUMN ever_published BOOLEAN NOT NULL DEFAULT TRUE;

CREATE INDEX articles_changed_idx ON articles ((COALESCE(updated_at, published_at)) DESC, id DESC);

ALTER TABLE article_revisions ADD COLUMN topics TEXT;

-- SQLite's instr(), which the desk's headline search uses: the position of `needle` in
-- `haystack` counting from 1, 0 when absent.
CREATE FUNCTION instr(haystack TEXT, needle TEXT) RETURNS INTEGER
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT strpos(haystack, needle) $$;
