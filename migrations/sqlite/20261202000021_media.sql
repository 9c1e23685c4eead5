-- The photo library: each upload's upright size and words, and the files made of it
-- (`media_variants`: widths in JPEG and WebP, the crops search engines ask for), kept in the
-- database so every app server and `copydesk export` has them. No original is kept: it
-- carries the camera's metadata (EXIF, GPS), which no stored file may.
CREATE TABLE media (
    id          INTEGER PRIMARY KEY,
    file_name   TEXT    NOT NULL,
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    alt         TEXT    NOT NULL,
    caption     TEXT    NOT NULL DEFAULT '',
    credit      TEXT    NOT NULL DEFAULT '',
    -- The SHA-256 of the file `copydesk import` read it from: importing it again reuses it.
    source_sha256 TEXT UNIQUE,
    created_by  INTEGER REFERENCES staff (id) ON DELETE SET NULL,
    created_at  TEXT    NOT NULL
);
CREATE INDEX media_created_idx ON media (created_at DESC, id DESC);

-- `hash`: of the bytes, and the file's address (`/media/{hash}.{ext}`), so it never changes.
CREATE TABLE media_variants (
    media_id    INTEGER NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL,
    format      TEXT    NOT NULL,
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    hash        TEXT    NOT NULL UNIQUE,
    bytes       BLOB    NOT NULL,
    PRIMARY KEY (media_id, kind, format, width)
);

-- A story's lead image, with its own words for this use (NULL: the library's).
ALTER TABLE articles ADD COLUMN lead_media_id INTEGER REFERENCES media (id);
ALTER TABLE articles ADD COLUMN lead_alt TEXT;
ALTER TABLE articles ADD COLUMN lead_caption TEXT;
ALTER TABLE articles ADD COLUMN lead_credit TEXT;

-- Which stories show which images (lead and body), written with each save: a library
-- image in use cannot be deleted, and its new words reach those stories' pages.
CREATE TABLE article_media (
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    media_id    INTEGER NOT NULL REFERENCES media (id),
    PRIMARY KEY (article_id, media_id)
);
CREATE INDEX article_media_media_idx ON article_media (media_id, article_id);

-- New words for an image change the pages of the stories that show it, and the lists.
CREATE TRIGGER media_update_keys AFTER UPDATE OF alt, caption, credit ON media
BEGIN
    INSERT INTO page_keys (key, version, changed_ms)
    SELECT 'article:' || a.slug, 1, c.now_ms FROM article_media x JOIN articles a ON a.id = x.article_id, page_key_clock c
    WHERE x.media_id = NEW.id
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
    INSERT INTO page_keys (key, version, changed_ms) SELECT 'lists', 1, now_ms FROM page_key_clock WHERE TRUE
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
    INSERT INTO page_keys (key, version, changed_ms)
    SELECT DISTINCT 'topic:' || t.slug, 1, c.now_ms
    FROM article_media x JOIN article_topics y ON y.article_id = x.article_id JOIN topics t ON t.id = y.topic_id,
         page_key_clock c
    WHERE x.media_id = NEW.id
    ON CONFLICT (key) DO UPDATE SET version = version + 1, changed_ms = excluded.changed_ms;
END;
