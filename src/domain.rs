//! Pure types shared by the server and the browser; each parses and validates once.

/// Locating a reader's selection in an article's plain text.
pub mod anchor;
/// Article and topic data as pages display them.
pub mod article;
/// Reader comments: what they write, how it is shown, what reports say.
pub mod comment;
/// Word-level differences, for showing suggested changes.
pub mod diff;
/// URL slugs: validated, and derived from headlines and topic names.
pub mod slug;
/// Staff roles and accounts.
pub mod staff;
/// Correction suggestions from readers.
pub mod suggestion;
/// Rules for text that readers type.
pub mod text;
/// Word lists for moderation, matched regardless of case and accents.
pub mod words;
