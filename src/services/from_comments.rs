//! (ssr) Corrections that start in a comment: a moderator turns a reader's comment that
//! points out an error into a suggestion on its article (keeping a link to the comment),
//! and once the fix is published answers under the comment in one click ("Corrected: …").

use crate::content::markdown::article_plain_text;
use crate::db::{self, Pool, audit, comments::Insert, corrections::NewReport};
use crate::domain::anchor::{Selection, locate, occurrences};
use crate::domain::comment::{MAX_DEPTH, NewComment, Status as CommentStatus};
use crate::domain::desk::QueueItem;
use crate::domain::staff::StaffMember;
use crate::domain::suggestion::{NoticeKind, Status, SuggestionForm};
use crate::domain::tokens::ReaderToken;
use crate::error::AppError;

pub const QUOTE_NEEDED: &str = "Copy the words from the article that the comment says are wrong.";
pub const QUOTE_MISSING: &str = "These words are not in the article as it reads now: copy them from the text below.";

/// What the moderator turns into a suggestion: the comment, and its article's text in
/// paragraphs to copy the quote from.
#[derive(Debug, Clone)]
pub struct Source {
    pub comment: QueueItem,
    pub article_revision: i64,
    pub paragraphs: Vec<String>,
}

/// The comment and its published article; `NotFound` for either missing.
#[tracing::instrument(skip(pool))]
pub async fn source(pool: &Pool, comment_id: i64) -> Result<Source, AppError> {
    let comment = db::comments::queue_item(pool, comment_id).await?.ok_or(AppError::NotFound)?;
    let article = db::articles::published_by_slug(pool, &comment.article_slug).await?.ok_or(AppError::NotFound)?;
    let text = article_plain_text(&article.title, article.dek.as_deref(), &article.body_md);
    let paragraphs = text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned).collect();
    Ok(Source { comment, article_revision: article.revision, paragraphs })
}

/// Stores a suggestion made from comment `comment_id` (its quote must stand exactly once
/// in the article) and answers with its group's id. The reader's address is not copied:
/// they hear of the fix from the reply under their comment.
#[tracing::instrument(skip(pool, staff, form), fields(staff = staff.id))]
pub async fn suggest(
    pool: &Pool,
    staff: &StaffMember,
    comment_id: i64,
    form: &SuggestionForm,
) -> Result<i64, AppError> {
    let comment = db::comments::queue_item(pool, comment_id).await?.ok_or(AppError::NotFound)?;
    let article = db::articles::published_by_slug(pool, &comment.article_slug).await?.ok_or(AppError::NotFound)?;
    let form = SuggestionForm { email: String::new(), website: String::new(), ..form.clone() };
    let suggestion = form.parse().map_err(AppError::Invalid)?;
    let quote = suggestion.quote.clone().ok_or_else(|| AppError::invalid("quote", QUOTE_NEEDED))?;
    let text = article_plain_text(&article.title, article.dek.as_deref(), &article.body_md);
    match occurrences(&text, &quote) {
        0 => return Err(AppError::invalid("quote", QUOTE_MISSING)),
        1 => {}
        n => {
            return Err(AppError::invalid(
                "quote",
                format!(
                    "These words stand {n} times in the article: add a word or two around them so it is clear which."
                ),
            ));
        }
    }
    let selection = Selection { quote: &quote, ..Default::default() };
    let anchor = locate(&text, &selection).ok_or_else(|| AppError::invalid("quote", QUOTE_MISSING))?;
    let client_hash = format!("comment:{comment_id}");
    let report = NewReport {
        article_id: article.id,
        revision: article.revision,
        quote: &anchor.quote,
        prefix: &anchor.prefix,
        suffix: &anchor.suffix,
        span: Some((anchor.start, anchor.end)),
        kind: suggestion.kind,
        suggested: &suggestion.suggested,
        note: suggestion.note.as_deref(),
        email: None,
        client_hash: &client_hash,
        comment_id: Some(comment_id),
    };
    let stored = db::corrections::add_report(pool, &report).await?;
    let detail = format!("comment {comment_id} \u{2192} suggestion {}", stored.group_id);
    audit::record(pool, Some(staff), audit::Kind::Correction, "suggested from a comment", &detail, &anchor.quote)
        .await?;
    Ok(stored.group_id)
}

/// What a staff reply under a comment says once its correction is out.
pub fn corrected_reply(notice_kind: &str, notice: &str) -> String {
    match NoticeKind::parse(notice_kind) {
        NoticeKind::Correction => format!("Corrected: {notice}"),
        other => format!("Corrected ({}): {notice}", other.label().to_lowercase()),
    }
}

/// Posts the "Corrected: <notice>" reply under comment `comment_id`, a source of group
/// `group_id`, as `staff`: `"answered"`, or `"answered-before"` when it already has one.
/// Under a comment already nested as deep as replies go, the reply joins its thread's top.
#[tracing::instrument(skip(pool, staff), fields(staff = staff.id))]
pub async fn answer(
    pool: &Pool,
    staff: &StaffMember,
    group_id: i64,
    comment_id: i64,
) -> Result<&'static str, AppError> {
    let group = db::corrections::desk_group(pool, group_id).await?.ok_or(AppError::NotFound)?;
    if !group.reports.iter().any(|r| r.comment_id == Some(comment_id)) {
        return Err(AppError::NotFound);
    }
    let notice = match (group.status, db::corrections::notice_of(pool, group_id).await?) {
        (Status::Accepted, Some(notice)) => notice,
        _ => {
            return Err(AppError::invalid("comment", "Publish the correction first: the reply quotes its notice."));
        }
    };
    let mut parent = db::comments::parent(pool, comment_id).await?.ok_or(AppError::NotFound)?;
    if parent.status != CommentStatus::Published {
        return Err(AppError::invalid("comment", "That comment is not published: a reply under it would not be seen."));
    }
    if parent.depth >= MAX_DEPTH {
        let root = parent.root_id.ok_or(AppError::Internal)?;
        parent = db::comments::parent(pool, root).await?.ok_or(AppError::NotFound)?;
    }
    let body = corrected_reply(&notice.0, &notice.1);
    let reply = Insert {
        article_id: parent.article_id,
        comment: NewComment { name: staff.name.clone(), email: None, body, parent: Some(parent.id), notify: false },
        parent: Some(parent),
        hold: None,
        client_hash: format!("staff:{}", staff.id),
        author_token: ReaderToken::generate().hash(),
        staff_id: Some(staff.id),
        confirm: None,
    };
    let Some(reply_id) = db::corrections::answer_comment(pool, group_id, comment_id, &reply).await? else {
        return Ok("answered-before");
    };
    let detail = format!("suggestion {group_id}, comment {comment_id}");
    audit::record(
        pool,
        Some(staff),
        audit::Kind::Comment,
        "answered with the correction",
        &detail,
        &format!("reply {reply_id}"),
    )
    .await?;
    Ok("answered")
}

#[cfg(test)]
mod tests {
    use super::corrected_reply;

    #[test]
    fn the_reply_quotes_the_notice_and_names_other_kinds() {
        assert_eq!(corrected_reply("correction", "It was Samarkand."), "Corrected: It was Samarkand.");
        assert_eq!(corrected_reply("update", "Figures added."), "Corrected (update): Figures added.");
    }
}
