//! (ssr) `/staff/corrections`: readers' suggestions, applied or dismissed.

use leptos::prelude::*;

use super::StaffFrame;
use crate::components::dates::Time;
use crate::components::diff::{diff_view, field_diffs};
use crate::components::escape_text;
use crate::domain::desk::ChangedIn;
use crate::domain::diff::word_diff;
use crate::domain::mail::comment_path;
use crate::domain::staff::Role;
use crate::domain::suggestion::{Kind, NoticeKind, Status};
use crate::error::AppError;
use crate::http::guards::staff_page;
use crate::pages::load_page;
use crate::pages::{PageTitle, query};
use crate::services::corrections::Fit;
use crate::services::desk::{self, DeskItem};

/// The public note the editor starts from.
fn default_notice(kind: &str, quote: &str, suggested: &str) -> String {
    match kind {
        "typo" => format!(
            "An earlier version of this article misspelled \u{201c}{suggested}\u{201d} as \u{201c}{quote}\u{201d}."
        ),
        "clarification" => format!("This article has been updated to clarify \u{201c}{quote}\u{201d}."),
        _ if quote.is_empty() => "An earlier version of this article contained an error.".into(),
        _ => format!(
            "An earlier version of this article said \u{201c}{quote}\u{201d}. It has been corrected to \u{201c}{suggested}\u{201d}."
        ),
    }
}

fn done_message(code: &str) -> Option<&'static str> {
    Some(match code {
        "applied" => "The fix is saved as a new revision and the notice is published.",
        "accepted" => "Accepted; the notice is published.",
        "dismissed" => "Suggestion dismissed.",
        "taken" => "Someone else decided on that suggestion first; nothing was changed.",
        "edited" => "The article is saved. Accept the suggestion below to publish its note.",
        "fixed" => "Closed as already fixed; its reporters are told.",
        "from-comment" => "The suggestion from the comment is on the desk.",
        "answered" => "The reply is posted under the comment.",
        "answered-before" => "That comment already has its reply; nothing was posted.",
        _ => return None,
    })
}

/// A decision that could not be carried out, shown above the desk (`http::forms::corrections`).
#[derive(Debug, Clone)]
pub struct DecisionRefused(pub AppError);

#[component]
pub fn CorrectionsDesk() -> impl IntoView {
    let status = query("status");
    let done = query("done").as_deref().and_then(done_message);
    let refused = use_context::<DecisionRefused>().map(|r| r.0.to_string());
    load_page(
        async move {
            let (state, staff) = staff_page(Role::Editor).await?;
            let status = match status.as_deref() {
                None | Some("") => Some(Status::Open),
                Some("all") => None,
                Some(raw) => Some(Status::parse(raw).ok_or(AppError::NotFound)?),
            };
            let items = desk::corrections(&state.pool, status).await?;
            Ok::<_, AppError>((staff, status, items))
        },
        move |(staff, status, items)| {
            let refused = refused.clone();
            let tabs = [("open", "Open"), ("accepted", "Accepted"), ("dismissed", "Dismissed"), ("all", "All")]
                .into_iter()
                .map(|(value, label)| {
                    let current = (status.map_or("all", Status::as_str) == value).then_some("page");
                    view! { <li><a href=format!("/staff/corrections?status={value}") aria-current=current>{label}</a></li> }
                })
                .collect_view();
            let list = if items.is_empty() {
                view! { <p class="queue-empty">"No suggestions here."</p> }.into_any()
            } else {
                view! { <ol class="queue-items">{items.into_iter().map(group_item).collect_view()}</ol> }.into_any()
            };
            view! {
                <PageTitle text="Corrections · Staff desk" />
                <StaffFrame staff current="/staff/corrections">
                    <h1 class="page-title">"Reader corrections"</h1>
                    {done.map(|d| view! { <p class="notice notice-success" role="status">{d}</p> })}
                    {refused.map(|r| view! { <p class="notice notice-error" role="alert">{r}</p> })}
                    <nav class="queue-tabs" aria-label="Suggestions"><ul>{tabs}</ul></nav>
                    {list}
                </StaffFrame>
            }
        },
    )
}

