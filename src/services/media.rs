//! (ssr) The photo library: uploads made into their files off the async workers, the
//! library's list and words, deleting what no story shows, lead images, and the files
//! pages link to.

use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::cache::{Kept, KeptFile};
use crate::content::markdown::media_ids;
pub use crate::db::media::Lead;
use crate::db::media::{Deleted, NewFile};
use crate::db::{self, Pool, audit};
use crate::domain::media::{Format, LibraryItem, MediaText, Picture, Refusal, check_upload};
use crate::domain::staff::{Role, StaffMember};
use crate::domain::text::FieldError;
use crate::error::AppError;
use crate::imaging::Processed;
use crate::media_store::{BucketError, IN_BUCKET, MediaStore};

/// Images on a page of the library.
pub const PAGE_SIZE: u32 = 24;
/// Uploads made into files at once; more wait their turn (each holds a decoded image,
/// up to 200 MB, while it works).
const AT_ONCE: usize = 2;
static WORKERS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(AT_ONCE);

/// An upload as the form sent it.
pub struct Upload {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
    pub text: MediaText,
}

/// The library is editors' (the guards check first; this keeps every caller to it).
fn editor(staff: &StaffMember) -> Result<(), AppError> {
    if staff.role.allows(Role::Editor) { Ok(()) } else { Err(AppError::Forbidden) }
}

