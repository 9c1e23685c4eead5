//! `/staff/articles`: the list, and the posts that create, save, publish and unpublish.
//! The editor page itself is in `editor`, the history in `revisions`.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::*;

use super::editor::EditorAttempt;
use super::{StaffFrame, action_guard, page_guard};
use crate::api::articles::parse_page;
use crate::components::dates::Time;
use crate::components::pagination::Pagination;
use crate::content::article_form::ArticleForm;
use crate::db::audit;
use crate::db::editing::{self, DeskArticle, Filter, Saved};
use crate::domain::staff::{Role, StaffMember};
use crate::domain::text::FieldError;
use crate::error::AppError;
use crate::pages::load_page;
use crate::pages::{PageTitle, query, render_again};
use crate::state::AppState;

/// Articles per page of the list.
const PAGE_SIZE: u32 = 50;

#[component]
pub fn ArticlesDesk() -> impl IntoView {
    let (filter, search, page) = (query("status"), query("q").unwrap_or_default(), query("page"));
    load_page(
        async move {
            let (state, staff) = page_guard(Role::Editor).await?;
            let filter = Filter::parse(filter.as_deref()).ok_or(AppError::NotFound)?;
            let page = parse_page(page.as_deref())?;
            let search = search.trim().chars().take(100).collect::<String>();
            let offset = u64::from(page - 1) * u64::from(PAGE_SIZE);
            let mut articles = editing::list(&state.pool, filter, &search, PAGE_SIZE, offset).await?;
            let has_next = articles.len() > PAGE_SIZE as usize;
            articles.truncate(PAGE_SIZE as usize);
            Ok::<_, AppError>((staff, filter, search, page, has_next, articles))
        },
        move |(staff, filter, search, page, has_next, articles)| {
            let tabs = [Filter::All, Filter::Published, Filter::Drafts]
                .into_iter()
                .map(|f| {
                    let label = match f {
                        Filter::All => "All",
                        Filter::Published => "Published",
                        Filter::Drafts => "Drafts",
                    };
                    let current = (f == filter).then_some("page");
                    view! { <li><a href=format!("/staff/articles?status={}", f.as_str()) aria-current=current>{label}</a></li> }
                })
                .collect_view();
            let base = format!("/staff/articles?status={}&q={}", filter.as_str(), super::percent_encode(&search));
            let list = if articles.is_empty() {
                view! { <p class="queue-empty">"No articles here."</p> }.into_any()
            } else {
                view! {
                    <table class="desk-table">
                        <thead><tr>
                            <th scope="col">"Headline"</th><th scope="col">"Status"</th><th scope="col">"Byline"</th>
                            <th scope="col">"Last change"</th><th scope="col">"Revision"</th>
                        </tr></thead>
                        <tbody>{articles.into_iter().map(article_row).collect_view()}</tbody>
                    </table>
                }
                .into_any()
            };
            view! {
                <PageTitle text="Articles · Staff desk" />
                <StaffFrame staff current="/staff/articles">
                    <h1 class="page-title">"Articles"</h1>
                    <p><a class="button" href="/staff/articles/new">"New article"</a></p>
                    <nav class="queue-tabs" aria-label="Articles by status"><ul>{tabs}</ul></nav>
                    <form method="get" action="/staff/articles" class="audit-filter" role="search">
                        <input type="hidden" name="status" value=filter.as_str() />
                        <label for="article-search">"Headline contains"</label>
                        <input id="article-search" name="q" type="search" value=search maxlength="100" />
                        <button type="submit">"Search"</button>
                    </form>
                    {list}
                    <Pagination base page has_next />
                </StaffFrame>
            }
        },
    )
}

fn article_row(article: DeskArticle) -> impl IntoView {
    let status = match (article.status.as_str(), article.ever_published) {
        ("published", _) => "Published",
        (_, true) => "Unpublished",
        _ => "Draft",
    };
    let changed = article.updated_at.unwrap_or(article.published_at);
    view! {
        <tr>
            <td><a href=format!("/staff/articles/{}/edit", article.slug)>{article.title}</a></td>
            <td>{status}</td>
            <td>{article.byline}</td>
            <td><Time at=changed with_time=true /></td>
            <td><a href=format!("/staff/articles/{}/revisions", article.slug)>{article.revision}</a></td>
        </tr>
    }
}

fn edit_page(slug: &str, done: &str) -> Response {
    Redirect::to(&format!("/staff/articles/{slug}/edit?done={done}")).into_response()
}