fn group_item(item: DeskItem) -> impl IntoView {
    let DeskItem { group, fit, flagged, elsewhere, changed } = item;
    let id = group.id;
    let flagged_note = (!flagged.is_empty()).then(|| {
        let items = flagged
            .iter()
            .map(|p| {
                let suggested = p.suggestions.first().map(|s| format!(" Suggested: \u{201c}{s}\u{201d}."));
                view! {
                    <li>{format!("{}: \u{201c}{}\u{201d}. {}", p.kind.label(), p.text, p.reason)}{suggested}</li>
                }
            })
            .collect_view();
        view! {
            <div class="check-seen">
                <p><strong>"The copy check saw it too:"</strong></p>
                <ul>{items}</ul>
            </div>
        }
    });
    let kind = Kind::parse(&group.kind).map_or("Other", Kind::label);
    let diff = diff_view(word_diff(&group.quote, &group.suggested_text));
    let open_editor = matches!(fit, Fit::NeedsEditor).then(|| {
        let href = format!("/staff/articles/{}/edit?at={}&suggestion={id}", group.slug, group.start_offset);
        view! { <p><a href=href>"Open the editor at this paragraph"</a></p> }
    });
    let fit_note = match &fit {
        Fit::Applicable(..) => None,
        Fit::NeedsEditor => Some("The quote spans formatting in the source: fix it in the editor, then accept here."),
        Fit::TextChanged if changed.is_some() => None,
        Fit::TextChanged => Some("Text has changed: the quote is no longer where the reader saw it."),
        Fit::NoQuote => Some("The reader named no phrase."),
    };
    let changed = changed.map(|changed| changed_view(id, changed));
    let notice = default_notice(&group.kind, &group.quote, &group.suggested_text);
    let notice_kind = if group.kind == "clarification" { "clarification" } else { "correction" };
    let is_open = group.status == Status::Open;
    let accepted_note = (group.status == Status::Accepted && group.fixed_revision.is_none())
        .then(|| group.decision_note.clone())
        .flatten();
    let reports = group
        .reports
        .iter()
        .map(|report| {
            let kind = Kind::parse(&report.kind).map_or("Other", Kind::label);
            let from_comment = report.comment_id.map(|comment| {
                let author = report.comment_author.clone().unwrap_or_else(|| "a reader".into());
                let answer = match (report.reply_id, &accepted_note) {
                    (Some(reply), _) => Some(view! {
                        " " <a href=comment_path(&group.slug, reply)>"Answered under the comment"</a>
                    }.into_any()),
                    (None, Some(notice)) => Some(view! {
                        <form method="post" action=format!("/staff/corrections/{id}/answer") class="inline-form">
                            <input type="hidden" name="comment" value=comment.to_string() />
                            <button type="submit" class="button-quiet">
                                {format!("Reply \u{201c}Corrected: {notice}\u{201d} under {author}\u{2019}s comment")}
                            </button>
                        </form>
                    }.into_any()),
                    (None, None) => None,
                };
                view! {
                    " — from "<a href=comment_path(&group.slug, comment)>{format!("a comment by {author}")}</a>
                    {answer}
                }
            });
            view! {
                <li>
                    {kind}
                    {report.note.clone().map(|n| view! { ": " <q>{n}</q> })}
                    {report.email.clone().map(|e| view! { " — " <span class="queue-email">{e}</span> })}
                    {from_comment}
                </li>
            }
        })
        .collect_view();
    // One decision form: Apply (with the replacement) when the quote maps to the source,
    // otherwise Accept with the note alone.
    let applicable = matches!(fit, Fit::Applicable(..));
    let (action, button) = if applicable { ("apply", "Apply") } else { ("accept", "Accept and publish the note") };
    let decision = view! {
        <form method="post" action=format!("/staff/corrections/{id}/{action}") class="stacked correction-apply">
            <input type="hidden" name="revision" value=group.article_revision.to_string() />
            {applicable.then(|| view! {
                <div class="field">
                    <label for=format!("replacement-{id}")>"Replace the quote with"</label>
                    <textarea id=format!("replacement-{id}") name="replacement" rows="2" inner_html=escape_text(&group.suggested_text)></textarea>
                </div>
            })}
            {(applicable && elsewhere > 0).then(|| view! {
                <div class="field field-check">
                    <input type="checkbox" id=format!("everywhere-{id}") name="everywhere" value="1" />
                    <label for=format!("everywhere-{id}")>{format!(
                        "Also replace the {} other \u{201c}{}\u{201d} in this story",
                        if elsewhere == 1 { "one".to_owned() } else { elsewhere.to_string() },
                        group.quote
                    )}</label>
                </div>
            })}
            <div class="field">
                <label for=format!("kind-{id}")>"Notice"</label>
                <select id=format!("kind-{id}") name="notice_kind">
                    {NoticeKind::ALL.map(|k| view! {
                        <option value=k.as_str() selected=k.as_str() == notice_kind>{k.label()}</option>
                    })}
                </select>
            </div>
            <div class="field">
                <label for=format!("note-{id}")>"Public note"</label>
                <textarea id=format!("note-{id}") name="note" rows="2" required inner_html=escape_text(&notice)></textarea>
            </div>
            <button type="submit">{button}</button>
        </form>
    };
    view! {
        <li class="queue-item correction-group" id=format!("group-{id}")>
            <div class="queue-head">
                <strong>{kind}</strong>
                <span class="badge">{format!("{} report{}", group.report_count, if group.report_count == 1 { "" } else { "s" })}</span>
                <span class="badge">{group.status.as_str()}</span>
                <a href=format!("/articles/{}", group.slug)>{group.title.clone()}</a>
                <Time at=group.last_reported_at with_time=true />
                <span class="queue-meta">{group.time_to_decision(time::OffsetDateTime::now_utc())}</span>
            </div>
            {fit_note.map(|n| view! { <p class="queue-held">{n}</p> })}
            {changed}
            {flagged_note}
            {open_editor}
            {(!group.quote.is_empty()).then(|| view! {
                <p class="cd-context">"…" {group.prefix.clone()} <mark>{group.quote.clone()}</mark> {group.suffix.clone()} "…"</p>
            })}
            <p class="correction-diff"><span class="cd-context-label">"Suggested: "</span>{diff}</p>
            <ul class="correction-reports">{reports}</ul>
            {group.decision_note.clone().map(|n| view! { <p class="queue-meta">{format!("Decision: {n}")}</p> })}
            {is_open.then(|| view! {
                <div class="correction-actions">
                    {decision}
                    <form method="post" action=format!("/staff/corrections/{id}/dismiss") class="correction-dismiss">
                        <label for=format!("reason-{id}")>"Reason (optional)"</label>
                        <input id=format!("reason-{id}") name="reason" type="text" maxlength="200" />
                        <button type="submit" class="button-quiet">"Dismiss"</button>
                    </form>
                </div>
            })}
        </li>
    }
}

