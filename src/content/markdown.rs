//! (ssr) Markdown to safe HTML, split into top-level blocks.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use crate::components::picture::{BODY_SIZES, Loading, Words, figure_html, picture_html};
use crate::domain::article::BodyBlock;
use crate::domain::media::{Picture, media_id};

/// The Markdown dialect of article bodies; rendering, plain text and the copy check must
/// parse alike.
pub(crate) const OPTIONS: Options = Options::ENABLE_TABLES.union(Options::ENABLE_STRIKETHROUGH);

/// Renders an article body to HTML, one entry per top-level block, so the page can place
/// boxes between paragraphs.
///
/// Raw HTML in the source is shown as text, never passed through: article files may come from
/// many hands and the page must not run what they contain. Links and images keep only
/// http(s), mailto and site-relative targets. `#` headings are demoted to `h2` because the
/// page's only `h1` is the headline.
///
/// A link to `lang:TAG` (`[bon appétit](lang:fr)`) marks its text as another language: it
/// becomes `<span lang="fr">`, which screen readers pronounce accordingly.
///
/// An image from the library (`![alt](media:12 "caption")`) becomes a `<figure>` when it is
/// a paragraph of its own, and a plain picture inside text; the alt text and caption
/// written there replace the library's, the credit is the library's. One not in `media`
/// (deleted, or a wrong number) is left out.
pub fn render_blocks(source: &str, media: &[Picture]) -> Vec<BodyBlock> {
    render_marked(source, &[], media)
}

/// The library ids a body's images name, in order, each once.
pub fn media_ids(source: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    for event in Parser::new_ext(source, OPTIONS) {
        if let Event::Start(Tag::Image { dest_url, .. }) = event
            && let Some(id) = media_id(&dest_url)
            && !ids.contains(&id)
        {
            ids.push(id);
        }
    }
    ids
}

/// A library image being read: its picture (if it exists), the caption written, the alt
/// text gathered so far.
struct MediaImage<'p> {
    picture: Option<&'p Picture>,
    caption: String,
    alt: String,
}

impl MediaImage<'_> {
    /// The figure (when alone in its paragraph) and the inline picture.
    fn html(&self) -> Option<(String, String)> {
        let picture = self.picture?;
        let alt = if self.alt.trim().is_empty() { picture.alt.as_str() } else { self.alt.trim() };
        let caption = if self.caption.trim().is_empty() { picture.caption.as_str() } else { self.caption.trim() };
        let words = Words { alt, caption, credit: &picture.credit };
        Some((figure_html(picture, words, Loading::Lazy), picture_html(picture, alt, BODY_SIZES, Loading::Lazy, "")))
    }
}

/// A stretch of the source to highlight, with the number the page's list gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub range: std::ops::Range<usize>,
    pub id: usize,
}

/// How a link's end is written: dropped (unsafe target), a language span, or as a link.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LinkEnd {
    Skip,
    Span,
    Link,
}

