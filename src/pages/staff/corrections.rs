//! (ssr) `/staff/corrections`: readers' suggestions, applied or dismissed.

use leptos::prelude::*;

use super::StaffFrame;
use crate::components::dates::Time;
use crate::components::escape_text;
use crate::domain::diff::{Change, word_diff};
use crate::domain::staff::Role;
use crate::domain::suggestion::{Kind, Status};
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
    let DeskItem { group, fit, flagged, elsewhere } = item;
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
    let diff = word_diff(&group.quote, &group.suggested_text)
        .into_iter()
        .map(|change| match change {
            Change::Same(t) => view! { <span>{t}</span> }.into_any(),
            Change::Removed(t) => view! { <del>{t}</del> }.into_any(),
            Change::Added(t) => view! { <ins>{t}</ins> }.into_any(),
        })
        .collect_view();
    let open_editor = matches!(fit, Fit::NeedsEditor).then(|| {
        let href = format!("/staff/articles/{}/edit?at={}&suggestion={id}", group.slug, group.start_offset);
        view! { <p><a href=href>"Open the editor at this paragraph"</a></p> }
    });
    let fit_note = match &fit {
        Fit::Applicable(..) => None,
        Fit::NeedsEditor => Some("The quote spans formatting in the source: fix it in the editor, then accept here."),
        Fit::TextChanged => Some("Text has changed: the quote is no longer where the reader saw it."),
        Fit::NoQuote => Some("The reader named no phrase."),
    };
    let notice = default_notice(&group.kind, &group.quote, &group.suggested_text);
    let notice_kind = if group.kind == "clarification" { "clarification" } else { "correction" };
    let is_open = group.status == Status::Open;
    let reports = group
        .reports
        .iter()
        .map(|(kind, note, email)| {
            let kind = Kind::parse(kind).map_or("Other", Kind::label);
            view! {
                <li>
                    {kind}
                    {note.clone().map(|n| view! { ": " <q>{n}</q> })}
                    {email.clone().map(|e| view! { " — " <span class="queue-email">{e}</span> })}
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
                    <option value="correction" selected=notice_kind == "correction">"Correction"</option>
                    <option value="clarification" selected=notice_kind == "clarification">"Clarification"</option>
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
