-- What each kept page shows, as keys that move when it changes (src/page_cache/freshness.rs).
-- Replaces the single site-wide number: a comment on one story no longer makes every kept
-- page of the site stale. Keys:
--   site           everything (topic names, site settings)
--   lists          the front page, the corrections list
--   article:SLUG   one article's page: its text, settings, notices and public comments
--   topic:SLUG     a topic's page and the related box of every article in it
--   pending:TOKEN  no page: which comments await moderation for the reader whose cookie
--                  token hashes to TOKEN (their own view of an article shows them)
-- Every writer (this server, the CLI, other servers on the database) moves them through
-- these triggers; servers read the rows changed lately (`changed_ms`, the database's clock).

DROP TRIGGER articles_insert_version;
DROP TRIGGER articles_update_version;
DROP TRIGGER articles_delete_version;
DROP TRIGGER topics_insert_version;
DROP TRIGGER topics_update_version;
DROP TRIGGER topics_delete_version;
DROP TRIGGER article_topics_insert_version;
DROP TRIGGER article_topics_update_version;
DROP TRIGGER article_topics_delete_version;
DROP TRIGGER correction_notices_insert_version;
DROP TRIGGER correction_notices_update_version;
DROP TRIGGER correction_notices_delete_version;
DROP TRIGGER site_settings_insert_version;
DROP TRIGGER site_settings_update_version;
DROP TRIGGER site_settings_delete_version;
DROP TRIGGER comments_insert_version;
DROP TRIGGER comments_update_version;
DROP TRIGGER comments_delete_version;
DROP TABLE site_version;

CREATE TABLE page_keys (
    key         TEXT    PRIMARY KEY,
    version     INTEGER NOT NULL,
    changed_ms  INTEGER NOT NULL
);
CREATE INDEX page_keys_changed_idx ON page_keys (changed_ms);

-- SQLite triggers cannot call a function, so each spells the upsert out; `now_ms` is
-- milliseconds since 1970 by the database's clock.
CREATE VIEW page_key_clock AS SELECT CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) AS now_ms;

CREATE TRIGGER articles_insert_keys AFTER INSERT ON articles
BEGIN
    INSERT INTO page_keys (key, version, changed_ms) SELECT 'article:' || NEW.slug, 1, now_ms FROM page_key_clock WHERE TRUE
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
    INSERT INTO page_keys (key, version, changed_ms) SELECT 'lists', 1, now_ms FROM page_key_clock WHERE TRUE
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
END;
CREATE TRIGGER articles_update_keys AFTER UPDATE ON articles
BEGIN
    INSERT INTO page_keys (key, version, changed_ms) SELECT 'article:' || OLD.slug, 1, now_ms FROM page_key_clock WHERE TRUE
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
    INSERT INTO page_keys (key, version, changed_ms) SELECT 'article:' || NEW.slug, 1, now_ms FROM page_key_clock WHERE OLD.slug <> NEW.slug
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
    INSERT INTO page_keys (key, version, changed_ms) SELECT 'lists', 1, now_ms FROM page_key_clock WHERE TRUE
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
    INSERT INTO page_keys (key, version, changed_ms)
    SELECT 'topic:' || t.slug, 1, c.now_ms FROM article_topics a JOIN topics t ON t.id = a.topic_id, page_key_clock c
    WHERE a.article_id = NEW.id
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
END;
CREATE TRIGGER articles_delete_keys AFTER DELETE ON articles
BEGIN
    INSERT INTO page_keys (key, version, changed_ms) SELECT 'article:' || OLD.slug, 1, now_ms FROM page_key_clock WHERE TRUE
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
    INSERT INTO page_keys (key, version, changed_ms) SELECT 'lists', 1, now_ms FROM page_key_clock WHERE TRUE
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
END;

-- An article joining or leaving a topic changes the article, the topic's page and the
-- related boxes of the topic's articles.
CREATE TRIGGER article_topics_insert_keys AFTER INSERT ON article_topics
BEGIN
    INSERT INTO page_keys (key, version, changed_ms)
    SELECT 'article:' || a.slug, 1, c.now_ms FROM articles a, page_key_clock c WHERE a.id = NEW.article_id
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
    INSERT INTO page_keys (key, version, changed_ms)
    SELECT 'topic:' || t.slug, 1, c.now_ms FROM topics t, page_key_clock c WHERE t.id = NEW.topic_id
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
END;
CREATE TRIGGER article_topics_update_keys AFTER UPDATE ON article_topics
BEGIN
    INSERT INTO page_keys (key, version, changed_ms)
    SELECT 'article:' || a.slug, 1, c.now_ms FROM articles a, page_key_clock c WHERE a.id IN (OLD.article_id, NEW.article_id)
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
    INSERT INTO page_keys (key, version, changed_ms)
    SELECT 'topic:' || t.slug, 1, c.now_ms FROM topics t, page_key_clock c WHERE t.id IN (OLD.topic_id, NEW.topic_id)
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
END;
CREATE TRIGGER article_topics_delete_keys AFTER DELETE ON article_topics
BEGIN
    INSERT INTO page_keys (key, version, changed_ms)
    SELECT 'article:' || a.slug, 1, c.now_ms FROM articles a, page_key_clock c WHERE a.id = OLD.article_id
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
    INSERT INTO page_keys (key, version, changed_ms)
    SELECT 'topic:' || t.slug, 1, c.now_ms FROM topics t, page_key_clock c WHERE t.id = OLD.topic_id
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
END;