/// `render_blocks`, with the text at `marks` wrapped in `<mark>` (the copy check's findings
/// in the editor's preview). A mark is drawn only where the source is the text itself.
pub fn render_marked(source: &str, marks: &[Mark], media: &[Picture]) -> Vec<BodyBlock> {
    let mut blocks = Vec::new();
    let mut image: Option<MediaImage> = None;
    // The figure of the block's last library image, and how many events the block had
    // around it: a paragraph of only that image is drawn as the figure.
    let mut figure: Option<(String, usize)> = None;
    let mut current: Vec<Event> = Vec::new();
    let mut depth = 0usize;
    let mut is_paragraph = false;
    let mut link_end = LinkEnd::Link;

    for (event, range) in Parser::new_ext(source, OPTIONS).into_offset_iter() {
        if let Some(reading) = image.as_mut() {
            match event {
                Event::End(TagEnd::Image) => {
                    let reading = image.take().expect("reading an image");
                    if let Some((whole, inline)) = reading.html() {
                        figure = Some((whole, current.len()));
                        current.push(Event::InlineHtml(inline.into()));
                    }
                }
                Event::Text(text) | Event::Code(text) => reading.alt.push_str(&text),
                _ => {}
            }
            continue;
        }
        let event = match event {
            Event::Start(Tag::Image { ref dest_url, ref title, .. }) if dest_url.starts_with("media:") => {
                let picture = media_id(dest_url).and_then(|id| media.iter().find(|p| p.id == id));
                image = Some(MediaImage { picture, caption: title.to_string(), alt: String::new() });
                continue;
            }
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            // An HTML block becomes a paragraph of its source text.
            Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
            Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
            Event::Start(Tag::Heading { level: HeadingLevel::H1, id, classes, attrs }) => {
                Event::Start(Tag::Heading { level: HeadingLevel::H2, id, classes, attrs })
            }
            Event::End(TagEnd::Heading(HeadingLevel::H1)) => Event::End(TagEnd::Heading(HeadingLevel::H2)),
            Event::Start(Tag::Link { ref dest_url, .. }) if lang_of_link(dest_url).is_some() => {
                link_end = LinkEnd::Span;
                let lang = lang_of_link(dest_url).map(|l| l.to_string()).unwrap_or_default();
                Event::InlineHtml(format!("<span lang=\"{lang}\">").into())
            }
            Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. })
                if !is_safe_url(dest_url) =>
            {
                link_end = LinkEnd::Skip;
                continue;
            }
            Event::End(TagEnd::Link | TagEnd::Image) if link_end != LinkEnd::Link => {
                let end = std::mem::replace(&mut link_end, LinkEnd::Link);
                if end == LinkEnd::Skip {
                    continue;
                }
                Event::InlineHtml("</span>".into())
            }
            other => other,
        };
        if let Event::Text(text) = &event
            && !marks.is_empty()
            && source.get(range.clone()) == Some(&**text)
        {
            current.extend(split_at_marks(text, range, marks));
            continue;
        }
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
            // [Start(Paragraph), the picture, End(Paragraph)]: the image alone.
            if let Some((whole, 1)) = figure.take().filter(|_| is_paragraph && current.len() == 3) {
                current.clear();
                blocks.push(BodyBlock { html: whole, is_paragraph: false });
                is_paragraph = false;
                continue;
            }
            let mut out = String::new();
            html::push_html(&mut out, current.drain(..));
            blocks.push(BodyBlock { html: out, is_paragraph });
            is_paragraph = false;
        }
    }
    blocks
}

/// A whole body as one piece of HTML, with the same rules as `render_blocks`.
pub fn render_html(source: &str, media: &[Picture]) -> String {
    render_blocks(source, media).into_iter().map(|b| b.html).collect()
}

/// The text of a Markdown body as a reader sees it: top-level blocks separated by a blank
/// line, list items, table cells and other nested blocks by a line break.
pub fn plain_text(source: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for event in Parser::new_ext(source, OPTIONS) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(tag) => {
                depth = depth.saturating_sub(1);
                let separator = if depth == 0 {
                    "\n\n"
                } else if is_block(tag) {
                    "\n"
                } else {
                    ""
                };
                if !separator.is_empty() && !out.is_empty() && !out.ends_with(separator) {
                    out.truncate(out.trim_end_matches('\n').len());
                    out.push_str(separator);
                }
            }
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            _ => {}
        }
    }
    out.trim_end().to_owned()
}

/// The plain text that corrections are anchored in: headline, dek and body, NFC-normalised,
/// separated by blank lines. Offsets into it are counted in Unicode code points.
pub fn article_plain_text(title: &str, dek: Option<&str>, body_md: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut text = String::from(title);
    if let Some(dek) = dek {
        text.push_str("\n\n");
        text.push_str(dek);
    }
    text.push_str("\n\n");
    text.push_str(&plain_text(body_md));
    text.nfc().collect()
}

