//! (ssr) The staff inbox: comments waiting, reported comments and correction suggestions
//! together, by story, with how long each has waited.

use time::OffsetDateTime;

use crate::db::{self, Pool};
use crate::domain::comment::QueueCounts;
use crate::domain::desk::{InboxItem, InboxKind};
use crate::domain::staff::{Role, StaffMember};
use crate::error::AppError;

/// Items the inbox lists at most; the counts cover everything.
pub const INBOX_ITEMS: u32 = 300;

/// One story and what waits on it.
#[derive(Debug, Clone)]
pub struct InboxStory {
    pub title: String,
    pub slug: String,
    pub items: Vec<InboxItem>,
}

#[derive(Debug, Clone)]
pub struct Inbox {
    pub stories: Vec<InboxStory>,
    pub counts: QueueCounts,
    /// Since when the longest-waiting item listed has waited.
    pub oldest: Option<OffsetDateTime>,
    /// Whether the member decides on suggestions (editors): moderators see comments only.
    pub with_suggestions: bool,
    /// More items wait than are listed.
    pub truncated: bool,
}

/// The inbox as `staff` may see it, of one kind when `only` names one.
#[tracing::instrument(skip_all, fields(staff = staff.id))]
pub async fn inbox(pool: &Pool, staff: &StaffMember, only: Option<InboxKind>) -> Result<Inbox, AppError> {
    let with_suggestions = staff.role.allows(Role::Editor);
    let (items, mut counts) =
        tokio::try_join!(db::inbox::items(pool, with_suggestions, INBOX_ITEMS + 1), db::comments::queue_counts(pool))?;
    if !with_suggestions {
        counts.suggestions = 0;
    }
    let truncated = items.len() > INBOX_ITEMS as usize;
    let items = items.into_iter().take(INBOX_ITEMS as usize).filter(|i| only.is_none_or(|k| i.kind == k));
    let mut stories: Vec<InboxStory> = Vec::new();
    let mut oldest: Option<OffsetDateTime> = None;
    for item in items {
        oldest = Some(oldest.map_or(item.since, |o| o.min(item.since)));
        match stories.last_mut() {
            Some(story) if story.items[0].article_id == item.article_id => story.items.push(item),
            _ => stories.push(InboxStory {
                title: item.article_title.clone(),
                slug: item.article_slug.clone(),
                items: vec![item],
            }),
        }
    }
    Ok(Inbox { stories, counts, oldest, with_suggestions, truncated })
}
