use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;

use super::{StaffFrame, action_guard, page_guard};
use crate::components::dates::Time;
use crate::components::escape_text;
use crate::content::markdown::{Field, article_plain_text, source_span};
use crate::db::corrections::{Acceptance, DeskGroup};
use crate::db::{self, audit};
use crate::domain::diff::{Change, word_diff};
use crate::domain::staff::{Role, StaffMember};
use crate::domain::suggestion::Kind;
use crate::error::AppError;
use crate::pages::load_page;
use crate::pages::{PageTitle, query};
use crate::state::AppState;

const MAX_NOTICE_CHARS: usize = 500;

/// What the desk can do with a suggestion against the article as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Fit {
    /// The quote is still at its anchor and maps one-for-one to the source.
    Applicable(Field, std::ops::Range<usize>),
    /// Still there, but across formatting: a person edits the source.
    NeedsEditor,
    /// The text at the anchor is no longer the quote.
    TextChanged,
    /// The reader named no phrase (plain form).
    NoQuote,
}

fn fit(group: &DeskGroup, article: &db::articles::StoredArticle) -> Fit {
    if group.quote.is_empty() || group.start_offset < 0 {
        return Fit::NoQuote;
    }
    let (start, end) = (group.start_offset as usize, group.end_offset as usize);
    if let Some((field, range)) =
        source_span(&article.title, article.dek.as_deref(), &article.body_md, start, end, &group.quote)
    {
        return Fit::Applicable(field, range);
    }
    let plain: Vec<char> =
        article_plain_text(&article.title, article.dek.as_deref(), &article.body_md).chars().collect();
    let there = plain.get(start..end).map(|c| c.iter().collect::<String>());
    if there.as_deref() == Some(group.quote.as_str()) { Fit::NeedsEditor } else { Fit::TextChanged }
}

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

#[component]
pub fn CorrectionsDesk() -> impl IntoView {
    let status = query("status");
    let done = query("done").as_deref().and_then(done_message);
    load_page(
        async move {
            let (state, staff) = page_guard(Role::Editor).await?;
            let status = match status.as_deref() {
                None | Some("") | Some("open") => Some("open"),
                Some("all") => None,
                Some("accepted") => Some("accepted"),
                Some("dismissed") => Some("dismissed"),
                Some(_) => return Err(AppError::NotFound),
            };
            let groups = db::corrections::desk(&state.pool, status).await?;
            // Each article is read once, however many suggestions it has.
            let mut articles = std::collections::HashMap::new();
            let mut items = Vec::new();
            for group in groups {
                if !articles.contains_key(&group.slug) {
                    let article = db::articles::published_by_slug(&state.pool, &group.slug).await?;
                    articles.insert(group.slug.clone(), article);
                }
                let fit = articles[&group.slug].as_ref().map_or(Fit::TextChanged, |a| fit(&group, a));
                items.push((group, fit));
            }
            Ok::<_, AppError>((staff, status, items))
        },
        move |(staff, status, items)| {
            let tabs = [("open", "Open"), ("accepted", "Accepted"), ("dismissed", "Dismissed"), ("all", "All")]
                .into_iter()
                .map(|(value, label)| {
                    let current = (status.unwrap_or("all") == value).then_some("page");
                    view! { <li><a href=format!("/staff/corrections?status={value}") aria-current=current>{label}</a></li> }
                })
                .collect_view();
            let list = if items.is_empty() {
                view! { <p class="queue-empty">"No suggestions here."</p> }.into_any()
            } else {
                view! { <ol class="queue-items">{items.into_iter().map(|(g, f)| group_item(g, f)).collect_view()}</ol> }
                    .into_any()
            };
            view! {
                <PageTitle text="Corrections · Staff desk" />
                <StaffFrame staff current="/staff/corrections">
                    <h1 class="page-title">"Reader corrections"</h1>
                    {done.map(|d| view! { <p class="notice notice-success" role="status">{d}</p> })}
                    <nav class="queue-tabs" aria-label="Suggestions"><ul>{tabs}</ul></nav>
                    {list}
                </StaffFrame>
            }
        },
    )
}