/// `text` (the source at `range`) as text and `<mark>` events.
fn split_at_marks<'a>(text: &str, range: std::ops::Range<usize>, marks: &[Mark]) -> Vec<Event<'a>> {
    let mut out = Vec::new();
    let mut at = range.start;
    for mark in marks.iter().filter(|m| m.range.start < range.end && m.range.end > range.start) {
        let (start, end) = (mark.range.start.max(at), mark.range.end.min(range.end));
        if start >= end || !text.is_char_boundary(start - range.start) || !text.is_char_boundary(end - range.start) {
            continue;
        }
        if start > at {
            out.push(Event::Text(text[at - range.start..start - range.start].to_owned().into()));
        }
        out.push(Event::InlineHtml(format!("<mark class=\"check-flag\" data-problem=\"{}\">", mark.id).into()));
        out.push(Event::Text(text[start - range.start..end - range.start].to_owned().into()));
        out.push(Event::InlineHtml("</mark>".into()));
        at = end;
    }
    if at < range.end {
        out.push(Event::Text(text[at - range.start..].to_owned().into()));
    }
    out
}

/// The language a `lang:TAG` link marks its text with.
pub(crate) fn lang_of_link(url: &str) -> Option<crate::domain::lang::Lang> {
    crate::domain::lang::Lang::parse(url.trim().strip_prefix("lang:")?)
}

pub(crate) fn is_block(tag: TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::Item
            | TagEnd::BlockQuote(_)
            | TagEnd::CodeBlock
            | TagEnd::HtmlBlock
            | TagEnd::List(_)
            | TagEnd::Table
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::TableCell
    )
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

    fn library_picture(id: i64) -> Picture {
        let v = |format: &str, width: i64| crate::domain::media::Variant {
            kind: "w".into(),
            format: format.into(),
            width,
            height: width * 3 / 4,
            hash: format!("{format}{id}x{width}"),
        };
        Picture {
            id,
            width: 640,
            height: 480,
            alt: "Library alt".into(),
            caption: "Library caption".into(),
            credit: "Ana García".into(),
            variants: vec![v("jpeg", 320), v("jpeg", 640), v("webp", 320), v("webp", 640)],
        }
    }

    #[test]
    fn library_images_become_figures_with_the_words_written_or_the_librarys() {
        let media = [library_picture(12)];
        let blocks = render_blocks("Before.\n\n![Boats at dawn](media:12 \"The harbour\")\n\nAfter.", &media);
        assert_eq!(blocks.len(), 3);
        let figure = &blocks[1];
        assert!(!figure.is_paragraph, "a figure is not a paragraph (no related box after it)");
        assert!(
            figure.html.starts_with("<figure class=\"photo\"><picture><source type=\"image/webp\""),
            "{}",
            figure.html
        );
        assert!(figure.html.contains("alt=\"Boats at dawn\""));
        assert!(figure.html.contains("<figcaption>The harbour <span class=\"credit\">Ana García</span></figcaption>"));
        assert!(figure.html.contains("loading=\"lazy\""));

        let bare = render_html("![](media:12)", &media);
        assert!(bare.contains("alt=\"Library alt\"") && bare.contains("Library caption"), "{bare}");

        // Inside text: a picture, no figure (a figure cannot be inside a paragraph).
        let inline = render_html("See ![a chart](media:12) here.", &media);
        assert!(inline.starts_with("<p>See <picture>") && !inline.contains("<figure"), "{inline}");

        // Not in the library (deleted, mistyped): left out, with nothing of its markup.
        assert_eq!(render_html("![gone](media:99)", &media), "<p></p>\n");
        // Not an image at all: its text, as text.
        assert_eq!(
            render_html("![x](media:12\" onerror=\"alert(1))", &media),
            "<p>![x](media:12\" onerror=\"alert(1))</p>\n"
        );
    }

    #[test]
    fn the_ids_a_body_names_are_listed_once() {
        assert_eq!(media_ids("![a](media:3)\n\n![b](media:1) ![c](media:3) ![d](https://x.example/d.jpg)"), vec![3, 1]);
        assert!(media_ids("no images").is_empty());
    }

    fn html(source: &str) -> String {
        render_blocks(source, &[]).into_iter().map(|b| b.html).collect()
    }

    #[test]
    fn each_top_level_block_is_rendered_separately() {
        let blocks = render_blocks("First *one*.\n\n## A heading\n\n- a\n- b\n\nLast.", &[]);
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
    fn a_language_link_becomes_a_span() {
        assert_eq!(html("Say [bon appétit](lang:fr)."), "<p>Say <span lang=\"fr\">bon appétit</span>.</p>\n");
        // A malformed tag is not a language: the link is dropped, its text kept.
        assert_eq!(html("Say [hi](lang:english)."), "<p>Say hi.</p>\n");
    }

    #[test]
    fn marks_wrap_the_flagged_source_text() {
        let source = "One Garca and <b>.";
        let marks = [Mark { range: 4..9, id: 3 }, Mark { range: 14..17, id: 4 }];
        let out: String = render_marked(source, &marks, &[]).into_iter().map(|b| b.html).collect();
        assert_eq!(
            out,
            "<p>One <mark class=\"check-flag\" data-problem=\"3\">Garca</mark> and <mark class=\"check-flag\" data-problem=\"4\">&lt;b&gt;</mark>.</p>\n"
        );
    }

    #[test]
    fn a_level_one_heading_is_demoted() {
        assert_eq!(html("# Inside"), "<h2>Inside</h2>\n");
    }

    #[test]
    fn plain_text_drops_markup_and_separates_blocks() {
        assert_eq!(plain_text("One *two*.\n\n## Three\n\nFour `five`."), "One two.\n\nThree\n\nFour five.");
    }

    #[test]
    fn plain_text_separates_list_items_and_table_cells() {
        assert_eq!(plain_text("- a\n- b\n\nAfter."), "a\nb\n\nAfter.");
        assert_eq!(plain_text("| x | y |\n|---|---|\n| 1 | 2 |"), "x\ny\n1\n2");
    }

    #[test]
    fn article_plain_text_joins_headline_dek_and_body_in_nfc() {
        let text = article_plain_text("Cafe\u{301} opens", Some("A dek."), "Body *text*.");
        assert_eq!(text, "Café opens\n\nA dek.\n\nBody text.");
        assert_eq!(article_plain_text("T", None, "B"), "T\n\nB");
    }
}

