//! (ssr) Moderation use cases, for the staff desk and the command line alike: the site's
//! mode, an article's comment settings, the word lists, actions on comments and bans. Each
//! change is checked the same way wherever it comes from and written to the audit log.

use crate::db::{self, Pool, audit};
use crate::domain::comment::Moderation;
use crate::domain::moderation::{Action, MAX_WORDS, Request, WordListName};
use crate::domain::staff::StaffMember;
use crate::domain::words::normalise_entry;
use crate::error::AppError;

/// Sets the site's moderation mode from its name (`pre` or `post`). `actor`: who did it
/// (`None`: the command line).
#[tracing::instrument(skip(pool, actor))]
pub async fn set_site_mode(pool: &Pool, actor: Option<&StaffMember>, mode: &str) -> Result<Moderation, AppError> {
    let mode = Moderation::parse(mode).ok_or_else(|| AppError::invalid("mode", "Choose pre- or post-moderation."))?;
    db::comments::set_site_moderation(pool, mode).await?;
    audit::record(pool, actor, audit::Kind::Settings, "set site moderation", "site", mode.as_str()).await?;
    Ok(mode)
}

/// What to change about one article's comments; `None` keeps the current value.
#[derive(Debug, Default, Clone)]
pub struct ArticleChange<'a> {
    /// `pre`, `post`, or `site` to follow the site's mode again.
    pub mode: Option<&'a str>,
    pub closed: Option<bool>,
}

/// An article's moderation override and whether it takes comments (drafts too: they may
/// be set before publication).
#[tracing::instrument(skip(pool, actor))]
pub async fn set_article(
    pool: &Pool,
    actor: Option<&StaffMember>,
    slug: &str,
    change: ArticleChange<'_>,
) -> Result<(), AppError> {
    let parse = |raw: &str| match raw {
        "site" => Ok(None),
        raw => Moderation::parse(raw).map(Some).ok_or_else(|| AppError::invalid("mode", "Choose a moderation mode.")),
    };
    let (mode, closed) = match (change.mode, change.closed) {
        (Some(mode), Some(closed)) => (parse(mode)?, closed),
        (mode, closed) => {
            let current = article_comments(pool, slug).await?;
            let mode = match mode {
                Some(raw) => parse(raw)?,
                None => current.override_mode,
            };
            (mode, closed.unwrap_or(current.closed))
        }
    };
    if !db::comments::set_article_comments(pool, slug, mode, closed).await? {
        return Err(AppError::NotFound);
    }
    let detail = format!(
        "moderation {}, comments {}",
        mode.map_or("site", Moderation::as_str),
        if closed { "closed" } else { "open" }
    );
    audit::record(pool, actor, audit::Kind::Settings, "set article comments", slug, &detail).await?;
    Ok(())
}

/// A published article's comment settings, with the site's mode where it has no override.
#[tracing::instrument(skip_all, fields(slug = %slug))]
pub async fn article_comments(pool: &Pool, slug: &str) -> Result<db::comments::ArticleComments, AppError> {
    db::comments::article_settings(pool, slug).await?.ok_or(AppError::NotFound)
}

/// The site's moderation mode.
#[tracing::instrument(skip_all)]
pub async fn site_mode(pool: &Pool) -> Result<Moderation, AppError> {
    Ok(db::comments::site_moderation(pool).await?)
}

/// The entries of a list, folded as they are matched, sorted and without repeats; at most
/// `MAX_WORDS`.
pub fn word_entries<S: AsRef<str>>(raw: impl IntoIterator<Item = S>) -> Result<Vec<String>, AppError> {
    let mut list: Vec<String> = raw.into_iter().filter_map(|w| normalise_entry(w.as_ref())).collect();
    list.sort();
    list.dedup();
    if list.len() > MAX_WORDS {
        return Err(AppError::invalid("words", format!("A list may hold at most {MAX_WORDS} entries.")));
    }
    Ok(list)
}

/// Replaces both word lists (one entry a line each, as the settings page sends them).
#[tracing::instrument(skip_all)]
pub async fn set_word_lists(
    pool: &Pool,
    actor: Option<&StaffMember>,
    suspect: &str,
    banned: &str,
) -> Result<(), AppError> {
    let (suspect, banned) = (word_entries(suspect.lines())?, word_entries(banned.lines())?);
    store_word_lists(pool, actor, &suspect, &banned).await
}

