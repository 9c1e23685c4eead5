//! (ssr) Which kept pages are still current: each page names the keys of what it shows
//! (`PageKey`), the database moves a key's version whenever that changes (triggers of
//! migration `page_keys`, whoever writes), and this server reads the keys changed lately.
//!
//! Every read of the keys that finds a change starts a new *epoch* and stamps the changed
//! keys with it. A page remembers the epoch of the last read before it was rendered; it is
//! current while none of its keys carries a later one.
//!
//! A read asks for the rows changed at or after the latest change it has seen: on SQLite,
//! where writers take turns, that is every change committed since. On PostgreSQL a
//! transaction may commit a moment after a later one, with an earlier time, so every
//! `WINDOW_RECHECK` a read goes back `WINDOW_MS` and catches those; versions are compared
//! for equality, so reading a row twice changes nothing.

use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// What a page shows, as the database's triggers name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKey<'a> {
    /// The front page and the corrections list.
    Lists,
    /// One article: its text, settings, notices and public comments.
    Article(&'a str),
    /// A topic's page and the related box of its articles.
    Topic(&'a str),
    /// No page: the comments awaiting moderation of the reader whose token has this hash.
    Pending(&'a str),
    /// No page: the files of one library photo (moved when it is deleted).
    Media(i64),
}

impl std::fmt::Display for PageKey<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Lists => f.write_str("lists"),
            Self::Article(slug) => write!(f, "article:{slug}"),
            Self::Topic(slug) => write!(f, "topic:{slug}"),
            Self::Pending(token_hash) => write!(f, "pending:{token_hash}"),
            Self::Media(id) => write!(f, "media:{id}"),
        }
    }
}

/// Everything depends on this key too (topic names, site settings).
pub const SITE: &str = "site";

/// How stale another process's write may look here.
const RECHECK: Duration = Duration::from_millis(250);
/// How far back the periodic re-read goes: far longer than any write transaction takes
/// between its trigger and its commit (statements time out after seconds).
const WINDOW_MS: i64 = 30_000;
/// How often a read goes back the whole window.
const WINDOW_RECHECK: Duration = Duration::from_secs(2);

pub struct Freshness {
    pool: crate::db::Pool,
    /// Per key: the version last read and the epoch it was read in.
    known: RwLock<HashMap<String, (i64, u64)>>,
    /// The latest epoch; 0 before the first read.
    epoch: AtomicU64,
    /// Whether the last read succeeded; nothing is current while it did not.
    valid: AtomicBool,
    /// The latest `changed_ms` seen; the next read starts `WINDOW_MS` before it. `i64::MIN`:
    /// read every row (at start, and after a failed read).
    seen_ms: AtomicI64,
    /// When the keys were last read, in milliseconds since `started` (0: not yet).
    checked_ms: AtomicU64,
    /// Since when reads of the keys have failed (0: the last one succeeded): the database
    /// is unreachable, and kept pages may be served stale for a while.
    failing_since_ms: AtomicU64,
    /// When a read last went back the whole window.
    window_checked_ms: AtomicU64,
    /// Reads begun, and the number of the last one finished: a write waits only for a read
    /// that began after it.
    reads_begun: AtomicU64,
    reads_done: AtomicU64,
    started: Instant,
    reading: tokio::sync::Mutex<()>,
}

impl Freshness {
    pub fn new(pool: crate::db::Pool) -> Self {
        Self {
            pool,
            known: RwLock::new(HashMap::new()),
            epoch: AtomicU64::new(0),
            valid: AtomicBool::new(false),
            seen_ms: AtomicI64::new(i64::MIN),
            checked_ms: AtomicU64::new(0),
            failing_since_ms: AtomicU64::new(0),
            window_checked_ms: AtomicU64::new(0),
            reads_begun: AtomicU64::new(0),
            reads_done: AtomicU64::new(0),
            started: Instant::now(),
            reading: tokio::sync::Mutex::new(()),
        }
    }

    /// The epoch a page rendered now belongs to, reading the keys first when the last read
    /// is older than `RECHECK` (one request reads; the others carry on with what is known).
    /// `None` while the keys cannot be read: nothing rendered then is kept.
    pub async fn epoch(&self) -> Option<u64> {
        if self.is_due() {
            if self.failing_since_ms.load(Ordering::Acquire) != 0 {
                // The database is unreachable: one request tries again at a time, and the
                // others do not queue behind its wait for a connection.
                if let Ok(_reading) = self.reading.try_lock() {
                    self.read().await;
                }
            } else if !self.valid.load(Ordering::Acquire) {
                // Nothing known yet: wait for a read rather than render pages that cannot be
                // kept.
                let _reading = self.reading.lock().await;
                if !self.valid.load(Ordering::Acquire) {
                    self.read().await;
                }
            } else if let Ok(_reading) = self.reading.try_lock() {
                self.read().await;
            }
        }
        self.current()
    }

