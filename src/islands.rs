//! The interactive parts of pages, hydrated in the browser. Everything else is static HTML.

/// "Copy link" for an article.
pub mod share_link;
