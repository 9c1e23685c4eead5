-- Notices of the four kinds newsrooms publish. SQLite cannot alter a CHECK constraint, so
-- the table is rebuilt with its indexes and page-key triggers (nothing references it; the
-- implicit delete of DROP TABLE fires no triggers).
CREATE TABLE correction_notices_new (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('correction', 'clarification', 'editors_note', 'update')),
    note        TEXT    NOT NULL,
    revision    INTEGER NOT NULL,
    group_id    INTEGER REFERENCES correction_groups (id) ON DELETE SET NULL,
    staff_id    INTEGER REFERENCES staff (id) ON DELETE SET NULL,
    created_at  TEXT    NOT NULL
);
INSERT INTO correction_notices_new (id, article_id, kind, note, revision, group_id, staff_id, created_at)
SELECT id, article_id, kind, note, revision, group_id, staff_id, created_at FROM correction_notices;
DROP TABLE correction_notices;
ALTER TABLE correction_notices_new RENAME TO correction_notices;

CREATE INDEX correction_notices_article_idx ON correction_notices (article_id, created_at);
CREATE INDEX correction_notices_recent_idx ON correction_notices (created_at, id);

-- A notice shows at the end of its article and on the corrections list.
CREATE TRIGGER correction_notices_insert_keys AFTER INSERT ON correction_notices
BEGIN
    INSERT INTO page_keys (key, version, changed_ms)
    SELECT 'article:' || a.slug, 1, c.now_ms FROM articles a, page_key_clock c WHERE a.id = NEW.article_id
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
    INSERT INTO page_keys (key, version, changed_ms) SELECT 'lists', 1, now_ms FROM page_key_clock WHERE TRUE
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
END;
CREATE TRIGGER correction_notices_update_keys AFTER UPDATE ON correction_notices
BEGIN
    INSERT INTO page_keys (key, version, changed_ms)
    SELECT 'article:' || a.slug, 1, c.now_ms FROM articles a, page_key_clock c WHERE a.id IN (OLD.article_id, NEW.article_id)
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
    INSERT INTO page_keys (key, version, changed_ms) SELECT 'lists', 1, now_ms FROM page_key_clock WHERE TRUE
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
END;
CREATE TRIGGER correction_notices_delete_keys AFTER DELETE ON correction_notices
BEGIN
    INSERT INTO page_keys (key, version, changed_ms)
    SELECT 'article:' || a.slug, 1, c.now_ms FROM articles a, page_key_clock c WHERE a.id = OLD.article_id
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
    INSERT INTO page_keys (key, version, changed_ms) SELECT 'lists', 1, now_ms FROM page_key_clock WHERE TRUE
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
END;

-- A suggestion a moderator made from a reader's comment keeps a link to it, and to the
-- staff reply posted under it once the fix is out ("Corrected: ...").
ALTER TABLE correction_reports ADD COLUMN comment_id INTEGER REFERENCES comments (id) ON DELETE SET NULL;
ALTER TABLE correction_reports ADD COLUMN reply_id INTEGER REFERENCES comments (id) ON DELETE SET NULL;
CREATE INDEX correction_reports_comment_idx ON correction_reports (comment_id) WHERE comment_id IS NOT NULL;

-- A suggestion closed because a later revision had already fixed it: that revision.
ALTER TABLE correction_groups ADD COLUMN fixed_revision INTEGER;