-- Topic names show on every page.
CREATE TRIGGER topics_insert_keys AFTER INSERT ON topics
BEGIN
    INSERT INTO page_keys (key, version, changed_ms) SELECT 'site', 1, now_ms FROM page_key_clock WHERE TRUE
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
END;
CREATE TRIGGER topics_update_keys AFTER UPDATE ON topics
BEGIN
    INSERT INTO page_keys (key, version, changed_ms) SELECT 'site', 1, now_ms FROM page_key_clock WHERE TRUE
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
END;
CREATE TRIGGER topics_delete_keys AFTER DELETE ON topics
BEGIN
    INSERT INTO page_keys (key, version, changed_ms) SELECT 'site', 1, now_ms FROM page_key_clock WHERE TRUE
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
END;

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

-- The moderation mode changes what every comment form says.
CREATE TRIGGER site_settings_insert_keys AFTER INSERT ON site_settings
BEGIN
    INSERT INTO page_keys (key, version, changed_ms) SELECT 'site', 1, now_ms FROM page_key_clock WHERE TRUE
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
END;
CREATE TRIGGER site_settings_update_keys AFTER UPDATE ON site_settings
BEGIN
    INSERT INTO page_keys (key, version, changed_ms) SELECT 'site', 1, now_ms FROM page_key_clock WHERE TRUE
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
END;
CREATE TRIGGER site_settings_delete_keys AFTER DELETE ON site_settings
BEGIN
    INSERT INTO page_keys (key, version, changed_ms) SELECT 'site', 1, now_ms FROM page_key_clock WHERE TRUE
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
END;

-- Comments change only their article's page, and only when the public could see the
-- comment before or after: a held comment is shown to its author alone, whose reads check
-- for it (src/page_cache.rs), and a report changes nothing a reader sees.
CREATE TRIGGER comments_insert_keys AFTER INSERT ON comments WHEN NEW.status = 'published'
BEGIN
    INSERT INTO page_keys (key, version, changed_ms)
    SELECT 'article:' || a.slug, 1, c.now_ms FROM articles a, page_key_clock c WHERE a.id = NEW.article_id
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
END;
CREATE TRIGGER comments_update_keys AFTER UPDATE ON comments
WHEN (OLD.status = 'published' OR NEW.status = 'published')
 AND (OLD.status <> NEW.status OR OLD.featured <> NEW.featured OR OLD.body <> NEW.body
      OR OLD.author_name <> NEW.author_name OR OLD.article_id <> NEW.article_id)
BEGIN
    INSERT INTO page_keys (key, version, changed_ms)
    SELECT 'article:' || a.slug, 1, c.now_ms FROM articles a, page_key_clock c WHERE a.id IN (OLD.article_id, NEW.article_id)
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
END;
CREATE TRIGGER comments_delete_keys AFTER DELETE ON comments WHEN OLD.status = 'published'
BEGIN
    INSERT INTO page_keys (key, version, changed_ms)
    SELECT 'article:' || a.slug, 1, c.now_ms FROM articles a, page_key_clock c WHERE a.id = OLD.article_id
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
END;

-- A reader's own comments awaiting moderation: moved when one is written, decided or removed.
CREATE TRIGGER comments_pending_insert_keys AFTER INSERT ON comments WHEN NEW.status = 'pending'
BEGIN
    INSERT INTO page_keys (key, version, changed_ms) SELECT 'pending:' || NEW.author_token, 1, now_ms FROM page_key_clock WHERE TRUE
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
END;
CREATE TRIGGER comments_pending_update_keys AFTER UPDATE ON comments
WHEN (OLD.status = 'pending' OR NEW.status = 'pending')
 AND (OLD.status <> NEW.status OR OLD.article_id <> NEW.article_id OR OLD.author_token <> NEW.author_token)
BEGIN
    INSERT INTO page_keys (key, version, changed_ms)
    SELECT 'pending:' || t.token, 1, c.now_ms FROM (SELECT OLD.author_token AS token UNION SELECT NEW.author_token) t, page_key_clock c
    WHERE TRUE
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
END;
CREATE TRIGGER comments_pending_delete_keys AFTER DELETE ON comments WHEN OLD.status = 'pending'
BEGIN
    INSERT INTO page_keys (key, version, changed_ms) SELECT 'pending:' || OLD.author_token, 1, now_ms FROM page_key_clock WHERE TRUE
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
END;
