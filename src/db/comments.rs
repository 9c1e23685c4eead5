use time::OffsetDateTime;

use super::{On, Pool, Tx, now, query, query_as, query_scalar};
use crate::domain::comment::{
    COMMENTS_PER_PAGE, CommentView, Hold, Moderation, Order, Queue, QueueCounts, ReportReason,
};
use crate::domain::desk::{ArticleCommentSettings, Ban, QueueItem};
use crate::domain::moderation::WordListName;

/// What decides how a new comment on an article is handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArticleComments {
    pub article_id: i64,
    pub mode: Moderation,
    /// The article's own mode, if it does not follow the site's.
    pub override_mode: Option<Moderation>,
    pub closed: bool,
}

/// A published article's comment settings, with the site's mode where it has no override.
pub async fn article_settings(pool: &Pool, slug: &str) -> Result<Option<ArticleComments>, sqlx::Error> {
    let row: Option<(i64, String, Option<String>, bool)> = query_as(
        "SELECT a.id,
                COALESCE(a.comment_moderation, (SELECT value FROM site_settings WHERE key = 'moderation_mode'), 'pre'),
                a.comment_moderation, a.comments_closed
         FROM articles a WHERE a.slug = $1 AND a.status = 'published'",
    )
    .bind(slug)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(article_id, mode, override_mode, closed)| ArticleComments {
        article_id,
        mode: Moderation::parse(&mode).unwrap_or(Moderation::Pre),
        override_mode: override_mode.as_deref().and_then(Moderation::parse),
        closed,
    }))
}

pub async fn site_moderation(pool: &Pool) -> Result<Moderation, sqlx::Error> {
    let mode: Option<String> =
        query_scalar("SELECT value FROM site_settings WHERE key = 'moderation_mode'").fetch_optional(pool).await?;
    Ok(mode.as_deref().and_then(Moderation::parse).unwrap_or(Moderation::Pre))
}

pub async fn set_site_moderation(pool: &Pool, mode: Moderation) -> Result<(), sqlx::Error> {
    query(
        "INSERT INTO site_settings (key, value) VALUES ('moderation_mode', $1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(mode.as_str())
    .execute(pool)
    .await?;
    Ok(())
}

/// Sets an article's moderation override (`None`: follow the site) and whether its comments
/// are closed. Returns false when no article has that slug.
pub async fn set_article_comments(
    pool: &Pool,
    slug: &str,
    mode: Option<Moderation>,
    closed: bool,
) -> Result<bool, sqlx::Error> {
    let done = query("UPDATE articles SET comment_moderation = $1, comments_closed = $2 WHERE slug = $3")
        .bind(mode.map(Moderation::as_str))
        .bind(closed)
        .bind(slug)
        .execute(pool)
        .await?;
    Ok(done > 0)
}

pub async fn words(pool: &Pool, list: WordListName) -> Result<Vec<String>, sqlx::Error> {
    query_scalar("SELECT word FROM moderation_words WHERE list = $1 ORDER BY word")
        .bind(list.as_str())
        .fetch_all(pool)
        .await
}

/// Adds entries, already normalised (`domain::words::normalise_entry`); repeats are ignored.
pub async fn add_words(pool: &Pool, list: WordListName, words: &[String]) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    insert_words(&mut tx, list, words).await?;
    tx.commit().await
}

