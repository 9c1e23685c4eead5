//! (ssr) WordPress exports (WXR, "WordPress eXtended RSS"): the XML read into posts and
//! their comments, and WordPress's post HTML written as this site's Markdown.

use std::collections::HashMap;

use time::{OffsetDateTime, PrimitiveDateTime};

/// Largest export read (the whole file is parsed in memory).
pub const MAX_FILE_BYTES: usize = 512 * 1024 * 1024;

/// What a WordPress export holds that this site imports.
#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    /// `wp:base_site_url`: which WordPress site the ids belong to.
    pub site: String,
    pub posts: Vec<Post>,
    /// Items not imported (pages, attachments, menu items…), by `wp:post_type`.
    pub skipped: HashMap<String, usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    pub wp_id: String,
    pub title: String,
    /// `wp:post_name`; empty for drafts WordPress never gave one.
    pub slug: String,
    pub author: String,
    pub published: Option<OffsetDateTime>,
    /// `publish`, `future`, `draft`, `pending`, `private`, `trash`…
    pub status: String,
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    pub content_html: String,
    pub excerpt: String,
    /// The featured image's address, when the export has its attachment.
    pub featured_image: Option<String>,
    pub comments: Vec<Comment>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    pub wp_id: String,
    /// `None` for a top-level comment.
    pub parent: Option<String>,
    pub author: String,
    pub email: Option<String>,
    pub date: Option<OffsetDateTime>,
    pub content: String,
    /// `1` approved, `0` waiting, `spam`, `trash`.
    pub approved: String,
    /// Empty or `comment` for a reader's comment; `pingback`, `trackback`…
    pub kind: String,
}

/// Why an export could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WxrError {
    #[error("not well-formed XML: {0}")]
    Xml(String),
    #[error("not a WordPress export: {0}")]
    NotWxr(&'static str),
}

const WP: &str = "http://wordpress.org/export/";
const CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";
const DC: &str = "http://purl.org/dc/elements/1.1/";
const EXCERPT: &str = "http://wordpress.org/export/1.2/excerpt/";

/// Reads an export. Fails on XML that is not well-formed (a file cut short, say) and on
/// XML that is not a WordPress export; never on a post it cannot use (the importer says).
pub fn parse(xml: &str) -> Result<Export, WxrError> {
    let options = roxmltree::ParsingOptions { allow_dtd: false, ..Default::default() };
    let document = roxmltree::Document::parse_with_options(xml, options).map_err(|e| WxrError::Xml(e.to_string()))?;
    let root = document.root_element();
    if root.tag_name().name() != "rss" {
        return Err(WxrError::NotWxr("the root element is not <rss>"));
    }
    let channel = root.children().find(|n| n.has_tag_name("channel")).ok_or(WxrError::NotWxr("no <channel>"))?;
    let site = child(channel, Some(WP), "base_site_url")
        .or_else(|| child(channel, None, "link"))
        .ok_or(WxrError::NotWxr("no wp:base_site_url"))?;
    let authors: HashMap<String, String> = channel
        .children()
        .filter(|n| is(n, Some(WP), "author"))
        .filter_map(|a| {
            let login = child(a, Some(WP), "author_login")?;
            let name =
                child(a, Some(WP), "author_display_name").filter(|n| !n.trim().is_empty()).unwrap_or(login.clone());
            Some((login, name))
        })
        .collect();
    let items: Vec<roxmltree::Node> = channel.children().filter(|n| n.has_tag_name("item")).collect();
    // Featured images point at attachments by id.
    let attachments: HashMap<String, String> = items
        .iter()
        .filter(|i| child(**i, Some(WP), "post_type").as_deref() == Some("attachment"))
        .filter_map(|i| Some((child(*i, Some(WP), "post_id")?, child(*i, Some(WP), "attachment_url")?)))
        .collect();
    let mut posts = Vec::new();
    let mut skipped: HashMap<String, usize> = HashMap::new();
    for item in items {
        let kind = child(item, Some(WP), "post_type").unwrap_or_else(|| "post".into());
        if kind != "post" {
            *skipped.entry(kind).or_default() += 1;
            continue;
        }
        let creator = child(item, Some(DC), "creator").unwrap_or_default();
        let meta = |key: &str| {
            item.children().filter(|n| is(n, Some(WP), "postmeta")).find_map(|m| {
                (child(m, Some(WP), "meta_key").as_deref() == Some(key))
                    .then(|| child(m, Some(WP), "meta_value"))
                    .flatten()
            })
        };
        let categories = |domain: &str| {
            item.children()
                .filter(|n| n.has_tag_name("category") && n.attribute("domain") == Some(domain))
                .filter_map(|n| n.text().map(|t| decode_entities(t.trim())))
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
        };
        let comments = item
            .children()
            .filter(|n| is(n, Some(WP), "comment"))
            .map(|c| Comment {
                wp_id: child(c, Some(WP), "comment_id").unwrap_or_default(),
                parent: child(c, Some(WP), "comment_parent").filter(|p| !p.is_empty() && p != "0"),
                author: decode_entities(child(c, Some(WP), "comment_author").unwrap_or_default().trim()),
                email: child(c, Some(WP), "comment_author_email").filter(|e| !e.trim().is_empty()),
                date: date(child(c, Some(WP), "comment_date_gmt")).or_else(|| date(child(c, Some(WP), "comment_date"))),
                content: child(c, Some(WP), "comment_content").unwrap_or_default(),
                approved: child(c, Some(WP), "comment_approved").unwrap_or_else(|| "1".into()),
                kind: child(c, Some(WP), "comment_type").unwrap_or_default(),
            })
            .collect();
        posts.push(Post {
            wp_id: child(item, Some(WP), "post_id").unwrap_or_default(),
            title: decode_entities(child(item, None, "title").unwrap_or_default().trim()),
            slug: child(item, Some(WP), "post_name").unwrap_or_default(),
            author: authors.get(&creator).cloned().unwrap_or(creator),
            published: date(child(item, Some(WP), "post_date_gmt"))
                .or_else(|| date(child(item, Some(WP), "post_date"))),
            status: child(item, Some(WP), "status").unwrap_or_else(|| "publish".into()),
            categories: categories("category"),
            tags: categories("post_tag"),
            content_html: child(item, Some(CONTENT), "encoded").unwrap_or_default(),
            excerpt: child(item, Some(EXCERPT), "encoded").unwrap_or_default(),
            featured_image: meta("_thumbnail_id").and_then(|id| attachments.get(&id).cloned()),
            comments,
        });
    }
    Ok(Export { site, posts, skipped })
}

