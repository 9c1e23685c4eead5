-- What each kept page shows, as keys that move when it changes (see the SQLite migration of
-- this version and src/page_cache/freshness.rs). Replaces the single site-wide number.

DROP TRIGGER articles_version ON articles;
DROP TRIGGER topics_version ON topics;
DROP TRIGGER article_topics_version ON article_topics;
DROP TRIGGER correction_notices_version ON correction_notices;
DROP TRIGGER site_settings_version ON site_settings;
DROP TRIGGER comments_insert_version ON comments;
DROP TRIGGER comments_change_version ON comments;
DROP FUNCTION bump_site_version();
DROP TABLE site_version;

CREATE TABLE page_keys (
    key         TEXT   PRIMARY KEY,
    version     BIGINT NOT NULL,
    changed_ms  BIGINT NOT NULL
);
CREATE INDEX page_keys_changed_idx ON page_keys (changed_ms);

-- clock_timestamp(), not now(): the time of the change, not of the transaction's start, so
-- servers reading "changed lately" see it.
CREATE FUNCTION touch_page_key(k TEXT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO page_keys (key, version, changed_ms)
    VALUES (k, 1, (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT)
    ON CONFLICT (key) DO UPDATE SET version = page_keys.version + 1, changed_ms = EXCLUDED.changed_ms;
$$;

CREATE FUNCTION touch_article(article BIGINT) RETURNS void LANGUAGE sql AS $$
    SELECT touch_page_key('article:' || slug) FROM articles WHERE id = article;
$$;

CREATE FUNCTION articles_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM touch_page_key('article:' || OLD.slug);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM touch_page_key('article:' || NEW.slug);
        PERFORM touch_page_key('topic:' || t.slug)
        FROM article_topics a JOIN topics t ON t.id = a.topic_id WHERE a.article_id = NEW.id;
    END IF;
    PERFORM touch_page_key('lists');
    RETURN NULL;
END;
$$;
CREATE TRIGGER articles_keys AFTER INSERT OR UPDATE OR DELETE ON articles
    FOR EACH ROW EXECUTE FUNCTION articles_keys();

CREATE FUNCTION article_topics_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM touch_article(OLD.article_id);
        PERFORM touch_page_key('topic:' || slug) FROM topics WHERE id = OLD.topic_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM touch_article(NEW.article_id);
        PERFORM touch_page_key('topic:' || slug) FROM topics WHERE id = NEW.topic_id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER article_topics_keys AFTER INSERT OR UPDATE OR DELETE ON article_topics
    FOR EACH ROW EXECUTE FUNCTION article_topics_keys();

CREATE FUNCTION site_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM touch_page_key('site');
    RETURN NULL;
END;
$$;
-- Topic names show on every page; the moderation mode changes every comment form.
CREATE TRIGGER topics_keys AFTER INSERT OR UPDATE OR DELETE ON topics
    FOR EACH STATEMENT EXECUTE FUNCTION site_keys();
CREATE TRIGGER site_settings_keys AFTER INSERT OR UPDATE OR DELETE ON site_settings
    FOR EACH STATEMENT EXECUTE FUNCTION site_keys();

CREATE FUNCTION correction_notices_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM touch_article(OLD.article_id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM touch_article(NEW.article_id);
    END IF;
    PERFORM touch_page_key('lists');
    RETURN NULL;
END;
$$;
CREATE TRIGGER correction_notices_keys AFTER INSERT OR UPDATE OR DELETE ON correction_notices
    FOR EACH ROW EXECUTE FUNCTION correction_notices_keys();

-- Comments change only their article's page, and only when the public could see the
-- comment before or after (a held comment is shown to its author alone; reports change
-- nothing a reader sees).
CREATE FUNCTION comments_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- A reader's own comments awaiting moderation (key `pending:TOKEN`, shown on no page).
    IF TG_OP = 'INSERT' THEN
        IF NEW.status = 'pending' THEN
            PERFORM touch_page_key('pending:' || NEW.author_token);
        END IF;
    ELSIF TG_OP = 'DELETE' THEN
        IF OLD.status = 'pending' THEN
            PERFORM touch_page_key('pending:' || OLD.author_token);
        END IF;
    ELSIF (OLD.status = 'pending' OR NEW.status = 'pending')
      AND (OLD.status <> NEW.status OR OLD.article_id <> NEW.article_id OR OLD.author_token <> NEW.author_token) THEN
        PERFORM touch_page_key('pending:' || OLD.author_token);
        IF NEW.author_token <> OLD.author_token THEN
            PERFORM touch_page_key('pending:' || NEW.author_token);
        END IF;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.status = 'published' THEN
            PERFORM touch_article(NEW.article_id);
        END IF;
    ELSIF TG_OP = 'DELETE' THEN
        IF OLD.status = 'published' THEN
            PERFORM touch_article(OLD.article_id);
        END IF;
    ELSIF (OLD.status = 'published' OR NEW.status = 'published')
      AND (OLD.status <> NEW.status OR OLD.featured <> NEW.featured OR OLD.body <> NEW.body
           OR OLD.author_name <> NEW.author_name OR OLD.article_id <> NEW.article_id) THEN
        PERFORM touch_article(OLD.article_id);
        IF NEW.article_id <> OLD.article_id THEN
            PERFORM touch_article(NEW.article_id);
        END IF;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER comments_keys AFTER INSERT OR UPDATE OR DELETE ON comments
    FOR EACH ROW EXECUTE FUNCTION comments_keys();
