//! (ssr) The mail outbox: messages written with the events that cause them, claimed by one
//! sender at a time with a lease, marked sent or failed; and who unsubscribed from what.

use std::time::Duration;

use time::OffsetDateTime;

use super::{Kind, On, Pool, Tx, now, query, query_as, query_scalar};
use crate::domain::mail::{List, Message, Reply, comment_path, excerpt};

/// Not queued when the address unsubscribed from the message's list.
const NOT_UNSUBSCRIBED: &str = "NOT EXISTS (SELECT 1 FROM mail_unsubscribes u WHERE u.address = $1 AND u.list = $2)";

/// Queues `message` to `to` (an address as `domain::mail::address` keeps it), due at `due`;
/// false when the address unsubscribed from its list.
pub async fn enqueue<'e>(
    on: impl Into<On<'e>>,
    to: &str,
    message: &Message,
    batch_key: Option<&str>,
    due: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let sql = format!(
        "INSERT INTO outbox (recipient, list, kind, payload, batch_key, next_attempt_at, created_at)
         SELECT $1, $2, $3, $4, $5, $6, $7 WHERE {NOT_UNSUBSCRIBED}"
    );
    let added = query(sqlx::AssertSqlSafe(sql))
        .bind(to)
        .bind(message.list().as_str())
        .bind(message.kind())
        .bind(message.to_json())
        .bind(batch_key)
        .bind(due)
        .bind(now())
        .execute(on)
        .await?;
    Ok(added > 0)
}

/// Queues `message` once to every address that reported in suggestion group `group_id`
/// (compared lower-cased), except those that unsubscribed. Returns how many.
pub async fn enqueue_to_reporters<'e>(
    on: impl Into<On<'e>>,
    group_id: i64,
    message: &Message,
) -> Result<u64, sqlx::Error> {
    let at = now();
    query(
        "INSERT INTO outbox (recipient, list, kind, payload, next_attempt_at, created_at)
         SELECT DISTINCT lower(trim(r.email)), $1, $2, $3, $4, $4 FROM correction_reports r
         WHERE r.group_id = $5 AND r.email IS NOT NULL AND trim(r.email) <> ''
           AND NOT EXISTS (SELECT 1 FROM mail_unsubscribes u WHERE u.address = lower(trim(r.email)) AND u.list = $1)",
    )
    .bind(message.list().as_str())
    .bind(message.kind())
    .bind(message.to_json())
    .bind(at)
    .bind(group_id)
    .execute(on)
    .await
}

/// A message a sender holds the lease on.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub recipient: String,
    pub list: String,
    pub payload: String,
    pub attempts: i64,
}

/// Leases up to `limit` due messages to `owner` for `lease`. A message whose last sender's
/// lease ran out is due again. PostgreSQL skips rows another sender is claiming at that
/// moment; SQLite runs one writer at a time.
pub async fn claim(pool: &Pool, owner: &str, lease: Duration, limit: u32) -> Result<Vec<Claimed>, sqlx::Error> {
    let at = now();
    let lock = match pool.kind() {
        Kind::Postgres => "FOR UPDATE SKIP LOCKED",
        Kind::Sqlite => "",
    };
    let sql = format!(
        "UPDATE outbox SET lease_owner = $1, lease_until = $2
         WHERE id IN (SELECT id FROM outbox
                      WHERE status = 'queued' AND next_attempt_at <= $3 AND (lease_until IS NULL OR lease_until < $3)
                      ORDER BY next_attempt_at, id LIMIT $4 {lock})
         RETURNING id, recipient, list, payload, attempts"
    );
    query_as(sqlx::AssertSqlSafe(sql))
        .bind(owner)
        .bind(at + lease)
        .bind(at)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await
}

/// What became of one attempt to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt<'a> {
    Sent,
    /// Try again at the given time.
    Retry(&'a str, OffsetDateTime),
    /// Never try again: `failed` (the server refused it for good, or every attempt failed)
    /// or `dropped` (nothing left to say).
    Final(&'static str, &'a str),
}

/// Records an attempt on a message `owner` holds; false when its lease was lost.
pub async fn record(pool: &Pool, id: i64, owner: &str, attempt: Attempt<'_>) -> Result<bool, sqlx::Error> {
    let at = now();
    let (status, error, next, sent) = match attempt {
        Attempt::Sent => ("sent", None, None, Some(at)),
        Attempt::Retry(error, next) => ("queued", Some(error), Some(next), None),
        Attempt::Final(status, error) => (status, Some(error), None, None),
    };
    let done = query(
        "UPDATE outbox SET status = $1, last_error = $2, next_attempt_at = COALESCE($3, next_attempt_at), sent_at = $4,
                           attempts = attempts + 1, lease_owner = NULL, lease_until = NULL
         WHERE id = $5 AND lease_owner = $6",
    )
    .bind(status)
    .bind(error)
    .bind(next)
    .bind(sent)
    .bind(id)
    .bind(owner)
    .execute(pool)
    .await?;
    Ok(done > 0)
}

