//! (ssr) `/staff/settings`: moderation mode, word lists, per-article comments (admins).

use leptos::prelude::*;

use super::StaffFrame;
use crate::components::escape_text;
use crate::domain::comment::Moderation;
use crate::domain::staff::Role;
use crate::error::AppError;
use crate::http::guards::staff_page;
use crate::pages::load_page;
use crate::pages::{PageTitle, query};
use crate::services::desk;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let saved = query("saved").is_some();
    load_page(
        async move {
            let (state, staff) = staff_page(Role::Admin).await?;
            let desk::Settings { mode, suspect, banned, articles } = desk::settings(&state.pool).await?;
            let two_step = crate::services::staff::second_factor_required(&state.pool).await?;
            let time_to_fix = crate::services::articles::corrections_time_to_fix(&state.pool).await?;
            Ok::<_, AppError>((staff, mode, suspect, banned, articles, (two_step, time_to_fix)))
        },
        move |(staff, mode, suspect, banned, articles, (two_step, time_to_fix))| {
            let mode_choice = move |value: Moderation, label: &'static str| {
                let id = format!("mode-{}", value.as_str());
                view! {
                    <div class="choice">
                        <input type="radio" id=id.clone() name="mode" value=value.as_str() checked=mode == value />
                        <label for=id>{label}</label>
                    </div>
                }
            };
            let rows = articles
                .into_iter()
                .map(|a| {
                    let select_id = format!("article-mode-{}", a.slug);
                    let closed_id = format!("article-closed-{}", a.slug);
                    let current = a.mode.map_or("site", Moderation::as_str);
                    view! {
                        <tr>
                            <td><a href=format!("/articles/{}", a.slug)>{a.title.clone()}</a></td>
                            <td>
                                <form method="post" action="/staff/settings/article" class="settings-row">
                                    <input type="hidden" name="slug" value=a.slug.clone() />
                                    <label for=select_id.clone() class="visually-hidden">{format!("Moderation for {}", a.title)}</label>
                                    <select id=select_id name="mode">
                                        <option value="site" selected=current == "site">"Site setting"</option>
                                        <option value="pre" selected=current == "pre">"Pre-moderation"</option>
                                        <option value="post" selected=current == "post">"Post-moderation"</option>
                                    </select>
                                    <span class="queue-check">
                                        <input type="checkbox" id=closed_id.clone() name="closed" value="1" checked=a.closed />
                                        <label for=closed_id>"Closed"</label>
                                    </span>
                                    <button type="submit" class="button-quiet">"Save"</button>
                                </form>
                            </td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <PageTitle text="Settings · Staff desk" />
                <StaffFrame staff current="/staff/settings">
                    <h1 class="page-title">"Comment settings"</h1>
                    {saved.then(|| view! { <p class="notice notice-success" role="status">"Saved."</p> })}
                    <form method="post" action="/staff/settings/moderation" class="stacked">
                        <fieldset>
                            <legend>"New comments on the site"</legend>
                            {mode_choice(Moderation::Pre, "Pre-moderation: hold every comment for a moderator")}
                            {mode_choice(Moderation::Post, "Post-moderation: publish at once, moderate afterwards")}
                        </fieldset>
                        <button type="submit">"Save mode"</button>
                    </form>
                    <h2>"Word lists"</h2>
                    <form method="post" action="/staff/settings/words" class="stacked">
                        <div class="field">
                            <label for="suspect-words">"Suspect words and phrases (hold for moderation), one a line"</label>
                            <textarea id="suspect-words" name="suspect" rows="6" inner_html=escape_text(&suspect.join("\n"))></textarea>
                        </div>
                        <div class="field">
                            <label for="banned-words">"Banned words and phrases (refuse the comment), one a line"</label>
                            <textarea id="banned-words" name="banned" rows="6" inner_html=escape_text(&banned.join("\n"))></textarea>
                        </div>
                        <button type="submit">"Save word lists"</button>
                    </form>
                    <h2>"Staff sign-in"</h2>
                    <form method="post" action="/staff/settings/two-step" class="stacked">
                        <div class="choice">
                            <input type="checkbox" id="require-two-step" name="required" value="1" checked=two_step />
                            <label for="require-two-step">"Admins and editors must use a second sign-in step (a code from an authenticator app)"</label>
                        </div>
                        <button type="submit">"Save sign-in rule"</button>
                    </form>
                    <h2>"Corrections page"</h2>
                    <form method="post" action="/staff/settings/corrections" class="stacked">
                        <div class="choice">
                            <input type="checkbox" id="time-to-fix" name="show" value="1" checked=time_to_fix />
                            <label for="time-to-fix">"Show readers how long each correction took from the first reader report"</label>
                        </div>
                        <button type="submit">"Save corrections page"</button>
                    </form>
                    <h2>"Articles"</h2>
                    <table class="audit">
                        <thead><tr><th scope="col">"Article"</th><th scope="col">"Comments"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </StaffFrame>
            }
        },
    )
}