    /// Reads the keys now, after a write of this server's, so it shows on the next read. A
    /// read that began after this call answers for it too: many writers at once share reads.
    pub async fn read_now(&self) {
        let begun = self.reads_begun.load(Ordering::Acquire);
        let _reading = self.reading.lock().await;
        if self.reads_done.load(Ordering::Acquire) > begun {
            return;
        }
        self.read().await;
    }

    /// Whether the keys should be read again now.
    pub fn is_due(&self) -> bool {
        let checked = self.checked_ms.load(Ordering::Acquire);
        checked == 0 || self.now_ms().saturating_sub(checked) >= RECHECK.as_millis() as u64
    }

    /// Whether the keys have been read at least once (successfully or not): a request then
    /// need not wait for the next read.
    pub fn has_read(&self) -> bool {
        self.valid.load(Ordering::Acquire) || self.failing_since_ms.load(Ordering::Acquire) != 0
    }

    /// A render failed because the database is unavailable: nothing is current until the
    /// keys are read again (at most a `RECHECK` from now), and kept pages may be sent stale
    /// meanwhile, without every reader waiting for this server's next read to fail too.
    pub fn mark_unreachable(&self) {
        self.valid.store(false, Ordering::Release);
        self.seen_ms.store(i64::MIN, Ordering::Release);
        let now = self.now_ms().max(1);
        let _ = self.failing_since_ms.compare_exchange(0, now, Ordering::AcqRel, Ordering::Acquire);
    }

    /// How long the keys have not been readable (the database unreachable), if so.
    pub fn unreachable_for(&self) -> Option<Duration> {
        match self.failing_since_ms.load(Ordering::Acquire) {
            0 => None,
            since => Some(Duration::from_millis(self.now_ms().saturating_sub(since))),
        }
    }

    fn current(&self) -> Option<u64> {
        self.valid.load(Ordering::Acquire).then(|| self.epoch.load(Ordering::Acquire))
    }

    /// Whether a page of `keys` rendered in `epoch` is still current.
    pub fn is_current(&self, keys: &[String], epoch: u64) -> bool {
        self.valid.load(Ordering::Acquire) && self.was_current(keys, epoch)
    }

    /// Whether a page of `keys` rendered in `epoch` was current at the last read of the keys
    /// that succeeded: what may be sent stale while the database is unreachable.
    pub fn was_current(&self, keys: &[String], epoch: u64) -> bool {
        if self.epoch.load(Ordering::Acquire) <= epoch {
            return true;
        }
        let known = self.known.read().unwrap_or_else(|e| e.into_inner());
        let changed_after = |key: &str| known.get(key).is_some_and(|&(_, at)| at > epoch);
        !changed_after(SITE) && !keys.iter().any(|key| changed_after(key))
    }

    /// One read of the keys; the caller holds `reading`.
    async fn read(&self) {
        let number = self.reads_begun.fetch_add(1, Ordering::AcqRel) + 1;
        let seen = self.seen_ms.load(Ordering::Acquire);
        let now = self.now_ms();
        let whole_window =
            now.saturating_sub(self.window_checked_ms.load(Ordering::Acquire)) >= WINDOW_RECHECK.as_millis() as u64;
        let since = match seen {
            i64::MIN => i64::MIN,
            seen if whole_window => seen - WINDOW_MS,
            seen => seen,
        };
        match crate::db::settings::page_keys_changed_since(&self.pool, since).await {
            Ok(rows) => {
                let mut known = self.known.write().unwrap_or_else(|e| e.into_inner());
                let next = self.epoch.load(Ordering::Acquire) + 1;
                let mut changed = false;
                let mut latest = seen;
                for row in rows {
                    latest = latest.max(row.changed_ms);
                    let entry = known.entry(row.key).or_insert((i64::MIN, 0));
                    if entry.0 != row.version {
                        *entry = (row.version, next);
                        changed = true;
                    }
                }
                // The first read starts epoch 1 even on an empty table: 0 means "not read".
                if changed || next == 1 {
                    self.epoch.store(next, Ordering::Release);
                }
                drop(known);
                self.seen_ms.store(latest.max(0), Ordering::Release);
                self.valid.store(true, Ordering::Release);
                self.failing_since_ms.store(0, Ordering::Release);
                self.checked_ms.store(self.now_ms().max(1), Ordering::Release);
                if whole_window || seen == i64::MIN {
                    self.window_checked_ms.store(now.max(1), Ordering::Release);
                }
            }
            // Nothing is current until the keys can be read again (kept pages may only be
            // sent as stale), then they are all read: changes made meanwhile may have left
            // the window. The next try comes a `RECHECK` later.
            Err(error) => {
                tracing::warn!(%error, "could not read the page keys");
                self.valid.store(false, Ordering::Release);
                self.seen_ms.store(i64::MIN, Ordering::Release);
                let now = self.now_ms().max(1);
                let _ = self.failing_since_ms.compare_exchange(0, now, Ordering::AcqRel, Ordering::Acquire);
                self.checked_ms.store(now, Ordering::Release);
            }
        }
        self.reads_done.store(number, Ordering::Release);
    }

