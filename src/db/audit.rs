use serde::Serialize;
use time::OffsetDateTime;

use super::{Pool, now, query, query_as};
use crate::domain::staff::StaffMember;

/// What kind of thing a staff action concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    SignIn,
    Comment,
    Correction,
    Article,
    Settings,
    Staff,
}

impl Kind {
    pub const ALL: [Kind; 6] =
        [Kind::SignIn, Kind::Comment, Kind::Correction, Kind::Article, Kind::Settings, Kind::Staff];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignIn => "sign_in",
            Self::Comment => "comment",
            Self::Correction => "correction",
            Self::Article => "article",
            Self::Settings => "settings",
            Self::Staff => "staff",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::SignIn => "Sign-ins",
            Self::Comment => "Comments",
            Self::Correction => "Corrections",
            Self::Article => "Articles",
            Self::Settings => "Settings",
            Self::Staff => "Staff",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

/// Records one staff action. `staff` is `None` for actions from the command line.
pub async fn record(
    pool: &Pool,
    staff: Option<&StaffMember>,
    kind: Kind,
    action: &str,
    subject: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    query(
        "INSERT INTO audit_log (staff_id, staff_name, kind, action, subject, detail, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(staff.map(|s| s.id))
    .bind(staff.map_or("command line", |s| s.name.as_str()))
    .bind(kind.as_str())
    .bind(action)
    .bind(subject)
    .bind(detail)
    .bind(now())
    .execute(pool)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Entry {
    pub id: i64,
    pub staff_id: Option<i64>,
    pub staff_name: String,
    pub kind: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub created_at: OffsetDateTime,
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
