//! (ssr) The record of staff actions.

use super::{On, Pool, Tx, now, query, query_as};
use crate::domain::audit::Entry;
pub use crate::domain::audit::Kind;
use crate::domain::staff::StaffMember;

/// Records one staff action. `staff` is `None` for actions from the command line.
pub async fn record(
    pool: &Pool,
    staff: Option<&StaffMember>,
    kind: Kind,
    action: &str,
    subject: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    let name = staff.map_or("command line", |s| s.name.as_str());
    insert(pool, staff.map(|s| s.id), name, kind, action, subject, detail).await
}

/// Records an action the server took by itself (`actor` says what did it), in the
/// transaction that made the change.
pub async fn record_in(
    tx: &mut Tx,
    actor: &str,
    kind: Kind,
    action: &str,
    subject: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    insert(tx, None, actor, kind, action, subject, detail).await
}

async fn insert<'e>(
    db: impl Into<On<'e>>,
    staff_id: Option<i64>,
    staff_name: &str,
    kind: Kind,
    action: &str,
    subject: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    query(
        "INSERT INTO audit_log (staff_id, staff_name, kind, action, subject, detail, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(staff_id)
    .bind(staff_name)
    .bind(kind.as_str())
    .bind(action)
    .bind(subject)
    .bind(detail)
    .bind(now())
    .execute(db)
    .await?;
    Ok(())
}

/// The latest entries, newest first, optionally for one staff member and one kind.
pub async fn list(
    pool: &Pool,
    staff_id: Option<i64>,
    kind: Option<Kind>,
    limit: u32,
) -> Result<Vec<Entry>, sqlx::Error> {
    query_as(
        "SELECT id, staff_id, staff_name, kind, action, subject, detail, created_at FROM audit_log
         WHERE ($1 IS NULL OR staff_id = $1) AND ($2 IS NULL OR kind = $2)
         ORDER BY created_at DESC, id DESC LIMIT $3",
    )
    .bind(staff_id)
    .bind(kind.map(Kind::as_str))
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await
}
