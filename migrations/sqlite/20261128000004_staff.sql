-- Staff accounts, their sessions, the audit log, and what the staff desk decides.

CREATE TABLE staff (
    id             INTEGER PRIMARY KEY,
    -- Stored lower-cased: addresses compare without regard to case.
    email          TEXT    NOT NULL UNIQUE,
    name           TEXT    NOT NULL,
    role           TEXT    NOT NULL CHECK (role IN ('moderator', 'editor', 'admin')),
    -- Argon2id, PHC string format.
    password_hash  TEXT    NOT NULL,
    created_at     TEXT    NOT NULL
);

CREATE TABLE staff_sessions (
    -- SHA-256 of the random id in the cookie: a copy of the database does not sign anyone in.
    id_hash     TEXT    PRIMARY KEY,
    staff_id    INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    created_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL
);

CREATE INDEX staff_sessions_staff_idx ON staff_sessions (staff_id);

-- Every staff action: who, what, when. The name is copied so entries outlive accounts.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    staff_id    INTEGER REFERENCES staff (id) ON DELETE SET NULL,
    staff_name  TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('sign_in', 'comment', 'correction', 'article', 'settings', 'staff')),
    action      TEXT    NOT NULL,
    subject     TEXT    NOT NULL DEFAULT '',
    detail      TEXT    NOT NULL DEFAULT '',
    created_at  TEXT    NOT NULL
);

CREATE INDEX audit_log_time_idx ON audit_log (created_at DESC, id DESC);

-- Authors whose future comments are refused: by email, by client hash, or both.
CREATE TABLE banned_authors (
    id           INTEGER PRIMARY KEY,
    email        TEXT,
    client_hash  TEXT,
    reason       TEXT    NOT NULL DEFAULT '',
    staff_id     INTEGER REFERENCES staff (id) ON DELETE SET NULL,
    created_at   TEXT    NOT NULL
);

CREATE INDEX banned_authors_email_idx ON banned_authors (email);
CREATE INDEX banned_authors_client_idx ON banned_authors (client_hash);

-- Comments written by staff carry a badge; rejected ones may say why.
ALTER TABLE comments ADD COLUMN staff_id INTEGER REFERENCES staff (id) ON DELETE SET NULL;
ALTER TABLE comments ADD COLUMN rejection_reason TEXT;
-- Reports seen by a moderator: the comment leaves the Reported queue until new ones arrive.
ALTER TABLE comments ADD COLUMN reviewed_reports INTEGER NOT NULL DEFAULT 0;

-- Decisions on reader suggestions.
ALTER TABLE correction_groups ADD COLUMN decided_at TEXT;
ALTER TABLE correction_groups ADD COLUMN decided_by INTEGER REFERENCES staff (id) ON DELETE SET NULL;
ALTER TABLE correction_groups ADD COLUMN decision_note TEXT;

-- Who saved each revision and a short account of what changed.
ALTER TABLE article_revisions ADD COLUMN saved_by TEXT;
ALTER TABLE article_revisions ADD COLUMN summary TEXT;

-- Public correction and clarification notices at the end of articles.
CREATE TABLE correction_notices (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('correction', 'clarification')),
    note        TEXT    NOT NULL,
    revision    INTEGER NOT NULL,
    group_id    INTEGER REFERENCES correction_groups (id) ON DELETE SET NULL,
    staff_id    INTEGER REFERENCES staff (id) ON DELETE SET NULL,
    created_at  TEXT    NOT NULL
);

CREATE INDEX correction_notices_article_idx ON correction_notices (article_id, created_at);
CREATE INDEX correction_notices_time_idx ON correction_notices (created_at DESC);
