//! Photos as HTML: a `<figure>` with `<picture>` (WebP first, JPEG for the rest), every
//! width in `srcset`, the size set so nothing shifts while it loads, and the caption and
//! credit. Written as a string because body images are placed inside the body's HTML.

use super::escape_attr;
use crate::domain::media::Picture;

/// How soon the browser fetches it: the lead image is the page's likely largest paint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loading {
    /// Fetched at once, before other images.
    Lead,
    /// Fetched when about to scroll into view.
    Lazy,
}

/// The width a story's images take: the text column, or the screen when narrower.
pub const BODY_SIZES: &str = "(min-width: 44rem) 40rem, 100vw";
/// A card's thumbnail.
pub const THUMB_SIZES: &str = "7rem";

/// Words shown with a picture in one place (a story may word them its own way).
#[derive(Debug, Clone, Copy)]
pub struct Words<'a> {
    pub alt: &'a str,
    pub caption: &'a str,
    pub credit: &'a str,
}

impl<'a> Words<'a> {
    /// The library's own words.
    pub fn of(picture: &'a Picture) -> Self {
        Self { alt: &picture.alt, caption: &picture.caption, credit: &picture.credit }
    }
}

/// `<figure>` with the picture and its caption and credit.
pub fn figure_html(picture: &Picture, words: Words, loading: Loading) -> String {
    let mut out = String::from("<figure class=\"photo\">");
    out.push_str(&picture_html(picture, words.alt, BODY_SIZES, loading, ""));
    if !words.caption.is_empty() || !words.credit.is_empty() {
        out.push_str("<figcaption>");
        out.push_str(&escape_attr(words.caption));
        if !words.credit.is_empty() {
            if !words.caption.is_empty() {
                out.push(' ');
            }
            out.push_str("<span class=\"credit\">");
            out.push_str(&escape_attr(words.credit));
            out.push_str("</span>");
        }
        out.push_str("</figcaption>");
    }
    out.push_str("</figure>");
    out
}

/// `<picture>`: WebP where the browser takes it, JPEG otherwise.
pub fn picture_html(picture: &Picture, alt: &str, sizes: &str, loading: Loading, class: &str) -> String {
    let Some(fallback) = picture.at_width("jpeg", 960) else { return String::new() };
    let (width, height) = (picture.width.min(1920), picture.height_at(picture.width.min(1920)));
    let webp = picture.srcset("webp");
    let mut out = String::from("<picture>");
    if !webp.is_empty() {
        out.push_str(&format!(
            "<source type=\"image/webp\" srcset=\"{}\" sizes=\"{}\">",
            escape_attr(&webp),
            escape_attr(sizes)
        ));
    }
    let timing = match loading {
        Loading::Lead => "fetchpriority=\"high\" decoding=\"async\"",
        Loading::Lazy => "loading=\"lazy\" decoding=\"async\"",
    };
    let class = if class.is_empty() { String::new() } else { format!(" class=\"{}\"", escape_attr(class)) };
    out.push_str(&format!(
        "<img{class} src=\"{}\" srcset=\"{}\" sizes=\"{}\" width=\"{width}\" height=\"{height}\" alt=\"{}\" {timing}>",
        escape_attr(&fallback.href()),
        escape_attr(&picture.srcset("jpeg")),
        escape_attr(sizes),
        escape_attr(alt),
    ));
    out.push_str("</picture>");
    out
}

/// A card's small picture; decorative (`alt=""`), as the headline beside it says what it is.
pub fn thumbnail_html(picture: &Picture) -> String {
    picture_html(picture, "", THUMB_SIZES, Loading::Lazy, "card-thumb")
}

/// Text for HTML content and attribute values.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::media::Variant;

    fn picture() -> Picture {
        let v = |format: &str, width: i64| Variant {
            kind: "w".into(),
            format: format.into(),
            width,
            height: width / 2,
            hash: format!("{format}{width}"),
        };
        Picture {
            id: 3,
            width: 2000,
            height: 1000,
            alt: "Boats \"at\" <dawn>".into(),
            caption: "The harbour & its boats".into(),
            credit: "Ana García".into(),
            variants: vec![v("jpeg", 640), v("jpeg", 1280), v("webp", 640), v("webp", 1280)],
        }
    }

    #[test]
    fn a_figure_has_both_formats_its_size_and_its_words_escaped() {
        let html = figure_html(&picture(), Words::of(&picture()), Loading::Lazy);
        assert!(html.starts_with("<figure class=\"photo\"><picture><source type=\"image/webp\" srcset=\"/media/webp640.webp 640w, /media/webp1280.webp 1280w\""), "{html}");
        assert!(html.contains("src=\"/media/jpeg1280.jpg\""), "{html}");
        assert!(html.contains("width=\"1920\" height=\"960\""), "{html}");
        assert!(html.contains("alt=\"Boats &quot;at&quot; &lt;dawn&gt;\""), "{html}");
        assert!(html.contains("loading=\"lazy\""));
        assert!(
            html.ends_with(
                "<figcaption>The harbour &amp; its boats <span class=\"credit\">Ana García</span></figcaption></figure>"
            ),
            "{html}"
        );
    }

    #[test]
    fn the_lead_is_fetched_first_and_a_bare_figure_has_no_caption() {
        let words = Words { alt: "Boats", caption: "", credit: "" };
        let html = figure_html(&picture(), words, Loading::Lead);
        assert!(html.contains("fetchpriority=\"high\""));
        assert!(!html.contains("loading=\"lazy\""));
        assert!(!html.contains("figcaption"));
    }

    #[test]
    fn a_thumbnail_is_decorative() {
        let html = thumbnail_html(&picture());
        assert!(html.contains("class=\"card-thumb\"") && html.contains("alt=\"\"") && html.contains("sizes=\"7rem\""));
    }
}
