//! The comment section under an article, and what a rejected plain-form post
//! (`http::forms::comments`) shows again.

use leptos::prelude::*;
use time::OffsetDateTime;

use crate::components::comment_forms::{CommentFormTemplates, CommentFormView, ReportFormView};
use crate::components::comments::{CommentBody, CommentHead};
use crate::domain::comment::{CommentForm, CommentView, Order, ReportForm, Thread};
use crate::domain::dates::{long_date_time, machine_time, relative};
use crate::error::AppError;
use crate::islands::comment_actions::{ALREADY_REPORTED, CommentActions, REPORTED};
use crate::islands::comment_box::{CommentBox, posted_notice};

/// A comment form post that could not be accepted, shown again with what was typed.
#[derive(Debug, Clone)]
pub struct CommentRejected {
    pub form: CommentForm,
    pub error: AppError,
}

/// A report form post that could not be accepted.
#[derive(Debug, Clone)]
pub struct ReportRejected {
    pub comment: i64,
    pub form: ReportForm,
    pub error: AppError,
}

/// What the request asks the section to show besides the comments.
#[derive(Debug, Clone, Default)]
pub struct CommentUi {
    pub reply_to: Option<i64>,
    pub report_of: Option<i64>,
    /// `Some(pending)` after a plain form post was stored.
    pub posted: Option<bool>,
    /// `Some((comment, new))` after a plain report post was recorded.
    pub reported: Option<(i64, bool)>,
    pub rejected: Option<CommentRejected>,
    pub report_rejected: Option<ReportRejected>,
}

impl CommentUi {
    /// The form a plain request opened under comment `id`, with what was typed and what was
    /// wrong after a refused post.
    fn open_form(&self, id: i64) -> Option<OpenForm> {
        if let Some(r) = self.report_rejected.as_ref().filter(|r| r.comment == id) {
            return Some(OpenForm::Report(r.form.clone(), Some(r.error.clone())));
        }
        if self.report_of == Some(id) {
            return Some(OpenForm::Report(ReportForm::default(), None));
        }
        if let Some(r) = self.rejected.as_ref().filter(|r| r.form.parent.trim() == id.to_string()) {
            return Some(OpenForm::Reply(r.form.clone(), Some(r.error.clone())));
        }
        (self.reply_to == Some(id)).then(|| OpenForm::Reply(CommentForm::default(), None))
    }

    /// What a plain report post left to say under comment `id`.
    fn notice(&self, id: i64) -> Option<&'static str> {
        self.reported.filter(|(c, _)| *c == id).map(|(_, new)| if new { REPORTED } else { ALREADY_REPORTED })
    }
}

enum OpenForm {
    Reply(CommentForm, Option<AppError>),
    Report(ReportForm, Option<AppError>),
}

/// Everything one comment needs to render, shared by the whole list.
struct ListContext {
    slug: String,
    page_query: String,
    now: OffsetDateTime,
    ui: CommentUi,
}

