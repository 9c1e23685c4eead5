//! (ssr) The media library's posts: an upload (a multipart form: the file and its words),
//! new words for an image, deleting one, and a story's lead image.

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Redirect;

use super::{FormError, show_again};
use crate::domain::media::{MAX_UPLOAD_BYTES, MediaText};
use crate::error::AppError;
use crate::http::Visitor;
use crate::http::guards::{Editor, RequireStaff};
use crate::pages::staff::media::MediaAttempt;
use crate::services::media::{self, LeadForm, Upload};
use crate::state::AppState;

const LIBRARY: &str = "/staff/media";

/// `POST /staff/media`: a photo and its alt text, caption and credit; from a story's editor
/// (`lead_for`), made that story's lead image too. What is refused is shown again, on the
/// page it came from, with the words as typed (a browser cannot be given the file back).
pub async fn upload(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Editor>,
    visitor: Visitor,
    multipart: Multipart,
) -> Result<Redirect, FormError> {
    let (outcome, text, lead_for) = match read_upload(multipart).await {
        Ok((upload, lead_for)) => {
            let text = upload.text.clone();
            let outcome = match &lead_for {
                Some(slug) => media::upload_lead(&state.pool, &state.media, &staff, slug, upload).await,
                None => media::upload(&state.pool, &state.media, &staff, upload).await,
            };
            (outcome, text, lead_for)
        }
        Err(error) => (Err(error), MediaText::default(), None),
    };
    let here = match &lead_for {
        Some(slug) => format!("/staff/articles/{slug}/edit"),
        None => LIBRARY.to_owned(),
    };
    match outcome {
        Ok(_) if lead_for.is_some() => Ok(Redirect::to(&format!("{here}?done=lead-set#lead-heading"))),
        Ok(id) => Ok(Redirect::to(&format!("{LIBRARY}?done=uploaded#media-{id}"))),
        Err(AppError::Invalid(errors)) => {
            let attempt = MediaAttempt { text, errors, id: None };
            Err(show_again(&state, &here, &visitor, StatusCode::UNPROCESSABLE_ENTITY, attempt).await)
        }
        Err(error) => Err(error.into()),
    }
}

/// The form's fields, and the story it is a lead image for; the file's bytes at most
/// `MAX_UPLOAD_BYTES` (the body limit caps the whole request a little above that).
async fn read_upload(mut multipart: Multipart) -> Result<(Upload, Option<String>), AppError> {
    let mut lead_for = None;
    let mut upload =
        Upload { file_name: String::new(), content_type: String::new(), bytes: Vec::new(), text: MediaText::default() };
    let unreadable = |_| AppError::invalid("file", "The upload was cut short; please try again.");
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            upload.file_name = field.file_name().unwrap_or_default().to_owned();
            upload.content_type = field.content_type().unwrap_or_default().to_owned();
            while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                if upload.bytes.len() + chunk.len() > MAX_UPLOAD_BYTES {
                    return Err(AppError::invalid("file", crate::domain::media::Refusal::TooLarge.to_string()));
                }
                upload.bytes.extend_from_slice(&chunk);
            }
            continue;
        }
        let value = field.text().await.map_err(unreadable)?;
        match name.as_str() {
            "alt" => upload.text.alt = value,
            "caption" => upload.text.caption = value,
            "credit" => upload.text.credit = value,
            "lead_for" if !value.trim().is_empty() => lead_for = Some(value.trim().to_owned()),
            _ => {}
        }
    }
    Ok((upload, lead_for))
}

/// `POST /staff/media/{id}`: new alt text, caption and credit.
pub async fn update(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Editor>,
    Path(id): Path<i64>,
    visitor: Visitor,
    axum::Form(text): axum::Form<MediaText>,
) -> Result<Redirect, FormError> {
    match media::update(&state.pool, &staff, id, &text).await {
        Ok(()) => Ok(Redirect::to(&format!("{LIBRARY}/{id}?done=saved"))),
        Err(AppError::Invalid(errors)) => {
            let attempt = MediaAttempt { text, errors, id: Some(id) };
            let here = format!("{LIBRARY}/{id}");
            Err(show_again(&state, &here, &visitor, StatusCode::UNPROCESSABLE_ENTITY, attempt).await)
        }
        Err(error) => Err(error.into()),
    }
}

/// `POST /staff/media/{id}/delete`: refused, naming the stories, while any shows it.
pub async fn delete(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Editor>,
    Path(id): Path<i64>,
    visitor: Visitor,
) -> Result<Redirect, FormError> {
    match media::delete(&state.pool, &state.media, &staff, id).await {
        Ok(()) => Ok(Redirect::to(&format!("{LIBRARY}?done=deleted"))),
        Err(AppError::Invalid(errors)) => {
            let attempt = MediaAttempt { text: MediaText::default(), errors, id: Some(id) };
            let here = format!("{LIBRARY}/{id}");
            Err(show_again(&state, &here, &visitor, StatusCode::CONFLICT, attempt).await)
        }
        Err(error) => Err(error.into()),
    }
}

/// `POST /staff/articles/{slug}/lead-image`: the story's lead image, or none.
pub async fn lead(
    State(state): State<AppState>,
    RequireStaff(staff, ..): RequireStaff<Editor>,
    Path(slug): Path<String>,
    axum::Form(form): axum::Form<LeadForm>,
) -> Result<Redirect, FormError> {
    let done = media::set_lead(&state.pool, &staff, &slug, &form).await?;
    Ok(Redirect::to(&format!("/staff/articles/{slug}/edit?done={done}")))
}
