//! `/staff/comments/bans`: who may not comment, and lifting a ban.

use leptos::prelude::*;

use super::StaffFrame;
use crate::components::dates::Time;
use crate::components::pagination::Pagination;
use crate::domain::staff::Role;
use crate::error::AppError;
use crate::http::guards::staff_page;
use crate::pages::load_page;
use crate::pages::{PageTitle, query};
use crate::services::desk;

#[component]
pub fn BansPage() -> impl IntoView {
    let lifted = query("done").as_deref() == Some("lifted");
    let page = query("page");
    load_page(
        async move {
            let (state, staff) = staff_page(Role::Moderator).await?;
            let page = crate::services::articles::parse_page(page.as_deref())?;
            let (bans, has_next) = desk::bans(&state.pool, page).await?;
            Ok::<_, AppError>((staff, bans, page, has_next))
        },
        move |(staff, bans, page, has_next)| {
            let rows = bans
                .into_iter()
                .map(|ban| {
                    // The client hash is a keyed hash of an address: its start tells bans apart.
                    let client = ban.client_hash.map(|h| format!("device {}…", h.chars().take(8).collect::<String>()));
                    let who = [ban.email, client].into_iter().flatten().collect::<Vec<_>>().join(", ");
                    let label = format!("Lift the ban on {who}");
                    view! {
                        <tr>
                            <td>{who}</td>
                            <td>{ban.reason}</td>
                            <td>{ban.staff_name.unwrap_or_default()}</td>
                            <td><Time at=ban.created_at with_time=true /></td>
                            <td>
                                <form method="post" action=format!("/staff/comments/bans/{}/lift", ban.id)>
                                    <button type="submit" class="button-quiet" aria-label=label>"Lift ban"</button>
                                </form>
                            </td>
                        </tr>
                    }
                })
                .collect::<Vec<_>>();
            let list = if rows.is_empty() {
                view! { <p class="queue-empty">"Nobody is banned."</p> }.into_any()
            } else {
                view! {
                    <table class="desk-table">
                        <thead><tr>
                            <th scope="col">"Author"</th><th scope="col">"Reason"</th><th scope="col">"Banned by"</th>
                            <th scope="col">"When"</th><th scope="col"><span class="visually-hidden">"Action"</span></th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                }
                .into_any()
            };
            view! {
                <PageTitle text="Banned authors · Staff desk" />
                <StaffFrame staff current="/staff/comments">
                    <h1 class="page-title">"Banned authors"</h1>
                    {lifted.then(|| view! { <p class="notice notice-success" role="status">"Ban lifted: that author can comment again."</p> })}
                    <p>"Comments from these emails and devices are refused. Lifting a ban does not restore rejected comments."</p>
                    {list}
                    <Pagination base="/staff/comments/bans" page has_next />
                    <p><a href="/staff/comments">"Back to the comment queues"</a></p>
                </StaffFrame>
            }
        },
    )
}