/// Which source field a stretch of an article's plain text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title,
    Dek,
    Body,
}

/// Where the quote at code points `start..end` of the article's plain text lies in its
/// sources: the field and the byte range there. `None` when the text there is no longer
/// the quote (the article has changed), or when the quote cannot be found one-for-one in the
/// Markdown (it spans formatting, or repeats ambiguously): then a person edits by hand.
pub fn source_span(
    title: &str,
    dek: Option<&str>,
    body_md: &str,
    start: usize,
    end: usize,
    quote: &str,
) -> Option<(Field, std::ops::Range<usize>)> {
    use unicode_normalization::UnicodeNormalization;
    let plain: Vec<char> = article_plain_text(title, dek, body_md).chars().collect();
    if end > plain.len() || start >= end || plain[start..end].iter().collect::<String>() != quote {
        return None;
    }
    let title_len = title.nfc().count();
    let dek_len = dek.map(|d| d.nfc().count());
    let (field, source, field_start) = if end <= title_len {
        (Field::Title, title, 0)
    } else if let Some(len) = dek_len.filter(|len| start >= title_len + 2 && end <= title_len + 2 + len) {
        let _ = len;
        (Field::Dek, dek.unwrap_or_default(), title_len + 2)
    } else {
        let body_start = title_len + 2 + dek_len.map_or(0, |len| len + 2);
        if start < body_start {
            return None;
        }
        (Field::Body, body_md, body_start)
    };
    // The quote's occurrence number in the field's plain text must match one occurrence in
    // the source, and the counts must agree, so the right one is replaced.
    let field_plain: String = plain[field_start..].iter().collect();
    let field_plain = match field {
        Field::Body => field_plain,
        _ => field_plain.chars().take(source.nfc().count()).collect(),
    };
    let offset = start - field_start;
    let occurrences: Vec<usize> =
        field_plain.match_indices(quote).map(|(i, _)| field_plain[..i].chars().count()).collect();
    let nth = occurrences.iter().position(|&at| at == offset)?;
    let in_source: Vec<usize> = source.match_indices(quote).map(|(i, _)| i).collect();
    if in_source.len() != occurrences.len() {
        return None;
    }
    let at = in_source[nth];
    Some((field, at..at + quote.len()))
}

