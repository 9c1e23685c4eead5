use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;
use serde::Deserialize;

use super::{StaffFrame, action_guard, page_guard};
use crate::components::escape_text;
use crate::db::comments::WordListName;
use crate::db::{self, audit};
use crate::domain::comment::Moderation;
use crate::domain::staff::Role;
use crate::domain::words::normalise_entry;
use crate::error::AppError;
use crate::pages::load_page;
use crate::pages::{PageTitle, query};
use crate::state::AppState;

/// Articles listed with their comment settings, newest first.
const ARTICLES: u32 = 50;
/// Entries a word list may hold.
const MAX_WORDS: usize = 500;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let saved = query("saved").is_some();
    load_page(
        async move {
            let (state, staff) = page_guard(Role::Admin).await?;
            let pool = &state.pool;
            let (mode, suspect, banned, articles) = tokio::try_join!(
                db::comments::site_moderation(pool),
                db::comments::words(pool, WordListName::Suspect),
                db::comments::words(pool, WordListName::Banned),
                db::comments::article_comment_settings(pool, ARTICLES),
            )?;
            Ok::<_, AppError>((staff, mode, suspect, banned, articles))
        },
        move |(staff, mode, suspect, banned, articles)| {
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

#[derive(Debug, Deserialize)]
pub struct ModeForm {
    #[serde(default)]
    mode: String,
}

#[derive(Debug, Deserialize)]
pub struct WordsForm {
    #[serde(default)]
    suspect: String,
    #[serde(default)]
    banned: String,
}

#[derive(Debug, Deserialize)]
pub struct ArticleForm {
    #[serde(default)]
    slug: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    closed: Option<String>,
}

fn saved() -> Response {
    Redirect::to("/staff/settings?saved=1").into_response()
}

/// `POST /staff/settings/moderation`
pub async fn set_mode(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<ModeForm>,
) -> Response {
    let staff = match action_guard(&state, &headers, Role::Admin).await {
        Ok(staff) => staff,
        Err(response) => return response,
    };
    let Some(mode) = Moderation::parse(&form.mode) else {
        return AppError::invalid("mode", "Choose pre- or post-moderation.").into_response();
    };
    let result = async {
        db::comments::set_site_moderation(&state.pool, mode).await?;
        audit::record(&state.pool, Some(&staff), audit::Kind::Settings, "set site moderation", "site", mode.as_str())
            .await?;
        Ok::<_, AppError>(())
    }
    .await;
    result.map_or_else(IntoResponse::into_response, |()| saved())
}

/// The entries of a textarea, one a line, folded as they are matched.
fn entries(raw: &str) -> Result<Vec<String>, AppError> {
    let mut list: Vec<String> = raw.lines().filter_map(normalise_entry).collect();
    list.sort();
    list.dedup();
    if list.len() > MAX_WORDS {
        return Err(AppError::invalid("words", "A list may hold at most 500 entries."));
    }
    Ok(list)
}

/// `POST /staff/settings/words`: replaces both lists.
pub async fn set_words(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<WordsForm>,
) -> Response {
    let staff = match action_guard(&state, &headers, Role::Admin).await {
        Ok(staff) => staff,
        Err(response) => return response,
    };
    let result = async {
        let (suspect, banned) = (entries(&form.suspect)?, entries(&form.banned)?);
        db::comments::replace_words(&state.pool, WordListName::Suspect, &suspect).await?;
        db::comments::replace_words(&state.pool, WordListName::Banned, &banned).await?;
        let detail = format!("{} suspect, {} banned", suspect.len(), banned.len());
        audit::record(&state.pool, Some(&staff), audit::Kind::Settings, "set word lists", "site", &detail).await?;
        Ok::<_, AppError>(())
    }
    .await;
    result.map_or_else(IntoResponse::into_response, |()| saved())
}

/// `POST /staff/settings/article`: one article's moderation mode and whether it is closed.
pub async fn set_article(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<ArticleForm>,
) -> Response {
    let staff = match action_guard(&state, &headers, Role::Admin).await {
        Ok(staff) => staff,
        Err(response) => return response,
    };
    let mode = match form.mode.as_str() {
        "site" => None,
        raw => match Moderation::parse(raw) {
            Some(mode) => Some(mode),
            None => return AppError::invalid("mode", "Choose a moderation mode.").into_response(),
        },
    };
    let closed = form.closed.is_some();
    let result = async {
        if !db::comments::set_article_comments(&state.pool, &form.slug, mode, closed).await? {
            return Err(AppError::NotFound);
        }
        let detail = format!(
            "moderation {}, comments {}",
            mode.map_or("site", Moderation::as_str),
            if closed { "closed" } else { "open" }
        );
        audit::record(&state.pool, Some(&staff), audit::Kind::Settings, "set article comments", &form.slug, &detail)
            .await?;
        Ok(())
    }
    .await;
    result.map_or_else(IntoResponse::into_response, |()| saved())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_list_lines_are_folded_sorted_and_deduplicated() {
        assert_eq!(entries("Crème\n\n  spam  \ncreme\n!!\n").unwrap(), ["creme", "spam"]);
        assert!(entries(&(0..501).map(|i| format!("w{i}\n")).collect::<String>()).is_err());
    }
}
