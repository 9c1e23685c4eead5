-- A number that grows whenever something readers see may have changed (see the SQLite
-- migration of this version and src/page_cache.rs). Every app server on the database reads
-- it, so a change made through any of them, or the CLI, reaches every server's page cache.

CREATE TABLE site_version (
    id       BIGINT PRIMARY KEY CHECK (id = 1),
    version  BIGINT NOT NULL
);
INSERT INTO site_version (id, version) VALUES (1, 1);

CREATE FUNCTION bump_site_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE site_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;

-- Once per statement, not per row: one bump covers a statement that changes many rows.
CREATE TRIGGER articles_version AFTER INSERT OR UPDATE OR DELETE ON articles
    FOR EACH STATEMENT EXECUTE FUNCTION bump_site_version();
CREATE TRIGGER topics_version AFTER INSERT OR UPDATE OR DELETE ON topics
    FOR EACH STATEMENT EXECUTE FUNCTION bump_site_version();
CREATE TRIGGER article_topics_version AFTER INSERT OR UPDATE OR DELETE ON article_topics
    FOR EACH STATEMENT EXECUTE FUNCTION bump_site_version();
CREATE TRIGGER correction_notices_version AFTER INSERT OR UPDATE OR DELETE ON correction_notices
    FOR EACH STATEMENT EXECUTE FUNCTION bump_site_version();
CREATE TRIGGER site_settings_version AFTER INSERT OR UPDATE OR DELETE ON site_settings
    FOR EACH STATEMENT EXECUTE FUNCTION bump_site_version();

-- A comment held for moderation is shown only to its author; it becomes public through an
-- UPDATE.
CREATE TRIGGER comments_insert_version AFTER INSERT ON comments
    FOR EACH ROW WHEN (NEW.status = 'published') EXECUTE FUNCTION bump_site_version();
CREATE TRIGGER comments_change_version AFTER UPDATE OR DELETE ON comments
    FOR EACH STATEMENT EXECUTE FUNCTION bump_site_version();
