//! (ssr) Article sources: Markdown files with front matter, and their rendering to HTML.

/// The staff editor's form, checked into the fields an article is saved with.
pub mod article_form;
/// The `---` YAML header of an article file, parsed into a validated draft.
pub mod front_matter;
/// Markdown to safe HTML, split into top-level blocks.
pub mod markdown;
/// WordPress exports (WXR) read, and their HTML as Markdown.
pub mod wordpress;
