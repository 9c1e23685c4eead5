//! (ssr) Reader suggestions for corrections, grouped.

use super::{Pool, Tx, now, outbox, query, query_as, query_scalar};
use crate::domain::article::Notice;
use crate::domain::desk::{DeskGroup, DeskReport};
use crate::domain::mail::Message;
use crate::domain::suggestion::{Kind, Status};

/// A located, validated suggestion ready to store.
#[derive(Debug, Clone)]
pub struct NewReport<'a> {
    pub article_id: i64,
    pub revision: i64,
    pub quote: &'a str,
    pub prefix: &'a str,
    pub suffix: &'a str,
    /// Code points; `None` when no phrase was named.
    pub span: Option<(usize, usize)>,
    pub kind: Kind,
    pub suggested: &'a str,
    pub note: Option<&'a str>,
    pub email: Option<&'a str>,
    pub client_hash: &'a str,
    /// The comment a moderator made this suggestion from.
    pub comment_id: Option<i64>,
}

/// The group a report joined and how many reports it now holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stored {
    pub group_id: i64,
    pub report_count: i64,
}

/// Stores a report, joining the group of identical suggestions or starting one, in one
/// transaction.
pub async fn add_report(pool: &Pool, report: &NewReport<'_>) -> Result<Stored, sqlx::Error> {
    let (start, end) = report.span.map_or((-1, -1), |(s, e)| (s as i64, e as i64));
    let at = now();
    pool.retrying(|| async {
        let mut tx = pool.begin().await?;
        let (group_id, report_count): (i64, i64) = query_as(
            "INSERT INTO correction_groups
                 (article_id, revision, quote, prefix, suffix, start_offset, end_offset, kind, suggested_text,
                  created_at, last_reported_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             ON CONFLICT (article_id, start_offset, end_offset, quote, suggested_text) DO UPDATE
                 SET report_count = correction_groups.report_count + 1,
                     last_reported_at = excluded.last_reported_at
             RETURNING id, report_count",
        )
        .bind(report.article_id)
        .bind(report.revision)
        .bind(report.quote)
        .bind(report.prefix)
        .bind(report.suffix)
        .bind(start)
        .bind(end)
        .bind(report.kind.as_str())
        .bind(report.suggested)
        .bind(at)
        .bind(at)
        .fetch_one(&mut tx)
        .await?;
        query(
            "INSERT INTO correction_reports (group_id, kind, note, email, client_hash, created_at, comment_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(group_id)
        .bind(report.kind.as_str())
        .bind(report.note)
        .bind(report.email)
        .bind(report.client_hash)
        .bind(at)
        .bind(report.comment_id)
        .execute(&mut tx)
        .await?;
        tx.commit().await?;
        Ok(Stored { group_id, report_count })
    })
    .await
}

/// A stored group as the tests and, later, the correction desk read it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Group {
    pub id: i64,
    pub article_id: i64,
    pub revision: i64,
    pub quote: String,
    pub prefix: String,
    pub suffix: String,
    pub start_offset: i64,
    pub end_offset: i64,
    pub kind: String,
    pub suggested_text: String,
    pub status: String,
    pub report_count: i64,
}

pub async fn groups_for_article(pool: &Pool, article_id: i64) -> Result<Vec<Group>, sqlx::Error> {
    query_as(
        "SELECT id, article_id, revision, quote, prefix, suffix, start_offset, end_offset, kind, suggested_text,
                status, report_count
         FROM correction_groups WHERE article_id = $1 ORDER BY last_reported_at DESC, id DESC",
    )
    .bind(article_id)
    .fetch_all(pool)
    .await
}

/// Notes of every report in a group, oldest first.
pub async fn notes(pool: &Pool, group_id: i64) -> Result<Vec<Option<String>>, sqlx::Error> {
    query_scalar("SELECT note FROM correction_reports WHERE group_id = $1 ORDER BY id")
        .bind(group_id)
        .fetch_all(pool)
        .await
}

/// A group with its article and every reporter's note and email, for listing.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Listed {
    pub article: String,
    pub quote: String,
    pub start: i64,
    pub end: i64,
    pub kind: String,
    pub suggested: String,
    pub status: String,
    pub reports: i64,
    pub notes: Vec<String>,
    pub emails: Vec<String>,
}

#[derive(sqlx::FromRow)]
struct ListedRow {
    id: i64,
    slug: String,
    quote: String,
    start_offset: i64,
    end_offset: i64,
    kind: String,
    suggested_text: String,
    status: String,
    report_count: i64,
}

