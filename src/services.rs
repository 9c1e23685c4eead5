//! (ssr) The use cases. Each takes the pool (and the in-memory parts it needs) with typed
//! input, checks the rules, writes through `db` and the audit log, and answers with domain
//! values or an `AppError`. Server functions, form handlers and the command line all call
//! these, so a rule is written once.

/// A staff member's own password and sessions.
pub mod account;
/// What readers' pages show.
pub mod articles;
/// Author profiles.
pub mod authors;
/// Posting and reporting comments; an article's comment section.
pub mod comments;
/// The copy check with the house dictionary, published names and ignored problems.
pub mod copy_check;
/// Readers' suggestions and the desk's decisions on them.
pub mod corrections;
/// What the staff desk's pages read.
pub mod desk;
/// Drafts, revisions, publishing, the preview.
pub mod editing;
/// The feeds and the sitemap.
pub mod feeds;
/// Corrections made from readers' comments, and the staff reply under them.
pub mod from_comments;
/// Whether this server can do its work.
pub mod health;
/// The staff inbox: every kind of waiting work together.
pub mod inbox;
/// Mail: the SMTP connection, signed links, the outbox's sender, unsubscribing.
pub mod mail;
/// The photo library, lead images and the files pages link to.
pub mod media;
/// Moderation settings, word lists, actions on comments, bans.
pub mod moderation;
/// Per-client limits on public writes.
pub mod rate_limits;
/// Scheduled publication and its background task.
pub mod scheduling;
/// Reader search over published articles.
pub mod search;
/// Staff accounts, sign-in and sessions.
pub mod staff;

/// Where page `page` (from 1) of `size` rows starts.
fn offset(page: u32, size: u32) -> u64 {
    u64::from(page.saturating_sub(1)) * u64::from(size)
}

/// Rows read with one look-ahead row past a page of `size`: the page, and whether another
/// follows.
fn page_of<T>(mut rows: Vec<T>, size: u32) -> (Vec<T>, bool) {
    let has_next = rows.len() > size as usize;
    rows.truncate(size as usize);
    (rows, has_next)
}
