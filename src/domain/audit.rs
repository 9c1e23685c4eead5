//! (ssr) The audit log's entries: who on the staff did what, to what, when.

use serde::Serialize;
use time::OffsetDateTime;

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