async fn insert_words(tx: &mut Tx, list: WordListName, words: &[String]) -> Result<(), sqlx::Error> {
    for word in words {
        query("INSERT INTO moderation_words (list, word) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(list.as_str())
            .bind(word)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

pub async fn remove_words(pool: &Pool, list: WordListName, words: &[String]) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    for word in words {
        query("DELETE FROM moderation_words WHERE list = $1 AND word = $2")
            .bind(list.as_str())
            .bind(word)
            .execute(&mut tx)
            .await?;
    }
    tx.commit().await
}

/// Replaces a word list with `words` (already normalised), in one transaction.
pub async fn replace_words(pool: &Pool, list: WordListName, words: &[String]) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    query("DELETE FROM moderation_words WHERE list = $1").bind(list.as_str()).execute(&mut tx).await?;
    insert_words(&mut tx, list, words).await?;
    tx.commit().await
}

/// The newest articles with their comment settings.
pub async fn article_comment_settings(pool: &Pool, limit: u32) -> Result<Vec<ArticleCommentSettings>, sqlx::Error> {
    let rows: Vec<(String, String, Option<String>, bool)> = query_as(
        "SELECT slug, title, comment_moderation, comments_closed FROM articles
         ORDER BY published_at DESC, id DESC LIMIT $1",
    )
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(slug, title, mode, closed)| ArticleCommentSettings {
            slug,
            title,
            mode: mode.as_deref().and_then(Moderation::parse),
            closed,
        })
        .collect())
}

/// A comment that a reply would attach to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Parent {
    pub id: i64,
    pub article_id: i64,
    pub root_id: Option<i64>,
    pub depth: i64,
    pub status: String,
    pub author_token: String,
}

impl Parent {
    /// Whether the reader with this token can see the comment.
    pub fn visible_to(&self, token_hash: &str) -> bool {
        self.status == "published" || (self.status == "pending" && self.author_token == token_hash)
    }
}

