-- Sign-in attempts per account as well as per client (see the SQLite migration of this version).
ALTER TABLE sign_in_failures ADD COLUMN account TEXT NOT NULL DEFAULT '';
CREATE INDEX sign_in_failures_account_idx ON sign_in_failures (account, failed_at);
