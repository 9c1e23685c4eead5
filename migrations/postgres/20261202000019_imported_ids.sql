-- What `copydesk import-wxr` made of each WordPress post and comment (see the SQLite
-- migration of this version).
CREATE TABLE imported_ids (
    source       TEXT    NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('post', 'comment')),
    external_id  TEXT    NOT NULL,
    local_id     BIGINT  NOT NULL,
    PRIMARY KEY (source, kind, external_id)
);
