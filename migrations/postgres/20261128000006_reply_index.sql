-- Index only replies by thread (see the SQLite migration of this version for why).
DROP INDEX comments_root_idx;
CREATE INDEX comments_replies_idx ON comments (root_id, created_at, id) WHERE root_id IS NOT NULL;