/// One message as the staff outbox lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Row {
    pub id: i64,
    pub recipient: String,
    pub list: String,
    pub kind: String,
    pub payload: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: OffsetDateTime,
    pub last_error: Option<String>,
    pub created_at: OffsetDateTime,
    pub sent_at: Option<OffsetDateTime>,
}

/// The newest messages first, optionally of one status; one more than `limit` tells
/// whether there is a next page.
pub async fn recent(pool: &Pool, status: Option<&str>, limit: u32, offset: u64) -> Result<Vec<Row>, sqlx::Error> {
    query_as(
        "SELECT id, recipient, list, kind, payload, status, attempts, next_attempt_at, last_error, created_at, sent_at
         FROM outbox WHERE ($1 IS NULL OR status = $1) ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3",
    )
    .bind(status)
    .bind(i64::from(limit))
    .bind(offset as i64)
    .fetch_all(pool)
    .await
}

/// How many messages have each status.
pub async fn counts(pool: &Pool) -> Result<Vec<(String, i64)>, sqlx::Error> {
    query_as("SELECT status, COUNT(*) FROM outbox GROUP BY status ORDER BY status").fetch_all(pool).await
}

/// Stops `list` for `address`: recorded for the future, and its queued messages dropped.
pub async fn unsubscribe(pool: &Pool, address: &str, list: List) -> Result<(), sqlx::Error> {
    pool.retrying(|| async {
        let mut tx = pool.begin().await?;
        query("INSERT INTO mail_unsubscribes (address, list, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(address)
            .bind(list.as_str())
            .bind(now())
            .execute(&mut tx)
            .await?;
        query(
            "UPDATE outbox SET status = 'dropped', last_error = 'unsubscribed'
             WHERE recipient = $1 AND list = $2 AND status = 'queued'",
        )
        .bind(address)
        .bind(list.as_str())
        .execute(&mut tx)
        .await?;
        tx.commit().await
    })
    .await
}

pub async fn is_unsubscribed(pool: &Pool, address: &str, list: List) -> Result<bool, sqlx::Error> {
    let found: i64 = query_scalar("SELECT COUNT(*) FROM mail_unsubscribes WHERE address = $1 AND list = $2")
        .bind(address)
        .bind(list.as_str())
        .fetch_one(pool)
        .await?;
    Ok(found > 0)
}

/// Reply notifications on for `address` (asked or not before: the signed link is the proof),
/// and a past unsubscribe from replies lifted.
pub async fn confirm_replies(pool: &Pool, address: &str) -> Result<(), sqlx::Error> {
    let at = now();
    pool.retrying(|| async {
        let mut tx = pool.begin().await?;
        query(
            "INSERT INTO reply_subscribers (address, asked_at, confirmed_at) VALUES ($1, $2, $2)
             ON CONFLICT (address) DO UPDATE SET confirmed_at = COALESCE(reply_subscribers.confirmed_at, $2)",
        )
        .bind(address)
        .bind(at)
        .execute(&mut tx)
        .await?;
        query("DELETE FROM mail_unsubscribes WHERE address = $1 AND list = 'replies'")
            .bind(address)
            .execute(&mut tx)
            .await?;
        tx.commit().await
    })
    .await
}

/// How often, at most, one reader hears of replies to one comment.
pub const REPLY_BATCH: Duration = Duration::from_secs(3600);

/// Records that `address` asked for reply notifications and queues `confirm` to it, unless
/// it confirmed already, or was asked less than a day ago (a form posted twice does not
/// mail twice). True when the confirmation was queued.
pub async fn ask_for_replies(tx: &mut Tx, address: &str, confirm: &Message) -> Result<bool, sqlx::Error> {
    let at = now();
    let asked: Option<String> = query_scalar(
        "INSERT INTO reply_subscribers (address, asked_at) VALUES ($1, $2)
         ON CONFLICT (address) DO UPDATE SET asked_at = $2
         WHERE reply_subscribers.confirmed_at IS NULL AND reply_subscribers.asked_at < $3
         RETURNING address",
    )
    .bind(address)
    .bind(at)
    .bind(at - time::Duration::days(1))
    .fetch_optional(&mut *tx)
    .await?;
    if asked.is_none() {
        return Ok(false);
    }
    enqueue(tx, address, confirm, None, at).await
}

/// Who hears of a published reply: the writer of the comment it answers, when they asked,
/// confirmed their address, and are not replying to themselves.
#[derive(Debug, sqlx::FromRow)]
struct Notified {
    parent_id: i64,
    address: String,
    parent_body: String,
    title: String,
    slug: String,
    author_name: String,
    body: String,
}

/// The last message about one thread.
#[derive(Debug, sqlx::FromRow)]
struct Latest {
    id: i64,
    status: String,
    lease_until: Option<OffsetDateTime>,
    sent_at: Option<OffsetDateTime>,
    payload: String,
}

/// The mail a reply just published causes: added to the message about that comment still
/// waiting to go, or a new one, sent at once or an hour after the last one about it.
pub async fn reply_published(tx: &mut Tx, reply_id: i64) -> Result<(), sqlx::Error> {
    let notified: Option<Notified> = query_as(
        "SELECT p.id AS parent_id, s.address, p.body AS parent_body, a.title, a.slug, r.author_name, r.body
         FROM comments r
         JOIN comments p ON p.id = r.parent_id
         JOIN articles a ON a.id = r.article_id
         JOIN reply_subscribers s ON s.address = lower(trim(p.email)) AND s.confirmed_at IS NOT NULL
         WHERE r.id = $1 AND r.status = 'published' AND p.status = 'published' AND p.notify_replies = TRUE
           AND (r.email IS NULL OR lower(trim(r.email)) <> s.address)",
    )
    .bind(reply_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(n) = notified else { return Ok(()) };
    // Replies to one comment queue one after another (PostgreSQL: the row lock; SQLite has
    // one writer anyway), so two at once do not both start a message.
    query("UPDATE comments SET notify_replies = notify_replies WHERE id = $1")
        .bind(n.parent_id)
        .execute(&mut *tx)
        .await?;
    let reply = Reply { author: n.author_name, excerpt: excerpt(&n.body, 300), url: comment_path(&n.slug, reply_id) };
    let key = format!("replies:{}:{}", n.address, n.parent_id);
    let at = now();
    let latest: Option<Latest> = query_as(
        "SELECT id, status, lease_until, sent_at, payload FROM outbox WHERE batch_key = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(&key)
    .fetch_optional(&mut *tx)
    .await?;
    let mut due = at;
    if let Some(Latest { id, status, lease_until, sent_at, payload }) = latest {
        let free = lease_until.is_none_or(|until| until < at);
        if status == "queued"
            && free
            && let Some(Message::Replies { headline, your_comment, mut replies }) = Message::from_json(&payload)
        {
            replies.push(reply.clone());
            let batched = Message::Replies { headline, your_comment, replies };
            let added = query(
                "UPDATE outbox SET payload = $1 WHERE id = $2 AND status = 'queued'
                 AND (lease_until IS NULL OR lease_until < $3)",
            )
            .bind(batched.to_json())
            .bind(id)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            if added > 0 {
                return Ok(());
            }
        }
        // One went out (or is going out now): the next waits an hour after it.
        due = match (status.as_str(), sent_at) {
            ("sent", Some(sent)) => (sent + REPLY_BATCH).max(at),
            ("queued", _) => at + REPLY_BATCH,
            _ => at,
        };
    }
    let message =
        Message::Replies { headline: n.title, your_comment: excerpt(&n.parent_body, 200), replies: vec![reply] };
    enqueue(tx, &n.address, &message, Some(&key), due).await?;
    Ok(())
}

/// A staff member whose digest is due.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DigestDue {
    pub id: i64,
    pub email: String,
    pub role: String,
}

/// Members who turned the digest on and got none since `cut`.
pub async fn digests_due(pool: &Pool, cut: OffsetDateTime) -> Result<Vec<DigestDue>, sqlx::Error> {
    query_as(
        "SELECT id, email, role FROM staff WHERE digest = TRUE AND (digest_sent_at IS NULL OR digest_sent_at <= $1)
         ORDER BY id",
    )
    .bind(cut)
    .fetch_all(pool)
    .await
}

/// Claims member `id`'s digest for now (one server wins) and queues `message` to them with
/// it, if there is anything to say. False when another server claimed it first.
pub async fn queue_digest(
    pool: &Pool,
    id: i64,
    cut: OffsetDateTime,
    to: &str,
    message: Option<&Message>,
) -> Result<bool, sqlx::Error> {
    let at = now();
    pool.retrying(|| async {
        let mut tx = pool.begin().await?;
        let claimed = query(
            "UPDATE staff SET digest_sent_at = $1
             WHERE id = $2 AND digest = TRUE AND (digest_sent_at IS NULL OR digest_sent_at <= $3)",
        )
        .bind(at)
        .bind(id)
        .bind(cut)
        .execute(&mut tx)
        .await?;
        if claimed == 0 {
            return Ok(false);
        }
        if let Some(message) = message {
            enqueue(&mut tx, to, message, None, at).await?;
        }
        tx.commit().await?;
        Ok(true)
    })
    .await
}

/// Whether member `id` gets the digest.
pub async fn digest(pool: &Pool, id: i64) -> Result<bool, sqlx::Error> {
    query_scalar("SELECT digest FROM staff WHERE id = $1").bind(id).fetch_one(pool).await
}

/// Turns member `id`'s digest on (the first one goes out at the next round) or off.
pub async fn set_digest(pool: &Pool, id: i64, on: bool) -> Result<(), sqlx::Error> {
    query("UPDATE staff SET digest = $1, digest_sent_at = NULL WHERE id = $2").bind(on).bind(id).execute(pool).await?;
    Ok(())
}