/// The source of the field, and for the body the top-level block (paragraph, list, ...),
/// that holds code point `start` of the article's plain text: where an editor should look
/// when a suggestion cannot be applied automatically.
pub fn block_at(title: &str, dek: Option<&str>, body_md: &str, start: usize) -> (Field, std::ops::Range<usize>) {
    use unicode_normalization::UnicodeNormalization;
    let title_len = title.nfc().count();
    if start < title_len + 2 {
        return (Field::Title, 0..title.len());
    }
    let mut body_start = title_len + 2;
    if let Some(dek) = dek {
        let dek_len = dek.nfc().count();
        if start < body_start + dek_len + 2 {
            return (Field::Dek, 0..dek.len());
        }
        body_start += dek_len + 2;
    }
    let offset = start - body_start;
    // Blocks appear in the plain text one after another, separated by a blank line.
    let (mut depth, mut block_start, mut seen) = (0usize, 0usize, 0usize);
    let mut last = 0..0;
    for (event, range) in Parser::new_ext(body_md, OPTIONS).into_offset_iter() {
        match event {
            Event::Start(_) => {
                if depth == 0 {
                    block_start = range.start;
                }
                depth += 1;
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    let block = block_start..block_start + body_md[block_start..range.end].trim_end().len();
                    let len = plain_text(&body_md[block.clone()]).nfc().count();
                    if offset < seen + len + 2 {
                        return (Field::Body, block);
                    }
                    seen += len + 2;
                    last = block;
                }
            }
            _ => {}
        }
    }
    (Field::Body, last)
}

#[cfg(test)]
mod source_span_tests {
    use super::*;

    const BODY: &str = "The mayor, Ingrid *Halvorson*, spoke.\n\nThe diffrence was small. The diffrence grew.";

    fn span(quote: &str, nth: usize) -> Option<(Field, std::ops::Range<usize>)> {
        let plain = article_plain_text("A Title", Some("A dek"), BODY);
        let at = plain.match_indices(quote).nth(nth)?.0;
        let start = plain[..at].chars().count();
        source_span("A Title", Some("A dek"), BODY, start, start + quote.chars().count(), quote)
    }

    #[test]
    fn quotes_in_the_body_map_to_their_own_occurrence() {
        let (field, first) = span("diffrence", 0).unwrap();
        assert_eq!(field, Field::Body);
        assert_eq!(&BODY[first.clone()], "diffrence");
        let (_, second) = span("diffrence", 1).unwrap();
        assert!(second.start > first.start);
    }

    #[test]
    fn title_and_dek_quotes_map_to_those_fields() {
        assert_eq!(span("Title", 0), Some((Field::Title, 2..7)));
        assert_eq!(span("dek", 0), Some((Field::Dek, 2..5)));
    }

    #[test]
    fn the_block_holding_an_offset_is_found_in_the_source() {
        let plain = article_plain_text("A Title", Some("A dek"), BODY);
        let at = |quote: &str| plain[..plain.find(quote).unwrap()].chars().count();
        let (field, range) = block_at("A Title", Some("A dek"), BODY, at("Halvorson"));
        assert_eq!((field, &BODY[range]), (Field::Body, "The mayor, Ingrid *Halvorson*, spoke."));
        let (field, range) = block_at("A Title", Some("A dek"), BODY, at("grew"));
        assert_eq!((field, &BODY[range]), (Field::Body, "The diffrence was small. The diffrence grew."));
        assert_eq!(block_at("A Title", Some("A dek"), BODY, at("dek")), (Field::Dek, 0..5));
        assert_eq!(block_at("A Title", Some("A dek"), BODY, 0), (Field::Title, 0..7));
        // Past the end: the last block.
        assert_eq!(block_at("A Title", Some("A dek"), BODY, 10_000).1.end, BODY.len());
    }

    #[test]
    fn quotes_across_formatting_or_changed_text_are_left_to_people() {
        // "Ingrid Halvorson" is "Ingrid *Halvorson*" in the source.
        assert_eq!(span("Ingrid Halvorson", 0), None);
        let plain = article_plain_text("A Title", Some("A dek"), BODY);
        let at = plain.find("was small").unwrap();
        assert_eq!(source_span("A Title", Some("A dek"), BODY, at, at + 9, "was large"), None);
    }
}
