//! `/staff/outbox`: the mail the site has queued and sent, each message as it reads. With no
//! SMTP server configured, this is where messages wait.

use leptos::prelude::*;

use super::StaffFrame;
use crate::components::dates::Time;
use crate::components::pagination::Pagination;
use crate::domain::staff::Role;
use crate::error::AppError;
use crate::http::guards::staff_page;
use crate::pages::load_page;
use crate::pages::{PageTitle, query};
use crate::services::mail;

/// The statuses, as the filter names them.
const STATUSES: [(&str, &str); 4] =
    [("queued", "Waiting"), ("sent", "Sent"), ("failed", "Failed"), ("dropped", "Dropped")];

fn status_label(status: &str) -> &str {
    STATUSES.iter().find(|(s, _)| *s == status).map_or(status, |(_, label)| label)
}

#[component]
pub fn OutboxPage() -> impl IntoView {
    let status = query("status");
    let page = query("page");
    load_page(
        async move {
            let (state, staff) = staff_page(Role::Editor).await?;
            let page = crate::services::articles::parse_page(page.as_deref())?;
            let (rows, has_next, counts) = mail::outbox(&state.pool, status.as_deref(), page).await?;
            let messages: Vec<_> = rows
                .into_iter()
                .map(|row| {
                    let shown = mail::rendered(&state.mail_links, &row.recipient, &row.list, &row.payload);
                    (row, shown)
                })
                .collect();
            Ok::<_, AppError>((staff, messages, counts, page, has_next, status, state.mailer.describe().to_owned()))
        },
        move |(staff, messages, counts, page, has_next, status, described)| {
            let count = |s: &str| counts.iter().find(|(c, _)| c == s).map_or(0, |(_, n)| *n);
            let all: i64 = counts.iter().map(|(_, n)| n).sum();
            let current = status.clone().filter(|s| STATUSES.iter().any(|(k, _)| k == s));
            let filters = std::iter::once((None, "All".to_owned(), all))
                .chain(STATUSES.iter().map(|(s, label)| (Some(*s), (*label).to_owned(), count(s))))
                .map(|(s, label, n)| {
                    let href = s.map_or_else(|| "/staff/outbox".to_owned(), |s| format!("/staff/outbox?status={s}"));
                    let here = (s.map(str::to_owned) == current).then_some("page");
                    view! { <li><a href=href aria-current=here>{format!("{label} ({n})")}</a></li> }
                })
                .collect_view();
            let list = if messages.is_empty() {
                view! { <p class="queue-empty">"No messages."</p> }.into_any()
            } else {
                messages
                    .into_iter()
                    .map(|(row, shown)| {
                        let (subject, text) =
                            shown.map_or(("(a message this version cannot read)".to_owned(), String::new()), |m| (m.subject, m.text));
                        let error = row.last_error.clone().map(|e| view! { <p class="field-error">{format!("Last error: {e}")}</p> });
                        let when = match (row.status.as_str(), row.sent_at) {
                            ("sent", Some(at)) => view! { "Sent " <Time at with_time=true /> }.into_any(),
                            ("queued", _) if row.attempts > 0 => view! {
                                {format!("Attempt {} failed; next try ", row.attempts)} <Time at=row.next_attempt_at with_time=true />
                            }.into_any(),
                            _ => view! { "Queued " <Time at=row.created_at with_time=true /> }.into_any(),
                        };
                        view! {
                            <article class="outbox-message" id=format!("message-{}", row.id)>
                                <h2 class="outbox-subject">{subject}</h2>
                                <p class="outbox-meta">
                                    <span>{format!("To {} · {} · ", row.recipient, status_label(&row.status))}</span>
                                    {when}
                                </p>
                                {error}
                                <details>
                                    <summary>"Read the message"</summary>
                                    <pre class="outbox-text">{text}</pre>
                                </details>
                            </article>
                        }
                    })
                    .collect_view()
                    .into_any()
            };
            let base =
                current.as_ref().map_or_else(|| "/staff/outbox".to_owned(), |s| format!("/staff/outbox?status={s}"));
            view! {
                <PageTitle text="Outbox · Staff desk" />
                <StaffFrame staff current="/staff/outbox">
                    <h1 class="page-title">"Outbox"</h1>
                    <p>{format!("Mail is {described}.")}</p>
                    <nav class="queue-tabs" aria-label="Messages by status"><ul>{filters}</ul></nav>
                    {list}
                    <Pagination base page has_next noun="messages" />
                </StaffFrame>
            }
        },
    )
}
