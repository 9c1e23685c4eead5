-- Cards on the front, topic and corrections lists name their story's authors too: a change
-- of who wrote a story, or an author's rename, moves the keys of the lists that show it.
CREATE FUNCTION touch_lists_of(article BIGINT) RETURNS void LANGUAGE sql AS $$
    SELECT touch_page_key('lists');
    SELECT touch_page_key('topic:' || t.slug)
    FROM article_topics x JOIN topics t ON t.id = x.topic_id WHERE x.article_id = article;
$$;

CREATE OR REPLACE FUNCTION article_authors_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM touch_article(OLD.article_id);
        PERFORM touch_lists_of(OLD.article_id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM touch_article(NEW.article_id);
        PERFORM touch_lists_of(NEW.article_id);
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION authors_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM touch_article(article_id) FROM article_authors WHERE author_id = NEW.id;
    PERFORM touch_page_key('lists');
    PERFORM touch_page_key(k) FROM (
        SELECT DISTINCT 'topic:' || t.slug AS k
        FROM article_authors x JOIN article_topics y ON y.article_id = x.article_id JOIN topics t ON t.id = y.topic_id
        WHERE x.author_id = NEW.id
    ) keys;
    RETURN NULL;
END;
$$;
