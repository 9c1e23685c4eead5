//! (ssr) What the staff desk's pages show: comments in the moderation queues, bans, articles
//! with their comment settings and revisions, and suggestion groups, as read from the
//! database.

use time::OffsetDateTime;

use crate::content::article_form::ArticleEdit;
use crate::domain::comment::Moderation;
use crate::domain::diff::Change;

/// An article's own comment settings, for the settings page.
#[derive(Debug, Clone)]
pub struct ArticleCommentSettings {
    pub slug: String,
    pub title: String,
    /// `None`: follows the site.
    pub mode: Option<Moderation>,
    pub closed: bool,
}

/// A comment as moderators see it, with its context.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QueueItem {
    pub id: i64,
    pub article_slug: String,
    pub article_title: String,
    pub parent_author: Option<String>,
    pub parent_body: Option<String>,
    pub author_name: String,
    pub email: Option<String>,
    pub body: String,
    #[sqlx(try_from = "String")]
    pub status: crate::domain::comment::Status,
    pub held_for: Option<String>,
    pub held_detail: Option<String>,
    pub featured: bool,
    pub report_count: i64,
    pub rejection_reason: Option<String>,
    pub is_staff: bool,
    pub created_at: OffsetDateTime,
    #[sqlx(skip)]
    pub reports: Vec<(String, Option<String>)>,
}

/// A ban, as the desk lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Ban {
    pub id: i64,
    pub email: Option<String>,
    pub client_hash: Option<String>,
    pub reason: String,
    pub staff_name: Option<String>,
    pub created_at: OffsetDateTime,
}

/// A suggestion group as the correction desk shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeskGroup {
    pub id: i64,
    pub article_id: i64,
    /// The article's revision as the desk reads it: a fix is applied only to that revision.
    pub article_revision: i64,
    pub slug: String,
    pub title: String,
    pub quote: String,
    pub prefix: String,
    pub suffix: String,
    pub start_offset: i64,
    pub end_offset: i64,
    pub kind: String,
    pub suggested_text: String,
    #[sqlx(try_from = "String")]
    pub status: crate::domain::suggestion::Status,
    pub report_count: i64,
    pub last_reported_at: time::OffsetDateTime,
    pub decision_note: Option<String>,
    pub first_reported_at: time::OffsetDateTime,
    pub decided_at: Option<time::OffsetDateTime>,
    /// The article's revision the first reader reported against.
    pub reported_revision: i64,
    /// Set when the group was closed because this later revision had already fixed it.
    pub fixed_revision: Option<i64>,
    /// Every report, oldest first.
    #[sqlx(skip)]
    pub reports: Vec<DeskReport>,
}

/// One reader's report in a suggestion group.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeskReport {
    pub group_id: i64,
    pub kind: String,
    pub note: Option<String>,
    pub email: Option<String>,
    /// The comment a moderator made this suggestion from, with its writer's name.
    pub comment_id: Option<i64>,
    pub comment_author: Option<String>,
    /// The staff reply posted under that comment once the fix was out.
    pub reply_id: Option<i64>,
}

/// The later revision that changed the text a suggestion quoted, and what it changed.
#[derive(Debug, Clone)]
pub struct ChangedIn {
    pub revision: i64,
    pub saved_by: Option<String>,
    pub created_at: OffsetDateTime,
    pub fields: Vec<(&'static str, Vec<Change>)>,
}

/// A row of the desk's article list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeskArticle {
    pub slug: String,
    pub title: String,
    pub byline: String,
    pub status: String,
    pub ever_published: bool,
    pub published_at: OffsetDateTime,
    pub updated_at: Option<OffsetDateTime>,
    pub revision: i64,
    /// A draft to be published at this time.
    pub scheduled_at: Option<OffsetDateTime>,
}

/// Which articles the desk lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    All,
    Published,
    Drafts,
}

impl Filter {
    pub fn parse(raw: Option<&str>) -> Option<Self> {
        Some(match raw {
            None | Some("" | "all") => Self::All,
            Some("published") => Self::Published,
            Some("drafts") => Self::Drafts,
            Some(_) => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Published => "published",
            Self::Drafts => "drafts",
        }
    }

    pub fn status(self) -> Option<&'static str> {
        match self {
            Self::All => None,
            Self::Published => Some("published"),
            Self::Drafts => Some("draft"),
        }
    }
}

