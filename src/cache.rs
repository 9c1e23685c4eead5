//! (ssr) What stays in memory between requests, and whether it is still current: the page
//! keys every kept thing is checked against, and the data pages are made from.

/// Photo files kept in memory.
pub mod files;
/// Data a page is made from, kept between renders.
pub mod fragments;
/// Which kept pages and data are current.
pub mod freshness;

pub use files::{Files, KeptFile};
pub use fragments::Fragments;
pub use freshness::{Freshness, PageKey};

use crate::domain::article::ArticlePage;

/// Article pages whose data is kept between renders, at most.
const MAX_ARTICLE_FRAGMENTS: usize = 2_000;
/// Returning readers whose pending comments are known, at most (about 150 bytes each).
const MAX_PENDING_READERS: usize = 50_000;

/// The data kept between requests, shared by the page cache and the services.
pub struct Kept {
    pub freshness: Freshness,
    /// Article pages' data for anyone's view, by slug, comment order and page.
    pub articles: Fragments<ArticlePage>,
    /// Per reader (token hash): the articles where a comment of theirs awaits moderation.
    pub pending: Fragments<Vec<String>>,
    /// Photo files, by the hash their address names.
    pub files: Files,
}

impl Kept {
    /// Reads the page keys when due. Once they have been read, the read runs beside the
    /// request instead of before it: a database that stopped answering would otherwise
    /// make that reader wait for the connection timeout.
    pub async fn refresh(self: &std::sync::Arc<Self>) {
        if !self.freshness.has_read() {
            self.freshness.epoch().await;
        } else if self.freshness.is_due() {
            let kept = self.clone();
            tokio::spawn(async move { kept.freshness.epoch().await });
        }
    }

    /// Kept data, with at most `file_bytes` of photo files.
    pub fn new(pool: crate::db::Pool, file_bytes: usize) -> Self {
        Self {
            files: Files::new(file_bytes),
            freshness: Freshness::new(pool),
            articles: Fragments::new(MAX_ARTICLE_FRAGMENTS),
            pending: Fragments::new(MAX_PENDING_READERS),
        }
    }
}
