//! The comment, reply and report forms as the server renders them. They post without
//! JavaScript; the comment islands enhance them in place (errors beside the fields, no page
//! load) without carrying their markup in the wasm.

use leptos::prelude::*;

use super::escape_text;
use super::form::Honeypot;
use crate::domain::comment::{
    CommentForm, MAX_BODY_CHARS, MAX_NAME_CHARS, MAX_REPORT_NOTE_CHARS, ReportForm, ReportReason,
};
use crate::domain::text::FieldError;
use crate::error::AppError;

/// Stands for the comment id in the reply and report templates; the browser puts the id of
/// the comment being answered in its place.
pub const COMMENT_PLACEHOLDER: &str = "__comment__";
/// Ids of the `<template>`s the comment islands copy their reply and report forms from.
pub const REPLY_TEMPLATE: &str = "reply-template";
pub const REPORT_TEMPLATE: &str = "report-template";

/// Field problems stay next to their fields; anything else is said above the button.
fn split_error(error: Option<AppError>) -> (Vec<FieldError>, Option<String>) {
    match error {
        None => (Vec::new(), None),
        Some(AppError::Invalid(problems)) => {
            let general = problems.iter().find(|p| p.field == "parent").map(|p| p.message.clone());
            (problems, general)
        }
        Some(other) => (Vec::new(), Some(other.to_string())),
    }
}

fn message_for(problems: &[FieldError], field: &str) -> Option<String> {
    problems.iter().find(|p| p.field == field).map(|p| p.message.clone())
}

/// "Cancel": back to the comment without JavaScript; the island closes the form instead.
#[component]
fn CancelLink(href: String) -> impl IntoView {
    view! { <a class="button-quiet" href=href data-cancel="">"Cancel"</a> }
}

/// A comment form: under the article (`parent` is `None`) or answering a comment. Field ids
/// are `{prefix}-name`, `{prefix}-email`, `{prefix}-body`, each with `…-error` beside it.
#[component]
pub fn CommentFormView(
    #[prop(into)] slug: String,
    #[prop(into)] prefix: String,
    parent: Option<String>,
    #[prop(into)] label: String,
    #[prop(optional)] form: CommentForm,
    #[prop(default = None)] error: Option<AppError>,
    /// Where "Cancel" leads; no Cancel when `None`.
    #[prop(optional)]
    cancel: Option<String>,
) -> impl IntoView {
    let (problems, failure) = split_error(error);
    let id = |field: &str| format!("{prefix}-{field}");
    let field = |name: &'static str, label: &'static str, hint: Option<&'static str>, control: AnyView| {
        let message = message_for(&problems, name);
        let invalid = message.is_some();
        view! {
            <div class="field" class:field-invalid=invalid>
                <label for=id(name)>{label}</label>
                {hint.map(|hint| view! { <p class="field-hint" id=id(&format!("{name}-hint"))>{hint}</p> })}
                {control}
                <p class="field-error" id=id(&format!("{name}-error")) aria-live="polite">{message}</p>
            </div>
        }
    };
    let invalid = |name: &str| message_for(&problems, name).map(|_| "true");
    let name = view! {
        <input id=id("name") name="name" type="text" autocomplete="name" required maxlength=MAX_NAME_CHARS
            value=form.name.clone() aria-invalid=invalid("name") aria-describedby=id("name-error") />
    };
    let email = view! {
        <input id=id("email") name="email" type="email" autocomplete="email" value=form.email.clone()
            aria-invalid=invalid("email") aria-describedby=format!("{} {}", id("email-hint"), id("email-error")) />
    };
    // Leptos writes textarea content unescaped on the server: escaped here.
    let body = view! {
        <textarea id=id("body") name="body" rows="5" required maxlength=MAX_BODY_CHARS aria-invalid=invalid("body")
            aria-describedby=id("body-error") inner_html=escape_text(&form.body)></textarea>
    };
    let button = if parent.is_some() { "Post reply" } else { "Post comment" };
    view! {
        <form class="comment-form stacked" method="post" action=format!("/articles/{slug}/comments") aria-label=label
            data-slug=slug.clone()>
            {parent.map(|p| view! { <input type="hidden" name="parent" value=p /> })}
            {field("name", "Name", None, name.into_any())}
            {field("email", "Email", Some("Optional. Never shown publicly."), email.into_any())}
            <div class="field">
                <div class="choice">
                    <input type="checkbox" id=id("notify") name="notify" value="yes" checked=!form.notify.is_empty()
                        aria-describedby=id("notify-hint") />
                    <label for=id("notify")>"Email me when someone replies"</label>
                </div>
                <p class="field-hint" id=id("notify-hint")>
                    "Needs your email. The first time, we send a link to confirm; nothing else until you follow it."
                </p>
            </div>
            {field("body", "Comment", None, body.into_any())}
            <Honeypot />
            <p class="notice notice-error" role="alert" hidden=failure.is_none()>{failure.clone()}</p>
            <div class="form-actions">
                <button type="submit">{button}</button>
                {cancel.map(|href| view! { <CancelLink href /> })}
            </div>
        </form>
    }
}

