//! `/staff/inbox`: comments waiting, reported comments and correction suggestions together,
//! by story (newest first), each with how long it has waited and a link to where it is
//! decided. The comment queues and the corrections desk remain the detailed views.

use leptos::prelude::*;

use super::StaffFrame;
use crate::domain::dates::waited;
use crate::domain::desk::{InboxItem, InboxKind};
use crate::domain::mail::excerpt;
use crate::domain::staff::Role;
use crate::error::AppError;
use crate::http::guards::staff_page;
use crate::islands::queue_keys::{INBOX, QueueKeys, QueueStatus};
use crate::pages::load_page;
use crate::pages::{PageTitle, query};
use crate::services::inbox::{self, Inbox};

fn item_view(item: InboxItem, now: time::OffsetDateTime) -> impl IntoView {
    let (badge, href, action, text) = match item.kind {
        InboxKind::Comment => (
            "Waiting",
            format!("/staff/comments?queue=pending#item-{}", item.id),
            "Moderate",
            format!("{}: {}", item.who, excerpt(&item.text, 160)),
        ),
        InboxKind::Report => (
            "Reported",
            format!("/staff/comments?queue=reported#item-{}", item.id),
            "Review",
            format!("{}: {} (reported as {})", item.who, excerpt(&item.text, 160), item.detail.replace('_', " ")),
        ),
        InboxKind::Suggestion => (
            "Correction",
            format!("/staff/corrections#group-{}", item.id),
            "Decide",
            if item.text.is_empty() {
                excerpt(&item.detail, 160)
            } else {
                format!(
                    "\u{201c}{}\u{201d} \u{2192} \u{201c}{}\u{201d}",
                    excerpt(&item.text, 80),
                    excerpt(&item.detail, 80)
                )
            },
        ),
    };
    let label = format!("{action}: {text}");
    view! {
        <li class="queue-item inbox-item" data-kind=item.kind.as_str()>
            <span class=format!("badge badge-{}", item.kind.as_str())>{badge}</span>
            " " <span class="inbox-text">{text}</span>
            <span class="inbox-waited">{format!(" \u{b7} waited {}", waited(now, item.since))}</span>
            " " <a href=href aria-label=label>{action}</a>
        </li>
    }
}

#[component]
pub fn InboxPage() -> impl IntoView {
    let only = query("kind").as_deref().and_then(InboxKind::parse);
    load_page(
        async move {
            let (state, staff) = staff_page(Role::Moderator).await?;
            let found = inbox::inbox(&state.pool, &staff, only).await?;
            Ok::<_, AppError>((staff, found))
        },
        move |(staff, found): (_, Inbox)| {
            let now = time::OffsetDateTime::now_utc();
            let counts = found.counts;
            let count_of = |kind: InboxKind| match kind {
                InboxKind::Comment => counts.pending,
                InboxKind::Report => counts.reported,
                InboxKind::Suggestion => counts.suggestions,
            };
            let kinds: Vec<InboxKind> =
                InboxKind::ALL.into_iter().filter(|k| *k != InboxKind::Suggestion || found.with_suggestions).collect();
            let filters = std::iter::once((None, "Everything".to_owned(), counts.waiting()))
                .chain(kinds.iter().map(|k| (Some(*k), k.label().to_owned(), count_of(*k))))
                .map(|(kind, label, n)| {
                    let href =
                        kind.map_or_else(|| "/staff/inbox".to_owned(), |k| format!("/staff/inbox?kind={}", k.as_str()));
                    let here = (kind == only).then_some("page");
                    view! { <li><a href=href aria-current=here>{format!("{label} ({n})")}</a></li> }
                })
                .collect_view();
            let summary = kinds
                .iter()
                .map(|k| format!("{} {}", count_of(*k), k.label().to_lowercase()))
                .collect::<Vec<_>>()
                .join(", ");
            let oldest = found.oldest.map(|o| format!(" The longest has waited {}.", waited(now, o)));
            let stories = if found.stories.is_empty() {
                view! { <p class="queue-empty">"Nothing waits. Well done."</p> }.into_any()
            } else {
                found
                    .stories
                    .into_iter()
                    .map(|story| {
                        let n = story.items.len();
                        view! {
                            <section class="inbox-story" aria-labelledby=format!("story-{}", story.slug)>
                                <h2 id=format!("story-{}", story.slug)>
                                    <a href=format!("/articles/{}", story.slug)>{story.title}</a>
                                    <span class="inbox-count">{format!(" ({n} waiting)")}</span>
                                </h2>
                                <ul class="queue-items">{story.items.into_iter().map(|i| item_view(i, now)).collect_view()}</ul>
                            </section>
                        }
                    })
                    .collect_view()
                    .into_any()
            };
            let truncated = found.truncated.then(|| {
                view! { <p>{format!("Only the first {} are listed: the detailed queues show the rest.", inbox::INBOX_ITEMS)}</p> }
            });
            view! {
                <PageTitle text="Inbox · Staff desk" />
                <StaffFrame staff current="/staff/inbox">
                    <h1 class="page-title">"Inbox"</h1>
                    <p>{format!("Waiting: {summary}.")}{oldest}</p>
                    <QueueKeys>
                        <QueueStatus queue=INBOX count=counts.waiting() arrivals=counts.arrivals />
                    </QueueKeys>
                    <nav class="queue-tabs" aria-label="Waiting work by kind"><ul>{filters}</ul></nav>
                    {stories}
                    {truncated}
                </StaffFrame>
            }
        },
    )
}