/// Every suggestion group, most recently reported first, in two queries.
pub async fn list(pool: &Pool) -> Result<Vec<Listed>, sqlx::Error> {
    let groups: Vec<ListedRow> = query_as(
        "SELECT g.id, a.slug, g.quote, g.start_offset, g.end_offset, g.kind, g.suggested_text, g.status, g.report_count
         FROM correction_groups g JOIN articles a ON a.id = g.article_id
         ORDER BY g.last_reported_at DESC, g.id DESC",
    )
    .fetch_all(pool)
    .await?;
    let reports: Vec<(i64, Option<String>, Option<String>)> =
        query_as("SELECT group_id, note, email FROM correction_reports ORDER BY id").fetch_all(pool).await?;
    Ok(groups
        .into_iter()
        .map(|g| {
            let mine = reports.iter().filter(|(group, _, _)| *group == g.id);
            Listed {
                article: g.slug,
                quote: g.quote,
                start: g.start_offset,
                end: g.end_offset,
                kind: g.kind,
                suggested: g.suggested_text,
                status: g.status,
                reports: g.report_count,
                notes: mine.clone().filter_map(|(_, note, _)| note.clone()).collect(),
                emails: mine.filter_map(|(_, _, email)| email.clone()).collect(),
            }
        })
        .collect())
}

macro_rules! desk_sql {
    ($condition:literal) => {
        concat!(
            "SELECT g.id, g.article_id, a.slug, a.title, g.quote, g.prefix, g.suffix, g.start_offset, g.end_offset,
                    g.kind, g.suggested_text, g.status, g.report_count, g.last_reported_at, g.decision_note,
                    a.revision AS article_revision, g.created_at AS first_reported_at, g.decided_at,
                    g.revision AS reported_revision, g.fixed_revision
             FROM correction_groups g JOIN articles a ON a.id = g.article_id WHERE ",
            $condition,
            " ORDER BY g.last_reported_at DESC, g.id DESC LIMIT 100"
        )
    };
}

/// The reports of the groups `desk_sql!` selects with the same condition: the first 50 of
/// each (the group's count says how many there are in all).
macro_rules! desk_reports_sql {
    ($condition:literal) => {
        concat!(
            "SELECT group_id, kind, note, email, comment_id, comment_author, reply_id FROM (
                 SELECT r.id, r.group_id, r.kind, r.note, r.email, r.comment_id, r.reply_id,
                        (SELECT c.author_name FROM comments c WHERE c.id = r.comment_id) AS comment_author,
                        ROW_NUMBER() OVER (PARTITION BY r.group_id ORDER BY r.id) AS n
                 FROM correction_reports r WHERE r.group_id IN (
                     SELECT g.id FROM correction_groups g WHERE ",
            $condition,
            " ORDER BY g.last_reported_at DESC, g.id DESC LIMIT 100)) AS shown
             WHERE n <= 50 ORDER BY id"
        )
    };
}

/// Groups with a status (`None`: all), most recently reported first, with their reports.
pub async fn desk(pool: &Pool, status: Option<Status>) -> Result<Vec<DeskGroup>, sqlx::Error> {
    let (mut groups, reports): (Vec<DeskGroup>, Vec<DeskReport>) = match status {
        Some(status) => (
            query_as(desk_sql!("g.status = $1")).bind(status.as_str()).fetch_all(pool).await?,
            query_as(desk_reports_sql!("g.status = $1")).bind(status.as_str()).fetch_all(pool).await?,
        ),
        None => (
            query_as(desk_sql!("1 = 1")).fetch_all(pool).await?,
            query_as(desk_reports_sql!("1 = 1")).fetch_all(pool).await?,
        ),
    };
    for group in &mut groups {
        group.reports = reports.iter().filter(|r| r.group_id == group.id).cloned().collect();
    }
    Ok(groups)
}

/// One group with its reports.
pub async fn desk_group(pool: &Pool, id: i64) -> Result<Option<DeskGroup>, sqlx::Error> {
    let Some(mut group): Option<DeskGroup> = query_as(desk_sql!("g.id = $1")).bind(id).fetch_optional(pool).await?
    else {
        return Ok(None);
    };
    group.reports = query_as(desk_reports_sql!("g.id = $1")).bind(id).fetch_all(pool).await?;
    Ok(Some(group))
}

/// Records the decision on a group that is still open (with the later revision that had
/// already fixed it, if that is the decision); false when someone decided first.
async fn close(tx: &mut Tx, id: i64, decision: &Closing<'_>, at: time::OffsetDateTime) -> Result<bool, sqlx::Error> {
    let closed = query(
        "UPDATE correction_groups SET status = $1, decided_at = $2, decided_by = $3, decision_note = $4,
                fixed_revision = $5
         WHERE id = $6 AND status = 'open'",
    )
    .bind(decision.status)
    .bind(at)
    .bind(decision.staff_id)
    .bind(decision.note)
    .bind(decision.fixed_revision)
    .bind(id)
    .execute(tx)
    .await?;
    Ok(closed > 0)
}

/// A decision that closes a group.
struct Closing<'a> {
    status: &'a str,
    staff_id: i64,
    note: &'a str,
    fixed_revision: Option<i64>,
}

