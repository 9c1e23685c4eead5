-- Failed staff sign-ins per client, shared by every app server (see the SQLite migration of
-- this version).
CREATE TABLE sign_in_failures (
    client_hash  TEXT        NOT NULL,
    failed_at    TIMESTAMPTZ NOT NULL
);

CREATE INDEX sign_in_failures_client_idx ON sign_in_failures (client_hash, failed_at);
CREATE INDEX sign_in_failures_time_idx ON sign_in_failures (failed_at);