pub async fn parent(pool: &Pool, id: i64) -> Result<Option<Parent>, sqlx::Error> {
    query_as("SELECT id, article_id, root_id, depth, status, author_token FROM comments WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// A validated comment ready to store.
#[derive(Debug, Clone)]
pub struct NewComment {
    pub article_id: i64,
    pub parent: Option<Parent>,
    pub author_name: String,
    pub email: Option<String>,
    pub body: String,
    pub hold: Option<Hold>,
    pub client_hash: String,
    pub author_token: String,
    /// Set when a signed-in staff member writes: the comment carries a "Staff" badge.
    pub staff_id: Option<i64>,
}

/// The most comments one transaction commits.
const MAX_BATCH: usize = 256;

/// Stores comments through one task that commits whatever has queued up as one transaction
/// (group commit). With `synchronous=FULL` the cost of a comment is mostly its sync to disk;
/// a busy article shares one sync among every comment that arrived meanwhile, and a quiet
/// one waits for nobody. `insert` returns only after the transaction holding the comment
/// has committed.
#[derive(Clone)]
pub struct CommentWriter {
    jobs: tokio::sync::mpsc::Sender<Job>,
}

type Written = Result<(i64, OffsetDateTime), sqlx::Error>;

struct Job {
    comment: NewComment,
    done: tokio::sync::oneshot::Sender<Written>,
}

impl CommentWriter {
    pub fn start(pool: Pool) -> Self {
        let (jobs, mut queue) = tokio::sync::mpsc::channel::<Job>(4 * MAX_BATCH);
        tokio::spawn(async move {
            let mut batch = Vec::with_capacity(MAX_BATCH);
            while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
                write_batch(&pool, std::mem::take(&mut batch)).await;
            }
        });
        Self { jobs }
    }

    /// Stores a comment; once this returns, it is on disk.
    pub async fn insert(&self, comment: NewComment) -> Written {
        let (done, stored) = tokio::sync::oneshot::channel();
        self.jobs.send(Job { comment, done }).await.map_err(|_| sqlx::Error::PoolClosed)?;
        stored.await.map_err(|_| sqlx::Error::PoolClosed)?
    }
}

/// Commits a batch in one transaction. Should that fail, each comment is tried on its own,
/// so one bad row (a parent deleted a moment ago) costs only its own author an error.
async fn write_batch(pool: &Pool, jobs: Vec<Job>) {
    let together = async {
        let mut tx = pool.begin().await?;
        let mut stored = Vec::with_capacity(jobs.len());
        for job in &jobs {
            stored.push(insert(&mut tx, &job.comment).await?);
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(stored)
    };
    match together.await {
        Ok(stored) => {
            for (job, stored) in jobs.into_iter().zip(stored) {
                let _ = job.done.send(Ok(stored));
            }
        }
        Err(error) => {
            tracing::warn!(%error, comments = jobs.len(), "a batch of comments failed; storing them one by one");
            for job in jobs {
                let stored = insert(pool, &job.comment).await;
                let _ = job.done.send(stored);
            }
        }
    }
}

/// One comment's INSERT, committed by the caller's transaction or at once on the pool (the
/// demo's seeding writes this way; readers' comments go through `CommentWriter`).
pub async fn insert<'e>(db: impl Into<On<'e>>, comment: &NewComment) -> Written {
    let at = now();
    let (parent_id, root_id, depth) = match &comment.parent {
        None => (None, None, 0),
        Some(p) => (Some(p.id), Some(p.root_id.unwrap_or(p.id)), p.depth + 1),
    };
    let status = if comment.hold.is_some() { "pending" } else { "published" };
    let id = query_scalar(
        "INSERT INTO comments (article_id, parent_id, root_id, depth, author_name, email, body, status,
                               held_for, held_detail, client_hash, author_token, staff_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
    )
    .bind(comment.article_id)
    .bind(parent_id)
    .bind(root_id)
    .bind(depth)
    .bind(&comment.author_name)
    .bind(&comment.email)
    .bind(&comment.body)
    .bind(status)
    .bind(comment.hold.as_ref().map(Hold::code))
    .bind(comment.hold.as_ref().and_then(Hold::detail))
    .bind(&comment.client_hash)
    .bind(&comment.author_token)
    .bind(comment.staff_id)
    .bind(at)
    .fetch_one(db)
    .await?;
    Ok((id, at))
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct Row {
    id: i64,
    parent_id: Option<i64>,
    depth: i64,
    author_name: String,
    body: String,
    status: String,
    featured: bool,
    is_staff: bool,
    created_at: OffsetDateTime,
}

impl From<Row> for CommentView {
    fn from(row: Row) -> Self {
        Self {
            id: row.id,
            parent_id: row.parent_id,
            depth: row.depth,
            author_name: row.author_name,
            body: row.body,
            created_at: row.created_at,
            pending: row.status == "pending",
            featured: row.featured,
            staff: row.is_staff,
            replies: Vec::new(),
        }
    }
}

// A page of top-level comments the reader may see (published, or their own pending ones),
// then those threads' visible replies, in one statement. One extra top-level comment is read
// to tell whether another page follows. The direction is spliced in at compile time so each
// order keeps a plain index scan. The replies' visibility test is a CASE, not an OR: without
// statistics SQLite answered the OR from the status index, reading every published comment
// on the site.
macro_rules! thread_sql {
    ($direction:literal) => {
        concat!(
            "WITH roots AS (
                SELECT id FROM comments
                WHERE article_id = $1 AND depth = 0
                  AND (status = 'published' OR (status = 'pending' AND author_token = $2))
                ORDER BY created_at ",
            $direction,
            ", id ",
            $direction,
            " LIMIT $3 OFFSET $4)
            SELECT c.id, c.parent_id, c.depth, c.author_name, c.body, c.status, c.featured, c.staff_id IS NOT NULL AS is_staff, c.created_at
            FROM comments c JOIN roots r ON c.id = r.id
            UNION ALL
            SELECT c.id, c.parent_id, c.depth, c.author_name, c.body, c.status, c.featured, c.staff_id IS NOT NULL AS is_staff, c.created_at
            FROM comments c WHERE c.root_id IN (SELECT id FROM roots)
              AND CASE c.status WHEN 'published' THEN TRUE WHEN 'pending' THEN c.author_token = $2 ELSE FALSE END"
        )
    };
}
const THREAD_OLDEST: &str = thread_sql!("ASC");
const THREAD_NEWEST: &str = thread_sql!("DESC");

/// A page of threads: top-level comments in `order`, each with its replies oldest first,
/// and whether another page follows.
pub async fn thread_page(
    pool: &Pool,
    article_id: i64,
    token_hash: &str,
    order: Order,
    page: u32,
) -> Result<(Vec<CommentView>, bool), sqlx::Error> {
    let sql = match order {
        Order::Oldest => THREAD_OLDEST,
        Order::Newest => THREAD_NEWEST,
    };
    let offset = i64::from(page.saturating_sub(1)) * i64::from(COMMENTS_PER_PAGE);
    let rows: Vec<Row> = query_as(sql)
        .bind(article_id)
        .bind(token_hash)
        .bind(i64::from(COMMENTS_PER_PAGE) + 1)
        .bind(offset)
        .fetch_all(pool)
        .await?;
    Ok(assemble(rows, order))
}

/// Builds threads from flat rows: top-level comments in `order`, replies oldest first under
/// their parents. Replies whose parent is not visible are left out with it.
fn assemble(mut rows: Vec<Row>, order: Order) -> (Vec<CommentView>, bool) {
    rows.sort_by_key(|r| (r.depth, r.created_at, r.id));
    let mut roots: Vec<CommentView> = Vec::new();
    // Deepest first, so each reply is complete before it is attached to its parent.
    let mut by_parent: std::collections::HashMap<i64, Vec<CommentView>> = std::collections::HashMap::new();
    for row in rows.into_iter().rev() {
        let mut view = CommentView::from(row);
        if let Some(mut replies) = by_parent.remove(&view.id) {
            replies.reverse();
            view.replies = replies;
        }
        match view.parent_id {
            Some(parent) => by_parent.entry(parent).or_default().push(view),
            None => roots.push(view),
        }
    }
    roots.reverse();
    if order == Order::Newest {
        roots.reverse();
    }
    let has_more = roots.len() > COMMENTS_PER_PAGE as usize;
    roots.truncate(COMMENTS_PER_PAGE as usize);
    (roots, has_more)
}

pub async fn is_closed(pool: &Pool, article_id: i64) -> Result<bool, sqlx::Error> {
    query_scalar("SELECT comments_closed FROM articles WHERE id = $1").bind(article_id).fetch_one(pool).await
}

/// The articles (slugs) where the reader whose token hashes to `token_hash` has a comment
/// awaiting moderation: only there does their view of a page differ from everyone's.
pub async fn pending_slugs(pool: &Pool, token_hash: &str) -> Result<Vec<String>, sqlx::Error> {
    query_scalar(
        "SELECT DISTINCT a.slug FROM comments c JOIN articles a ON a.id = c.article_id
         WHERE c.status = 'pending' AND c.author_token = $1",
    )
    .bind(token_hash)
    .fetch_all(pool)
    .await
}

/// Published comments on an article.
pub async fn published_count(pool: &Pool, article_id: i64) -> Result<i64, sqlx::Error> {
    query_scalar("SELECT COUNT(*) FROM comments WHERE article_id = $1 AND status = 'published'")
        .bind(article_id)
        .fetch_one(pool)
        .await
}

/// Comments staff chose to show first, oldest first.
pub async fn featured(pool: &Pool, article_id: i64) -> Result<Vec<CommentView>, sqlx::Error> {
    let rows: Vec<Row> = query_as(
        "SELECT id, parent_id, depth, author_name, body, status, featured, staff_id IS NOT NULL AS is_staff, created_at FROM comments
         WHERE article_id = $1 AND status = 'published' AND featured
         ORDER BY created_at, id LIMIT 10",
    )
    .bind(article_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(CommentView::from).collect())
}

/// Whether a published comment with this id belongs to the article: only those can be
/// reported.
pub async fn is_published_on(pool: &Pool, comment_id: i64, article_id: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        query_scalar("SELECT id FROM comments WHERE id = $1 AND article_id = $2 AND status = 'published'")
            .bind(comment_id)
            .bind(article_id)
            .fetch_optional(pool)
            .await?;
    Ok(found.is_some())
}

/// Records a reader's report; a second report by the same reader on the same comment
/// changes nothing. Returns whether this one was new.
pub async fn add_report(
    pool: &Pool,
    comment_id: i64,
    reason: ReportReason,
    note: Option<&str>,
    client_hash: &str,
) -> Result<bool, sqlx::Error> {
    pool.retrying(|| async {
        let mut tx = pool.begin().await?;
        let inserted = query(
            "INSERT INTO comment_reports (comment_id, reason, note, client_hash, created_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (comment_id, client_hash) DO NOTHING",
        )
        .bind(comment_id)
        .bind(reason.as_str())
        .bind(note)
        .bind(client_hash)
        .bind(now())
        .execute(&mut tx)
        .await?
            > 0;
        if inserted {
            query("UPDATE comments SET report_count = report_count + 1 WHERE id = $1")
                .bind(comment_id)
                .execute(&mut tx)
                .await?;
        }
        tx.commit().await?;
        Ok(inserted)
    })
    .await
}

/// A stored comment with everything moderation knows, for tests and the staff desk.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Stored {
    pub id: i64,
    pub article_id: i64,
    pub parent_id: Option<i64>,
    pub depth: i64,
    pub author_name: String,
    pub email: Option<String>,
    pub body: String,
    pub status: String,
    pub held_for: Option<String>,
    pub held_detail: Option<String>,
    pub report_count: i64,
    pub client_hash: String,
}

/// Every comment, oldest first.
pub async fn all(pool: &Pool) -> Result<Vec<Stored>, sqlx::Error> {
    query_as(
        "SELECT id, article_id, parent_id, depth, author_name, email, body, status, held_for, held_detail,
                report_count, client_hash
         FROM comments ORDER BY id",
    )
    .fetch_all(pool)
    .await
}

/// Marks a comment featured or not (the staff desk's action; the demo uses it too).
pub async fn set_featured(pool: &Pool, comment_id: i64, featured: bool) -> Result<(), sqlx::Error> {
    query("UPDATE comments SET featured = $1 WHERE id = $2").bind(featured).bind(comment_id).execute(pool).await?;
    Ok(())
}

pub async fn queue_counts(pool: &Pool) -> Result<QueueCounts, sqlx::Error> {
    let (pending, approved, rejected, reported, arrivals): (i64, i64, i64, i64, i64) =
        query_as(QUEUE_COUNTS).fetch_one(pool).await?;
    let all = pending + approved + rejected;
    Ok(QueueCounts { pending, reported, approved, rejected, all, arrivals })
}

/// The queue sizes from the counts the triggers keep (migration `comment_counts`), the
/// Reported queue from its partial index, and an "arrivals" figure that grows with every new
/// comment and report: the newest ids of both.
const QUEUE_COUNTS: &str = "SELECT
        (SELECT n FROM comment_counts WHERE status = 'pending'),
        (SELECT n FROM comment_counts WHERE status = 'published'),
        (SELECT n FROM comment_counts WHERE status = 'rejected'),
        (SELECT COUNT(*) FROM comments WHERE report_count > reviewed_reports AND status <> 'rejected'),
        COALESCE((SELECT MAX(id) FROM comments), 0) + COALESCE((SELECT MAX(id) FROM comment_reports), 0)";

// Two statements per queue (its comments, then their reports); the condition is spliced in
// at compile time. Pending comments are read oldest first (fair to those waiting longest),
// the others newest first.
macro_rules! queue_sql {
    ($condition:literal, $order:literal) => {
        (
            concat!(
                "SELECT c.id, a.slug AS article_slug, a.title AS article_title, p.author_name AS parent_author,
                        p.body AS parent_body, c.author_name, c.email, c.body, c.status, c.held_for, c.held_detail,
                        c.featured, c.report_count, c.rejection_reason, c.staff_id IS NOT NULL AS is_staff, c.created_at
                 FROM comments c JOIN articles a ON a.id = c.article_id LEFT JOIN comments p ON p.id = c.parent_id
                 WHERE ",
                $condition,
                " ORDER BY c.created_at ",
                $order,
                ", c.id ",
                $order,
                " LIMIT $1 OFFSET $2"
            ),
            concat!(
                "SELECT r.comment_id, r.reason, r.note FROM comment_reports r
                 WHERE r.comment_id IN (SELECT c.id FROM comments c WHERE ",
                $condition,
                " ORDER BY c.created_at ",
                $order,
                ", c.id ",
                $order,
                " LIMIT $1 OFFSET $2) ORDER BY r.id"
            ),
        )
    };
}

/// Up to `limit` comments of a queue after the first `offset`, with every report's reason
/// and note.
pub async fn queue(pool: &Pool, queue: Queue, limit: u32, offset: u64) -> Result<Vec<QueueItem>, sqlx::Error> {
    let (items_sql, reports_sql) = match queue {
        Queue::Pending => queue_sql!("c.status = 'pending'", "ASC"),
        Queue::Reported => queue_sql!("c.report_count > c.reviewed_reports AND c.status <> 'rejected'", "DESC"),
        Queue::Approved => queue_sql!("c.status = 'published'", "DESC"),
        Queue::Rejected => queue_sql!("c.status = 'rejected'", "DESC"),
        Queue::All => queue_sql!("1 = 1", "DESC"),
    };
    let (limit, offset) = (i64::from(limit), offset as i64);
    let mut items: Vec<QueueItem> = query_as(items_sql).bind(limit).bind(offset).fetch_all(pool).await?;
    let reports: Vec<(i64, String, Option<String>)> =
        query_as(reports_sql).bind(limit).bind(offset).fetch_all(pool).await?;
    for item in &mut items {
        item.reports =
            reports.iter().filter(|(c, _, _)| *c == item.id).map(|(_, r, n)| (r.clone(), n.clone())).collect();
    }
    Ok(items)
}

/// Publishes or rejects comments; their reports count as seen. Returns how many changed.
pub async fn moderate(pool: &Pool, ids: &[i64], publish: bool, reason: Option<&str>) -> Result<u64, sqlx::Error> {
    pool.retrying(|| async {
        let mut tx = pool.begin().await?;
        let mut changed = 0;
        for id in ids {
            changed += query(
                "UPDATE comments SET status = $1, rejection_reason = $2, moderated_at = $3, reviewed_reports = report_count
                 WHERE id = $4",
            )
            .bind(if publish { "published" } else { "rejected" })
            .bind(if publish { None } else { reason })
            .bind(now())
            .bind(id)
            .execute(&mut tx)
            .await?;
        }
        tx.commit().await?;
        Ok(changed)
    })
    .await
}

/// Refuses future comments from a comment's author (their email, if given, and their client
/// hash), and optionally rejects everything they wrote. Returns the number rejected, or
/// `None` when there is no such comment.
pub async fn ban_author(
    pool: &Pool,
    comment_id: i64,
    reason: &str,
    staff_id: i64,
    reject_existing: bool,
) -> Result<Option<u64>, sqlx::Error> {
    pool.retrying(|| async {
        let mut tx = pool.begin().await?;
        let author: Option<(Option<String>, String)> = query_as("SELECT email, client_hash FROM comments WHERE id = $1")
            .bind(comment_id)
            .fetch_optional(&mut tx)
            .await?;
        let Some((email, client_hash)) = author else { return Ok(None) };
        query("INSERT INTO banned_authors (email, client_hash, reason, staff_id, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&email)
            .bind(&client_hash)
            .bind(reason)
            .bind(staff_id)
            .bind(now())
            .execute(&mut tx)
            .await?;
        let mut rejected = 0;
        if reject_existing {
            rejected = query(
                "UPDATE comments SET status = 'rejected', rejection_reason = $1, moderated_at = $2, reviewed_reports = report_count
                 WHERE status <> 'rejected' AND staff_id IS NULL AND (client_hash = $3 OR ($4 IS NOT NULL AND email = $4))",
            )
            .bind(reason)
            .bind(now())
            .bind(&client_hash)
            .bind(&email)
            .execute(&mut tx)
            .await?;
        }
        tx.commit().await?;
        Ok(Some(rejected))
    })
    .await
}

/// Every ban, newest first.
pub async fn bans(pool: &Pool) -> Result<Vec<Ban>, sqlx::Error> {
    query_as(
        "SELECT b.id, b.email, b.client_hash, b.reason, s.name AS staff_name, b.created_at
         FROM banned_authors b LEFT JOIN staff s ON s.id = b.staff_id ORDER BY b.created_at DESC, b.id DESC",
    )
    .fetch_all(pool)
    .await
}

/// Lifts a ban: that author may comment again (what was rejected stays rejected). Returns
/// the ban's email, or `None` when there was no such ban.
pub async fn lift_ban(pool: &Pool, id: i64) -> Result<Option<Option<String>>, sqlx::Error> {
    query_scalar("DELETE FROM banned_authors WHERE id = $1 RETURNING email").bind(id).fetch_optional(pool).await
}

/// Whether an author is banned, by email or by client hash.
pub async fn is_banned(pool: &Pool, email: Option<&str>, client_hash: &str) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        query_scalar("SELECT id FROM banned_authors WHERE client_hash = $1 OR ($2 IS NOT NULL AND email = $2) LIMIT 1")
            .bind(client_hash)
            .bind(email)
            .fetch_optional(pool)
            .await?;
    Ok(found.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn row(id: i64, parent_id: Option<i64>, depth: i64, minute: u8) -> Row {
        Row {
            id,
            parent_id,
            depth,
            author_name: format!("a{id}"),
            body: String::new(),
            status: "published".into(),
            featured: false,
            is_staff: false,
            created_at: datetime!(2026-11-01 10:00 UTC) + time::Duration::minutes(minute.into()),
        }
    }

    /// Threads written as "1(3(4) 5) 2".
    fn shape(views: &[CommentView]) -> String {
        let item = |v: &CommentView| {
            if v.replies.is_empty() { v.id.to_string() } else { format!("{}({})", v.id, shape(&v.replies)) }
        };
        views.iter().map(item).collect::<Vec<_>>().join(" ")
    }

    #[tokio::test]
    async fn a_page_of_threads_reads_through_indexes_only() {
        for sql in [THREAD_OLDEST, THREAD_NEWEST] {
            let plan = crate::db::query_plan(sql, 5).await;
            assert!(plan.contains("USING INDEX comments_article_roots_idx (article_id=? AND depth=?)"), "{plan}");
            assert!(plan.contains("USING INDEX comments_replies_idx (root_id=?)"), "{plan}");
            assert!(!plan.lines().any(|step| step.starts_with("SCAN c") && !step.contains("INDEX")), "{plan}");
        }
    }

    #[tokio::test]
    async fn queue_counts_read_no_comment_table_scan() {
        let plan = crate::db::query_plan(QUEUE_COUNTS, 0).await;
        assert!(plan.contains("SCAN comments USING INDEX comments_unreviewed_idx"), "{plan}");
        assert!(!plan.lines().any(|step| step.starts_with("SCAN comments") && !step.contains("INDEX")), "{plan}");
    }

    #[test]
    fn rows_become_threads_in_order() {
        let rows = vec![
            row(1, None, 0, 0),
            row(2, None, 0, 1),
            row(3, Some(1), 1, 2),
            row(4, Some(3), 2, 3),
            row(5, Some(1), 1, 4),
            row(6, Some(99), 1, 5),
        ];
        let (oldest, more) = assemble(rows.clone(), Order::Oldest);
        assert!(!more);
        assert_eq!(shape(&oldest), "1(3(4) 5) 2");
        let (newest, _) = assemble(rows, Order::Newest);
        assert_eq!(shape(&newest), "2 1(3(4) 5)");
    }

    #[test]
    fn one_extra_root_means_another_page() {
        let rows: Vec<Row> = (1..=51).map(|i| row(i, None, 0, (i % 60) as u8)).collect();
        let (roots, more) = assemble(rows, Order::Oldest);
        assert!(more);
        assert_eq!(roots.len(), 50);
    }
}
