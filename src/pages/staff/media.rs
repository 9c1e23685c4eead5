//! (ssr) `/staff/media`: the photo library (editors): upload, search, the latest images
//! with their thumbnails and the stories that show them; `/staff/media/{id}`: one image's
//! words, its Markdown for a story's body, and deleting it. The posts are in
//! `http::forms::media`.

use leptos::prelude::*;

use super::StaffFrame;
use crate::components::form::{TextField, error_summary, error_summary_for};
use crate::components::pagination::Pagination;
use crate::components::picture::{Loading, Words, figure_html, thumbnail_html};
use crate::domain::media::{
    LibraryItem, MAX_ALT_CHARS, MAX_CAPTION_CHARS, MAX_CREDIT_CHARS, MAX_UPLOAD_BYTES, MediaText,
};
use crate::domain::staff::Role;
use crate::domain::text::FieldError;
use crate::error::AppError;
use crate::http::guards::staff_page;
use crate::islands::media_drop::MediaDrop;
use crate::pages::{PageTitle, load_page, param, query};
use crate::services::articles::parse_page;
use crate::services::media;

/// An upload or edit that was refused, shown again with the words as typed.
#[derive(Debug, Clone)]
pub struct MediaAttempt {
    pub text: MediaText,
    pub errors: Vec<FieldError>,
    /// The image edited or deleted; `None` for an upload.
    pub id: Option<i64>,
}

fn done_message(code: &str) -> Option<&'static str> {
    Some(match code {
        "uploaded" => "Uploaded: the photo is in the library, in every size pages need.",
        "saved" => "Saved. Stories using the library's words show the new ones.",
        "deleted" => "Deleted: the photo and its files are gone.",
        _ => return None,
    })
}

/// The alt text, caption and credit fields, shared by the upload and edit forms; their ids
/// start with `prefix` (the editor has a second set for its lead image).
fn text_fields(text: &MediaText, errors: &[FieldError], prefix: &str) -> impl IntoView + use<> {
    let error = |field: &str| errors.iter().find(|e| e.field == field).map(|e| e.message.clone());
    view! {
        <TextField name="alt" id=format!("{prefix}-alt") label="Alt text" value=text.alt.clone() error=error("alt") required=true max_chars=MAX_ALT_CHARS
            hint="What the photo shows, for readers who cannot see it." />
        <TextField name="caption" id=format!("{prefix}-caption") label="Caption" value=text.caption.clone() error=error("caption") multiline=true rows=2 max_chars=MAX_CAPTION_CHARS />
        <TextField name="credit" id=format!("{prefix}-credit") label="Credit" value=text.credit.clone() error=error("credit") max_chars=MAX_CREDIT_CHARS
            hint="Photographer or agency, e.g. “Ana García/Copydesk”." />
    }
}

