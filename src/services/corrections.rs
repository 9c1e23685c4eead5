//! (ssr) Readers' suggestions for corrections and the desk's decisions on them: a
//! suggestion is located in the article and stored; an editor applies it (the article is
//! fixed as a new revision), accepts it (a notice only) or dismisses it.

use crate::content::markdown::{Field, article_plain_text, source_span};
use crate::db::{
    self, Pool, audit,
    corrections::{Acceptance, Accepted, NewReport},
};
use crate::domain::anchor::{Selection, locate, relocate};
use crate::domain::desk::{ChangedIn, DeskGroup, StoredArticle};
use crate::domain::mail::Message;
use crate::domain::slug::Slug;
use crate::domain::staff::StaffMember;
use crate::domain::suggestion::{MAX_NOTICE_CHARS, MAX_REPLACEMENT_CHARS, NoticeKind, Status, SuggestionForm};
use crate::domain::text::thousands;
use crate::domain::tokens::Client;
use crate::error::AppError;
use crate::services::rate_limits::{CORRECTION_LIMIT, RateLimiter};

pub const QUOTE_NOT_FOUND: &str = "We could not find the selected text in this article. It may have been edited since you opened the page: reload it and select the words again.";

/// Validates, locates and stores one suggestion. A filled honeypot is accepted silently
/// and stores nothing.
#[tracing::instrument(skip(pool, limiter, form, client))]
pub async fn submit(
    pool: &Pool,
    limiter: &RateLimiter,
    slug: &str,
    form: &SuggestionForm,
    client: &Client,
) -> Result<(), AppError> {
    // Charged first: a suggestion that fails (its quote not in the article) costs as much
    // work as one that is stored.
    if !limiter.allow(CORRECTION_LIMIT, &client.limited) {
        return Err(AppError::RateLimited);
    }
    let slug = Slug::parse(slug).map_err(|_| AppError::NotFound)?;
    let article = db::articles::published_by_slug(pool, slug.as_str()).await?.ok_or(AppError::NotFound)?;
    if form.is_bot() {
        tracing::info!("correction honeypot filled; dropped");
        return Ok(());
    }
    let suggestion = form.parse().map_err(AppError::Invalid)?;
    let anchor = match suggestion.quote.clone() {
        None => None,
        Some(quote) => {
            // Rendering and searching a long article is CPU work: off the async workers.
            let (prefix, suffix, hint) = (suggestion.prefix.clone(), suggestion.suffix.clone(), suggestion.hint);
            let (title, dek, body) = (article.title.clone(), article.dek.clone(), article.body_md.clone());
            let found = tokio::task::spawn_blocking(move || {
                let text = article_plain_text(&title, dek.as_deref(), &body);
                locate(&text, &Selection { quote: &quote, prefix: &prefix, suffix: &suffix, hint_utf16: hint })
            })
            .await
            .map_err(|_| AppError::Internal)?;
            Some(found.ok_or_else(|| AppError::invalid("quote", QUOTE_NOT_FOUND))?)
        }
    };
    let report = NewReport {
        article_id: article.id,
        revision: article.revision,
        quote: anchor.as_ref().map_or("", |a| a.quote.as_str()),
        prefix: anchor.as_ref().map_or("", |a| a.prefix.as_str()),
        suffix: anchor.as_ref().map_or("", |a| a.suffix.as_str()),
        span: anchor.as_ref().map(|a| (a.start, a.end)),
        kind: suggestion.kind,
        suggested: &suggestion.suggested,
        note: suggestion.note.as_deref(),
        email: suggestion.email.as_deref(),
        client_hash: client.stored.as_str(),
        comment_id: None,
    };
    let stored = db::corrections::add_report(pool, &report).await?;
    tracing::info!(group = stored.group_id, reports = stored.report_count, "correction suggestion stored");
    Ok(())
}

/// What the desk can do with a suggestion against the article as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fit {
    /// The quote is still at its anchor and maps one-for-one to the source.
    Applicable(Field, std::ops::Range<usize>),
    /// Still there, but across formatting: a person edits the source.
    NeedsEditor,
    /// The text at the anchor is no longer the quote.
    TextChanged,
    /// The reader named no phrase (plain form).
    NoQuote,
}

pub fn fit(group: &DeskGroup, article: &StoredArticle) -> Fit {
    if group.quote.is_empty() || group.start_offset < 0 {
        return Fit::NoQuote;
    }
    let Some(start) = quote_now(group, &article.title, article.dek.as_deref(), &article.body_md) else {
        return Fit::TextChanged;
    };
    let end = start + group.quote.chars().count();
    match source_span(&article.title, article.dek.as_deref(), &article.body_md, start, end, &group.quote) {
        Some((field, range)) => Fit::Applicable(field, range),
        None => Fit::NeedsEditor,
    }
}

