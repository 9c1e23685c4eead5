use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use crate::domain::article::BodyBlock;

/// Renders an article body to HTML, one entry per top-level block, so the page can place
/// boxes between paragraphs.
///
/// Raw HTML in the source is shown as text, never passed through: article files may come from
/// many hands and the page must not run what they contain. Links and images keep only
/// http(s), mailto and site-relative targets. `#` headings are demoted to `h2` because the
/// page's only `h1` is the headline.
pub fn render_blocks(source: &str) -> Vec<BodyBlock> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut blocks = Vec::new();
    let mut current: Vec<Event> = Vec::new();
    let mut depth = 0usize;
    let mut is_paragraph = false;
    let mut skipping_link = false;

    for event in Parser::new_ext(source, options) {
        let event = match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            // An HTML block becomes a paragraph of its source text.
            Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
            Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
            Event::Start(Tag::Heading { level: HeadingLevel::H1, id, classes, attrs }) => {
                Event::Start(Tag::Heading { level: HeadingLevel::H2, id, classes, attrs })
            }
            Event::End(TagEnd::Heading(HeadingLevel::H1)) => Event::End(TagEnd::Heading(HeadingLevel::H2)),
            Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. })
                if !is_safe_url(dest_url) =>
            {
                skipping_link = true;
                continue;
            }
            Event::End(TagEnd::Link | TagEnd::Image) if skipping_link => {
                skipping_link = false;
                continue;
            }
            other => other,
        };
        match &event {
            Event::Start(tag) => {
                if depth == 0 {
                    is_paragraph = matches!(tag, Tag::Paragraph);
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        let closes_block = depth == 0;
        current.push(event);
        if closes_block {
            let mut out = String::new();
            html::push_html(&mut out, current.drain(..));
            blocks.push(BodyBlock { html: out, is_paragraph });
            is_paragraph = false;
        }
    }
    blocks
}

/// The text of a Markdown body without markup: paragraphs separated by blank lines.
pub fn plain_text(source: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for event in Parser::new_ext(source, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 && !out.ends_with("\n\n") {
                    out.push_str("\n\n");
                }
            }
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            _ => {}
        }
    }
    out.trim_end().to_owned()
}

fn is_safe_url(url: &CowStr) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.split_once(':') {
        // No scheme, or a colon only after a path/query/fragment starts: a relative URL.
        None => true,
        Some((scheme, _)) if scheme.contains(['/', '?', '#']) => true,
        Some((scheme, _)) => matches!(scheme, "http" | "https" | "mailto"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(source: &str) -> String {
        render_blocks(source).into_iter().map(|b| b.html).collect()
    }

    #[test]
    fn each_top_level_block_is_rendered_separately() {
        let blocks = render_blocks("First *one*.\n\n## A heading\n\n- a\n- b\n\nLast.");
        assert_eq!(blocks.len(), 4);
        assert_eq!(blocks[0].html, "<p>First <em>one</em>.</p>\n");
        assert!(blocks[0].is_paragraph);
        assert_eq!(blocks[1].html, "<h2>A heading</h2>\n");
        assert!(!blocks[1].is_paragraph);
        assert!(blocks[2].html.starts_with("<ul>"));
        assert!(!blocks[2].is_paragraph);
        assert!(blocks[3].is_paragraph);
    }

    #[test]
    fn raw_html_is_shown_as_text_not_passed_through() {
        let out = html("Hello <script>alert(1)</script> there.\n\n<div onclick=\"x()\">block</div>\n");
        assert!(!out.contains("<script>"), "{out}");
        assert!(!out.contains("<div"), "{out}");
        assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{out}");
        assert!(out.contains("<p>&lt;div onclick=\"x()\"&gt;block&lt;/div&gt;"), "{out}");
    }

    #[test]
    fn script_urls_lose_their_link_but_keep_their_text() {
        let out = html("[click me](javascript:alert(1)) and [ok](https://example.org/a) and [rel](/topics/energy)");
        assert!(!out.to_lowercase().contains("javascript:"), "{out}");
        assert!(out.contains("click me"));
        assert!(out.contains(r#"<a href="https://example.org/a">ok</a>"#), "{out}");
        assert!(out.contains(r#"<a href="/topics/energy">rel</a>"#), "{out}");
        let out = html("![x](data:text/html;base64,AAAA)");
        assert!(!out.contains("<img"), "{out}");
    }

    #[test]
    fn a_level_one_heading_is_demoted() {
        assert_eq!(html("# Inside"), "<h2>Inside</h2>\n");
    }

    #[test]
    fn plain_text_drops_markup_and_separates_blocks() {
        assert_eq!(plain_text("One *two*.\n\n## Three\n\nFour `five`."), "One two.\n\nThree\n\nFour five.");
    }
}
