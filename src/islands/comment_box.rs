//! The comment form: a plain HTML form that posts without JavaScript, and sends through a
//! server function with its errors shown in place once hydrated.

use leptos::html;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{FormFields, clear_field, focus_id};
use crate::api::comments::post_comment;
use crate::components::comments::{CommentBody, CommentHead};
use crate::components::escape_text;
use crate::components::form::Honeypot;
use crate::domain::comment::{CommentForm, MAX_BODY_CHARS, MAX_NAME_CHARS, Posted, is_default};
use crate::domain::text::FieldError;
use crate::error::AppError;

/// What a comment form shows when the page is rendered: after a plain form post that could
/// not be accepted, what the reader typed and what was wrong.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorState {
    #[serde(default, skip_serializing_if = "is_default")]
    pub form: CommentForm,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<AppError>,
}

/// What the author reads once a comment is stored.
pub fn posted_notice(pending: bool) -> &'static str {
    if pending { "Your comment is awaiting moderation." } else { "Your comment is published." }
}

/// Field problems stay next to their fields; anything else is said above the button.
pub(super) fn split_error(error: Option<AppError>) -> (Vec<FieldError>, Option<String>) {
    match error {
        None => (Vec::new(), None),
        Some(AppError::Invalid(problems)) => {
            let general = problems.iter().find(|p| p.field == "parent").map(|p| p.message.clone());
            (problems, general)
        }
        Some(other) => (Vec::new(), Some(other.to_string())),
    }
}

/// The form under the article (`parent` is `None`) or under a comment being replied to.
#[component]
pub fn CommentEditor(
    #[prop(into)] slug: String,
    parent: Option<i64>,
    state: EditorState,
    on_posted: Callback<Posted>,
    /// Where "Cancel" leads without JavaScript; with it, `on_cancel` runs instead.
    #[prop(optional, into)]
    cancel: Option<(String, Callback<()>)>,
    #[prop(optional, into)] label: String,
) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let (initial_errors, initial_failure) = split_error(state.error);
    let errors = RwSignal::new(initial_errors);
    let failure = RwSignal::new(initial_failure);
    let sending = RwSignal::new(false);
    let form_ref = NodeRef::<html::Form>::new();
    let prefix = parent.map_or_else(|| "comment".to_owned(), |p| format!("reply-{p}"));
    let id = {
        let prefix = prefix.clone();
        move |field: &str| format!("{prefix}-{field}")
    };
    let error_of = move |field: &'static str| {
        move || errors.with(|e| e.iter().find(|e| e.field == field).map(|e| e.message.clone()))
    };
    let invalid = move |field: &'static str| move || error_of(field)().map(|_| "true");

    let show_problems = {
        let id = id.clone();
        move |problems: Vec<FieldError>| {
            if let Some(first) = problems.iter().find(|p| ["name", "email", "body"].contains(&p.field.as_str())) {
                focus_id(&id(&first.field));
            }
            failure.set(problems.iter().find(|p| p.field == "parent").map(|p| p.message.clone()));
            errors.set(problems);
        }
    };

    let submit = {
        let slug = slug.clone();
        move |ev: leptos::ev::SubmitEvent| {
            // Without a readable form the browser posts it as a plain form.
            let Some(fields) = FormFields::read(&form_ref) else { return };
            ev.prevent_default();
            if sending.get_untracked() {
                return;
            }
            let form = CommentForm {
                name: fields.get("name"),
                email: fields.get("email"),
                body: fields.get("body"),
                parent: fields.get("parent"),
                website: fields.get("website"),
            };
            // The same rules the server applies, checked here first.
            if let Err(problems) = form.parse() {
                show_problems(problems);
                return;
            }
            sending.set(true);
            let slug = slug.clone();
            let show_problems = show_problems.clone();
            leptos::task::spawn_local(async move {
                let result = post_comment(slug, form).await;
                sending.set(false);
                match result {
                    Ok(comment) => {
                        errors.set(Vec::new());
                        failure.set(None);
                        clear_field(&form_ref, "body");
                        on_posted.run(comment);
                    }
                    Err(AppError::Invalid(problems)) => show_problems(problems),
                    Err(other) => failure.set(Some(other.to_string())),
                }
            });
        }
    };

    let action = format!("/articles/{slug}/comments");
    let button = if parent.is_some() { "Post reply" } else { "Post comment" };
    let cancel = cancel.map(|(href, on_cancel)| {
        move || {
            if hydrated.get() {
                view! { <button type="button" class="button-quiet" on:click=move |_| on_cancel.run(())>"Cancel"</button> }
                    .into_any()
            } else {
                view! { <a class="button-quiet" href=href.clone()>"Cancel"</a> }.into_any()
            }
        }
    });
    let body_content = escape_text(&state.form.body);
    view! {
        <form
            class="comment-form stacked"
            method="post"
            action=action
            aria-label=label
            node_ref=form_ref
            on:submit=submit
            novalidate=move || hydrated.get()
        >
            {parent.map(|p| view! { <input type="hidden" name="parent" value=p.to_string() /> })}
            <div class="field" class:field-invalid=move || error_of("name")().is_some()>
                <label for=id("name")>"Name"</label>
                <input
                    id=id("name")
                    name="name"
                    type="text"
                    autocomplete="name"
                    required
                    maxlength=MAX_NAME_CHARS
                    value=state.form.name
                    aria-invalid=invalid("name")
                    aria-describedby=id("name-error")
                />
                <p class="field-error" id=id("name-error") aria-live="polite">{error_of("name")}</p>
            </div>
            <div class="field" class:field-invalid=move || error_of("email")().is_some()>
                <label for=id("email")>"Email"</label>
                <p class="field-hint" id=id("email-hint")>"Optional. Never shown publicly."</p>
                <input
                    id=id("email")
                    name="email"
                    type="email"
                    autocomplete="email"
                    value=state.form.email
                    aria-invalid=invalid("email")
                    aria-describedby=format!("{} {}", id("email-hint"), id("email-error"))
                />
                <p class="field-error" id=id("email-error") aria-live="polite">{error_of("email")}</p>
            </div>
            <div class="field" class:field-invalid=move || error_of("body")().is_some()>
                <label for=id("body")>"Comment"</label>
                // Leptos writes textarea content unescaped on the server: escaped here.
                <textarea
                    id=id("body")
                    name="body"
                    rows="5"
                    required
                    maxlength=MAX_BODY_CHARS
                    aria-invalid=invalid("body")
                    aria-describedby=id("body-error")
                    inner_html=body_content
                ></textarea>
                <p class="field-error" id=id("body-error") aria-live="polite">{error_of("body")}</p>
            </div>
            <Honeypot />
            <p class="notice notice-error" role="alert" hidden=move || failure.with(Option::is_none)>
                {move || failure.get()}
            </p>
            <div class="form-actions">
                <button type="submit" disabled=move || sending.get()>{button}</button>
                {cancel}
            </div>
        </form>
    }
}

