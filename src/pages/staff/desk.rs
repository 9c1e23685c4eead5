//! (ssr) `/staff`: the desk's front page.

use leptos::prelude::*;

use super::StaffFrame;
use crate::components::dates::Time;
use crate::domain::dates::waited;
use crate::domain::desk::InboxKind;
use crate::domain::staff::Role;
use crate::error::AppError;
use crate::http::guards::staff_page;
use crate::pages::load_page;
use crate::pages::{PageTitle, query};
use crate::services::desk;

/// `/staff`: what waits for attention, across the inbox.
#[component]
pub fn DeskPage() -> impl IntoView {
    load_page(
        async move {
            let (state, staff) = staff_page(Role::Moderator).await?;
            let found = crate::services::inbox::inbox(&state.pool, &staff, None).await?;
            Ok::<_, AppError>((staff, found))
        },
        move |(staff, found)| {
            let now = time::OffsetDateTime::now_utc();
            let counts = found.counts;
            let mut lines = vec![
                (
                    format!("/staff/inbox?kind={}", InboxKind::Comment.as_str()),
                    format!("Comments waiting: {}", counts.pending),
                ),
                (
                    format!("/staff/inbox?kind={}", InboxKind::Report.as_str()),
                    format!("Reported comments: {}", counts.reported),
                ),
            ];
            if found.with_suggestions {
                lines.push((
                    format!("/staff/inbox?kind={}", InboxKind::Suggestion.as_str()),
                    format!("Correction suggestions: {}", counts.suggestions),
                ));
            }
            let queues =
                lines.into_iter().map(|(href, text)| view! { <li><a href=href>{text}</a></li> }).collect_view();
            let oldest = found.oldest.map_or_else(
                || "Nothing waits.".to_owned(),
                |since| format!("The longest has waited {}.", waited(now, since)),
            );
            view! {
                <PageTitle text="Staff desk" />
                <StaffFrame staff=staff.clone() current="/staff">
                    <h1 class="page-title">"Staff desk"</h1>
                    <p>{format!("Signed in as {} ({}).", staff.name, staff.role.as_str())}</p>
                    <h2>"Waiting for you"</h2>
                    <ul class="desk-list">{queues}</ul>
                    <p>{oldest} " " <a href="/staff/inbox">{format!("Open the inbox ({} waiting)", counts.waiting())}</a></p>
                </StaffFrame>
            }
        },
    )
}

/// `/staff/audit`: every staff action, newest first, by member and kind.
#[component]
pub fn AuditPage() -> impl IntoView {
    let member = query("staff").and_then(|s| s.parse::<i64>().ok());
    let kind = query("kind");
    load_page(
        async move {
            let (state, staff) = staff_page(Role::Editor).await?;
            let desk::Audit { members, kind, entries } = desk::audit(&state.pool, member, kind.as_deref()).await?;
            Ok::<_, AppError>((staff, members, kind, entries))
        },
        move |(staff, members, kind, entries)| {
            let rows = entries
                .into_iter()
                .map(|e| {
                    view! {
                        <tr>
                            <td><Time at=e.created_at with_time=true /></td>
                            <td>{e.staff_name}</td>
                            <td>{e.kind}</td>
                            <td>{e.action}</td>
                            <td>{e.subject}</td>
                            <td>{e.detail}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <PageTitle text="Audit log · Staff desk" />
                <StaffFrame staff current="/staff/audit">
                    <h1 class="page-title">"Audit log"</h1>
                    <form method="get" action="/staff/audit" class="audit-filter">
                        <label for="audit-staff">"Staff member"</label>
                        <select id="audit-staff" name="staff">
                            <option value="">"Everyone"</option>
                            {members.into_iter().map(|m| view! {
                                <option value=m.id.to_string() selected=member == Some(m.id)>{m.name}</option>
                            }).collect_view()}
                        </select>
                        <label for="audit-kind">"Kind"</label>
                        <select id="audit-kind" name="kind">
                            <option value="">"All kinds"</option>
                            {crate::domain::audit::Kind::ALL.into_iter().map(|k| view! {
                                <option value=k.as_str() selected=kind == Some(k)>{k.label()}</option>
                            }).collect_view()}
                        </select>
                        <button type="submit">"Filter"</button>
                    </form>
                    <table class="audit">
                        <thead><tr><th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"Kind"</th><th scope="col">"Action"</th><th scope="col">"Subject"</th><th scope="col">"Detail"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </StaffFrame>
            }
        },
    )
}