/// Whether `node` is the element `name` in a namespace starting with `namespace` (the
/// WordPress namespace carries its version: `…/export/1.2/`), or in none.
fn is(node: &roxmltree::Node, namespace: Option<&str>, name: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == name
        && match namespace {
            None => node.tag_name().namespace().is_none(),
            Some(ns) => node.tag_name().namespace().is_some_and(|n| n.starts_with(ns)),
        }
}

fn child(node: roxmltree::Node, namespace: Option<&str>, name: &str) -> Option<String> {
    node.children().find(|n| is(n, namespace, name)).map(|n| n.text().unwrap_or_default().to_owned())
}

/// WordPress's "2024-03-05 14:30:00" (UTC for the `_gmt` fields); the zero date of a
/// draft is none.
fn date(raw: Option<String>) -> Option<OffsetDateTime> {
    let raw = raw?;
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    PrimitiveDateTime::parse(raw.trim(), &format).ok().map(PrimitiveDateTime::assume_utc)
}

/// Titles, names and categories carry HTML character references ("Rock &#038; Roll",
/// "it&#8217;s"): decoded to the characters.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest[..rest.len().min(12)].find(';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..end];
        let decoded = match name.strip_prefix('#') {
            Some(num) => {
                let code = match num.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => num.parse::<u32>().ok(),
                };
                code.and_then(char::from_u32).filter(|c| !c.is_control() || c.is_whitespace())
            }
            None => match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                "hellip" => Some('…'),
                "ndash" => Some('–'),
                "mdash" => Some('—'),
                "lsquo" => Some('‘'),
                "rsquo" => Some('’'),
                "ldquo" => Some('“'),
                "rdquo" => Some('”'),
                _ => None,
            },
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A post's HTML as Markdown: paragraphs as WordPress shows them (`wpautop`: blank lines
/// between paragraphs in the stored text), `[caption]` as the image and its caption,
/// `[embed]` and iframes as links to what they embed, images as links to the image (until
/// the site has media), scripts and styles dropped.
pub fn to_markdown(html: &str) -> String {
    let html = shortcodes(html);
    let html = autop(&html);
    let converter = htmd::HtmlToMarkdown::builder()
        .skip_tags(vec!["script", "style", "noscript"])
        .add_handler(vec!["img"], |_: &dyn htmd::element_handler::Handlers, element: htmd::Element| {
            let attr = |name: &str| element.attrs.iter().find(|a| &*a.name.local == name).map(|a| a.value.to_string());
            let src = attr("src")?;
            let alt = attr("alt").map(|a| a.trim().to_owned()).filter(|a| !a.is_empty());
            let text = alt.map_or_else(|| "Image".to_owned(), |alt| format!("Image: {alt}"));
            Some(format!("[{}]({})", text.replace(['[', ']'], ""), src.replace(' ', "%20")).into())
        })
        .add_handler(vec!["iframe"], |_: &dyn htmd::element_handler::Handlers, element: htmd::Element| {
            let src = element.attrs.iter().find(|a| &*a.name.local == "src").map(|a| a.value.to_string())?;
            Some(format!("\n\n[Embedded media]({})\n\n", src.replace(' ', "%20")).into())
        })
        .build();
    let markdown = converter.convert(&html).unwrap_or_default();
    markdown.trim().to_owned()
}

