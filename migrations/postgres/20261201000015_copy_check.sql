-- The copy check (src/copy_check.rs): the house dictionary staff keep, the problems staff
-- chose to ignore in one article, and each article's language (`lang:` in front matter;
-- NULL follows the site's `language` setting).
CREATE TABLE house_words (
    word      TEXT        PRIMARY KEY,
    added_by  TEXT,
    added_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE copy_check_ignores (
    article_id  BIGINT  NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    PRIMARY KEY (article_id, kind, text)
);

ALTER TABLE articles ADD COLUMN lang TEXT;
