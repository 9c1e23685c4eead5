//! The interactive parts of pages, hydrated in the browser. Everything else is static HTML.

/// Select text, press Ctrl+Enter, suggest a correction.
pub mod correction_widget;
/// "Copy link" for an article.
pub mod share_link;