/// Closes an open group without changing the article, queueing `told` to its reporters in
/// the same transaction. False when it was not open.
async fn close_telling(pool: &Pool, id: i64, decision: &Closing<'_>, told: &Message) -> Result<bool, sqlx::Error> {
    let at = now();
    pool.retrying(|| async {
        let mut tx = pool.begin().await?;
        if !close(&mut tx, id, decision, at).await? {
            return Ok(false);
        }
        outbox::enqueue_to_reporters(&mut tx, id, told).await?;
        tx.commit().await?;
        Ok(true)
    })
    .await
}

/// Dismisses an open group, telling its reporters; false when it was not open.
pub async fn dismiss(pool: &Pool, id: i64, staff_id: i64, reason: &str, told: &Message) -> Result<bool, sqlx::Error> {
    let decision = Closing { status: "dismissed", staff_id, note: reason, fixed_revision: None };
    close_telling(pool, id, &decision, told).await
}

/// Closes an open group as already fixed by a later `revision` of the article, telling its
/// reporters; false when it was not open.
pub async fn close_fixed(
    pool: &Pool,
    id: i64,
    staff_id: i64,
    revision: i64,
    note: &str,
    told: &Message,
) -> Result<bool, sqlx::Error> {
    let decision = Closing { status: "accepted", staff_id, note, fixed_revision: Some(revision) };
    close_telling(pool, id, &decision, told).await
}

/// Posts `reply` under the comment a report of group `group_id` was made from, and records
/// it on the report, in one transaction: `None` (nothing written) when that report already
/// has its reply or no report of the group came from `comment_id`.
pub async fn answer_comment(
    pool: &Pool,
    group_id: i64,
    comment_id: i64,
    reply: &super::comments::Insert,
) -> Result<Option<i64>, sqlx::Error> {
    let mut tx = pool.begin_write().await?;
    // Locks the report's row (PostgreSQL): a second click waits, then finds the reply.
    let report: Option<i64> = query_scalar(
        "UPDATE correction_reports SET reply_id = reply_id
         WHERE id = (SELECT MIN(id) FROM correction_reports
                     WHERE group_id = $1 AND comment_id = $2 AND reply_id IS NULL)
           AND reply_id IS NULL
         RETURNING id",
    )
    .bind(group_id)
    .bind(comment_id)
    .fetch_optional(&mut tx)
    .await?;
    let Some(report) = report else { return Ok(None) };
    let (reply_id, _) = super::comments::insert_in(&mut tx, reply).await?;
    query("UPDATE correction_reports SET reply_id = $1 WHERE id = $2")
        .bind(reply_id)
        .bind(report)
        .execute(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(Some(reply_id))
}

/// The notice published for a group, if any.
pub async fn notice_of(pool: &Pool, group_id: i64) -> Result<Option<(String, String)>, sqlx::Error> {
    query_as("SELECT kind, note FROM correction_notices WHERE group_id = $1 ORDER BY id DESC LIMIT 1")
        .bind(group_id)
        .fetch_optional(pool)
        .await
}

/// An accepted suggestion: optionally the article's corrected text (saved as a new
/// revision), and the public notice.
#[derive(Debug, Clone)]
pub struct Acceptance<'a> {
    pub group_id: i64,
    pub article_id: i64,
    /// The article's title, dek and body after the fix; `None` accepts without an edit.
    pub fixed: Option<(&'a str, Option<&'a str>, &'a str)>,
    /// The revision the fix was made from: the article is changed only while it is still
    /// that one.
    pub from_revision: i64,
    pub summary: &'a str,
    pub notice_kind: &'a str,
    pub notice: &'a str,
    pub staff_id: i64,
    pub staff_name: &'a str,
    /// What the group's reporters are told, queued with the decision.
    pub told: &'a Message,
}

/// What became of an acceptance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accepted {
    Done,
    /// The group was no longer open: someone decided first.
    Taken,
    /// The article was saved since the fix was made from it.
    Stale,
}