fn invalid(errors: Vec<(&'static str, String)>) -> AppError {
    AppError::Invalid(errors.into_iter().map(|(field, message)| FieldError { field: field.into(), message }).collect())
}

/// The bucket failed: nothing was stored, or the file cannot be sent now.
fn unavailable(error: BucketError) -> AppError {
    tracing::error!(%error, "the media bucket failed");
    AppError::Busy
}

fn refused(refusal: Refusal) -> AppError {
    AppError::invalid("file", refusal.to_string())
}

/// Checks, decodes and stores an upload with all its files; the new image's id. Nothing
/// is stored when any of it is refused.
#[tracing::instrument(skip_all, fields(bytes = upload.bytes.len()))]
pub async fn upload(pool: &Pool, files: &MediaStore, staff: &StaffMember, upload: Upload) -> Result<i64, AppError> {
    editor(staff)?;
    let text = upload.text.validate();
    let format = check_upload(&upload.bytes, &upload.file_name, &upload.content_type);
    match (text, format) {
        (Ok(_), Ok(_)) => {}
        (text, format) => {
            let mut errors = text.err().unwrap_or_default();
            if let Err(refusal) = format {
                errors.insert(0, ("file", refusal.to_string()));
            }
            return Err(invalid(errors));
        }
    }
    let text = upload.text.validate().map_err(invalid)?;
    let _turn = WORKERS.acquire().await.map_err(|_| AppError::Internal)?;
    let started = std::time::Instant::now();
    let bytes = upload.bytes;
    let processed = tokio::task::spawn_blocking(move || crate::imaging::process(&bytes))
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(refused)?;
    tracing::info!(
        ms = started.elapsed().as_millis() as u64,
        files = processed.files.len(),
        "photo made into its files"
    );
    let name = file_name(&upload.file_name);
    let id = store(pool, files, Some(staff.id), &name, &text, &processed).await?;
    let detail = format!("{name} ({} × {})", processed.width, processed.height);
    audit::record(pool, Some(staff), audit::Kind::Article, "photo uploaded", &format!("media:{id}"), &detail).await?;
    Ok(id)
}

/// An upload from a story's editor, made its lead image with the library's words; the
/// photo's id. The story is looked up before the photo is made into its files.
pub async fn upload_lead(
    pool: &Pool,
    files: &MediaStore,
    staff: &StaffMember,
    slug: &str,
    photo: Upload,
) -> Result<i64, AppError> {
    editor(staff)?;
    super::editing::editable(pool, slug).await?;
    let id = upload(pool, files, staff, photo).await?;
    set_lead(pool, staff, slug, &LeadForm { media_id: id.to_string(), text: MediaText::default() }).await?;
    Ok(id)
}

/// Stores a processed image and its files in one transaction; its id. With a bucket, the
/// files are written there first: a row is never committed without its file (a failure
/// after the writes leaves unnamed objects, removed again when it can).
pub async fn store(
    pool: &Pool,
    bucket: &MediaStore,
    staff_id: Option<i64>,
    name: &str,
    text: &MediaText,
    processed: &Processed,
) -> Result<i64, AppError> {
    // The kind goes into the hash too: a crop can come out byte for byte the same as a width
    // (a 4:3 photo's 4:3 crop), and each file has its own address.
    let hashes: Vec<String> = processed.files.iter().map(|f| hash(f.kind, &f.bytes)).collect();
    let files: Vec<NewFile> = processed
        .files
        .iter()
        .zip(&hashes)
        .map(|(f, hash)| NewFile {
            kind: f.kind,
            format: f.format.as_str(),
            width: i64::from(f.width),
            height: i64::from(f.height),
            hash,
            bytes: &f.bytes,
        })
        .collect();
    // Files are named by their bytes, so a photo already in the library cannot be stored
    // twice: say which it is rather than fail on the unique address.
    if let Some(first) = hashes.first()
        && let Some((id, alt, file)) = db::media::with_file(pool, first).await?
    {
        return Err(AppError::invalid(
            "file",
            format!("This photo is already in the library (number {id}, “{alt}”, {file}): choose it instead."),
        ));
    }
    let size = (i64::from(processed.width), i64::from(processed.height));
    let names: Vec<String> =
        processed.files.iter().zip(&hashes).map(|(f, hash)| format!("{hash}.{}", f.format.extension())).collect();
    for (file, name) in processed.files.iter().zip(&names) {
        bucket.put(name, &file.bytes).await.map_err(unavailable)?;
    }
    match db::media::insert(pool, staff_id, name, size, text, &files, bucket.stored()).await {
        Ok(id) => Ok(id),
        Err(error) => {
            // The same photo stored at the same moment by another upload owns these names
            // now: its files stay.
            let owned = match hashes.first() {
                Some(first) => db::media::with_file(pool, first).await.map_or(true, |found| found.is_some()),
                None => false,
            };
            if !owned && let Err(cleanup) = bucket.delete(&names).await {
                tracing::warn!(error = %cleanup, "files of a photo that was not stored stay in the bucket");
            }
            Err(error.into())
        }
    }
}

/// The address's hash of a file: 128 bits of SHA-256 of its kind and bytes, as hex.
fn hash(kind: &str, bytes: &[u8]) -> String {
    let digest = Sha256::new().chain_update(kind.as_bytes()).chain_update([0]).chain_update(bytes).finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// The file's own name without any folder a browser sent, kept for the library's list.
fn file_name(raw: &str) -> String {
    let name = raw.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    let name: String = name.chars().filter(|c| !c.is_control()).take(200).collect();
    if name.is_empty() { "photo".to_owned() } else { name }
}

/// A page of the library, optionally searched; and whether another follows.
pub async fn library(pool: &Pool, search: Option<&str>, page: u32) -> Result<(Vec<LibraryItem>, bool), AppError> {
    let search = search.map(str::trim).filter(|s| !s.is_empty());
    let rows = db::media::list(pool, search, PAGE_SIZE + 1, super::offset(page, PAGE_SIZE)).await?;
    let (rows, has_next) = super::page_of(rows, PAGE_SIZE);
    if rows.is_empty() && page > 1 {
        return Err(AppError::NotFound);
    }
    let ids: Vec<i64> = rows.iter().map(|(picture, _)| picture.id).collect();
    let uses = db::media::used_by_each(pool, &ids).await?;
    let items = rows
        .into_iter()
        .map(|(picture, file_name)| {
            let used_by = uses
                .iter()
                .filter(|(id, ..)| *id == picture.id)
                .map(|(_, slug, title)| (slug.clone(), title.clone()))
                .collect();
            LibraryItem { picture, file_name, used_by }
        })
        .collect();
    Ok((items, has_next))
}

/// One library image with the stories that show it.
pub async fn item(pool: &Pool, id: i64) -> Result<LibraryItem, AppError> {
    let (picture, file_name) = db::media::by_id(pool, id).await?.ok_or(AppError::NotFound)?;
    let used_by = db::media::used_by(pool, id).await?;
    Ok(LibraryItem { picture, file_name, used_by })
}

/// New alt text, caption and credit for a library image (every story using the library's
/// words shows them).
pub async fn update(pool: &Pool, staff: &StaffMember, id: i64, text: &MediaText) -> Result<(), AppError> {
    editor(staff)?;
    let text = text.validate().map_err(invalid)?;
    if !db::media::update_text(pool, id, &text).await? {
        return Err(AppError::NotFound);
    }
    audit::record(pool, Some(staff), audit::Kind::Article, "photo edited", &format!("media:{id}"), &text.alt).await?;
    Ok(())
}

/// Deletes an image no story shows; one in use is refused, naming the stories. Its files
/// in a bucket are removed after the rows (which are what make them reachable).
pub async fn delete(pool: &Pool, bucket: &MediaStore, staff: &StaffMember, id: i64) -> Result<(), AppError> {
    editor(staff)?;
    match db::media::delete(pool, id).await? {
        Deleted::Gone(in_bucket) => {
            let names: Vec<String> = in_bucket
                .iter()
                .filter_map(|(hash, format)| Format::parse(format).map(|f| format!("{hash}.{}", f.extension())))
                .collect();
            if let Err(error) = bucket.delete(&names).await {
                tracing::warn!(%error, media = id, "a deleted photo's files stay in the bucket (no page names them)");
            }
            audit::record(pool, Some(staff), audit::Kind::Article, "photo deleted", &format!("media:{id}"), "").await?;
            Ok(())
        }
        Deleted::Missing => Err(AppError::NotFound),
        Deleted::InUse(stories) => {
            let names: Vec<String> = stories.iter().map(|(_, title)| format!("“{title}”")).collect();
            Err(AppError::invalid("delete", format!("Still shown in {}: take it out of them first.", names.join(", "))))
        }
    }
}

/// A stored file by its address's last part (`{hash}.{ext}`), from memory when it is kept. An
/// extension that is not the file's own is not found either.
pub async fn file(pool: &Pool, bucket: &MediaStore, kept: &Arc<Kept>, name: &str) -> Result<Arc<KeptFile>, AppError> {
    let (hash, extension) = name.split_once('.').ok_or(AppError::NotFound)?;
    if hash.len() != 32 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    // How another server's deletion arrives (at most a quarter second later).
    kept.refresh().await;
    let file = match kept.files.get(&kept.freshness, hash) {
        Some(file) => file,
        None => {
            // Read before the file: a deletion committed meanwhile stales what is kept.
            let epoch = kept.freshness.epoch().await;
            let row = db::media::file(pool, hash).await?.ok_or(AppError::NotFound)?;
            let format = Format::parse(&row.format).ok_or(AppError::NotFound)?;
            let bytes = if row.stored == IN_BUCKET {
                let name = format!("{hash}.{}", format.extension());
                bucket.get(&name).await.map_err(unavailable)?.ok_or_else(|| {
                    tracing::error!(file = %name, "a photo file is missing from the bucket");
                    AppError::NotFound
                })?
            } else {
                row.bytes
            };
            let file = Arc::new(KeptFile::new(format, bytes));
            if let Some(epoch) = epoch {
                kept.files.insert(hash, row.media_id, file.clone(), epoch);
            }
            file
        }
    };
    if file.format.extension() != extension {
        return Err(AppError::NotFound);
    }
    Ok(file)
}

/// The library images a body names (those that exist).
pub async fn pictures_in(pool: &Pool, body_md: &str) -> Result<Vec<Picture>, AppError> {
    Ok(db::media::pictures(pool, &media_ids(body_md)).await?)
}

/// Body images that are not in the library, as the editor's error for the body.
pub async fn check_body(pool: &Pool, body_md: &str) -> Result<(), AppError> {
    let named = media_ids(body_md);
    let found = db::media::existing(pool, &named).await?;
    let missing: Vec<String> = named.iter().filter(|id| !found.contains(id)).map(|id| format!("media:{id}")).collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(AppError::invalid("body", format!("No image {} in the library: check the number.", missing.join(", "))))
}

/// The lead image form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct LeadForm {
    /// A library id, or empty for none.
    #[serde(default)]
    pub media_id: String,
    /// This story's own words for it; each empty one is the library's.
    #[serde(flatten)]
    pub text: MediaText,
}

/// Sets or clears a story's lead image; its own words for this use, where typed (empty:
/// the library's).
pub async fn set_lead(pool: &Pool, staff: &StaffMember, slug: &str, form: &LeadForm) -> Result<&'static str, AppError> {
    editor(staff)?;
    let article = super::editing::editable(pool, slug).await?;
    let body_ids = media_ids(&article.content.body_md);
    let raw = form.media_id.trim();
    if raw.is_empty() {
        db::media::set_lead(pool, article.id, None, &body_ids).await?;
        audit::record(pool, Some(staff), audit::Kind::Article, "lead image removed", slug, &article.content.title)
            .await?;
        return Ok("lead-removed");
    }
    let media_id: i64 = raw.parse().map_err(|_| AppError::invalid("media_id", "Choose an image from the library."))?;
    let (picture, _) = db::media::by_id(pool, media_id)
        .await?
        .ok_or_else(|| AppError::invalid("media_id", "That image is not in the library (deleted?)."))?;
    let typed = &form.text;
    let own = MediaText {
        alt: if typed.alt.trim().is_empty() { picture.alt.clone() } else { typed.alt.clone() },
        ..typed.clone()
    }
    .validate()
    .map_err(invalid)?;
    let keep = |typed: &str, value: String| (!typed.trim().is_empty()).then_some(value);
    let lead = Lead {
        media_id,
        alt: keep(&typed.alt, own.alt),
        caption: keep(&typed.caption, own.caption),
        credit: keep(&typed.credit, own.credit),
    };
    db::media::set_lead(pool, article.id, Some(&lead), &body_ids).await?;
    audit::record(pool, Some(staff), audit::Kind::Article, "lead image set", slug, &picture.alt).await?;
    Ok("lead-set")
}

/// A story's lead image as its page draws it (the story's words where it has them).
pub async fn lead_picture(pool: &Pool, article_id: i64) -> Result<Option<Picture>, AppError> {
    let Some(lead) = db::media::lead_of(pool, article_id).await? else { return Ok(None) };
    let Some(mut picture) = db::media::pictures(pool, &[lead.media_id]).await?.pop() else { return Ok(None) };
    if let Some(alt) = lead.alt {
        picture.alt = alt;
    }
    if let Some(caption) = lead.caption {
        picture.caption = caption;
    }
    if let Some(credit) = lead.credit {
        picture.credit = credit;
    }
    Ok(Some(picture))
}

/// The lead choice as stored, for the editor's form.
pub async fn lead_of(pool: &Pool, article_id: i64) -> Result<Option<Lead>, AppError> {
    Ok(db::media::lead_of(pool, article_id).await?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_names_lose_their_folders() {
        assert_eq!(super::file_name("C:\\Users\\ana\\harbour.jpg"), "harbour.jpg");
        assert_eq!(super::file_name("../../etc/harbour.jpg"), "harbour.jpg");
        assert_eq!(super::file_name(""), "photo");
    }
}
