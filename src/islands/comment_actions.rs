//! Reply and Report under a comment. Without JavaScript they are links that render the page
//! with the form open; once hydrated they open the forms in place.

use leptos::html;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::comment_box::{CommentEditor, EditorState, JustPosted, posted_notice, split_error};
use super::{FormFields, focus_id};
use crate::api::comments::report_comment;
use crate::components::escape_text;
use crate::domain::comment::{MAX_REPORT_NOTE_CHARS, Posted, ReportForm, ReportReason, is_default};
use crate::domain::text::FieldError;
use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Panel {
    Reply,
    Report,
}

/// How the actions render: which form is open, and what a plain form post left to show.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionsState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open: Option<Panel>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub reply: EditorState,
    #[serde(default, skip_serializing_if = "is_default")]
    pub report: ReportForm,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_error: Option<AppError>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
}

pub const REPORTED: &str = "Thank you. A moderator will review this comment.";
pub const ALREADY_REPORTED: &str = "You have already reported this comment.";

#[island]
pub fn CommentActions(
    slug: String,
    comment: i64,
    author: String,
    can_reply: bool,
    /// The page's comment query (`order=...&cpage=...&`), kept by the no-JavaScript links.
    page_query: String,
    state: ActionsState,
) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let panel = RwSignal::new(state.open);
    let notice = RwSignal::new(state.notice);
    let replies = RwSignal::new(Vec::<Posted>::new());
    let article = format!("/articles/{slug}");
    let href = |extra: &str| format!("{article}?{page_query}{extra}#comment-{comment}");
    let back = href("").replace("?#", "#");
    let reply_button = format!("comment-{comment}-reply");
    let report_button = format!("comment-{comment}-report");

    let toggle = move |which: Panel| {
        let opening = panel.get_untracked() != Some(which);
        panel.set(opening.then_some(which));
        if opening {
            notice.set(None);
            focus_id(&match which {
                Panel::Reply => format!("reply-{comment}-name"),
                Panel::Report => format!("report-{comment}-reason-{}", ReportReason::Spam.as_str()),
            });
        }
    };
    let close_to = move |button: String| {
        Callback::new(move |()| {
            panel.set(None);
            focus_id(&button);
        })
    };
    let on_reply_cancel = close_to(reply_button.clone());
    let on_report_cancel = close_to(report_button.clone());
    let on_replied = {
        let reply_button = reply_button.clone();
        Callback::new(move |reply: Posted| {
            notice.set(Some(posted_notice(reply.pending).to_owned()));
            replies.update(|r| r.push(reply));
            panel.set(None);
            focus_id(&reply_button);
        })
    };
    let on_reported = {
        let report_button = report_button.clone();
        Callback::new(move |new: bool| {
            notice.set(Some(if new { REPORTED } else { ALREADY_REPORTED }.to_owned()));
            panel.set(None);
            focus_id(&report_button);
        })
    };

    let action = move |which: Panel, label: &'static str, id: String, href: String| {
        move || {
            let expanded = move || (panel.get() == Some(which)).to_string();
            if hydrated.get() {
                view! {
                    <button type="button" class="button-quiet" id=id.clone() aria-expanded=expanded on:click=move |_| toggle(which)>
                        {label}
                    </button>
                }
                .into_any()
            } else {
                view! { <a class="button-quiet" id=id.clone() href=href.clone()>{label}</a> }.into_any()
            }
        }
    };
    let reply_action =
        can_reply.then(|| action(Panel::Reply, "Reply", reply_button.clone(), href(&format!("reply={comment}"))));
    let report_action = action(Panel::Report, "Report", report_button.clone(), href(&format!("report={comment}")));

    let reply_state = state.reply;
    let (report_form, report_error) = (state.report, state.report_error);
    let reply_label = format!("Reply to {author}");
    view! {
        <div class="comment-actions">
            {reply_action}
            {report_action}
        </div>
        <div class="comment-status" role="status">
            {move || notice.get().map(|n| view! { <p class="notice notice-success">{n}</p> })}
        </div>
        {
            let slug = slug.clone();
            let back = back.clone();
            move || (panel.get() == Some(Panel::Reply)).then(|| view! {
                <CommentEditor
                    slug=slug.clone()
                    parent=Some(comment)
                    state=reply_state.clone()
                    on_posted=on_replied
                    cancel=(back.clone(), on_reply_cancel)
                    label=reply_label.clone()
                />
            })
        }
        {
            let slug = slug.clone();
            move || (panel.get() == Some(Panel::Report)).then(|| view! {
                <ReportEditor
                    slug=slug.clone()
                    comment
                    form=report_form.clone()
                    error=report_error.clone()
                    on_done=on_reported
                    cancel=(back.clone(), on_report_cancel)
                    hydrated
                />
            })
        }
        {move || {
            let replies = replies.get();
            (!replies.is_empty()).then(|| view! {
                <ol class="replies">{replies.into_iter().map(|comment| view! { <JustPosted comment /> }).collect_view()}</ol>
            })
        }}
    }
}

