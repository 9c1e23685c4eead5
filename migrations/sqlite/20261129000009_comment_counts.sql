-- Moderation queue sizes, kept by triggers: the staff desk polls them every 15 seconds, and
-- counting them from the comments table read every comment each time.
CREATE TABLE comment_counts (
    status  TEXT    PRIMARY KEY,
    n       INTEGER NOT NULL
);
INSERT INTO comment_counts (status, n)
SELECT s.status, (SELECT COUNT(*) FROM comments c WHERE c.status = s.status)
FROM (SELECT 'pending' AS status UNION ALL SELECT 'published' UNION ALL SELECT 'rejected') s;

CREATE TRIGGER comments_count_insert AFTER INSERT ON comments
BEGIN UPDATE comment_counts SET n = n + 1 WHERE status = NEW.status; END;
CREATE TRIGGER comments_count_delete AFTER DELETE ON comments
BEGIN UPDATE comment_counts SET n = n - 1 WHERE status = OLD.status; END;
CREATE TRIGGER comments_count_update AFTER UPDATE OF status ON comments WHEN OLD.status <> NEW.status
BEGIN
    UPDATE comment_counts SET n = n - 1 WHERE status = OLD.status;
    UPDATE comment_counts SET n = n + 1 WHERE status = NEW.status;
END;

-- The Reported queue: comments with reports no moderator has seen yet (few, at any size).
CREATE INDEX comments_unreviewed_idx ON comments (id)
WHERE report_count > reviewed_reports AND status <> 'rejected';
