//! (ssr) `copydesk import-wxr`: a WordPress export checked whole, then written in one
//! transaction. Posts become articles (categories and tags as topics, the author as byline
//! and author profile, the featured image as a link until the site has media); their
//! comments keep threads, approval status and dates. Idempotent by WordPress ids.

use std::collections::HashMap;

use crate::content::front_matter::{self, ArticleDraft, MAX_BYLINE, MAX_DEK, MAX_TITLE};
use crate::content::wordpress::{self, Export, Post};
use crate::db::articles::Publication;
use crate::db::{self, Pool, wxr};
use crate::domain::comment::{MAX_BODY_CHARS, MAX_NAME_CHARS};
use crate::domain::slug::Slug;

/// What an import did, for the command's report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub written: wxr::Written,
    /// Items of other kinds (pages, attachments…) and posts WordPress keeps but does not
    /// show (auto-drafts, the trash), by kind.
    pub skipped: Vec<(String, usize)>,
    pub pingbacks: usize,
    /// Comments cut to this site's length limit.
    pub shortened: usize,
}

/// Why nothing was imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("{0}")]
    File(#[from] wordpress::WxrError),
    #[error("{} post(s) cannot be imported, so nothing was:\n{}", .0.len(), .0.join("\n"))]
    Posts(Vec<String>),
    #[error("the database refused the import; nothing was written: {0}")]
    Database(String),
}

/// Reads, checks and stores an export. `posts` is told how many posts will be written, then
/// `each` after each one.
pub async fn import_wxr(
    pool: &Pool,
    xml: &str,
    posts: &dyn Fn(usize),
    each: &(dyn Fn() + Sync),
) -> Result<Report, Refused> {
    let export = wordpress::parse(xml)?;
    let ((site, prepared), report) = prepare(export)?;
    posts(prepared.len());
    let written = db::wxr::import(pool, &site, &prepared, each).await.map_err(|e| {
        tracing::error!(error = %e, "WordPress import failed");
        Refused::Database(e.to_string())
    })?;
    Ok(Report { written, ..report })
}