fn group_item(group: DeskGroup, fit: Fit) -> impl IntoView {
    let id = group.id;
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
    let is_open = group.status == "open";
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
            {applicable.then(|| view! {
                <div class="field">
                    <label for=format!("replacement-{id}")>"Replace the quote with"</label>
                    <textarea id=format!("replacement-{id}") name="replacement" rows="2" inner_html=escape_text(&group.suggested_text)></textarea>
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
                <span class="badge">{group.status.clone()}</span>
                <a href=format!("/articles/{}", group.slug)>{group.title.clone()}</a>
                <Time at=group.last_reported_at with_time=true />
            </div>
            {fit_note.map(|n| view! { <p class="queue-held">{n}</p> })}
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

#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    replacement: String,
    #[serde(default)]
    notice_kind: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    reason: String,
}

fn back(code: &str) -> Response {
    Redirect::to(&format!("/staff/corrections?done={code}")).into_response()
}

/// `POST /staff/corrections/{id}/dismiss`
pub async fn dismiss(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<DecisionForm>,
) -> Response {
    let staff = match action_guard(&state, &headers, Role::Editor).await {
        Ok(staff) => staff,
        Err(response) => return response,
    };
    let reason: String = form.reason.trim().chars().take(200).collect();
    let result = async {
        if !db::corrections::dismiss(&state.pool, id, staff.id, &reason).await? {
            return Ok("taken");
        }
        audit::record(
            &state.pool,
            Some(&staff),
            audit::Kind::Correction,
            "dismissed",
            &format!("suggestion {id}"),
            &reason,
        )
        .await?;
        Ok::<_, AppError>("dismissed")
    }
    .await;
    result.map_or_else(IntoResponse::into_response, back)
}

/// `POST /staff/corrections/{id}/apply`: replaces the quote in the article and publishes
/// the notice.
pub async fn apply(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<DecisionForm>,
) -> Response {
    match action_guard(&state, &headers, Role::Editor).await {
        Ok(staff) => decide(&state, &staff, id, &form, true).await.map_or_else(IntoResponse::into_response, back),
        Err(response) => response,
    }
}

/// `POST /staff/corrections/{id}/accept`: publishes the notice without changing the text.
pub async fn accept(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<DecisionForm>,
) -> Response {
    match action_guard(&state, &headers, Role::Editor).await {
        Ok(staff) => decide(&state, &staff, id, &form, false).await.map_or_else(IntoResponse::into_response, back),
        Err(response) => response,
    }
}

async fn decide(
    state: &AppState,
    staff: &StaffMember,
    id: i64,
    form: &DecisionForm,
    edit: bool,
) -> Result<&'static str, AppError> {
    let note = crate::domain::text::normalise_newlines(form.note.trim());
    if note.is_empty() || note.chars().count() > MAX_NOTICE_CHARS || crate::domain::text::has_control_chars(&note) {
        return Err(AppError::invalid("note", "Write a public note of at most 500 characters."));
    }
    let notice_kind = match form.notice_kind.as_str() {
        "clarification" => "clarification",
        _ => "correction",
    };
    let group = db::corrections::desk_group(&state.pool, id).await?.ok_or(AppError::NotFound)?;
    if group.status != "open" {
        return Ok("taken");
    }
    let article = db::articles::published_by_slug(&state.pool, &group.slug).await?.ok_or(AppError::NotFound)?;
    let replacement = crate::domain::text::normalise_newlines(&form.replacement);
    if replacement.chars().count() > 2_000 || crate::domain::text::has_control_chars(&replacement) {
        return Err(AppError::invalid("replacement", "The replacement must be at most 2,000 printable characters."));
    }
    let (mut title, mut dek, mut body) = (article.title.clone(), article.dek.clone(), article.body_md.clone());
    if edit {
        let Fit::Applicable(field, range) = fit(&group, &article) else {
            return Err(AppError::invalid(
                "replacement",
                "The article's text has changed since the suggestion: edit the article by hand.",
            ));
        };
        match field {
            Field::Title => title.replace_range(range, &replacement),
            Field::Dek => {
                if let Some(dek) = dek.as_mut() {
                    dek.replace_range(range, &replacement);
                }
            }
            Field::Body => body.replace_range(range, &replacement),
        }
        if title.trim().is_empty() {
            return Err(AppError::invalid("replacement", "The headline cannot be empty."));
        }
    }
    let summary =
        format!("Reader suggestion {id}: \u{201c}{}\u{201d} \u{2192} \u{201c}{replacement}\u{201d}", group.quote);
    let acceptance = Acceptance {
        group_id: id,
        article_id: article.id,
        fixed: edit.then_some((title.as_str(), dek.as_deref(), body.as_str())),
        summary: &summary,
        notice_kind,
        notice: &note,
        staff_id: staff.id,
        staff_name: &staff.name,
    };
    if !db::corrections::accept(&state.pool, &acceptance).await? {
        return Ok("taken");
    }
    let action = if edit { "applied" } else { "accepted" };
    audit::record(&state.pool, Some(staff), audit::Kind::Correction, action, &format!("suggestion {id}"), &note)
        .await?;
    Ok(action)
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
