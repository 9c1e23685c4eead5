use super::{Pool, now};
use crate::domain::suggestion::Kind;

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
    let mut tx = pool.begin().await?;
    let (group_id, report_count): (i64, i64) = sqlx::query_as(
        "INSERT INTO correction_groups
             (article_id, revision, quote, prefix, suffix, start_offset, end_offset, kind, suggested_text,
              created_at, last_reported_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO correction_reports (group_id, kind, note, email, client_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(group_id)
    .bind(report.kind.as_str())
    .bind(report.note)
    .bind(report.email)
    .bind(report.client_hash)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Stored { group_id, report_count })
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
    sqlx::query_as(
        "SELECT id, article_id, revision, quote, prefix, suffix, start_offset, end_offset, kind, suggested_text,
                status, report_count
         FROM correction_groups WHERE article_id = ? ORDER BY last_reported_at DESC, id DESC",
    )
    .bind(article_id)
    .fetch_all(pool)
    .await
}

/// Notes of every report in a group, oldest first.
pub async fn notes(pool: &Pool, group_id: i64) -> Result<Vec<Option<String>>, sqlx::Error> {
    sqlx::query_scalar("SELECT note FROM correction_reports WHERE group_id = ? ORDER BY id")
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
    let groups: Vec<ListedRow> = sqlx::query_as(
        "SELECT g.id, a.slug, g.quote, g.start_offset, g.end_offset, g.kind, g.suggested_text, g.status, g.report_count
         FROM correction_groups g JOIN articles a ON a.id = g.article_id
         ORDER BY g.last_reported_at DESC, g.id DESC",
    )
    .fetch_all(pool)
    .await?;
    let reports: Vec<(i64, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT group_id, note, email FROM correction_reports ORDER BY id").fetch_all(pool).await?;
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