/// `[caption id=".." align=".."]<img …> The caption[/caption]` → a figure with its caption;
/// `[embed]URL[/embed]` → a link.
fn shortcodes(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let caption = rest.find("[caption");
        let embed = rest.find("[embed]");
        let next = match (caption, embed) {
            (Some(c), Some(e)) => c.min(e),
            (Some(c), None) => c,
            (None, Some(e)) => e,
            (None, None) => break,
        };
        out.push_str(&rest[..next]);
        rest = &rest[next..];
        if rest.starts_with("[embed]") {
            let Some(end) = rest.find("[/embed]") else { break };
            let url = rest["[embed]".len()..end].trim();
            out.push_str(&format!("<p><a href=\"{url}\">{url}</a></p>"));
            rest = &rest[end + "[/embed]".len()..];
        } else {
            let (Some(open_end), Some(end)) = (rest.find(']'), rest.find("[/caption]")) else { break };
            if open_end > end {
                break;
            }
            let inner = &rest[open_end + 1..end];
            // The image (perhaps in a link) comes first; the rest is the caption.
            let split = inner.rfind("/>").map(|i| i + 2).or_else(|| inner.rfind("</a>").map(|i| i + 4)).unwrap_or(0);
            let (image, text) = inner.split_at(split);
            out.push_str(&format!("\n\n<p>{image}</p>\n\n<p><em>{}</em></p>\n\n", text.trim()));
            rest = &rest[end + "[/caption]".len()..];
        }
    }
    out.push_str(rest);
    out
}

/// WordPress stores paragraphs as blank-line-separated text and adds `<p>` when showing a
/// post (`wpautop`); a block of text already starting with a block element is left alone.
fn autop(html: &str) -> String {
    const BLOCKS: &[&str] = &[
        "<p",
        "<h1",
        "<h2",
        "<h3",
        "<h4",
        "<h5",
        "<h6",
        "<ul",
        "<ol",
        "<li",
        "<blockquote",
        "<figure",
        "<table",
        "<pre",
        "<div",
        "<hr",
        "<iframe",
        "<!--",
    ];
    let normalised = html.replace("\r\n", "\n");
    normalised
        .split("\n\n")
        .map(str::trim)
        .filter(|block| !block.is_empty())
        .map(|block| {
            let lower = block.to_ascii_lowercase();
            if BLOCKS.iter().any(|tag| lower.starts_with(tag)) {
                block.to_owned()
            } else {
                format!("<p>{}</p>", block.replace('\n', "<br>"))
            }
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_in_titles_are_decoded() {
        assert_eq!(
            decode_entities("Rock &#038; Roll: it&#8217;s &amp; &quot;live&quot;"),
            "Rock & Roll: it’s & \"live\""
        );
        assert_eq!(decode_entities("AT&T &unknown; & &#x41;"), "AT&T &unknown; & A");
        assert_eq!(decode_entities("&#0; stays"), "&#0; stays");
    }

    #[test]
    fn wordpress_paragraphs_captions_and_embeds_become_markdown() {
        let html = "First paragraph with <strong>bold</strong> &amp; an <a href=\"https://example.org\">link</a>.\n\nSecond\nline.\n\n[caption id=\"attachment_7\" align=\"alignnone\" width=\"300\"]<img src=\"https://example.org/bridge.jpg\" alt=\"The bridge\" width=\"300\" /> The bridge at dawn[/caption]\n\n[embed]https://www.youtube.com/watch?v=abc[/embed]\n\n<h2>Later</h2>\n<ul><li>One</li><li>Two</li></ul>\n\n<iframe src=\"https://player.example/v/1\"></iframe><script>alert(1)</script>";
        let md = to_markdown(html);
        assert!(md.starts_with("First paragraph with **bold** & an [link](https://example.org)."), "{md}");
        assert!(md.contains("Second  \nline."), "a line break: {md}");
        assert!(md.contains("[Image: The bridge](https://example.org/bridge.jpg)"), "{md}");
        assert!(md.contains("*The bridge at dawn*") || md.contains("_The bridge at dawn_"), "{md}");
        assert!(md.contains("[https://www.youtube.com/watch?v=abc](https://www.youtube.com/watch?v=abc)"), "{md}");
        assert!(md.contains("## Later"), "{md}");
        assert!(md.contains("One") && md.contains("Two"), "{md}");
        assert!(md.contains("[Embedded media](https://player.example/v/1)"), "{md}");
        assert!(!md.contains("alert"), "{md}");
    }

    #[test]
    fn broken_or_foreign_files_are_refused_with_the_reason() {
        assert!(matches!(parse("<rss><channel><item>"), Err(WxrError::Xml(_))));
        assert_eq!(parse("<feed/>"), Err(WxrError::NotWxr("the root element is not <rss>")));
        assert!(matches!(parse("<!DOCTYPE x [<!ENTITY a \"b\">]><rss/>"), Err(WxrError::Xml(_))), "no DTDs");
    }
}