/// An article of any status with everything the editor shows.
#[derive(Debug, Clone)]
pub struct Editable {
    pub id: i64,
    pub slug: String,
    pub status: String,
    pub ever_published: bool,
    pub published_at: OffsetDateTime,
    pub updated_at: Option<OffsetDateTime>,
    pub revision: i64,
    /// A draft to be published at this time.
    pub scheduled_at: Option<OffsetDateTime>,
    pub content: ArticleEdit,
}

/// What became of a save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// Stored as this new revision.
    Revision(i64),
    /// Nothing differed from the current revision.
    Unchanged,
    /// Someone saved a newer revision after the editor opened the article.
    Stale { current: i64 },
}

/// One saved version of an article.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Revision {
    pub revision: i64,
    pub title: String,
    pub dek: Option<String>,
    pub byline: String,
    pub body_md: String,
    /// Topic names; unknown for revisions saved before topics were kept.
    pub topics: Option<String>,
    pub created_at: OffsetDateTime,
    /// Who saved it; `None` for imports from files.
    pub saved_by: Option<String>,
    pub summary: Option<String>,
}

/// An article as stored, with its Markdown source.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredArticle {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub dek: Option<String>,
    pub byline: String,
    pub body_md: String,
    pub published_at: OffsetDateTime,
    pub updated_at: Option<OffsetDateTime>,
    pub revision: i64,
    pub lang: Option<String>,
}

/// A revision with what changed from the one before it, field by field.
#[derive(Debug, Clone)]
pub struct RevisionChanges {
    pub revision: Revision,
    /// `None` for the first version.
    pub fields: Option<Vec<(&'static str, Vec<Change>)>>,
}

impl DeskGroup {
    /// How long the desk took from the first report to its decision, or how long it has
    /// waited so far: "Fixed 3 hours after the first report".
    pub fn time_to_decision(&self, now: time::OffsetDateTime) -> String {
        use crate::domain::dates::waited;
        match (self.status, self.decided_at) {
            (crate::domain::suggestion::Status::Accepted, Some(at)) => {
                format!("Fixed {} after the first report", waited(at, self.first_reported_at))
            }
            (crate::domain::suggestion::Status::Dismissed, Some(at)) => {
                format!("Dismissed {} after the first report", waited(at, self.first_reported_at))
            }
            _ => format!("Waiting {} since the first report", waited(now, self.first_reported_at)),
        }
    }
}

/// What kind of work waits in the staff inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InboxKind {
    /// A comment waiting for moderation.
    Comment,
    /// A comment readers reported, not yet reviewed.
    Report,
    /// A reader's correction suggestion, not yet decided.
    Suggestion,
}

impl InboxKind {
    pub const ALL: [InboxKind; 3] = [InboxKind::Comment, InboxKind::Report, InboxKind::Suggestion];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Comment => "comment",
            Self::Report => "report",
            Self::Suggestion => "suggestion",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    /// The filter's words, plural.
    pub fn label(self) -> &'static str {
        match self {
            Self::Comment => "Comments waiting",
            Self::Report => "Reported comments",
            Self::Suggestion => "Correction suggestions",
        }
    }
}

impl TryFrom<String> for InboxKind {
    type Error = String;

    fn try_from(raw: String) -> Result<Self, String> {
        Self::parse(&raw).ok_or_else(|| format!("unknown inbox kind {raw}"))
    }
}

/// One piece of waiting work in the staff inbox.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InboxItem {
    #[sqlx(try_from = "String")]
    pub kind: InboxKind,
    /// The comment's id, or the suggestion group's.
    pub id: i64,
    pub article_id: i64,
    pub article_title: String,
    pub article_slug: String,
    pub published_at: Option<time::OffsetDateTime>,
    /// Who wrote the comment (empty for a suggestion).
    pub who: String,
    /// The comment, or the words the suggestion points to.
    pub text: String,
    /// A report's latest reason, or the suggested text.
    pub detail: String,
    /// Since when it has waited.
    pub since: time::OffsetDateTime,
}
