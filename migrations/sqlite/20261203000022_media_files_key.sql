-- A photo's files are kept in each app server's memory under the key `media:<id>`: deleting
-- the photo moves it, so every server stops sending them.
CREATE TRIGGER media_delete_key AFTER DELETE ON media
BEGIN
    INSERT INTO page_keys (key, version, changed_ms) SELECT 'media:' || OLD.id, 1, now_ms FROM page_key_clock WHERE TRUE
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
END;
