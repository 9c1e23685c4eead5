-- Public author profiles (`/authors/{slug}`) and who wrote each article. A profile may
-- belong to a staff member (who can then edit it) or stand alone (a freelancer, a name
-- from an import). `links`: one address per line. Articles keep their free-text byline for
-- wire copy; with authors attached, pages show the authors' names, linked.
CREATE TABLE authors (
    id          INTEGER PRIMARY KEY,
    slug        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    bio         TEXT    NOT NULL DEFAULT '',
    links       TEXT    NOT NULL DEFAULT '',
    staff_id    INTEGER UNIQUE REFERENCES staff (id) ON DELETE SET NULL,
    created_at  TEXT    NOT NULL
);

CREATE TABLE article_authors (
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    author_id   INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    PRIMARY KEY (article_id, author_id)
);
-- An author's page lists their articles.
CREATE INDEX article_authors_author_idx ON article_authors (author_id, article_id);

-- A byline changes its article's page and the lists that show it.
CREATE TRIGGER article_authors_insert_keys AFTER INSERT ON article_authors
BEGIN
    INSERT INTO page_keys (key, version, changed_ms)
    SELECT 'article:' || a.slug, 1, c.now_ms FROM articles a, page_key_clock c WHERE a.id = NEW.article_id
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
END;
CREATE TRIGGER article_authors_delete_keys AFTER DELETE ON article_authors
BEGIN
    INSERT INTO page_keys (key, version, changed_ms)
    SELECT 'article:' || a.slug, 1, c.now_ms FROM articles a, page_key_clock c WHERE a.id = OLD.article_id
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
END;
-- A renamed author changes the byline of every article of theirs.
CREATE TRIGGER authors_update_keys AFTER UPDATE OF name, slug ON authors
BEGIN
    INSERT INTO page_keys (key, version, changed_ms)
    SELECT 'article:' || a.slug, 1, c.now_ms FROM article_authors x JOIN articles a ON a.id = x.article_id, page_key_clock c
    WHERE x.author_id = NEW.id
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
END;
