//! (ssr) `/staff/comments`: moderation queues and actions.

use leptos::prelude::*;

use super::StaffFrame;
use crate::components::comments::CommentBody;
use crate::components::dates::Time;
use crate::components::pagination::Pagination;
use crate::domain::comment::{Queue, ReportReason, Status};
use crate::domain::desk::QueueItem;
use crate::domain::staff::Role;
use crate::error::AppError;
use crate::http::guards::staff_page;
use crate::islands::queue_keys::{QueueKeys, QueueStatus};
use crate::pages::load_page;
use crate::pages::{PageTitle, query};
use crate::services::desk;

/// What a moderation action did, as the queue page reports it afterwards.
fn done_message(code: &str) -> Option<String> {
    let (what, n) = code.rsplit_once('-')?;
    let n: u64 = n.parse().ok()?;
    let comments = if n == 1 { "1 comment".to_owned() } else { format!("{n} comments") };
    Some(match what {
        "approved" => format!("{comments} approved."),
        "rejected" => format!("{comments} rejected."),
        "featured" => format!("{comments} featured."),
        "unfeatured" => format!("{comments} no longer featured."),
        "banned" => format!("Author banned; {comments} rejected."),
        "none" => "Select at least one comment first.".to_owned(),
        _ => return None,
    })
}

fn held_label(code: &str, detail: Option<&str>) -> String {
    match (code, detail) {
        ("premoderation", _) => "Held: pre-moderation".into(),
        ("links", Some(d)) => format!("Held: too many links ({d})"),
        ("suspect_word", Some(d)) => format!("Held: suspect word \u{201c}{d}\u{201d}"),
        (other, _) => format!("Held: {other}"),
    }
}

#[component]
pub fn CommentsDesk() -> impl IntoView {
    let queue = Queue::parse(query("queue").as_deref());
    let done = query("done").as_deref().and_then(done_message);
    let page = query("page");
    load_page(
        async move {
            let (state, staff) = staff_page(Role::Moderator).await?;
            let queue = queue.ok_or(AppError::NotFound)?;
            let page = crate::services::articles::parse_page(page.as_deref())?;
            let (counts, items, has_next) = desk::queue_page(&state.pool, queue, page).await?;
            Ok::<_, AppError>((staff, queue, counts, items, page, has_next))
        },
        move |(staff, queue, counts, items, page, has_next)| {
            let done = done.clone();
            let tabs = Queue::ALL
                .into_iter()
                .map(|q| {
                    let current = (q == queue).then_some("page");
                    let href = format!("/staff/comments?queue={}", q.as_str());
                    view! { <li><a href=href aria-current=current>{q.label()} " " <span class="count">{format!("({})", counts.of(q))}</span></a></li> }
                })
                .collect_view();
            let list = if items.is_empty() {
                view! { <p class="queue-empty">"No comments in this queue."</p> }.into_any()
            } else {
                view! {
                    <form method="post" action="/staff/comments/moderate" class="queue">
                        <input type="hidden" name="queue" value=queue.as_str() />
                        <div class="queue-bulk">
                            <span>"With the selected comments: "</span>
                            <button type="submit" name="act" value="approve">"Approve selected"</button>
                            <button type="submit" name="act" value="reject" class="button-quiet">"Reject selected"</button>
                        </div>
                        <ol class="queue-items">{items.into_iter().map(queue_item).collect_view()}</ol>
                    </form>
                }
                .into_any()
            };
            view! {
                <PageTitle text="Comments · Staff desk" />
                <StaffFrame staff current="/staff/comments">
                    <h1 class="page-title">"Comments"</h1>
                    {done.map(|d| view! { <p class="notice notice-success" role="status">{d}</p> })}
                    <nav class="queue-tabs" aria-label="Queues"><ul>{tabs}</ul></nav>
                    <QueueKeys><QueueStatus queue=queue.as_str() count=counts.of(queue) arrivals=counts.arrivals /></QueueKeys>
                    {list}
                    <Pagination base=format!("/staff/comments?queue={}", queue.as_str()) page has_next noun="comments"
                        oldest_first=queue == Queue::Pending />
                    <p><a href="/staff/comments/bans">"Banned authors"</a></p>
                </StaffFrame>
            }
        },
    )
}

