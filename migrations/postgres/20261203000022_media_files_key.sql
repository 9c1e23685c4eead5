-- A photo's files are kept in each app server's memory under the key `media:<id>`: deleting
-- the photo moves it, so every server stops sending them.
CREATE FUNCTION media_delete_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM touch_page_key('media:' || OLD.id);
    RETURN NULL;
END;
$$;
CREATE TRIGGER media_delete_key AFTER DELETE ON media
    FOR EACH ROW EXECUTE FUNCTION media_delete_key();
