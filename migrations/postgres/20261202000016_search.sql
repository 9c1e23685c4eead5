-- Reader search and the staff article search (see the SQLite migration of this version and
-- src/db/search.rs): a tsvector per article with a GIN index, weighted headline (A),
-- standfirst and topics (B), body (D); `unaccent` folds accents ("Garcia" finds "García"),
-- the `english` configuration folds case and word forms. Triggers keep it current.
-- `unaccent` is a trusted extension: the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE TABLE article_search (
    article_id  BIGINT   PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    doc         tsvector NOT NULL
);
CREATE INDEX article_search_doc_idx ON article_search USING GIN (doc);

CREATE FUNCTION refresh_article_search(article BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO article_search (article_id, doc)
    SELECT a.id,
           setweight(to_tsvector('english', unaccent(a.title)), 'A')
        || setweight(to_tsvector('english', unaccent(COALESCE(a.dek, ''))), 'B')
        || setweight(to_tsvector('english', unaccent(COALESCE((
               SELECT string_agg(t.name, ' ') FROM article_topics x JOIN topics t ON t.id = x.topic_id
               WHERE x.article_id = a.id), ''))), 'B')
        || setweight(to_tsvector('english', unaccent(a.body_md)), 'D')
    FROM articles a WHERE a.id = article
    ON CONFLICT (article_id) DO UPDATE SET doc = EXCLUDED.doc;
$$;

SELECT refresh_article_search(id) FROM articles;

CREATE FUNCTION articles_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR OLD.title <> NEW.title OR OLD.dek IS DISTINCT FROM NEW.dek OR OLD.body_md <> NEW.body_md THEN
        PERFORM refresh_article_search(NEW.id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER articles_search AFTER INSERT OR UPDATE OF title, dek, body_md ON articles
    FOR EACH ROW EXECUTE FUNCTION articles_search();

CREATE FUNCTION article_topics_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM refresh_article_search(OLD.article_id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM refresh_article_search(NEW.article_id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER article_topics_search AFTER INSERT OR UPDATE OR DELETE ON article_topics
    FOR EACH ROW EXECUTE FUNCTION article_topics_search();

CREATE FUNCTION topics_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refresh_article_search(article_id) FROM article_topics WHERE topic_id = NEW.id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER topics_search AFTER UPDATE OF name ON topics
    FOR EACH ROW WHEN (OLD.name <> NEW.name) EXECUTE FUNCTION topics_search();

-- Each article's published comments, for the "12 comments" on cards (see the SQLite
-- migration): kept by triggers, read with the article.
ALTER TABLE articles ADD COLUMN comment_count BIGINT NOT NULL DEFAULT 0;
UPDATE articles SET comment_count = (SELECT COUNT(*) FROM comments c WHERE c.article_id = articles.id AND c.status = 'published');

CREATE FUNCTION comments_article_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.status = 'published' THEN
        UPDATE articles SET comment_count = comment_count - 1 WHERE id = OLD.article_id;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.status = 'published' THEN
        UPDATE articles SET comment_count = comment_count + 1 WHERE id = NEW.article_id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER comments_article_count AFTER INSERT OR DELETE ON comments
    FOR EACH ROW EXECUTE FUNCTION comments_article_count();
CREATE TRIGGER comments_article_count_update AFTER UPDATE OF status, article_id ON comments
    FOR EACH ROW WHEN (OLD.status <> NEW.status OR OLD.article_id <> NEW.article_id)
    EXECUTE FUNCTION comments_article_count();
