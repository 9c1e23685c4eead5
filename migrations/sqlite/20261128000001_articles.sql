-- Articles, their revision history and topics.
-- Timestamps are UTC, written by the application (portable to PostgreSQL's TIMESTAMPTZ).

CREATE TABLE articles (
    id            INTEGER PRIMARY KEY,
    slug          TEXT    NOT NULL UNIQUE,
    title         TEXT    NOT NULL,
    dek           TEXT,
    byline        TEXT    NOT NULL,
    body_md       TEXT    NOT NULL,
    status        TEXT    NOT NULL DEFAULT 'published' CHECK (status IN ('draft', 'published')),
    published_at  TEXT    NOT NULL,
    updated_at    TEXT,
    revision      INTEGER NOT NULL DEFAULT 1
);

-- Front page and feeds: latest published first.
CREATE INDEX articles_published_idx ON articles (status, published_at DESC);

-- Every saved version of an article; corrections refer to the revision they were made against.
CREATE TABLE article_revisions (
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    revision    INTEGER NOT NULL,
    title       TEXT    NOT NULL,
    dek         TEXT,
    byline      TEXT    NOT NULL,
    body_md     TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    PRIMARY KEY (article_id, revision)
);

CREATE TABLE topics (
    id    INTEGER PRIMARY KEY,
    slug  TEXT NOT NULL UNIQUE,
    name  TEXT NOT NULL
);

CREATE TABLE article_topics (
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    topic_id    INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    PRIMARY KEY (article_id, topic_id)
);

-- Topic pages and the related-articles box look articles up by topic.
CREATE INDEX article_topics_topic_idx ON article_topics (topic_id, article_id);
