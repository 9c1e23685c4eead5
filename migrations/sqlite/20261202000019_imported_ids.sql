-- What `copydesk import-wxr` made of each WordPress post and comment, by the WordPress
-- site and id: importing the same export again changes nothing (src/db/wxr.rs).
CREATE TABLE imported_ids (
    source       TEXT    NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('post', 'comment')),
    external_id  TEXT    NOT NULL,
    local_id     INTEGER NOT NULL,
    PRIMARY KEY (source, kind, external_id)
);