/// Every post checked and converted; the problems of all of them when any has one.
fn prepare(export: Export) -> Result<((String, Vec<wxr::Post>), Report), Refused> {
    let mut report = Report::default();
    let mut skipped: HashMap<String, usize> = export.skipped;
    let mut problems = Vec::new();
    let mut posts = Vec::new();
    for post in export.posts {
        if matches!(post.status.as_str(), "auto-draft" | "trash" | "inherit") {
            *skipped.entry(format!("post ({})", post.status)).or_default() += 1;
            continue;
        }
        match convert(post, &mut report) {
            Ok(post) => posts.push(post),
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Err(Refused::Posts(problems));
    }
    let mut skipped: Vec<(String, usize)> = skipped.into_iter().collect();
    skipped.sort();
    report.skipped = skipped;
    Ok(((export.site, posts), report))
}

fn convert(post: Post, report: &mut Report) -> Result<wxr::Post, String> {
    let name = format!("post {} (“{}”)", post.wp_id, post.title);
    let problem = |what: &str| format!("{name}: {what}");
    if post.wp_id.trim().is_empty() {
        return Err(problem("no wp:post_id"));
    }
    let publication = match post.status.as_str() {
        "publish" | "future" => Publication::ByDate,
        _ => Publication::Draft,
    };
    let title = match post.title.trim() {
        "" if publication == Publication::Draft => format!("Untitled draft {}", post.wp_id),
        "" => return Err(problem("no title")),
        t if t.chars().count() > MAX_TITLE => return Err(problem(&format!("a title over {MAX_TITLE} characters"))),
        t => t.to_owned(),
    };
    let slug = Slug::parse(&post.slug)
        .ok()
        .or_else(|| Slug::derive(&title))
        .or_else(|| Slug::parse(&format!("wordpress-{}", post.wp_id)).ok())
        .ok_or_else(|| problem("no usable address"))?;
    let mut body_md = wordpress::to_markdown(&post.content_html);
    if let Some(image) = &post.featured_image {
        body_md = format!("[Featured image]({})\n\n{body_md}", image.replace(' ', "%20"));
    }
    if body_md.trim().is_empty() {
        return Err(problem("no content"));
    }
    let excerpt =
        wordpress::decode_entities(&strip_tags(&post.excerpt)).split_whitespace().collect::<Vec<_>>().join(" ");
    let dek = (!excerpt.is_empty()).then(|| cut(&excerpt, MAX_DEK));
    let byline = match post.author.trim() {
        "" => "Staff".to_owned(),
        author => cut(author, MAX_BYLINE),
    };
    let topic_names = post.categories.into_iter().chain(post.tags).filter(|t| t != "Uncategorized");
    let topics = front_matter::topics(topic_names).map_err(|e| problem(&e.to_string()))?;
    let authors = match post.author.trim() {
        "" => Vec::new(),
        author => front_matter::authors([cut(author, crate::domain::author::MAX_NAME)])
            .map_err(|e| problem(&e.to_string()))?,
    };
    let published_at = post.published.unwrap_or_else(db::now);
    let mut comments: Vec<wordpress::Comment> = post.comments;
    // Parents before replies: WordPress numbers comments as they come.
    comments.sort_by_key(|c| (c.wp_id.parse::<u64>().unwrap_or(u64::MAX), c.wp_id.clone()));
    let mut stored = Vec::new();
    for c in comments {
        if !(c.kind.is_empty() || c.kind == "comment") {
            report.pingbacks += 1;
            continue;
        }
        let mut body = wordpress::decode_entities(&strip_tags(&c.content)).trim().to_owned();
        if body.is_empty() {
            continue;
        }
        if body.chars().count() > MAX_BODY_CHARS {
            body = cut(&body, MAX_BODY_CHARS);
            report.shortened += 1;
        }
        let (status, rejection_reason) = match c.approved.as_str() {
            "1" | "approve" => ("published", None),
            "spam" => ("rejected", Some("Marked as spam in WordPress")),
            "trash" => ("rejected", Some("In WordPress's trash")),
            _ => ("pending", None),
        };
        let name = match c.author.trim() {
            "" => "Anonymous".to_owned(),
            n => cut(n, MAX_NAME_CHARS),
        };
        stored.push(wxr::Comment {
            wp_id: c.wp_id,
            parent: c.parent,
            name,
            email: c.email.map(|e| e.trim().to_lowercase()),
            body,
            status,
            rejection_reason,
            created_at: c.date.unwrap_or(published_at),
        });
    }
    let draft = ArticleDraft {
        slug,
        title,
        dek,
        byline,
        published_at,
        updated_at: None,
        topics,
        authors,
        body_md,
        lang: None,
        image: None,
    };
    Ok(wxr::Post { wp_id: post.wp_id, draft, publication, comments: stored })
}

/// At most `max` characters, cut at a word with "…" when longer.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    if let Some(space) = out.rfind(' ').filter(|&i| i > max / 2) {
        out.truncate(space);
    }
    out.push('…');
    out
}

/// A comment's or excerpt's HTML as plain text: tags dropped, `<br>` and `</p>` as line
/// breaks (comments are shown as text, never as HTML).
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let tag = rest[open + 1..open + close].trim().to_ascii_lowercase();
        if tag.starts_with("br") {
            out.push('\n');
        } else if tag == "/p" {
            out.push_str("\n\n");
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_html_becomes_text() {
        assert_eq!(strip_tags("<p>One <b>bold</b><br />two</p><p>Three</p>"), "One bold\ntwo\n\nThree\n\n");
        assert_eq!(strip_tags("a < b"), "a < b");
        assert_eq!(cut("one two three four", 10), "one two…");
        assert_eq!(cut("short", 10), "short");
    }
}
