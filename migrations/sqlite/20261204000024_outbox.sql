-- Mail to readers and staff, as a transactional outbox: a message is a row written in the
-- same transaction as the event that causes it, and a background sender on any app server
-- delivers it (src/services/mail.rs). A sender claims a row by setting its lease; a row whose
-- lease ran out (its sender stopped) is claimed again. `payload` is the message's content as
-- JSON; its text and links are made when it is shown or sent.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    kind             TEXT    NOT NULL,
    recipient        TEXT    NOT NULL,
    -- What the recipient can unsubscribe from: `corrections`, `replies` or `digest`.
    list             TEXT    NOT NULL CHECK (list IN ('corrections', 'replies', 'digest')),
    payload          TEXT    NOT NULL,
    -- Messages with the same key while queued are one message (replies in one thread).
    batch_key        TEXT,
    status           TEXT    NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed', 'dropped')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT    NOT NULL,
    lease_owner      TEXT,
    lease_until      TEXT,
    last_error       TEXT,
    created_at       TEXT    NOT NULL,
    sent_at          TEXT
);

CREATE INDEX outbox_due_idx ON outbox (status, next_attempt_at);
CREATE INDEX outbox_batch_idx ON outbox (batch_key, id) WHERE batch_key IS NOT NULL;
CREATE INDEX outbox_recent_idx ON outbox (created_at DESC, id DESC);

-- Addresses that asked for no more of a list (the signed link in every message).
CREATE TABLE mail_unsubscribes (
    address     TEXT NOT NULL,
    list        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (address, list)
);

-- Readers who asked to hear of replies: asked once (a confirmation link is mailed), then
-- confirmed by following it. Nothing but the confirmation is sent before.
CREATE TABLE reply_subscribers (
    address       TEXT PRIMARY KEY,
    asked_at      TEXT NOT NULL,
    confirmed_at  TEXT
);

ALTER TABLE comments ADD COLUMN notify_replies INTEGER NOT NULL DEFAULT 0 CHECK (notify_replies IN (0, 1));

-- A staff member's digest of waiting work: on or off, and when the last one was queued.
ALTER TABLE staff ADD COLUMN digest INTEGER NOT NULL DEFAULT 0 CHECK (digest IN (0, 1));
ALTER TABLE staff ADD COLUMN digest_sent_at TEXT;
