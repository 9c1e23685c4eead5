//! Presentational pieces shared by pages; no I/O.

/// Cards for lists of articles, and the related-articles box.
pub mod article_card;
/// Who wrote a story: linked author names or the byline text.
pub mod byline;
/// The comment, reply and report forms, and their templates.
pub mod comment_forms;
/// How a comment shows its author, time and text.
pub mod comments;
/// `<time>` elements with readable dates.
pub mod dates;
/// (ssr) Word diffs of revisions and suggestions.
#[cfg(feature = "ssr")]
pub mod diff;
/// Labelled form fields with their errors.
pub mod form;
/// Site header and footer.
pub mod layout;
/// Previous / next page links.
pub mod pagination;
/// Photos as `<figure>`/`<picture>` HTML.
pub mod picture;

/// Escapes for HTML written by hand (Leptos 0.8 writes `<title>` and `<textarea>` text
/// unescaped).
pub use crate::domain::text::{escape_attr, escape_text};

#[cfg(test)]
mod tests {
    #[test]
    fn markup_in_text_is_escaped() {
        assert_eq!(super::escape_text("</title><b>&"), "&lt;/title&gt;&lt;b&gt;&amp;");
        assert_eq!(super::escape_attr("a\" onload='x' <&"), "a&quot; onload=&#39;x&#39; &lt;&amp;");
    }
}
