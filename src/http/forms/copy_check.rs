//! (ssr) The copy check's posts: ignoring a problem in an article, showing ignored ones
//! again, the house dictionary, and the site's language.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Redirect;

use super::{FormError, show_again};
use crate::error::AppError;
use crate::http::Visitor;
use crate::http::guards::{Admin, Editor, RequireStaff};
use crate::pages::staff::dictionary::DictionaryRejected;
use crate::services::{copy_check, editing};
use crate::state::AppState;

#[derive(Debug, serde::Deserialize)]
pub struct IgnoreForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    text: String,
}

#[derive(Debug, serde::Deserialize)]
pub struct WordForm {
    #[serde(default)]
    word: String,
    /// The editor page the word was added from, to return to.
    #[serde(default)]
    back: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    language: String,
}

fn editor(slug: &str) -> Redirect {
    Redirect::to(&format!("/staff/articles/{slug}/edit#copy-check"))
}

/// `POST /staff/articles/{slug}/check/ignore`
pub async fn ignore(
    State(state): State<AppState>,
    RequireStaff(..): RequireStaff<Editor>,
    Path(slug): Path<String>,
    axum::Form(form): axum::Form<IgnoreForm>,
) -> Result<Redirect, FormError> {
    let article = editing::editable(&state.pool, &slug).await?;
    copy_check::ignore(&state.pool, article.id, &form.kind, &form.text).await?;
    Ok(editor(&article.slug))
}

/// `POST /staff/articles/{slug}/check/show-ignored`
pub async fn show_ignored(
    State(state): State<AppState>,
    RequireStaff(..): RequireStaff<Editor>,
    Path(slug): Path<String>,
) -> Result<Redirect, FormError> {
    let article = editing::editable(&state.pool, &slug).await?;
    copy_check::show_ignored(&state.pool, article.id).await?;
    Ok(editor(&article.slug))
}

/// Only back to an editor page of this site.
fn safe_back(back: Option<&str>) -> Option<&str> {
    back.filter(|b| b.starts_with("/staff/articles/") && !b.contains("//") && !b.contains('\\'))
}

/// `POST /staff/dictionary`: from the dictionary page or from a problem in the editor.
pub async fn add_word(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Editor>,
    visitor: Visitor,
    axum::Form(form): axum::Form<WordForm>,
) -> Result<Redirect, FormError> {
    match copy_check::add_word(&state.pool, &staff, &form.word).await {
        Ok((word, _)) => Ok(match safe_back(form.back.as_deref()) {
            Some(back) => Redirect::to(back),
            None => Redirect::to(&format!("/staff/dictionary?added={}", crate::domain::text::percent_encode(&word))),
        }),
        Err(error @ AppError::Invalid(_)) => {
            let rejected = DictionaryRejected { field: "word", value: form.word, error };
            Err(show_again(&state, "/staff/dictionary", &visitor, StatusCode::UNPROCESSABLE_ENTITY, rejected).await)
        }
        Err(error) => Err(error.into()),
    }
}

/// `POST /staff/dictionary/remove`
pub async fn remove_word(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Editor>,
    axum::Form(form): axum::Form<WordForm>,
) -> Result<Redirect, FormError> {
    copy_check::remove_word(&state.pool, &staff, &form.word).await?;
    Ok(Redirect::to("/staff/dictionary?done=removed"))
}

/// `POST /staff/dictionary/language` (admins): the site's language.
pub async fn set_language(
    State(state): State<AppState>,
    RequireStaff(admin, ..): RequireStaff<Admin>,
    visitor: Visitor,
    axum::Form(form): axum::Form<LanguageForm>,
) -> Result<Redirect, FormError> {
    match copy_check::set_site_language(&state.pool, &admin, &form.language).await {
        Ok(lang) => {
            if let Ok(mut site) = state.site_lang.write() {
                *site = lang.to_string();
            }
            Ok(Redirect::to("/staff/dictionary?done=language"))
        }
        Err(error @ AppError::Invalid(_)) => {
            let rejected = DictionaryRejected { field: "language", value: form.language, error };
            Err(show_again(&state, "/staff/dictionary", &visitor, StatusCode::UNPROCESSABLE_ENTITY, rejected).await)
        }
        Err(error) => Err(error.into()),
    }
}