/// The upload form (a file picker, or a file dropped on it), as the library shows it and,
/// for one story's lead image (`lead_for`), the editor.
pub fn upload_form(text: &MediaText, errors: &[FieldError], lead_for: Option<&str>) -> impl IntoView + use<> {
    let prefix = if lead_for.is_some() { "upload" } else { "field" };
    let file_id = format!("{prefix}-file");
    let hint_id = format!("{prefix}-file-hint");
    let file_error = errors.iter().find(|e| e.field == "file").map(|e| e.message.clone());
    let limit = format!(
        "JPEG, PNG or WebP, up to {} MB. Location and camera details are removed. You can also drop a file on this box.",
        MAX_UPLOAD_BYTES / (1024 * 1024)
    );
    let (heading, button) = match lead_for {
        Some(_) => (view! { <h3>"Or upload a new lead image"</h3> }.into_any(), "Upload and apply"),
        None => (view! { <h2>"Upload a photo"</h2> }.into_any(), "Upload"),
    };
    // The library page lists what was refused at its top; the editor, here.
    let summary = lead_for.map(|_| error_summary_for("The photo was not uploaded:", errors, prefix));
    let lead_for = lead_for.map(|slug| view! { <input type="hidden" name="lead_for" value=slug.to_owned() /> });
    let fields = text_fields(text, errors, prefix);
    view! {
        <MediaDrop>
        <form method="post" action="/staff/media" enctype="multipart/form-data" class="stacked media-upload">
            {heading}
            {summary}
            {lead_for}
            <div class="field">
                <label for=file_id.clone()>"Photo file"</label>
                <input type="file" id=file_id name="file" required=true accept="image/jpeg,image/png,image/webp"
                    aria-describedby=hint_id.clone() aria-invalid=file_error.is_some().then_some("true") />
                <p class="hint" id=hint_id>{limit}</p>
                {file_error.map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            </div>
            {fields}
            <button type="submit">{button}</button>
        </form>
        </MediaDrop>
    }
}

#[component]
pub fn MediaLibraryPage() -> impl IntoView {
    let page = query("page");
    let search = query("q").unwrap_or_default();
    let attempt = use_context::<MediaAttempt>().filter(|a| a.id.is_none());
    let done = query("done").as_deref().and_then(done_message);
    load_page(
        {
            let search = search.clone();
            async move {
                let (state, staff) = staff_page(Role::Editor).await?;
                let page = parse_page(page.as_deref())?;
                let (items, has_next) = media::library(&state.pool, Some(&search), page).await?;
                Ok::<_, AppError>((staff, items, page, has_next))
            }
        },
        move |(staff, items, page, has_next)| {
            let (text, errors) = attempt.clone().map(|a| (a.text, a.errors)).unwrap_or_default();
            let list = if items.is_empty() {
                let empty = if search.trim().is_empty() {
                    "No photos yet. Upload the first above."
                } else {
                    "No photo matches that search."
                };
                view! { <p class="queue-empty">{empty}</p> }.into_any()
            } else {
                view! { <ul class="media-grid">{items.into_iter().map(|item| view! { <MediaTile item /> }).collect_view()}</ul> }.into_any()
            };
            let base = if search.trim().is_empty() {
                "/staff/media".to_owned()
            } else {
                format!("/staff/media?q={}", urlencode(search.trim()))
            };
            let typed = search.clone();
            view! {
                <PageTitle text="Media library · Staff desk" />
                <StaffFrame staff current="/staff/media">
                    <h1 class="page-title">"Media library"</h1>
                    {done.map(|d| view! { <p class="notice notice-success" role="status">{d}</p> })}
                    {error_summary("The photo was not uploaded:", &errors)}
                    {upload_form(&text, &errors, None)}
                    <form method="get" action="/staff/media" class="desk-search" role="search">
                        <label for="media-q">"Search photos"</label>
                        <input type="search" id="media-q" name="q" value=typed />
                        <button type="submit" class="button-quiet">"Search"</button>
                    </form>
                    {list}
                    <Pagination base page has_next noun="photos" />
                </StaffFrame>
            }
        },
    )
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One image in the library's grid.
#[component]
fn MediaTile(item: LibraryItem) -> impl IntoView {
    let id = item.picture.id;
    let thumb = thumbnail_html(&item.picture);
    let used = match item.used_by.len() {
        0 => "Not used yet".to_owned(),
        1 => "In 1 story".to_owned(),
        n => format!("In {n} stories"),
    };
    view! {
        <li class="media-tile" id=format!("media-{id}")>
            <div class="media-thumb" inner_html=thumb></div>
            <p class="media-alt"><a href=format!("/staff/media/{id}")>{item.picture.alt.clone()}</a></p>
            <p class="media-meta">{format!("{} · {} × {} · ", item.file_name, item.picture.width, item.picture.height)}{used}</p>
            <p class="media-code"><code>{format!("![{}](media:{id})", item.picture.alt)}</code></p>
        </li>
    }
}

#[component]
pub fn MediaItemPage() -> impl IntoView {
    let id = param("id");
    let attempt = use_context::<MediaAttempt>();
    let done = query("done").as_deref().and_then(done_message);
    load_page(
        async move {
            let (state, staff) = staff_page(Role::Editor).await?;
            let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
            let item = media::item(&state.pool, id).await?;
            Ok::<_, AppError>((staff, item))
        },
        move |(staff, item)| {
            let id = item.picture.id;
            let (text, errors) = match attempt.clone().filter(|a| a.id == Some(id)) {
                Some(a) if !a.text.alt.is_empty() || a.errors.iter().all(|e| e.field != "delete") => (a.text, a.errors),
                Some(a) => (MediaText::of(&item.picture), a.errors),
                None => (MediaText::of(&item.picture), Vec::new()),
            };
            let figure = figure_html(&item.picture, Words::of(&item.picture), Loading::Lead);
            let delete_error = errors.iter().find(|e| e.field == "delete").map(|e| e.message.clone());
            let field_errors: Vec<FieldError> = errors.iter().filter(|e| e.field != "delete").cloned().collect();
            let used = if item.used_by.is_empty() {
                view! { <p>"No story shows this photo."</p> }.into_any()
            } else {
                let stories = item
                    .used_by
                    .iter()
                    .map(|(slug, title)| view! { <li><a href=format!("/staff/articles/{slug}/edit")>{title.clone()}</a></li> })
                    .collect_view();
                view! { <p>"Shown in:"</p><ul>{stories}</ul> }.into_any()
            };
            view! {
                <PageTitle text="Photo · Media library · Staff desk" />
                <StaffFrame staff current="/staff/media">
                    <p class="breadcrumb"><a href="/staff/media">"Media library"</a></p>
                    <h1 class="page-title">{item.picture.alt.clone()}</h1>
                    {done.map(|d| view! { <p class="notice notice-success" role="status">{d}</p> })}
                    {delete_error.map(|e| view! { <div class="notice notice-error" role="alert"><p>"Not deleted. "{e}</p></div> })}
                    {error_summary("Not saved:", &field_errors)}
                    <div class="media-preview" inner_html=figure></div>
                    <p class="media-meta">{format!("{} · {} × {} pixels", item.file_name, item.picture.width, item.picture.height)}</p>
                    <p>"In a story's text: " <code>{format!("![{}](media:{id} \"caption\")", item.picture.alt)}</code></p>
                    <form method="post" action=format!("/staff/media/{id}") class="stacked">
                        <h2>"Words"</h2>
                        {text_fields(&text, &field_errors, "field")}
                        <button type="submit">"Save"</button>
                    </form>
                    <h2>"Stories"</h2>
                    {used}
                    <form method="post" action=format!("/staff/media/{id}/delete")>
                        <button type="submit" class="button-danger">"Delete this photo"</button>
                    </form>
                </StaffFrame>
            }
        },
    )
}