    fn now_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_named_as_the_triggers_name_them() {
        assert_eq!(PageKey::Lists.to_string(), "lists");
        assert_eq!(PageKey::Article("tram-line").to_string(), "article:tram-line");
        assert_eq!(PageKey::Topic("city-hall").to_string(), "topic:city-hall");
        assert_eq!(PageKey::Pending("ab12").to_string(), "pending:ab12");
        assert_eq!(PageKey::Media(12).to_string(), "media:12");
    }

    async fn database() -> (tempfile::TempDir, crate::db::Pool) {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::db::test_pool(dir.path(), "f.db").await;
        (dir, pool)
    }

    async fn touch(pool: &crate::db::Pool, key: &str) {
        crate::db::query(
            "INSERT INTO page_keys (key, version, changed_ms) VALUES ($1, 1, 1000)
             ON CONFLICT (key) DO UPDATE SET version = page_keys.version + 1, changed_ms = page_keys.changed_ms + 1",
        )
        .bind(key)
        .execute(pool)
        .await
        .unwrap();
    }

    #[tokio::test]
    async fn a_change_stales_the_pages_showing_it_and_no_others() {
        let (_dir, pool) = database().await;
        let freshness = Freshness::new(pool.clone());
        assert!(!freshness.is_current(&[], 0), "not read yet");
        let epoch = freshness.epoch().await.unwrap();
        let tram = vec!["article:tram".to_owned(), "topic:transport".to_owned()];
        let budget = vec!["article:budget".to_owned()];
        assert!(freshness.is_current(&tram, epoch) && freshness.is_current(&budget, epoch));

        touch(&pool, "article:tram").await;
        freshness.read_now().await;
        assert!(!freshness.is_current(&tram, epoch), "its key moved");
        assert!(freshness.is_current(&budget, epoch), "another article's page stays");
        let later = freshness.epoch().await.unwrap();
        assert!(later > epoch && freshness.is_current(&tram, later), "rendered again, current again");

        // Read again in the window: the same version changes nothing.
        freshness.read_now().await;
        assert!(freshness.is_current(&tram, later));

        touch(&pool, SITE).await;
        freshness.read_now().await;
        assert!(!freshness.is_current(&budget, later), "a site-wide change stales everything");
    }

    #[tokio::test]
    async fn a_change_that_commits_late_with_an_earlier_time_is_still_seen() {
        let (_dir, pool) = database().await;
        let freshness = Freshness::new(pool.clone());
        let at = |key: &'static str, ms: i64| {
            crate::db::query("INSERT INTO page_keys (key, version, changed_ms) VALUES ($1, 1, $2)")
                .bind(key)
                .bind(ms)
                .execute(&pool)
        };
        at("article:first", 10_000).await.unwrap();
        let epoch = freshness.epoch().await.unwrap();
        // Another server's transaction ran its trigger before the change above was read,
        // and commits only now.
        at("article:late", 9_000).await.unwrap();
        tokio::time::sleep(WINDOW_RECHECK).await;
        freshness.read_now().await;
        assert!(!freshness.is_current(&["article:late".to_owned()], epoch), "the window's re-read saw it");
    }

    #[tokio::test]
    async fn nothing_is_current_while_the_keys_cannot_be_read() {
        let (_dir, pool) = database().await;
        let freshness = Freshness::new(pool.clone());
        let epoch = freshness.epoch().await.unwrap();
        pool.close().await;
        freshness.read_now().await;
        assert!(!freshness.is_current(&[], epoch));
        assert_eq!(freshness.epoch().await, None);
    }
}
