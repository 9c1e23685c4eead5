-- Moderation queue sizes, kept by triggers (see the SQLite migration of this version).
CREATE TABLE comment_counts (
    status  TEXT    PRIMARY KEY,
    n       BIGINT  NOT NULL
);
INSERT INTO comment_counts (status, n)
SELECT s.status, (SELECT COUNT(*) FROM comments c WHERE c.status = s.status)
FROM (VALUES ('pending'), ('published'), ('rejected')) AS s (status);

CREATE FUNCTION count_comments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE comment_counts SET n = n - 1 WHERE status = OLD.status;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        UPDATE comment_counts SET n = n + 1 WHERE status = NEW.status;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER comments_count_rows AFTER INSERT OR DELETE ON comments
    FOR EACH ROW EXECUTE FUNCTION count_comments();
CREATE TRIGGER comments_count_update AFTER UPDATE OF status ON comments
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION count_comments();

CREATE INDEX comments_unreviewed_idx ON comments (id)
WHERE report_count > reviewed_reports AND status <> 'rejected';