/// Where the group's quote stands in a text with this headline, dek and body (edits before
/// it may have moved it); `None` when the passage itself changed.
fn quote_now(group: &DeskGroup, title: &str, dek: Option<&str>, body: &str) -> Option<usize> {
    let text = article_plain_text(title, dek, body);
    relocate(&text, &group.quote, &group.prefix, &group.suffix, group.start_offset as usize)
}

/// Revisions read at most when looking for the one that changed a quote.
const REVISIONS_SEARCHED: u32 = 200;

/// The first revision after the report's that no longer has the quote at its anchor, with
/// what that revision changed. `None` when the quote still stands, or the revision is
/// further than `REVISIONS_SEARCHED` on.
pub async fn changed_in(pool: &Pool, group: &DeskGroup) -> Result<Option<ChangedIn>, AppError> {
    if group.quote.is_empty() || group.start_offset < 0 {
        return Ok(None);
    }
    let revisions =
        db::editing::revisions_from(pool, group.article_id, group.reported_revision, REVISIONS_SEARCHED).await?;
    let group = group.clone();
    // Rendering each revision's plain text is CPU work: off the async workers.
    tokio::task::spawn_blocking(move || {
        let at = revisions.windows(2).find(|pair| {
            let new = &pair[1];
            quote_now(&group, &new.title, new.dek.as_deref(), &new.body_md).is_none()
        })?;
        let (old, new) = (&at[0], &at[1]);
        Some(ChangedIn {
            revision: new.revision,
            saved_by: new.saved_by.clone(),
            created_at: new.created_at,
            fields: super::editing::changes(old, new),
        })
    })
    .await
    .map_err(|_| AppError::Internal)
}

/// Closes an open group whose quote a later revision changed, as already fixed, telling its
/// reporters: `"fixed"`, or `"taken"` when someone decided first.
#[tracing::instrument(skip(pool, site_url, staff), fields(staff = staff.id))]
pub async fn close_fixed(pool: &Pool, site_url: &str, staff: &StaffMember, id: i64) -> Result<&'static str, AppError> {
    let group = db::corrections::desk_group(pool, id).await?.ok_or(AppError::NotFound)?;
    if group.status != Status::Open {
        return Ok("taken");
    }
    let Some(changed) = changed_in(pool, &group).await? else {
        return Err(AppError::invalid(
            "revision",
            "No later revision changed the quoted text: apply, accept or dismiss the suggestion instead.",
        ));
    };
    let note = format!("Already fixed in revision {}.", changed.revision);
    let told = Message::CorrectionAlreadyFixed {
        headline: group.title.clone(),
        article_url: format!("{site_url}/articles/{}", group.slug),
        quote: quote_or_suggestion(&group),
    };
    if !db::corrections::close_fixed(pool, id, staff.id, changed.revision, &note, &told).await? {
        return Ok("taken");
    }
    audit::record(pool, Some(staff), audit::Kind::Correction, "closed as fixed", &format!("suggestion {id}"), &note)
        .await?;
    Ok("fixed")
}

/// An editor's decision on a suggestion group.
#[derive(Debug, Clone)]
pub struct Decision<'a> {
    /// Replace the quote in the article with `replacement` (apply), or only publish the
    /// notice (accept).
    pub edit: bool,
    pub replacement: &'a str,
    pub notice_kind: NoticeKind,
    pub note: &'a str,
    /// The article's revision the editor decided on, when the desk said; a fix to an
    /// article saved since is refused (`AppError::Stale`).
    pub seen_revision: Option<i64>,
    /// Replace the quote wherever else it stands as a whole word in the story too.
    pub everywhere: bool,
}

/// Where `quote` stands as a whole word (or words) in the article's headline, dek and body.
pub fn whole_word_places(article: &StoredArticle, quote: &str) -> Vec<(Field, std::ops::Range<usize>)> {
    if quote.trim().is_empty() {
        return Vec::new();
    }
    let fields = [
        (Field::Title, article.title.as_str()),
        (Field::Dek, article.dek.as_deref().unwrap_or_default()),
        (Field::Body, article.body_md.as_str()),
    ];
    let mut places = Vec::new();
    for (field, text) in fields {
        for (at, _) in text.match_indices(quote) {
            let end = at + quote.len();
            let before = text[..at].chars().next_back();
            let after = text[end..].chars().next();
            if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
                places.push((field, at..end));
            }
        }
    }
    places
}

/// What a reporter is reminded of: the words they pointed to, or (from the plain form) what
/// they suggested.
fn quote_or_suggestion(group: &DeskGroup) -> String {
    if group.quote.is_empty() { group.suggested_text.clone() } else { group.quote.clone() }
}