/// Saves the fix, the notice and the decision in one transaction. Unless `Done`, nothing is
/// written.
pub async fn accept(pool: &Pool, acceptance: &Acceptance<'_>) -> Result<Accepted, sqlx::Error> {
    let at = now();
    pool.retrying(|| async {
        let mut tx = pool.begin().await?;
        let decision =
            Closing { status: "accepted", staff_id: acceptance.staff_id, note: acceptance.notice, fixed_revision: None };
        if !close(&mut tx, acceptance.group_id, &decision, at).await? {
            return Ok(Accepted::Taken);
        }
        let revision: i64 = match acceptance.fixed {
            Some((title, dek, body)) => {
                let revision: Option<i64> = query_scalar(
                    "UPDATE articles SET title = $1, dek = $2, body_md = $3, updated_at = $4, revision = revision + 1
                     WHERE id = $5 AND revision = $6 RETURNING revision",
                )
                .bind(title)
                .bind(dek)
                .bind(body)
                .bind(at)
                .bind(acceptance.article_id)
                .bind(acceptance.from_revision)
                .fetch_optional(&mut tx)
                .await?;
                // Dropping the transaction undoes the decision above.
                let Some(revision) = revision else { return Ok(Accepted::Stale) };
                query(
                    "INSERT INTO article_revisions (article_id, revision, title, dek, byline, body_md, created_at, saved_by, summary)
                     SELECT id, revision, title, dek, byline, body_md, $1, $2, $3 FROM articles WHERE id = $4",
                )
                .bind(at)
                .bind(acceptance.staff_name)
                .bind(acceptance.summary)
                .bind(acceptance.article_id)
                .execute(&mut tx)
                .await?;
                revision
            }
            None => {
                // A notice alone still dates the article as updated.
                query_scalar("UPDATE articles SET updated_at = $1 WHERE id = $2 RETURNING revision")
                    .bind(at)
                    .bind(acceptance.article_id)
                    .fetch_one(&mut tx)
                    .await?
            }
        };
        query(
            "INSERT INTO correction_notices (article_id, kind, note, revision, group_id, staff_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(acceptance.article_id)
        .bind(acceptance.notice_kind)
        .bind(acceptance.notice)
        .bind(revision)
        .bind(acceptance.group_id)
        .bind(acceptance.staff_id)
        .bind(at)
        .execute(&mut tx)
        .await?;
        outbox::enqueue_to_reporters(&mut tx, acceptance.group_id, acceptance.told).await?;
        tx.commit().await?;
        Ok(Accepted::Done)
    })
    .await
}

/// An article's notices, oldest first.
pub async fn notices_for(pool: &Pool, article_id: i64) -> Result<Vec<Notice>, sqlx::Error> {
    query_as(
        "SELECT a.slug, a.title, n.kind, n.note, n.created_at,
                (SELECT g.created_at FROM correction_groups g WHERE g.id = n.group_id) AS reported_at
         FROM correction_notices n JOIN articles a ON a.id = n.article_id
         WHERE n.article_id = $1 ORDER BY n.created_at, n.id",
    )
    .bind(article_id)
    .fetch_all(pool)
    .await
}

/// The latest notices on published articles, newest first. Written so that the notices are
/// walked newest first and each article looked up by id: joined plainly, SQLite's planner
/// chose to read every article (with its text) for each request.
const LATEST_NOTICES: &str = "SELECT a.slug, a.title, n.kind, n.note, n.created_at,
            (SELECT g.created_at FROM correction_groups g WHERE g.id = n.group_id) AS reported_at
     FROM (SELECT id, article_id, kind, note, created_at, group_id FROM correction_notices c
           WHERE EXISTS (SELECT 1 FROM articles p WHERE p.id = c.article_id AND p.status = 'published')
           ORDER BY created_at DESC, id DESC LIMIT $1) n
     JOIN articles a ON a.id = n.article_id
     ORDER BY n.created_at DESC, n.id DESC";

pub async fn latest_notices(pool: &Pool, limit: u32) -> Result<Vec<Notice>, sqlx::Error> {
    query_as(LATEST_NOTICES).bind(i64::from(limit)).fetch_all(pool).await
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn the_corrections_page_reads_only_the_notices_it_lists() {
        let plan = crate::db::query_plan(super::LATEST_NOTICES, 1).await;
        assert!(plan.contains("SCAN c USING INDEX correction_notices_recent_idx"), "{plan}");
        assert!(plan.contains("SEARCH a USING INTEGER PRIMARY KEY"), "{plan}");
        assert!(!plan.lines().any(|step| step == "SCAN a" || step.starts_with("SEARCH a USING INDEX")), "{plan}");
    }
}