fn queue_item(item: QueueItem) -> impl IntoView {
    let id = item.id;
    let article = format!("/articles/{}#comment-{id}", item.article_slug);
    let status = match item.status {
        Status::Pending => "Pending",
        Status::Published => "Approved",
        Status::Rejected => "Rejected",
    };
    let reasons = ReportReason::ALL
        .into_iter()
        .filter_map(|r| {
            let n = item.reports.iter().filter(|(reason, _)| reason == r.as_str()).count();
            (n > 0).then(|| format!("{} ×{n}", r.label()))
        })
        .collect::<Vec<_>>()
        .join(", ");
    let notes: Vec<String> = item.reports.iter().filter_map(|(_, note)| note.clone()).collect();
    let feature = if item.featured { ("unfeature", "Unfeature") } else { ("feature", "Feature") };
    let select_label = format!("Select the comment by {}", item.author_name);
    view! {
        <li class="queue-item" id=format!("item-{id}") tabindex="-1" aria-labelledby=format!("item-{id}-author")>
            <div class="queue-head">
                <input type="checkbox" name="ids" value=id.to_string() aria-label=select_label />
                <strong id=format!("item-{id}-author")>{item.author_name.clone()}</strong>
                {item.is_staff.then(|| view! { <span class="badge badge-staff">"Staff"</span> })}
                {item.email.clone().map(|e| view! { <span class="queue-email">{e}</span> })}
                <span class="badge">{status}</span>
                {item.featured.then(|| view! { <span class="badge badge-featured">"Featured"</span> })}
            </div>
            <p class="queue-meta">
                <Time at=item.created_at with_time=true />
                " · on " <a href=article>{item.article_title.clone()}</a>
                {item.held_for.as_deref().filter(|_| item.status == Status::Pending).map(|h| view! { " · " <span class="queue-held">{held_label(h, item.held_detail.as_deref())}</span> })}
                {item.rejection_reason.clone().map(|r| view! { " · Rejected: " {r} })}
            </p>
            {item.parent_body.clone().map(|body| {
                let excerpt: String = body.chars().take(240).collect();
                let author = item.parent_author.clone().unwrap_or_default();
                view! { <blockquote class="queue-parent"><span>{format!("In reply to {author}: ")}</span>{excerpt}</blockquote> }
            })}
            <CommentBody text=item.body.clone() />
            {(!item.reports.is_empty()).then(|| view! {
                <div class="queue-reports">
                    <p><strong>{format!("Reports: {}", item.reports.len())}</strong> " — " {reasons}</p>
                    {(!notes.is_empty()).then(|| view! { <ul>{notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul> })}
                </div>
            })}
            <div class="queue-actions">
                <button type="submit" name="one" value=format!("approve:{id}") data-key="a">"Approve"</button>
                <label class="queue-reason">
                    "Reason (optional) "
                    <input type="text" name=format!("reason-{id}") maxlength="200" />
                </label>
                <button type="submit" name="one" value=format!("reject:{id}") data-key="r" class="button-quiet">"Reject"</button>
                <button type="submit" name="one" value=format!("{}:{id}", feature.0) class="button-quiet">{feature.1}</button>
                <label class="queue-check">
                    <input type="checkbox" name=format!("reject-all-{id}") value="1" />
                    " also reject their other comments"
                </label>
                <button type="submit" name="one" value=format!("ban:{id}") class="button-quiet">"Ban author"</button>
                <a href=format!("/staff/comments/{id}/correction") class="queue-link">"Turn into a correction"</a>
            </div>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_read_as_sentences() {
        assert_eq!(done_message("approved-1").as_deref(), Some("1 comment approved."));
        assert_eq!(done_message("rejected-3").as_deref(), Some("3 comments rejected."));
        assert_eq!(done_message("nonsense-1"), None);
        assert_eq!(done_message("approved"), None);
    }
}
