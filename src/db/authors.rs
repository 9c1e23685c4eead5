//! (ssr) Author profiles and who wrote each article.

use super::{On, Pool, Tx, now, placeholders, query, query_as, query_scalar};
use crate::content::front_matter::Topic as Named;
use crate::domain::article::ArticleSummary;
use crate::domain::author::{AuthorRef, Profile, ProfileEdit};

#[derive(sqlx::FromRow)]
struct ProfileRow {
    id: i64,
    slug: String,
    name: String,
    bio: String,
    links: String,
    staff_id: Option<i64>,
}

impl From<ProfileRow> for Profile {
    fn from(row: ProfileRow) -> Self {
        Self {
            id: row.id,
            slug: row.slug,
            name: row.name,
            bio: row.bio,
            links: row.links.lines().filter(|l| !l.is_empty()).map(str::to_owned).collect(),
            staff_id: row.staff_id,
        }
    }
}

pub async fn by_slug(pool: &Pool, slug: &str) -> Result<Option<Profile>, sqlx::Error> {
    let row: Option<ProfileRow> = query_as("SELECT id, slug, name, bio, links, staff_id FROM authors WHERE slug = $1")
        .bind(slug)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(Profile::from))
}

/// The profile of a staff member, if they have one.
pub async fn of_staff(pool: &Pool, staff_id: i64) -> Result<Option<Profile>, sqlx::Error> {
    let row: Option<ProfileRow> =
        query_as("SELECT id, slug, name, bio, links, staff_id FROM authors WHERE staff_id = $1")
            .bind(staff_id)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(Profile::from))
}

/// Every profile by name, `limit` from `offset` (one more tells another page follows).
pub async fn list(pool: &Pool, limit: u32, offset: u64) -> Result<Vec<(Profile, i64)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        profile: ProfileRow,
        articles: i64,
    }
    let rows: Vec<Row> = query_as(
        "SELECT a.id, a.slug, a.name, a.bio, a.links, a.staff_id,
                (SELECT COUNT(*) FROM article_authors x WHERE x.author_id = a.id) AS articles
         FROM authors a ORDER BY a.name, a.id LIMIT $1 OFFSET $2",
    )
    .bind(i64::from(limit) + 1)
    .bind(offset as i64)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (Profile::from(r.profile), r.articles)).collect())
}

/// A profile for a staff member under `slug`: a new one, or a standalone profile of that
/// address (an imported byline of theirs) claimed. `None` when another member has it.
pub async fn create_for_staff(pool: &Pool, staff_id: i64, slug: &str, name: &str) -> Result<Option<i64>, sqlx::Error> {
    query_scalar(
        "INSERT INTO authors (slug, name, staff_id, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (slug) DO UPDATE SET staff_id = excluded.staff_id WHERE authors.staff_id IS NULL
         RETURNING id",
    )
    .bind(slug)
    .bind(name)
    .bind(staff_id)
    .bind(now())
    .fetch_optional(pool)
    .await
}

pub async fn update(pool: &Pool, id: i64, edit: &ProfileEdit) -> Result<(), sqlx::Error> {
    query("UPDATE authors SET name = $1, bio = $2, links = $3 WHERE id = $4")
        .bind(&edit.name)
        .bind(&edit.bio)
        .bind(edit.links.join("\n"))
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

/// An article's authors in byline order; `db` is the pool or an open transaction.
pub async fn of_article<'e>(db: impl Into<On<'e>>, article_id: i64) -> Result<Vec<AuthorRef>, sqlx::Error> {
    query_as(
        "SELECT a.slug, a.name FROM authors a JOIN article_authors x ON x.author_id = a.id
         WHERE x.article_id = $1 ORDER BY x.position",
    )
    .bind(article_id)
    .fetch_all(db)
    .await
}

/// The authors of a list's articles, set on each card in one query (a list is a page:
/// at most a few dozen cards, one placeholder each).
pub async fn of_cards(pool: &Pool, cards: &mut [ArticleSummary]) -> Result<(), sqlx::Error> {
    if cards.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "SELECT ar.slug AS article, a.slug, a.name
         FROM article_authors x JOIN authors a ON a.id = x.author_id JOIN articles ar ON ar.id = x.article_id
         WHERE ar.slug IN ({}) ORDER BY ar.slug, x.position",
        placeholders(cards.len())
    );
    let mut statement = query_as::<CardAuthor>(sqlx::AssertSqlSafe(sql));
    for card in cards.iter() {
        statement = statement.bind(card.slug.as_str());
    }
    let rows = statement.fetch_all(pool).await?;
    for card in cards.iter_mut() {
        card.authors = rows
            .iter()
            .filter(|row| row.article == card.slug)
            .map(|row| AuthorRef { slug: row.slug.clone(), name: row.name.clone() })
            .collect();
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct CardAuthor {
    article: String,
    slug: String,
    name: String,
}

/// A page of an author's published articles, newest first (one row more than `limit`).
pub async fn articles(
    pool: &Pool,
    author_id: i64,
    limit: u32,
    offset: u64,
) -> Result<Vec<ArticleSummary>, sqlx::Error> {
    query_as(
        "SELECT a.slug, a.title, a.dek, a.byline, a.published_at, a.comment_count
         FROM articles a JOIN article_authors x ON x.article_id = a.id
         WHERE x.author_id = $1 AND a.status = 'published'
         ORDER BY a.published_at DESC, a.id DESC LIMIT $2 OFFSET $3",
    )
    .bind(author_id)
    .bind(i64::from(limit))
    .bind(offset as i64)
    .fetch_all(pool)
    .await
}

/// Replaces an article's authors, creating profiles for names not seen before (the first
/// spelling of a name is kept; later articles only link to it). Whether they changed.
pub(super) async fn write_authors(tx: &mut Tx, article_id: i64, authors: &[Named]) -> Result<bool, sqlx::Error> {
    let current = of_article(&mut *tx, article_id).await?;
    if current.iter().map(|a| a.slug.as_str()).eq(authors.iter().map(|a| a.slug.as_str())) {
        return Ok(false);
    }
    query("DELETE FROM article_authors WHERE article_id = $1").bind(article_id).execute(&mut *tx).await?;
    for (position, author) in authors.iter().enumerate() {
        let author_id: i64 = query_scalar(
            "INSERT INTO authors (slug, name, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug RETURNING id",
        )
        .bind(author.slug.as_str())
        .bind(&author.name)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        query("INSERT INTO article_authors (article_id, author_id, position) VALUES ($1, $2, $3)")
            .bind(article_id)
            .bind(author_id)
            .bind(position as i64)
            .execute(&mut *tx)
            .await?;
    }
    Ok(true)
}
