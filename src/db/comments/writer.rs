//! (ssr) Storing new comments: one task commits whatever has queued up as one transaction.

use time::OffsetDateTime;

use super::threads::Parent;
use crate::db::{Pool, Tx, now, outbox, query_scalar};
use crate::domain::comment::{Hold, NewComment, Status};
use crate::domain::mail::Message;

/// A valid comment with where it goes and who wrote it: what one INSERT stores.
#[derive(Debug, Clone)]
pub struct Insert {
    pub article_id: i64,
    pub parent: Option<Parent>,
    pub comment: NewComment,
    pub hold: Option<Hold>,
    pub client_hash: String,
    pub author_token: String,
    /// Set when a signed-in staff member writes: the comment carries a "Staff" badge.
    pub staff_id: Option<i64>,
    /// The confirmation to mail when the writer asked to hear of replies and their address
    /// has not confirmed yet (queued with the comment, at most once a day an address).
    pub confirm: Option<Message>,
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
    comment: Insert,
    done: tokio::sync::oneshot::Sender<Written>,
}

impl CommentWriter {
    /// Whether the writer task is still taking comments.
    pub fn is_running(&self) -> bool {
        !self.jobs.is_closed()
    }

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
    pub async fn insert(&self, comment: Insert) -> Written {
        let (done, stored) = tokio::sync::oneshot::channel();
        self.jobs.send(Job { comment, done }).await.map_err(|_| sqlx::Error::PoolClosed)?;
        stored.await.map_err(|_| sqlx::Error::PoolClosed)?
    }
}

/// Commits a batch in one transaction. Should that fail, each comment is tried on its own,
/// so one bad row (a parent deleted a moment ago) costs only its own author an error.
async fn write_batch(pool: &Pool, jobs: Vec<Job>) {
    metrics::histogram!("comment_writer_batch_size").record(jobs.len() as f64);
    let started = std::time::Instant::now();
    let together = async {
        let mut tx = pool.begin().await?;
        let mut stored = Vec::with_capacity(jobs.len());
        for job in &jobs {
            stored.push(insert_in(&mut tx, &job.comment).await?);
        }
        tx.commit().await?;
        metrics::histogram!("comment_writer_commit_seconds").record(started.elapsed().as_secs_f64());
        Ok::<_, sqlx::Error>(stored)
    };
    match together.await {
        Ok(stored) => {
            for (job, stored) in jobs.into_iter().zip(stored) {
                let _ = job.done.send(Ok(stored));
            }
        }
        // The database cannot take writes just now: trying each comment alone would make
        // the last writer wait once per comment before hearing so.
        Err(error) if crate::db::is_unavailable(&error) => {
            tracing::warn!(%error, comments = jobs.len(), "the database is unavailable: a batch of comments refused");
            for job in jobs {
                let _ = job.done.send(Err(sqlx::Error::PoolTimedOut));
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

/// One comment stored on its own (the demo's seeding writes this way, and a batch that
/// failed; readers' comments go through `CommentWriter`).
pub async fn insert(pool: &Pool, comment: &Insert) -> Written {
    let mut tx = pool.begin().await?;
    let written = insert_in(&mut tx, comment).await?;
    tx.commit().await?;
    Ok(written)
}

/// One comment's INSERT in the caller's transaction, with the mail it causes: the
/// confirmation its writer asked for, and the notification of a published reply.
pub(crate) async fn insert_in(tx: &mut Tx, comment: &Insert) -> Written {
    let at = now();
    let (parent_id, root_id, depth) = match &comment.parent {
        None => (None, None, 0),
        Some(p) => (Some(p.id), Some(p.root_id.unwrap_or(p.id)), p.depth + 1),
    };
    let status = if comment.hold.is_some() { Status::Pending } else { Status::Published };
    let id = query_scalar(
        "INSERT INTO comments (article_id, parent_id, root_id, depth, author_name, email, body, status,
                               held_for, held_detail, client_hash, author_token, staff_id, created_at, notify_replies)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
    )
    .bind(comment.article_id)
    .bind(parent_id)
    .bind(root_id)
    .bind(depth)
    .bind(&comment.comment.name)
    .bind(&comment.comment.email)
    .bind(&comment.comment.body)
    .bind(status.as_str())
    .bind(comment.hold.as_ref().map(Hold::code))
    .bind(comment.hold.as_ref().and_then(Hold::detail))
    .bind(&comment.client_hash)
    .bind(&comment.author_token)
    .bind(comment.staff_id)
    .bind(at)
    .bind(comment.comment.notify)
    .fetch_one(&mut *tx)
    .await?;
    if let (true, Some(email), Some(confirm)) = (comment.comment.notify, &comment.comment.email, &comment.confirm)
        && let Some(address) = crate::domain::mail::address(email)
    {
        outbox::ask_for_replies(tx, &address, confirm).await?;
    }
    if status == Status::Published && parent_id.is_some() {
        outbox::reply_published(tx, id).await?;
    }
    Ok((id, at))
}