#[component]
pub fn CommentSection(thread: Thread, slug: String, ui: CommentUi) -> impl IntoView {
    let page_query = match (thread.order, thread.page) {
        (Order::Oldest, 1) => String::new(),
        (order, 1) => format!("order={}&", order.as_str()),
        (order, page) => format!("order={}&cpage={page}&", order.as_str()),
    };
    let (box_form, box_error) = match ui.rejected.as_ref().filter(|r| r.form.parent.trim().is_empty()) {
        Some(r) => (r.form.clone(), Some(r.error.clone())),
        None => Default::default(),
    };
    let notice = ui.posted.map(posted_notice);
    let context = ListContext { slug: slug.clone(), page_query, now: OffsetDateTime::now_utc(), ui };
    let featured = (!thread.featured.is_empty()).then(|| {
        view! {
            <section class="comments-featured" aria-labelledby="featured-title">
                <h3 id="featured-title">"Featured"</h3>
                <ol class="comment-list">
                    {thread.featured.iter().map(|c| {
                        let relative = relative(context.now, c.created_at);
                        view! {
                            <li class="comment">
                                {head(c, relative)}
                                <CommentBody text=c.body.clone() />
                                <a class="comment-link" href=format!("#comment-{}", c.id)>"In the conversation"</a>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </section>
        }
    });
    let article = format!("/articles/{slug}");
    let order_link = |order: Order, label: &'static str| {
        let href = match order {
            Order::Oldest => format!("{article}#comments"),
            Order::Newest => format!("{article}?order=newest#comments"),
        };
        let current = (thread.order == order).then_some("true");
        view! { <a href=href aria-current=current>{label}</a> }
    };
    let page_link = |page: u32, label: &'static str, rel: &'static str| {
        let order = match thread.order {
            Order::Oldest => String::new(),
            Order::Newest => "order=newest&".into(),
        };
        let href = if page <= 1 && order.is_empty() {
            format!("{article}#comments")
        } else if page <= 1 {
            format!("{article}?{}#comments", order.trim_end_matches('&'))
        } else {
            format!("{article}?{order}cpage={page}#comments")
        };
        view! { <a href=href rel=rel>{label}</a> }
    };
    let empty = thread.count == 0 && thread.comments.is_empty();
    view! {
        <section class="comments" id="comments" aria-labelledby="comments-title">
            <h2 id="comments-title">{format!("Comments ({})", thread.count)}</h2>
            {(empty && !thread.closed).then(|| view! { <p class="comments-empty">"Write the first comment for this!"</p> })}
            {if thread.closed {
                view! { <p class="notice comments-closed">"Comments are closed."</p> }.into_any()
            } else {
                let box_slug = slug.clone();
                view! {
                    <CommentBox>
                        <CommentFormView slug=box_slug prefix="comment" parent=None
                            label="Write a comment" form=box_form error=box_error />
                        <div class="comment-status" role="status">
                            {notice.map(|n| view! { <p class="notice notice-success">{n}</p> })}
                        </div>
                    </CommentBox>
                    {(!thread.comments.is_empty()).then(|| view! { <CommentFormTemplates slug=slug.clone() /> })}
                }
                .into_any()
            }}
            {featured}
            {(!thread.comments.is_empty()).then(|| view! {
                <nav class="comment-order" aria-label="Order of comments">
                    "Show: " {order_link(Order::Oldest, "Oldest first")} " · " {order_link(Order::Newest, "Newest first")}
                </nav>
                <ol class="comment-list">
                    {thread.comments.into_iter().map(|c| comment_item(c, &context, thread.closed)).collect_view()}
                </ol>
            })}
            {(thread.page > 1 || thread.has_more).then(|| view! {
                <nav class="pagination" aria-label="More comments">
                    {(thread.page > 1).then(|| page_link(thread.page - 1, "Previous comments", "prev"))}
                    <span class="page-number">{format!("Comments page {}", thread.page)}</span>
                    {thread.has_more.then(|| page_link(thread.page + 1, "More comments", "next"))}
                </nav>
            })}
        </section>
    }
}

/// A listed comment's head, with its times formatted here on the server.
fn head(comment: &CommentView, relative: String) -> impl IntoView + use<> {
    view! {
        <CommentHead
            name=comment.author_name.clone()
            machine=machine_time(comment.created_at)
            label=long_date_time(comment.created_at)
            relative
            pending=comment.pending
            featured=comment.featured
            staff=comment.staff
        />
    }
}

/// One comment with its replies, nested.
fn comment_item(comment: CommentView, context: &ListContext, closed: bool) -> AnyView {
    let id = comment.id;
    let relative = relative(context.now, comment.created_at);
    let actions = (!comment.pending).then(|| comment_actions(&comment, context, closed));
    let mut comment = comment;
    let replies = std::mem::take(&mut comment.replies);
    let body = comment.body.clone();
    let pending = comment.pending;
    let label = format!("comment-{id}-author");
    view! {
        <li class="comment" class:comment-pending=pending id=format!("comment-{id}")>
            <article aria-labelledby=label.clone()>
                <div id=label.clone()>
                    {head(&comment, relative)}
                </div>
                <CommentBody text=body />
                {actions}
            </article>
            {(!replies.is_empty()).then(|| view! {
                <ol class="replies">
                    {replies.into_iter().map(|r| comment_item(r, context, closed)).collect_view()}
                </ol>
            })}
        </li>
    }
    .into_any()
}

/// Reply and Report under a comment: links that open the forms (in place once hydrated),
/// and a form a plain request asked for, already open.
fn comment_actions(comment: &CommentView, context: &ListContext, closed: bool) -> impl IntoView + use<> {
    let (id, slug) = (comment.id, &context.slug);
    let article = format!("/articles/{slug}");
    let href = |extra: &str| format!("{article}?{}{extra}#comment-{id}", context.page_query);
    let back = href("").replace("?#", "#");
    let link = |panel: &'static str, label: &'static str| {
        view! {
            <a class="button-quiet" id=format!("comment-{id}-{panel}") href=href(&format!("{panel}={id}")) data-panel=panel>
                {label}
            </a>
        }
    };
    let reply_link = (comment.can_reply() && !closed).then(|| link("reply", "Reply"));
    let report_link = link("report", "Report");
    let open = match context.ui.open_form(id) {
        Some(OpenForm::Reply(form, error)) => view! {
            <CommentFormView slug=slug.clone() prefix=format!("reply-{id}") parent=Some(id.to_string())
                label=format!("Reply to {}", comment.author_name) form error cancel=back />
        }
        .into_any(),
        Some(OpenForm::Report(form, error)) => view! {
            <ReportFormView slug=slug.clone() comment=id.to_string() form error cancel=back />
        }
        .into_any(),
        None => ().into_any(),
    };
    let notice = context.ui.notice(id);
    let author = comment.author_name.clone();
    view! {
        <CommentActions>
            <div class="comment-actions" data-comment=id data-author=author>
                {reply_link} {report_link}
            </div>
            <div class="comment-status" role="status">
                {notice.map(|n| view! { <p class="notice notice-success">{n}</p> })}
            </div>
            {open}
        </CommentActions>
    }
}
