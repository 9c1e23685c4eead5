use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;

use super::{StaffFrame, action_guard, page_guard};
use crate::components::comments::CommentBody;
use crate::components::dates::Time;
use crate::components::pagination::Pagination;
use crate::db::{self, audit};
use crate::domain::comment::{Queue, ReportReason};
use crate::domain::staff::Role;
use crate::error::AppError;
use crate::islands::queue_keys::{QueueKeys, QueueStatus};
use crate::pages::load_page;
use crate::pages::{PageTitle, query};
use crate::state::AppState;

/// Comments shown per queue page.
const QUEUE_LIMIT: u32 = 50;

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
            let (state, staff) = page_guard(Role::Moderator).await?;
            let queue = queue.ok_or(AppError::NotFound)?;
            let page = crate::api::articles::parse_page(page.as_deref())?;
            let offset = u64::from(page - 1) * u64::from(QUEUE_LIMIT);
            let (counts, mut items) = tokio::try_join!(
                db::comments::queue_counts(&state.pool),
                db::comments::queue(&state.pool, queue, QUEUE_LIMIT + 1, offset),
            )?;
            let has_next = items.len() > QUEUE_LIMIT as usize;
            items.truncate(QUEUE_LIMIT as usize);
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

fn queue_item(item: db::comments::QueueItem) -> impl IntoView {
    let id = item.id;
    let article = format!("/articles/{}#comment-{id}", item.article_slug);
    let status = match item.status.as_str() {
        "pending" => "Pending",
        "published" => "Approved",
        _ => "Rejected",
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
                {item.held_for.as_deref().filter(|_| item.status == "pending").map(|h| view! { " · " <span class="queue-held">{held_label(h, item.held_detail.as_deref())}</span> })}
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
            </div>
        </li>
    }
}

/// One moderation request: an action on one comment (`one=approve:12`) or on the selected
/// ones (`act=approve`, `ids=12&ids=13`).
#[derive(Debug, PartialEq, Eq)]
struct Request {
    action: String,
    ids: Vec<i64>,
    reason: Option<String>,
    reject_all: bool,
    queue: String,
}

fn parse_request(fields: &[(String, String)]) -> Option<Request> {
    let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_owned());
    let queue = get("queue").filter(|q| Queue::parse(Some(q)).is_some()).unwrap_or_else(|| "pending".into());
    if let Some(one) = get("one") {
        let (action, id) = one.split_once(':')?;
        let id: i64 = id.parse().ok()?;
        let reason = get(&format!("reason-{id}")).filter(|r| !r.is_empty()).map(|r| r.chars().take(200).collect());
        let reject_all = get(&format!("reject-all-{id}")).is_some();
        return Some(Request { action: action.to_owned(), ids: vec![id], reason, reject_all, queue });
    }
    let ids = fields.iter().filter(|(k, _)| k == "ids").filter_map(|(_, v)| v.parse().ok()).collect();
    Some(Request { action: get("act")?, ids, reason: None, reject_all: false, queue })
}

/// `POST /staff/comments/moderate`
pub async fn moderate(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> Response {
    let staff = match action_guard(&state, &headers, Role::Moderator).await {
        Ok(staff) => staff,
        Err(response) => return response,
    };
    let Some(request) = parse_request(&fields) else {
        return AppError::invalid("one", "Unknown moderation request.").into_response();
    };
    let back =
        |code: String| Redirect::to(&format!("/staff/comments?queue={}&done={code}", request.queue)).into_response();
    if request.ids.is_empty() {
        return back("none-0".into());
    }
    match apply(&state, &staff, &request).await {
        Ok(code) => back(code),
        Err(error) => error.into_response(),
    }
}

async fn apply(
    state: &AppState,
    staff: &crate::domain::staff::StaffMember,
    request: &Request,
) -> Result<String, AppError> {
    let pool = &state.pool;
    let subject = |id: i64| format!("comment {id}");
    let reason = request.reason.as_deref();
    let (code, changed) = match request.action.as_str() {
        "approve" => ("approved", db::comments::moderate(pool, &request.ids, true, None).await?),
        "reject" => ("rejected", db::comments::moderate(pool, &request.ids, false, reason).await?),
        "feature" | "unfeature" => {
            let on = request.action == "feature";
            for id in &request.ids {
                db::comments::set_featured(pool, *id, on).await?;
            }
            (if on { "featured" } else { "unfeatured" }, request.ids.len() as u64)
        }
        "ban" => {
            let id = request.ids[0];
            let rejected = db::comments::ban_author(pool, id, reason.unwrap_or(""), staff.id, request.reject_all)
                .await?
                .ok_or(AppError::NotFound)?;
            ("banned", rejected)
        }
        _ => return Err(AppError::invalid("one", "Unknown moderation action.")),
    };
    for id in &request.ids {
        audit::record(pool, Some(staff), audit::Kind::Comment, code, &subject(*id), reason.unwrap_or("")).await?;
    }
    Ok(format!("{code}-{changed}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn single_and_bulk_requests_parse() {
        let one = parse_request(&fields(&[
            ("queue", "reported"),
            ("one", "reject:7"),
            ("reason-7", " rude "),
            ("reason-8", "x"),
        ]));
        assert_eq!(
            one,
            Some(Request {
                action: "reject".into(),
                ids: vec![7],
                reason: Some("rude".into()),
                reject_all: false,
                queue: "reported".into()
            })
        );
        let bulk = parse_request(&fields(&[("act", "approve"), ("ids", "3"), ("ids", "4"), ("ids", "x")])).unwrap();
        assert_eq!((bulk.action.as_str(), bulk.ids, bulk.queue.as_str()), ("approve", vec![3, 4], "pending"));
        assert_eq!(parse_request(&fields(&[("one", "approve:x")])), None);
        assert_eq!(parse_request(&fields(&[])), None);
        let ban = parse_request(&fields(&[("one", "ban:5"), ("reject-all-5", "1"), ("queue", "bogus")])).unwrap();
        assert!(ban.reject_all);
        assert_eq!(ban.queue, "pending");
    }

    #[test]
    fn outcomes_read_as_sentences() {
        assert_eq!(done_message("approved-1").as_deref(), Some("1 comment approved."));
        assert_eq!(done_message("rejected-3").as_deref(), Some("3 comments rejected."));
        assert_eq!(done_message("nonsense-1"), None);
        assert_eq!(done_message("approved"), None);
    }
}
