-- An optional second sign-in step with a time-based code (TOTP), and one-time recovery
-- codes for a lost phone.
ALTER TABLE staff ADD COLUMN totp_secret TEXT;
-- The last 30-second step a code was accepted for: a code is never accepted twice.
ALTER TABLE staff ADD COLUMN totp_last_step BIGINT;

CREATE TABLE staff_recovery_codes (
    staff_id   BIGINT  NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    -- SHA-256 of the code, lower-cased without dashes.
    code_hash  TEXT    NOT NULL,
    PRIMARY KEY (staff_id, code_hash)
);

-- A password checked, the code not yet: what the second step's form carries (hashed).
CREATE TABLE staff_pending_sign_ins (
    token_hash  TEXT    PRIMARY KEY,
    staff_id    BIGINT  NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    attempts    BIGINT  NOT NULL DEFAULT 0,
    expires_at  TIMESTAMPTZ NOT NULL
);
