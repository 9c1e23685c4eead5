-- Sign-in attempts are recorded before the password is checked, with the account they were
-- for (the SHA-256 of the lower-cased email, never the email itself), so failures are counted
-- per account as well as per client.
ALTER TABLE sign_in_failures ADD COLUMN account TEXT NOT NULL DEFAULT '';
CREATE INDEX sign_in_failures_account_idx ON sign_in_failures (account, failed_at);