/// Entries to add to and remove from each list.
#[derive(Debug, Default, Clone)]
pub struct WordEdits {
    pub suspect_add: Vec<String>,
    pub suspect_remove: Vec<String>,
    pub banned_add: Vec<String>,
    pub banned_remove: Vec<String>,
}

impl WordEdits {
    pub fn is_empty(&self) -> bool {
        [&self.suspect_add, &self.suspect_remove, &self.banned_add, &self.banned_remove].iter().all(|l| l.is_empty())
    }
}

/// Adds and removes entries (the command line's way), under the same rules as the page.
#[tracing::instrument(skip_all)]
pub async fn edit_word_lists(pool: &Pool, actor: Option<&StaffMember>, edits: &WordEdits) -> Result<(), AppError> {
    if edits.is_empty() {
        return Ok(());
    }
    let edit = |current: Vec<String>, add: &[String], remove: &[String]| {
        let remove = word_entries(remove)?;
        word_entries(
            current
                .into_iter()
                .chain(add.iter().cloned())
                .filter(|w| normalise_entry(w).is_none_or(|w| !remove.contains(&w))),
        )
    };
    let (suspect, banned) = word_lists(pool).await?;
    let suspect = edit(suspect, &edits.suspect_add, &edits.suspect_remove)?;
    let banned = edit(banned, &edits.banned_add, &edits.banned_remove)?;
    store_word_lists(pool, actor, &suspect, &banned).await
}

/// Both lists: (suspect, banned).
#[tracing::instrument(skip_all)]
pub async fn word_lists(pool: &Pool) -> Result<(Vec<String>, Vec<String>), AppError> {
    Ok(tokio::try_join!(
        db::comments::words(pool, WordListName::Suspect),
        db::comments::words(pool, WordListName::Banned),
    )?)
}

async fn store_word_lists(
    pool: &Pool,
    actor: Option<&StaffMember>,
    suspect: &[String],
    banned: &[String],
) -> Result<(), AppError> {
    db::comments::replace_words(pool, WordListName::Suspect, suspect).await?;
    db::comments::replace_words(pool, WordListName::Banned, banned).await?;
    let detail = format!("{} suspect, {} banned", suspect.len(), banned.len());
    audit::record(pool, actor, audit::Kind::Settings, "set word lists", "site", &detail).await?;
    Ok(())
}

/// Carries out a moderation request; the code the queue page turns into its notice
/// (`approved-3`).
#[tracing::instrument(skip_all, fields(staff = staff.id, action = request.action.done(), comments = request.ids.len()))]
pub async fn moderate(pool: &Pool, staff: &StaffMember, request: &Request) -> Result<String, AppError> {
    let reason = request.reason.as_deref();
    let changed = match request.action {
        Action::Approve => db::comments::moderate(pool, &request.ids, true, None).await?,
        Action::Reject => db::comments::moderate(pool, &request.ids, false, reason).await?,
        Action::Feature | Action::Unfeature => {
            let on = request.action == Action::Feature;
            for id in &request.ids {
                db::comments::set_featured(pool, *id, on).await?;
            }
            request.ids.len() as u64
        }
        Action::Ban => {
            let &[id] = request.ids.as_slice() else {
                return Err(AppError::invalid("one", "A ban names one comment's author."));
            };
            db::comments::ban_author(pool, id, reason.unwrap_or(""), staff.id, request.reject_all)
                .await?
                .ok_or(AppError::NotFound)?
        }
    };
    let code = request.action.done();
    for id in &request.ids {
        let subject = format!("comment {id}");
        audit::record(pool, Some(staff), audit::Kind::Comment, code, &subject, reason.unwrap_or("")).await?;
    }
    Ok(format!("{code}-{changed}"))
}

/// Lets a banned author comment again.
#[tracing::instrument(skip(pool, staff), fields(staff = staff.id))]
pub async fn lift_ban(pool: &Pool, staff: &StaffMember, id: i64) -> Result<(), AppError> {
    let email = db::comments::lift_ban(pool, id).await?.ok_or(AppError::NotFound)?;
    let subject = email.unwrap_or_else(|| format!("ban {id}"));
    audit::record(pool, Some(staff), audit::Kind::Comment, "ban lifted", &subject, "").await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_list_lines_are_folded_sorted_and_deduplicated() {
        assert_eq!(word_entries("Crème\n\n  spam  \ncreme\n!!\n".lines()).unwrap(), ["creme", "spam"]);
        assert!(word_entries((0..501).map(|i| format!("w{i}"))).is_err());
    }
}
