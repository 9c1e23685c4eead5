-- Reader search and the staff article search (src/db/search.rs): one full-text index over
-- headline, standfirst, body and topic names. `unicode61 remove_diacritics 2` folds case
-- and accents ("Garcia" finds "García"); `porter` matches word forms ("elections" finds
-- "election"). The rowid is the article's id; triggers keep it current on every write,
-- whoever writes (the desk, an import, a correction, another app server).
CREATE VIRTUAL TABLE article_search USING fts5(
    title, dek, body, topics,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

INSERT INTO article_search (rowid, title, dek, body, topics)
SELECT a.id, a.title, COALESCE(a.dek, ''), a.body_md,
       COALESCE((SELECT group_concat(t.name, ' ') FROM article_topics x JOIN topics t ON t.id = x.topic_id
                 WHERE x.article_id = a.id), '')
FROM articles a;

CREATE TRIGGER articles_search_insert AFTER INSERT ON articles
BEGIN
    INSERT INTO article_search (rowid, title, dek, body, topics)
    VALUES (NEW.id, NEW.title, COALESCE(NEW.dek, ''), NEW.body_md, '');
END;
CREATE TRIGGER articles_search_update AFTER UPDATE OF title, dek, body_md ON articles
WHEN OLD.title <> NEW.title OR OLD.dek IS NOT NEW.dek OR OLD.body_md <> NEW.body_md
BEGIN
    UPDATE article_search SET title = NEW.title, dek = COALESCE(NEW.dek, ''), body = NEW.body_md
    WHERE rowid = NEW.id;
END;
CREATE TRIGGER articles_search_delete AFTER DELETE ON articles
BEGIN
    DELETE FROM article_search WHERE rowid = OLD.id;
END;

-- Topic names are searchable: rewritten when an article's topics or a topic's name change.
CREATE TRIGGER article_topics_search_insert AFTER INSERT ON article_topics
BEGIN
    UPDATE article_search SET topics = COALESCE((SELECT group_concat(t.name, ' ') FROM article_topics x
        JOIN topics t ON t.id = x.topic_id WHERE x.article_id = NEW.article_id), '')
    WHERE rowid = NEW.article_id;
END;
CREATE TRIGGER article_topics_search_delete AFTER DELETE ON article_topics
BEGIN
    UPDATE article_search SET topics = COALESCE((SELECT group_concat(t.name, ' ') FROM article_topics x
        JOIN topics t ON t.id = x.topic_id WHERE x.article_id = OLD.article_id), '')
    WHERE rowid = OLD.article_id;
END;
CREATE TRIGGER topics_search_update AFTER UPDATE OF name ON topics WHEN OLD.name <> NEW.name
BEGIN
    UPDATE article_search SET topics = COALESCE((SELECT group_concat(t.name, ' ') FROM article_topics x
        JOIN topics t ON t.id = x.topic_id WHERE x.article_id = article_search.rowid), '')
    WHERE rowid IN (SELECT article_id FROM article_topics WHERE topic_id = NEW.id);
END;

-- Each article's published comments, for the "12 comments" on cards: kept by triggers, so
-- a list page reads it with the article (no count per card). Changing it moves the
-- article's row, hence the page keys of the lists that show it.
ALTER TABLE articles ADD COLUMN comment_count INTEGER NOT NULL DEFAULT 0;
UPDATE articles SET comment_count = (SELECT COUNT(*) FROM comments c WHERE c.article_id = articles.id AND c.status = 'published');

CREATE TRIGGER comments_article_count_insert AFTER INSERT ON comments WHEN NEW.status = 'published'
BEGIN
    UPDATE articles SET comment_count = comment_count + 1 WHERE id = NEW.article_id;
END;
CREATE TRIGGER comments_article_count_delete AFTER DELETE ON comments WHEN OLD.status = 'published'
BEGIN
    UPDATE articles SET comment_count = comment_count - 1 WHERE id = OLD.article_id;
END;
CREATE TRIGGER comments_article_count_update AFTER UPDATE OF status, article_id ON comments
WHEN (OLD.status = 'published' OR NEW.status = 'published')
 AND (OLD.status <> NEW.status OR OLD.article_id <> NEW.article_id)
BEGIN
    UPDATE articles SET comment_count = comment_count - 1 WHERE id = OLD.article_id AND OLD.status = 'published';
    UPDATE articles SET comment_count = comment_count + 1 WHERE id = NEW.article_id AND NEW.status = 'published';
END;