/// "Changed in revision N": what that revision changed, and closing the group as fixed.
fn changed_view(id: i64, changed: ChangedIn) -> impl IntoView {
    let who = changed.saved_by.clone().unwrap_or_else(|| "an import".into());
    let fields = field_diffs(changed.fields);
    view! {
        <div class="changed-in">
            <p class="queue-held">
                <strong>{format!("Changed in revision {}", changed.revision)}</strong>
                {format!(" by {who}, ")}<Time at=changed.created_at with_time=true />
                ": the quote is no longer where the reader saw it."
            </p>
            <details>
                <summary>{format!("What revision {} changed", changed.revision)}</summary>
                {fields}
            </details>
            <form method="post" action=format!("/staff/corrections/{id}/fixed") class="inline-form">
                <button type="submit">{format!("Close as already fixed in revision {}", changed.revision)}</button>
            </form>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_notices_name_what_changed() {
        assert_eq!(
            default_notice("typo", "Halvorson", "Halvorsen"),
            "An earlier version of this article misspelled \u{201c}Halvorsen\u{201d} as \u{201c}Halvorson\u{201d}."
        );
        assert!(default_notice("factual", "31 votes", "13 votes").contains("corrected to \u{201c}13 votes\u{201d}"));
        assert!(
            default_notice("clarification", "the fund", "x").starts_with("This article has been updated to clarify")
        );
        assert_eq!(default_notice("other", "", "x"), "An earlier version of this article contained an error.");
    }
}
