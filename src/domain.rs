//! Validated types shared by the server and the browser; each parses and validates once.
//! Modules marked (ssr) exist only on the server.

/// Locating a reader's selection in an article's plain text.
pub mod anchor;
/// Article and topic data as pages display them.
pub mod article;
/// (ssr) Entries of the audit log.
#[cfg(feature = "ssr")]
pub mod audit;
/// Author profiles and byline links.
pub mod author;
/// Reader comments: what they write, how it is shown, what reports say.
pub mod comment;
/// Dates as readers and machines read them.
pub mod dates;
/// (ssr) Rows the staff desk's pages show.
#[cfg(feature = "ssr")]
pub mod desk;
/// (ssr) Word-level differences, for showing suggested changes and revisions.
#[cfg(feature = "ssr")]
pub mod diff;
/// The article editor's fields as typed.
pub mod draft;
/// Language tags for the site and its articles.
pub mod lang;
/// (ssr) Mail the site sends: lists, messages and their text and HTML.
#[cfg(feature = "ssr")]
pub mod mail;
/// Photos: formats, limits, variants and how pages draw them.
pub mod media;
/// Moderators' actions and the word lists' limits.
pub mod moderation;
/// A reader's search, parsed into plain words, and its snippets.
pub mod search;
/// URL slugs: validated, and derived from headlines and topic names.
pub mod slug;
/// Staff roles and accounts.
pub mod staff;
/// Correction suggestions from readers.
pub mod suggestion;
/// Rules for text that readers type.
pub mod text;
/// (ssr) Client hashes, reader tokens and session ids.
#[cfg(feature = "ssr")]
pub mod tokens;
/// (ssr) Time-based one-time codes and recovery codes for the second sign-in step.
#[cfg(feature = "ssr")]
pub mod totp;
/// Word lists for moderation, matched regardless of case and accents.
pub mod words;