/// "Why are you reporting this comment?" Ids are `{prefix}-reason-{reason}` and
/// `{prefix}-note`, with `{prefix}-reason-error` and `{prefix}-note-error`.
#[component]
pub fn ReportFormView(
    #[prop(into)] slug: String,
    /// The comment's id (or the template's placeholder).
    #[prop(into)]
    comment: String,
    #[prop(optional)] form: ReportForm,
    #[prop(default = None)] error: Option<AppError>,
    cancel: String,
) -> impl IntoView {
    let (problems, failure) = split_error(error);
    let prefix = format!("report-{comment}");
    let note_error = message_for(&problems, "note");
    view! {
        <form class="report-form stacked" method="post" action=format!("/articles/{slug}/comments/{comment}/report")
            aria-label="Report this comment" data-slug=slug.clone()>
            <fieldset aria-describedby=format!("{prefix}-reason-error")>
                <legend>"Why are you reporting this comment?"</legend>
                {ReportReason::ALL.into_iter().map(|reason| {
                    let id = format!("{prefix}-reason-{}", reason.as_str());
                    view! {
                        <div class="choice">
                            <input type="radio" id=id.clone() name="reason" value=reason.as_str() required
                                checked=form.reason == reason.as_str() />
                            <label for=id>{reason.label()}</label>
                        </div>
                    }
                }).collect_view()}
                <p class="field-error" id=format!("{prefix}-reason-error") aria-live="polite">
                    {message_for(&problems, "reason")}
                </p>
            </fieldset>
            <div class="field" class:field-invalid=note_error.is_some()>
                <label for=format!("{prefix}-note")>"Details"</label>
                <p class="field-hint" id=format!("{prefix}-note-hint")>{format!("Needed for \u{201c}Something else\u{201d}; at most {MAX_REPORT_NOTE_CHARS} characters.")}</p>
                <textarea
                    id=format!("{prefix}-note")
                    name="note"
                    rows="2"
                    maxlength=MAX_REPORT_NOTE_CHARS
                    aria-invalid=note_error.as_ref().map(|_| "true")
                    aria-describedby=format!("{prefix}-note-hint {prefix}-note-error")
                    inner_html=escape_text(&form.note)
                ></textarea>
                <p class="field-error" id=format!("{prefix}-note-error") aria-live="polite">{note_error.clone()}</p>
            </div>
            <p class="notice notice-error" role="alert" hidden=failure.is_none()>{failure.clone()}</p>
            <div class="form-actions">
                <button type="submit">"Send report"</button>
                <CancelLink href=cancel />
            </div>
        </form>
    }
}

/// The reply and report forms once per page, for the islands to copy under any comment.
#[component]
pub fn CommentFormTemplates(#[prop(into)] slug: String) -> impl IntoView {
    let c = COMMENT_PLACEHOLDER;
    view! {
        <template id=REPLY_TEMPLATE>
            <CommentFormView slug=slug.clone() prefix=format!("reply-{c}") parent=Some(c.to_owned()) label="Reply"
                cancel=format!("#comment-{c}") />
        </template>
        <template id=REPORT_TEMPLATE>
            <ReportFormView slug comment=c cancel=format!("#comment-{c}") />
        </template>
    }
}