/// Dismisses a suggestion group, telling its reporters; `"taken"` when someone decided on
/// it first.
#[tracing::instrument(skip(pool, site_url, staff, reason), fields(staff = staff.id))]
pub async fn dismiss(
    pool: &Pool,
    site_url: &str,
    staff: &StaffMember,
    id: i64,
    reason: &str,
) -> Result<&'static str, AppError> {
    let reason: String = reason.trim().chars().take(200).collect();
    let group = db::corrections::desk_group(pool, id).await?.ok_or(AppError::NotFound)?;
    // Every reporter who left an address hears of it, in the same transaction.
    let told = Message::CorrectionDismissed {
        headline: group.title.clone(),
        article_url: format!("{site_url}/articles/{}", group.slug),
        quote: quote_or_suggestion(&group),
        reason: (!reason.is_empty()).then(|| reason.clone()),
    };
    if !db::corrections::dismiss(pool, id, staff.id, &reason, &told).await? {
        return Ok("taken");
    }
    audit::record(pool, Some(staff), audit::Kind::Correction, "dismissed", &format!("suggestion {id}"), &reason)
        .await?;
    Ok("dismissed")
}

/// Applies or accepts a suggestion group: `"applied"`, `"accepted"`, or `"taken"` when
/// someone decided on it first.
#[tracing::instrument(skip(pool, site_url, staff, decision), fields(staff = staff.id, edit = decision.edit))]
pub async fn decide(
    pool: &Pool,
    site_url: &str,
    staff: &StaffMember,
    id: i64,
    decision: &Decision<'_>,
) -> Result<&'static str, AppError> {
    let note = crate::domain::text::normalise_newlines(decision.note.trim());
    if note.is_empty() || note.chars().count() > MAX_NOTICE_CHARS || crate::domain::text::has_control_chars(&note) {
        return Err(AppError::invalid(
            "note",
            format!("Write a public note of at most {MAX_NOTICE_CHARS} characters."),
        ));
    }
    let notice_kind = decision.notice_kind.as_str();
    let group = db::corrections::desk_group(pool, id).await?.ok_or(AppError::NotFound)?;
    if group.status != Status::Open {
        return Ok("taken");
    }
    let article = db::articles::published_by_slug(pool, &group.slug).await?.ok_or(AppError::NotFound)?;
    let from_revision = decision.seen_revision.unwrap_or(article.revision);
    if decision.edit && from_revision != article.revision {
        return Err(AppError::Stale);
    }
    let replacement = crate::domain::text::normalise_newlines(decision.replacement);
    if replacement.chars().count() > MAX_REPLACEMENT_CHARS || crate::domain::text::has_control_chars(&replacement) {
        let message =
            format!("The replacement must be at most {} printable characters.", thousands(MAX_REPLACEMENT_CHARS));
        return Err(AppError::invalid("replacement", message));
    }
    let (mut title, mut dek, mut body) = (article.title.clone(), article.dek.clone(), article.body_md.clone());
    if decision.edit {
        let Fit::Applicable(field, range) = fit(&group, &article) else {
            return Err(AppError::invalid(
                "replacement",
                "The article's text has changed since the suggestion: edit the article by hand.",
            ));
        };
        // The anchored place, and with `everywhere` the others too; last first, so the
        // earlier places' offsets still hold.
        let anchored = (field, range);
        let mut places = vec![anchored.clone()];
        if decision.everywhere {
            places.extend(whole_word_places(&article, &group.quote).into_iter().filter(|p| *p != anchored));
        }
        places.sort_by_key(|(_, r)| std::cmp::Reverse(r.start));
        for (field, range) in places {
            match field {
                Field::Title => title.replace_range(range, &replacement),
                Field::Dek => {
                    if let Some(dek) = dek.as_mut() {
                        dek.replace_range(range, &replacement);
                    }
                }
                Field::Body => body.replace_range(range, &replacement),
            }
        }
        if title.trim().is_empty() {
            return Err(AppError::invalid("replacement", "The headline cannot be empty."));
        }
    }
    let summary =
        format!("Reader suggestion {id}: \u{201c}{}\u{201d} \u{2192} \u{201c}{replacement}\u{201d}", group.quote);
    let told = Message::CorrectionPublished {
        headline: title.clone(),
        article_url: format!("{site_url}/articles/{}", group.slug),
        notice_kind: decision.notice_kind.label().to_owned(),
        notice: note.clone(),
        quote: quote_or_suggestion(&group),
        now_reads: decision.edit.then(|| format!("\u{2026}{}{replacement}{}\u{2026}", group.prefix, group.suffix)),
    };
    let acceptance = Acceptance {
        group_id: id,
        article_id: article.id,
        fixed: decision.edit.then_some((title.as_str(), dek.as_deref(), body.as_str())),
        from_revision,
        summary: &summary,
        notice_kind,
        notice: &note,
        staff_id: staff.id,
        staff_name: &staff.name,
        told: &told,
    };
    match db::corrections::accept(pool, &acceptance).await? {
        Accepted::Done => {}
        Accepted::Taken => return Ok("taken"),
        Accepted::Stale => return Err(AppError::Stale),
    }
    let action = if decision.edit { "applied" } else { "accepted" };
    audit::record(pool, Some(staff), audit::Kind::Correction, action, &format!("suggestion {id}"), &note).await?;
    Ok(action)
}
