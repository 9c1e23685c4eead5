//! (ssr) Author profiles: the public page, and staff editing their own (editors, anyone's).

use crate::db::{self, Pool, audit};
use crate::domain::article::{ArticleList, ArticleSummary};
use crate::domain::author::{Profile, ProfileForm};
use crate::domain::slug::Slug;
use crate::domain::staff::{Role, StaffMember};
use crate::error::AppError;
use crate::services::articles::PAGE_SIZE;

/// What `/authors/{slug}` shows.
#[derive(Debug, Clone)]
pub struct AuthorPage {
    pub profile: Profile,
    pub list: ArticleList,
}

#[tracing::instrument(skip_all, fields(slug = %slug, page = page))]
pub async fn author_page(pool: &Pool, slug: &str, page: u32) -> Result<AuthorPage, AppError> {
    let slug = Slug::parse(slug).map_err(|_| AppError::NotFound)?;
    let profile = db::authors::by_slug(pool, slug.as_str()).await?.ok_or(AppError::NotFound)?;
    let offset = super::offset(page, PAGE_SIZE);
    let rows: Vec<ArticleSummary> = db::authors::articles(pool, profile.id, PAGE_SIZE + 1, offset).await?;
    let (mut articles, has_next) = super::page_of(rows, PAGE_SIZE);
    super::articles::decorate(pool, &mut articles).await?;
    if articles.is_empty() && page > 1 {
        return Err(AppError::NotFound);
    }
    Ok(AuthorPage { profile, list: ArticleList { articles, page, has_next } })
}

/// Profiles on the desk's list, with how many articles name each, and whether another
/// page follows.
pub async fn list(pool: &Pool, page: u32) -> Result<(Vec<(Profile, i64)>, bool), AppError> {
    const SIZE: u32 = 50;
    let rows = db::authors::list(pool, SIZE, super::offset(page, SIZE)).await?;
    Ok(super::page_of(rows, SIZE))
}

/// The signed-in member's own profile, if they have one.
pub async fn mine(pool: &Pool, staff: &StaffMember) -> Result<Option<Profile>, AppError> {
    Ok(db::authors::of_staff(pool, staff.id).await?)
}

/// Makes the member a profile under their name (or claims the unowned one of that
/// address, an imported byline of theirs); their existing one if they have it.
#[tracing::instrument(skip_all, fields(staff = staff.id))]
pub async fn create_mine(pool: &Pool, staff: &StaffMember) -> Result<Profile, AppError> {
    if let Some(profile) = mine(pool, staff).await? {
        return Ok(profile);
    }
    let base = Slug::derive(&staff.name).or_else(|| Slug::derive("staff")).ok_or(AppError::Internal)?;
    for n in 1..=20 {
        let slug = if n == 1 { base.as_str().to_owned() } else { format!("{}-{n}", base.as_str()) };
        if db::authors::create_for_staff(pool, staff.id, &slug, &staff.name).await?.is_some() {
            audit::record(pool, Some(staff), audit::Kind::Staff, "author profile created", &slug, &staff.name).await?;
            return mine(pool, staff).await?.ok_or(AppError::Internal);
        }
    }
    Err(AppError::invalid("name", "Every address for this name is taken; ask an editor."))
}

/// The profile at `slug`, if `staff` may edit it: their own, or any for editors.
pub async fn editable(pool: &Pool, staff: &StaffMember, slug: &str) -> Result<Profile, AppError> {
    let profile = db::authors::by_slug(pool, slug).await?.ok_or(AppError::NotFound)?;
    if profile.staff_id != Some(staff.id) && !staff.role.allows(Role::Editor) {
        return Err(AppError::Forbidden);
    }
    Ok(profile)
}

/// Saves a profile's name, biography and links.
#[tracing::instrument(skip_all, fields(slug = %slug))]
pub async fn save(pool: &Pool, staff: &StaffMember, slug: &str, form: &ProfileForm) -> Result<Profile, AppError> {
    let profile = editable(pool, staff, slug).await?;
    let edit = form.parse().map_err(AppError::Invalid)?;
    db::authors::update(pool, profile.id, &edit).await?;
    audit::record(pool, Some(staff), audit::Kind::Staff, "author profile saved", &profile.slug, &edit.name).await?;
    Ok(Profile { name: edit.name, bio: edit.bio, links: edit.links, ..profile })
}