/// "Why are you reporting this comment?"
#[component]
fn ReportEditor(
    slug: String,
    comment: i64,
    form: ReportForm,
    error: Option<AppError>,
    on_done: Callback<bool>,
    cancel: (String, Callback<()>),
    hydrated: RwSignal<bool>,
) -> impl IntoView {
    let (initial_errors, initial_failure) = split_error(error);
    let errors = RwSignal::new(initial_errors);
    let failure = RwSignal::new(initial_failure);
    let sending = RwSignal::new(false);
    let form_ref = NodeRef::<html::Form>::new();
    let prefix = format!("report-{comment}");
    let error_of = move |field: &'static str| {
        move || errors.with(|e| e.iter().find(|e| e.field == field).map(|e| e.message.clone()))
    };
    let show_problems = {
        let prefix = prefix.clone();
        move |problems: Vec<FieldError>| {
            match problems.first().map(|p| p.field.as_str()) {
                Some("reason") => focus_id(&format!("{prefix}-reason-{}", ReportReason::Spam.as_str())),
                Some("note") => focus_id(&format!("{prefix}-note")),
                _ => {}
            }
            errors.set(problems);
        }
    };
    let submit = {
        let slug = slug.clone();
        move |ev: leptos::ev::SubmitEvent| {
            let Some(fields) = FormFields::read(&form_ref) else { return };
            ev.prevent_default();
            if sending.get_untracked() {
                return;
            }
            let report = ReportForm { reason: fields.get("reason"), note: fields.get("note") };
            if let Err(problems) = report.parse() {
                show_problems(problems);
                return;
            }
            sending.set(true);
            let slug = slug.clone();
            let show_problems = show_problems.clone();
            leptos::task::spawn_local(async move {
                let result = report_comment(slug, comment, report).await;
                sending.set(false);
                match result {
                    Ok(new) => on_done.run(new),
                    Err(AppError::Invalid(problems)) => show_problems(problems),
                    Err(other) => failure.set(Some(other.to_string())),
                }
            });
        }
    };
    let (cancel_href, on_cancel) = cancel;
    let note_content = escape_text(&form.note);
    view! {
        <form
            class="report-form stacked"
            method="post"
            action=format!("/articles/{slug}/comments/{comment}/report")
            aria-label="Report this comment"
            node_ref=form_ref
            on:submit=submit
            novalidate=move || hydrated.get()
        >
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
                <p class="field-error" id=format!("{prefix}-reason-error") aria-live="polite">{error_of("reason")}</p>
            </fieldset>
            <div class="field" class:field-invalid=move || error_of("note")().is_some()>
                <label for=format!("{prefix}-note")>"Details"</label>
                <p class="field-hint" id=format!("{prefix}-note-hint")>"Needed for \u{201c}Something else\u{201d}; at most 300 characters."</p>
                <textarea
                    id=format!("{prefix}-note")
                    name="note"
                    rows="2"
                    maxlength=MAX_REPORT_NOTE_CHARS
                    aria-invalid=move || error_of("note")().map(|_| "true")
                    aria-describedby=format!("{prefix}-note-hint {prefix}-note-error")
                    inner_html=note_content
                ></textarea>
                <p class="field-error" id=format!("{prefix}-note-error") aria-live="polite">{error_of("note")}</p>
            </div>
            <p class="notice notice-error" role="alert" hidden=move || failure.with(Option::is_none)>
                {move || failure.get()}
            </p>
            <div class="form-actions">
                <button type="submit" disabled=move || sending.get()>"Send report"</button>
                {move || if hydrated.get() {
                    view! { <button type="button" class="button-quiet" on:click=move |_| on_cancel.run(())>"Cancel"</button> }.into_any()
                } else {
                    view! { <a class="button-quiet" href=cancel_href.clone()>"Cancel"</a> }.into_any()
                }}
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_props_are_left_out_and_full_ones_round_trip() {
        // These props are repeated for every comment on the page.
        assert_eq!(serde_json::to_string(&ActionsState::default()).unwrap(), "{}");
        let state = ActionsState {
            open: Some(Panel::Reply),
            reply: EditorState {
                form: crate::domain::comment::CommentForm { name: "A".into(), body: "b".into(), ..Default::default() },
                error: Some(AppError::invalid("email", "bad")),
            },
            report: ReportForm { reason: "other".into(), note: String::new() },
            report_error: Some(AppError::RateLimited),
            notice: Some(REPORTED.into()),
        };
        let json = serde_json::to_string(&state).unwrap();
        assert_eq!(serde_json::from_str::<ActionsState>(&json).unwrap(), state);
    }
}
