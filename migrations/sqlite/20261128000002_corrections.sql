-- Reader suggestions for corrections. Identical suggestions (same article, same quote at the
-- same place, same suggested text) form one group; every report in it is kept.

CREATE TABLE correction_groups (
    id                INTEGER PRIMARY KEY,
    article_id        INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    -- The article revision the first report was made against.
    revision          INTEGER NOT NULL,
    -- The exact selected text and its surroundings in the article's plain text (empty when
    -- the reader used the plain form without naming a phrase).
    quote             TEXT    NOT NULL,
    prefix            TEXT    NOT NULL,
    suffix            TEXT    NOT NULL,
    -- Unicode code points into the NFC plain text of headline, dek and body; -1 without a quote.
    start_offset      INTEGER NOT NULL,
    end_offset        INTEGER NOT NULL,
    kind              TEXT    NOT NULL CHECK (kind IN ('typo', 'factual', 'clarification', 'other')),
    suggested_text    TEXT    NOT NULL,
    status            TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'dismissed')),
    report_count      INTEGER NOT NULL DEFAULT 1,
    created_at        TEXT    NOT NULL,
    last_reported_at  TEXT    NOT NULL,
    UNIQUE (article_id, start_offset, end_offset, quote, suggested_text)
);

CREATE INDEX correction_groups_desk_idx ON correction_groups (status, last_reported_at DESC);

CREATE TABLE correction_reports (
    id           INTEGER PRIMARY KEY,
    group_id     INTEGER NOT NULL REFERENCES correction_groups (id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL CHECK (kind IN ('typo', 'factual', 'clarification', 'other')),
    note         TEXT,
    email        TEXT,
    -- A keyed hash of the client's address; raw addresses are never stored.
    client_hash  TEXT    NOT NULL,
    created_at   TEXT    NOT NULL
);

CREATE INDEX correction_reports_group_idx ON correction_reports (group_id);

-- Site-wide values the application needs across restarts.
CREATE TABLE site_settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- The key for hashing client addresses: random per site, so hashes cannot be reversed by
-- trying every address against a known key.
INSERT INTO site_settings (key, value) VALUES ('client_hash_key', lower(hex(randomblob(32))));
