-- Reader comments, their reports, and what moderation decides with.

CREATE TABLE comments (
    id            INTEGER PRIMARY KEY,
    article_id    INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    -- NULL for a top-level comment. `root_id` is the top-level comment of the thread (NULL
    -- for a top-level one), so a page of threads is read in one query.
    parent_id     INTEGER REFERENCES comments (id) ON DELETE CASCADE,
    root_id       INTEGER REFERENCES comments (id) ON DELETE CASCADE,
    -- 0 for top-level comments; replies nest at most three levels (0, 1, 2).
    depth         INTEGER NOT NULL DEFAULT 0 CHECK (depth BETWEEN 0 AND 2),
    author_name   TEXT    NOT NULL,
    -- Never shown publicly.
    email         TEXT,
    -- Exactly as the reader wrote it (line breaks normalised); shown as text, never as HTML.
    body          TEXT    NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('pending', 'published', 'rejected')),
    -- Why a comment waits for a moderator: pre-moderation, too many links, a suspect word.
    held_for      TEXT    CHECK (held_for IN ('premoderation', 'links', 'suspect_word')),
    held_detail   TEXT,
    featured      INTEGER NOT NULL DEFAULT 0 CHECK (featured IN (0, 1)),
    report_count  INTEGER NOT NULL DEFAULT 0,
    -- A keyed hash of the client's address; raw addresses are never stored.
    client_hash   TEXT    NOT NULL,
    -- SHA-256 of the random token in the author's browser cookie: lets the author (and no
    -- one else) see their own pending comments.
    author_token  TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    moderated_at  TEXT
);

-- The article page: a page of top-level comments in time order, then their threads.
CREATE INDEX comments_article_roots_idx ON comments (article_id, depth, created_at, id);
CREATE INDEX comments_root_idx ON comments (root_id, created_at, id);
-- The count under the headline and the featured box.
CREATE INDEX comments_article_status_idx ON comments (article_id, status, featured);
-- Moderation queues.
CREATE INDEX comments_queue_idx ON comments (status, created_at);

CREATE TABLE comment_reports (
    id           INTEGER PRIMARY KEY,
    comment_id   INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    reason       TEXT    NOT NULL CHECK (reason IN ('spam', 'abuse', 'off_topic', 'other')),
    note         TEXT,
    client_hash  TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    -- One report per reader per comment.
    UNIQUE (comment_id, client_hash)
);

-- Words that hold a comment for moderation ('suspect') or refuse it ('banned'). Stored
-- folded (lower case, accents removed), as they are matched.
CREATE TABLE moderation_words (
    list  TEXT NOT NULL CHECK (list IN ('suspect', 'banned')),
    word  TEXT NOT NULL,
    PRIMARY KEY (list, word)
);

-- Per-article overrides: NULL follows the site's moderation mode.
ALTER TABLE articles ADD COLUMN comment_moderation TEXT CHECK (comment_moderation IN ('pre', 'post'));
ALTER TABLE articles ADD COLUMN comments_closed INTEGER NOT NULL DEFAULT 0 CHECK (comments_closed IN (0, 1));

-- Pre-moderation is the default, as in most newsrooms.
INSERT INTO site_settings (key, value) VALUES ('moderation_mode', 'pre');
