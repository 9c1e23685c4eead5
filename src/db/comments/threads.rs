//! (ssr) Reading comments as readers see them: pages of threads, counts, featured comments,
//! the reply target, and every comment for the site's export.

use time::OffsetDateTime;

use crate::db::{Pool, query_as, query_scalar};
use crate::domain::comment::{COMMENTS_PER_PAGE, CommentView, MAX_REPLIES, Order, Status};

/// A comment that a reply would attach to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Parent {
    pub id: i64,
    pub article_id: i64,
    pub root_id: Option<i64>,
    pub depth: i64,
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub author_token: String,
}

impl Parent {
    /// Whether the reader with this token can see the comment.
    pub fn visible_to(&self, token_hash: &str) -> bool {
        self.status == Status::Published || (self.status == Status::Pending && self.author_token == token_hash)
    }
}

pub async fn parent(pool: &Pool, id: i64) -> Result<Option<Parent>, sqlx::Error> {
    query_as("SELECT id, article_id, root_id, depth, status, author_token FROM comments WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct Row {
    id: i64,
    parent_id: Option<i64>,
    depth: i64,
    author_name: String,
    body: String,
    #[sqlx(try_from = "String")]
    status: Status,
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
            pending: row.status == Status::Pending,
            featured: row.featured,
            staff: row.is_staff,
            replies: Vec::new(),
        }
    }
}

// A page of top-level comments the reader may see (published, or their own pending ones),
// then those threads' visible replies (the first `MAX_REPLIES` of each), in one statement. One extra top-level comment is read
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
            SELECT id, parent_id, depth, author_name, body, status, featured, is_staff, created_at FROM (
                SELECT c.id, c.parent_id, c.depth, c.author_name, c.body, c.status, c.featured, c.staff_id IS NOT NULL AS is_staff, c.created_at,
                       ROW_NUMBER() OVER (PARTITION BY c.root_id ORDER BY c.created_at, c.id) AS n
                FROM comments c WHERE c.root_id IN (SELECT id FROM roots)
                  AND CASE c.status WHEN 'published' THEN TRUE WHEN 'pending' THEN c.author_token = $2 ELSE FALSE END
            ) AS replies WHERE n <= $5"
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
        .bind(i64::from(MAX_REPLIES))
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
    #[sqlx(try_from = "String")]
    pub status: Status,
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
            status: Status::Published,
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
