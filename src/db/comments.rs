//! (ssr) Reader comments and their moderation, one file per part: settings, word lists,
//! the writer task, threads, the moderation queue, bans. Callers use `db::comments::*`.

/// Banned authors.
mod bans;
/// The moderation queues and decisions.
mod queue;
/// Moderation mode per site and article.
mod settings;
/// Comments as readers see them.
mod threads;
/// The suspect and banned word lists.
mod words;
/// Storing new comments (group commit).
mod writer;

pub use bans::*;
pub use queue::*;
pub use settings::*;
pub use threads::*;
pub use words::*;
pub use writer::*;