/// A comment the reader has just posted, shown at once (without Reply or Report: those come
/// with the next page load).
#[component]
pub fn JustPosted(comment: Posted) -> impl IntoView {
    let id = format!("comment-{}", comment.id);
    let body = comment.body.clone();
    view! {
        <li class="comment comment-new" id=id>
            <CommentHead
                name=comment.author_name
                machine=comment.at_machine
                label=comment.at_label
                relative="just now"
                pending=comment.pending
                staff=comment.staff
            />
            <CommentBody text=body />
        </li>
    }
}

/// The form under the article, with the author's just-posted comments below it.
#[island]
pub fn CommentBox(slug: String, state: EditorState, notice: Option<String>) -> impl IntoView {
    let notice = RwSignal::new(notice);
    let posted = RwSignal::new(Vec::<Posted>::new());
    let on_posted = Callback::new(move |comment: Posted| {
        notice.set(Some(posted_notice(comment.pending).to_owned()));
        posted.update(|p| p.insert(0, comment));
    });
    view! {
        <div class="comment-box">
            <CommentEditor slug parent=None state on_posted label="Write a comment" />
            <div class="comment-status" role="status">
                {move || notice.get().map(|n| view! { <p class="notice notice-success">{n}</p> })}
            </div>
            {move || {
                let posted = posted.get();
                (!posted.is_empty()).then(|| view! {
                    <ol class="comment-list">
                        {posted.into_iter().map(|comment| view! { <JustPosted comment /> }).collect_view()}
                    </ol>
                })
            }}
        </div>
    }
}
