-- Failed staff sign-ins per client, counted in the database: every app server on it sees the
-- same count, so adding servers does not multiply the guesses allowed. (Readers' write limits
-- are counted per server: README, "Where state lives".)
CREATE TABLE sign_in_failures (
    client_hash  TEXT NOT NULL,
    failed_at    TEXT NOT NULL
);

CREATE INDEX sign_in_failures_client_idx ON sign_in_failures (client_hash, failed_at);
CREATE INDEX sign_in_failures_time_idx ON sign_in_failures (failed_at);
