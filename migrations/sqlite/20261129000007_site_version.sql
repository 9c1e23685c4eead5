-- A number that grows whenever something readers see may have changed. Servers keep
-- rendered public pages while it stays the same (src/page_cache.rs); every writer, including
-- the CLI and other servers on the same database, moves it through these triggers.

CREATE TABLE site_version (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  INTEGER NOT NULL
);
INSERT INTO site_version (id, version) VALUES (1, 1);

CREATE TRIGGER articles_insert_version AFTER INSERT ON articles
BEGIN UPDATE site_version SET version = version + 1; END;
CREATE TRIGGER articles_update_version AFTER UPDATE ON articles
BEGIN UPDATE site_version SET version = version + 1; END;
CREATE TRIGGER articles_delete_version AFTER DELETE ON articles
BEGIN UPDATE site_version SET version = version + 1; END;

CREATE TRIGGER topics_insert_version AFTER INSERT ON topics
BEGIN UPDATE site_version SET version = version + 1; END;
CREATE TRIGGER topics_update_version AFTER UPDATE ON topics
BEGIN UPDATE site_version SET version = version + 1; END;
CREATE TRIGGER topics_delete_version AFTER DELETE ON topics
BEGIN UPDATE site_version SET version = version + 1; END;

CREATE TRIGGER article_topics_insert_version AFTER INSERT ON article_topics
BEGIN UPDATE site_version SET version = version + 1; END;
CREATE TRIGGER article_topics_update_version AFTER UPDATE ON article_topics
BEGIN UPDATE site_version SET version = version + 1; END;
CREATE TRIGGER article_topics_delete_version AFTER DELETE ON article_topics
BEGIN UPDATE site_version SET version = version + 1; END;

CREATE TRIGGER correction_notices_insert_version AFTER INSERT ON correction_notices
BEGIN UPDATE site_version SET version = version + 1; END;
CREATE TRIGGER correction_notices_update_version AFTER UPDATE ON correction_notices
BEGIN UPDATE site_version SET version = version + 1; END;
CREATE TRIGGER correction_notices_delete_version AFTER DELETE ON correction_notices
BEGIN UPDATE site_version SET version = version + 1; END;

-- The moderation mode changes what the comment form says.
CREATE TRIGGER site_settings_insert_version AFTER INSERT ON site_settings
BEGIN UPDATE site_version SET version = version + 1; END;
CREATE TRIGGER site_settings_update_version AFTER UPDATE ON site_settings
BEGIN UPDATE site_version SET version = version + 1; END;
CREATE TRIGGER site_settings_delete_version AFTER DELETE ON site_settings
BEGIN UPDATE site_version SET version = version + 1; END;

-- A comment held for moderation is shown only to its author, whose pages are never kept;
-- it becomes public through an UPDATE.
CREATE TRIGGER comments_insert_version AFTER INSERT ON comments WHEN NEW.status = 'published'
BEGIN UPDATE site_version SET version = version + 1; END;
CREATE TRIGGER comments_update_version AFTER UPDATE ON comments
BEGIN UPDATE site_version SET version = version + 1; END;
CREATE TRIGGER comments_delete_version AFTER DELETE ON comments
BEGIN UPDATE site_version SET version = version + 1; END;
