//! (ssr) Machine-readable views of the site: the Atom feeds, the sitemap (an index of files
//! of 10,000 addresses each) and robots.txt. The feeds and sitemap are kept by the page
//! cache like reader pages, under the `lists` key.

use std::fmt::Write;

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use axum::extract::Path;

use crate::cache::PageKey;
use crate::error::AppError;
use crate::http::page_cache::keys_header;
use crate::services::feeds;
use crate::state::AppState;

/// Pages that are not for search engines; readers can still open them.
const DISALLOWED: &[&str] = &["/api/", "/staff/"];

pub async fn atom(State(state): State<AppState>) -> Result<impl IntoResponse, AppError> {
    let entries = feeds::latest_articles(&state.pool).await?;
    let base = &state.config.public_url;
    let updated =
        entries.iter().map(|e| e.updated_at.unwrap_or(e.published_at)).max().unwrap_or(OffsetDateTime::UNIX_EPOCH);

    let mut xml = String::with_capacity(1024 + entries.len() * 512);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let _ = write!(
        xml,
        "<title>Copydesk</title>\n<id>{base}/</id>\n<link rel=\"alternate\" href=\"{base}/\"/>\n<link rel=\"self\" href=\"{base}/feed.xml\"/>\n<updated>{}</updated>\n",
        rfc3339(updated)
    );
    for e in &entries {
        let url = format!("{base}/articles/{}", e.slug);
        let _ = write!(
            xml,
            "<entry>\n<title>{}</title>\n<id>{url}</id>\n<link rel=\"alternate\" href=\"{url}\"/>\n<published>{}</published>\n<updated>{}</updated>\n<author><name>{}</name></author>\n",
            escape(&e.title),
            rfc3339(e.published_at),
            rfc3339(e.updated_at.unwrap_or(e.published_at)),
            escape(&e.byline),
        );
        if let Some(dek) = &e.dek {
            let _ = writeln!(xml, "<summary>{}</summary>", escape(dek));
        }
        xml.push_str("</entry>\n");
    }
    xml.push_str("</feed>\n");
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("application/atom+xml; charset=utf-8")), lists()], xml))
}

/// `/corrections.xml`: published corrections and clarifications, newest first.
pub async fn corrections(State(state): State<AppState>) -> Result<impl IntoResponse, AppError> {
    let notices = feeds::latest_notices(&state.pool).await?;
    let base = &state.config.public_url;
    let updated = notices.first().map_or(OffsetDateTime::UNIX_EPOCH, |n| n.created_at);
    let mut xml = String::with_capacity(1024 + notices.len() * 512);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let _ = write!(
        xml,
        "<title>Copydesk: corrections</title>\n<id>{base}/corrections</id>\n<link rel=\"alternate\" href=\"{base}/corrections\"/>\n<link rel=\"self\" href=\"{base}/corrections.xml\"/>\n<updated>{}</updated>\n<author><name>Copydesk</name></author>\n",
        rfc3339(updated)
    );
    for (i, n) in notices.iter().enumerate() {
        let url = format!("{base}/articles/{}", n.slug);
        let _ = write!(
            xml,
            "<entry>\n<title>{}: {}</title>\n<id>{url}#correction-{}-{i}</id>\n<link rel=\"alternate\" href=\"{url}\"/>\n<category term=\"{}\" label=\"{}\"/>\n<updated>{}</updated>\n<summary>{}</summary>\n</entry>\n",
            n.label(),
            escape(&n.title),
            n.created_at.unix_timestamp(),
            escape(&n.kind),
            escape(n.label()),
            rfc3339(n.created_at),
            escape(&n.note),
        );
    }
    xml.push_str("</feed>\n");
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("application/atom+xml; charset=utf-8")), lists()], xml))
}

/// `/sitemap.xml`: the index of the sitemap's files.
pub async fn sitemap(State(state): State<AppState>) -> Result<impl IntoResponse, AppError> {
    let files = feeds::article_sitemaps(&state.pool).await?;
    let base = escape(&state.config.public_url);
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let _ = writeln!(xml, "<sitemap><loc>{base}/sitemaps/pages.xml</loc></sitemap>");
    for n in 1..=files {
        let _ = writeln!(xml, "<sitemap><loc>{base}/sitemaps/articles-{n}.xml</loc></sitemap>");
    }
    xml.push_str("</sitemapindex>\n");
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("application/xml; charset=utf-8")), lists()], xml))
}

/// `/sitemaps/pages.xml` (the front page and the topics) and `/sitemaps/articles-N.xml`.
pub async fn sitemap_file(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<impl IntoResponse, AppError> {
    let base = escape(&state.config.public_url);
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    if file == "pages.xml" {
        let _ = writeln!(xml, "<url><loc>{base}/</loc></url>");
        for topic in feeds::sitemap_topics(&state.pool).await? {
            let _ = writeln!(xml, "<url><loc>{base}/topics/{}</loc></url>", escape(&topic.slug));
        }
    } else {
        let n = file
            .strip_prefix("articles-")
            .and_then(|rest| rest.strip_suffix(".xml"))
            .and_then(|n| n.parse::<u64>().ok())
            .ok_or(AppError::NotFound)?;
        let articles = feeds::article_sitemap(&state.pool, n).await?;
        xml.reserve(articles.len() * 160);
        for (slug, changed) in &articles {
            let _ = writeln!(
                xml,
                "<url><loc>{base}/articles/{}</loc><lastmod>{}</lastmod></url>",
                escape(slug),
                rfc3339(*changed)
            );
        }
    }
    xml.push_str("</urlset>\n");
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("application/xml; charset=utf-8")), lists()], xml))
}

/// What the feeds and the sitemap show: the lists of articles (and, implied, the site).
fn lists() -> (header::HeaderName, HeaderValue) {
    keys_header([PageKey::Lists])
}

pub async fn robots(State(state): State<AppState>) -> impl IntoResponse {
    let mut text = String::from("User-agent: *\n");
    for path in DISALLOWED {
        let _ = writeln!(text, "Disallow: {path}");
    }
    let _ = writeln!(text, "\nSitemap: {}/sitemap.xml", state.config.public_url);
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text)
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// Escapes text for XML content and attribute values; drops characters XML 1.0 forbids.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_and_forbidden_control_characters_are_escaped_or_dropped() {
        assert_eq!(escape("Fish & <Chips> \"q\" 'a'\u{1}"), "Fish &amp; &lt;Chips&gt; &quot;q&quot; &apos;a&apos;");
    }
}
