-- Cards on the front, topic and corrections lists name their story's authors too: a change
-- of who wrote a story, or an author's rename, moves the keys of the lists that show it.
CREATE TRIGGER article_authors_insert_lists AFTER INSERT ON article_authors
BEGIN
    INSERT INTO page_keys (key, version, changed_ms) SELECT 'lists', 1, now_ms FROM page_key_clock WHERE TRUE
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
    INSERT INTO page_keys (key, version, changed_ms)
    SELECT 'topic:' || t.slug, 1, c.now_ms FROM article_topics x JOIN topics t ON t.id = x.topic_id, page_key_clock c
    WHERE x.article_id = NEW.article_id
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
END;
CREATE TRIGGER article_authors_delete_lists AFTER DELETE ON article_authors
BEGIN
    INSERT INTO page_keys (key, version, changed_ms) SELECT 'lists', 1, now_ms FROM page_key_clock WHERE TRUE
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
    INSERT INTO page_keys (key, version, changed_ms)
    SELECT 'topic:' || t.slug, 1, c.now_ms FROM article_topics x JOIN topics t ON t.id = x.topic_id, page_key_clock c
    WHERE x.article_id = OLD.article_id
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
END;
CREATE TRIGGER authors_update_lists AFTER UPDATE OF name, slug ON authors
BEGIN
    INSERT INTO page_keys (key, version, changed_ms) SELECT 'lists', 1, now_ms FROM page_key_clock WHERE TRUE
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
    INSERT INTO page_keys (key, version, changed_ms)
    SELECT DISTINCT 'topic:' || t.slug, 1, c.now_ms
    FROM article_authors x JOIN article_topics y ON y.article_id = x.article_id JOIN topics t ON t.id = y.topic_id,
         page_key_clock c
    WHERE x.author_id = NEW.id
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
END;
