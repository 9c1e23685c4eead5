//! (ssr) `/staff/authors`: every author profile (editors), and `/staff/authors/{slug}`: a
//! profile's form (its own member, or an editor). The posts are in `http::forms::authors`.

use leptos::prelude::*;

use super::StaffFrame;
use crate::components::form::TextField;
use crate::components::pagination::Pagination;
use crate::domain::author::{MAX_BIO, MAX_NAME, ProfileForm};
use crate::domain::staff::Role;
use crate::domain::text::FieldError;
use crate::error::AppError;
use crate::http::guards::staff_page;
use crate::pages::{PageTitle, load_page, param, query};
use crate::services::articles::parse_page;
use crate::services::authors;

/// A profile form that was refused, shown again as typed.
#[derive(Debug, Clone)]
pub struct ProfileAttempt {
    pub form: ProfileForm,
    pub errors: Vec<FieldError>,
}

#[component]
pub fn AuthorsDesk() -> impl IntoView {
    let page = query("page");
    load_page(
        async move {
            let (state, staff) = staff_page(Role::Editor).await?;
            let page = parse_page(page.as_deref())?;
            let (rows, has_next) = authors::list(&state.pool, page).await?;
            Ok::<_, AppError>((staff, rows, page, has_next))
        },
        move |(staff, rows, page, has_next)| {
            let list = if rows.is_empty() {
                view! { <p class="queue-empty">"No author profiles yet. Name authors in an article, or create your own on your account page."</p> }.into_any()
            } else {
                let rows = rows
                    .into_iter()
                    .map(|(profile, articles)| {
                        let owner = if profile.staff_id.is_some() { "Staff member" } else { "Contributor" };
                        view! {
                            <tr>
                                <td><a href=format!("/staff/authors/{}", profile.slug)>{profile.name.clone()}</a></td>
                                <td><a href=format!("/authors/{}", profile.slug)>{format!("/authors/{}", profile.slug)}</a></td>
                                <td>{owner}</td>
                                <td>{articles}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <table class="desk-table">
                        <thead><tr>
                            <th scope="col">"Name"</th><th scope="col">"Public page"</th>
                            <th scope="col">"Profile of"</th><th scope="col">"Articles"</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                }
                .into_any()
            };
            view! {
                <PageTitle text="Authors · Staff desk" />
                <StaffFrame staff current="/staff/authors">
                    <h1 class="page-title">"Authors"</h1>
                    {list}
                    <Pagination base="/staff/authors" page has_next noun="authors" ranked=true />
                </StaffFrame>
            }
        },
    )
}

#[component]
pub fn AuthorEditPage() -> impl IntoView {
    let slug = param("slug");
    let attempt = use_context::<ProfileAttempt>();
    let done = match query("done").as_deref() {
        Some("created") => Some("Your author page is made: add a short biography and links, then save."),
        Some("saved") => Some("Saved: the author page and every byline show it now."),
        _ => None,
    };
    load_page(
        async move {
            let (state, staff) = staff_page(Role::Moderator).await?;
            let profile = authors::editable(&state.pool, &staff, &slug).await?;
            Ok::<_, AppError>((staff, profile))
        },
        move |(staff, profile)| {
            let (form, errors) = match attempt.clone() {
                Some(a) => (a.form, a.errors),
                None => (ProfileForm::of(&profile), Vec::new()),
            };
            let error = |field: &str| errors.iter().find(|e| e.field == field).map(|e| e.message.clone());
            let (name_error, bio_error, links_error) = (error("name"), error("bio"), error("links"));
            let summary = crate::components::form::error_summary("The profile was not saved:", &errors);
            let current = if staff.role.allows(Role::Editor) { "/staff/authors" } else { "/staff/account" };
            view! {
                <PageTitle text=format!("Author: {} · Staff desk", profile.name) />
                <StaffFrame staff current>
                    <h1 class="page-title">{format!("Author: {}", profile.name)}</h1>
                    <p class="queue-meta"><a href=format!("/authors/{}", profile.slug)>"View the public page"</a></p>
                    {done.map(|d| view! { <p class="notice notice-success" role="status">{d}</p> })}
                    {summary}
                    <form method="post" action=format!("/staff/authors/{}", profile.slug) class="stacked">
                        <TextField name="name" label="Name" value=form.name error=name_error required=true max_chars=MAX_NAME
                            hint="As bylines show it." />
                        <TextField name="bio" label="Short biography (optional)" value=form.bio error=bio_error
                            multiline=true rows=5 max_chars=MAX_BIO hint="Plain text; a blank line starts a paragraph." />
                        <TextField name="links" label="Links (optional)" value=form.links error=links_error
                            multiline=true rows=3 hint="Web addresses, one per line: a personal site, a social profile." />
                        <button type="submit">"Save the profile"</button>
                    </form>
                </StaffFrame>
            }
        },
    )
}