/// `POST /staff/articles`: a new draft.
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<ArticleForm>,
) -> Response {
    let staff = match action_guard(&state, &headers, Role::Editor).await {
        Ok(staff) => staff,
        Err(response) => return response,
    };
    let checked = form.validate();
    let slug = form.new_slug();
    let (edit, slug) = match (checked, slug) {
        (Ok(edit), Ok(slug)) => (edit, slug),
        (checked, slug) => {
            let mut errors = checked.err().unwrap_or_default();
            errors.extend(slug.err());
            let attempt = EditorAttempt { form, errors, stale: None };
            return render_again(&state, "/staff/articles/new", &headers, StatusCode::UNPROCESSABLE_ENTITY, attempt)
                .await;
        }
    };
    let result = async {
        let Some(_) = editing::create(&state.pool, &slug, &edit, &staff.name).await? else {
            return Ok(None);
        };
        audit::record(&state.pool, Some(&staff), audit::Kind::Article, "created", slug.as_str(), &edit.title).await?;
        Ok::<_, AppError>(Some(()))
    }
    .await;
    match result {
        Ok(Some(())) => edit_page(slug.as_str(), "created"),
        Ok(None) => {
            let error =
                FieldError { field: "slug".into(), message: "Another article already uses this address.".into() };
            let attempt = EditorAttempt { form, errors: vec![error], stale: None };
            render_again(&state, "/staff/articles/new", &headers, StatusCode::CONFLICT, attempt).await
        }
        Err(error) => error.into_response(),
    }
}

/// `POST /staff/articles/{slug}/edit`: a new revision. A save made from an older revision
/// than the current one is not written: the editor's text is shown again with a warning.
pub async fn save(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<ArticleForm>,
) -> Response {
    let staff = match action_guard(&state, &headers, Role::Editor).await {
        Ok(staff) => staff,
        Err(response) => return response,
    };
    let article = match editing::editable(&state.pool, &slug).await {
        Ok(Some(article)) => article,
        Ok(None) => return AppError::NotFound.into_response(),
        Err(error) => return AppError::from(error).into_response(),
    };
    let here = format!("/staff/articles/{}/edit", article.slug);
    let edit = match form.validate() {
        Ok(edit) => edit,
        Err(errors) => {
            let attempt = EditorAttempt { form, errors, stale: None };
            return render_again(&state, &here, &headers, StatusCode::UNPROCESSABLE_ENTITY, attempt).await;
        }
    };
    let base = form.base_revision.unwrap_or_default();
    let result = async {
        let saved = editing::save(&state.pool, article.id, base, &edit, &staff.name).await?;
        if let Some(Saved::Revision(revision)) = saved {
            let detail = format!("revision {revision}: {}", edit.changed_fields(&article.content).join(", "));
            audit::record(&state.pool, Some(&staff), audit::Kind::Article, "saved", &article.slug, &detail).await?;
        }
        Ok::<_, AppError>(saved)
    }
    .await;
    match result {
        Ok(None) => AppError::NotFound.into_response(),
        Ok(Some(Saved::Stale { current })) => {
            // Shown again to start from the newer revision: saving once more is deliberate.
            let form = ArticleForm { base_revision: Some(current), ..form };
            let attempt = EditorAttempt { form, errors: Vec::new(), stale: Some(current) };
            render_again(&state, &here, &headers, StatusCode::CONFLICT, attempt).await
        }
        Ok(Some(outcome)) => match form.suggestion {
            // Back to the suggestion that sent the editor here, to accept it with a note.
            Some(group) => Redirect::to(&format!("/staff/corrections?done=edited#group-{group}")).into_response(),
            None => edit_page(&article.slug, if outcome == Saved::Unchanged { "unchanged" } else { "saved" }),
        },
        Err(error) => error.into_response(),
    }
}

/// `POST /staff/articles/{slug}/publish`
pub async fn publish(state: State<AppState>, slug: Path<String>, headers: HeaderMap) -> Response {
    set_published(state, slug, headers, true).await
}

/// `POST /staff/articles/{slug}/unpublish`: readers get "not found"; comments and history stay.
pub async fn unpublish(state: State<AppState>, slug: Path<String>, headers: HeaderMap) -> Response {
    set_published(state, slug, headers, false).await
}

async fn set_published(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    publish: bool,
) -> Response {
    let staff = match action_guard(&state, &headers, Role::Editor).await {
        Ok(staff) => staff,
        Err(response) => return response,
    };
    match change_status(&state, &staff, &slug, publish).await {
        Ok(done) => edit_page(&slug, done),
        Err(error) => error.into_response(),
    }
}

async fn change_status(
    state: &AppState,
    staff: &StaffMember,
    slug: &str,
    publish: bool,
) -> Result<&'static str, AppError> {
    let article = editing::editable(&state.pool, slug).await?.ok_or(AppError::NotFound)?;
    if !editing::set_published(&state.pool, article.id, publish).await? {
        return Ok("already");
    }
    let action = if publish { "published" } else { "unpublished" };
    audit::record(&state.pool, Some(staff), audit::Kind::Article, action, slug, &article.content.title).await?;
    Ok(action)
}
