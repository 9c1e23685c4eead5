//! (ssr) Photo files kept in memory: a story that draws a crowd asks for its lead image as
//! often as for its page, and reading the file from the database each time made it a
//! quarter of nginx's speed. An address names one file's bytes forever, so a kept file
//! never changes; it stops being sent when its photo is deleted (the key `media:<id>`
//! moves, on every app server), and the least recently sent files leave first when the
//! memory given to them is full.

use axum::body::Bytes;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use super::Freshness;
use crate::domain::media::Format;

/// One file as it is sent.
pub struct KeptFile {
    pub format: Format,
    pub bytes: Bytes,
}

impl KeptFile {
    pub fn new(format: Format, bytes: Vec<u8>) -> Self {
        Self { format, bytes: Bytes::from(bytes) }
    }
}

struct Entry {
    file: Arc<KeptFile>,
    /// The photo's key (`media:<id>`) and the epoch it was read in.
    key: [String; 1],
    epoch: u64,
    last_used: AtomicU64,
}

/// Memory an entry holds besides its bytes (the map's slot, the key, the hash).
const OVERHEAD: usize = 160;

#[derive(Default)]
struct Table {
    by_hash: HashMap<String, Entry>,
    bytes: usize,
}

pub struct Files {
    table: RwLock<Table>,
    max_bytes: usize,
    /// Counts sends and inserts: which file was sent least recently.
    clock: AtomicU64,
}

impl Files {
    /// At most `max_bytes` of files (0 keeps none); one file larger than an eighth of that
    /// is sent from the database every time rather than push out all the others.
    pub fn new(max_bytes: usize) -> Self {
        Self { table: RwLock::new(Table::default()), max_bytes, clock: AtomicU64::new(0) }
    }

    /// The file named `hash`, while its photo has not been deleted since it was read.
    pub fn get(&self, freshness: &Freshness, hash: &str) -> Option<Arc<KeptFile>> {
        let table = self.table.read().unwrap_or_else(|e| e.into_inner());
        let entry = table.by_hash.get(hash)?;
        if !freshness.is_current(&entry.key, entry.epoch) {
            return None;
        }
        entry.last_used.store(self.tick(), Ordering::Relaxed);
        Some(entry.file.clone())
    }

    /// Keeps `file`, read in `epoch`, as one of photo `media_id`'s files.
    pub fn insert(&self, hash: &str, media_id: i64, file: Arc<KeptFile>, epoch: u64) {
        let size = file.bytes.len() + OVERHEAD;
        if size > self.max_bytes / 8 {
            return;
        }
        let key = [super::PageKey::Media(media_id).to_string()];
        let entry = Entry { file, key, epoch, last_used: AtomicU64::new(self.tick()) };
        let mut table = self.table.write().unwrap_or_else(|e| e.into_inner());
        if let Some(old) = table.by_hash.insert(hash.to_owned(), entry) {
            table.bytes -= old.file.bytes.len() + OVERHEAD;
        }
        table.bytes += size;
        if table.bytes > self.max_bytes {
            evict(&mut table, self.max_bytes - self.max_bytes / 10);
        }
    }

    /// Files and bytes held.
    pub fn usage(&self) -> (usize, usize) {
        let table = self.table.read().unwrap_or_else(|e| e.into_inner());
        (table.by_hash.len(), table.bytes)
    }

    fn tick(&self) -> u64 {
        self.clock.fetch_add(1, Ordering::Relaxed)
    }
}

/// Drops the least recently sent files until `target` bytes remain.
fn evict(table: &mut Table, target: usize) {
    let mut by_age: Vec<(u64, String)> =
        table.by_hash.iter().map(|(hash, e)| (e.last_used.load(Ordering::Relaxed), hash.clone())).collect();
    by_age.sort_unstable();
    for (_, hash) in by_age {
        if table.bytes <= target {
            break;
        }
        if let Some(old) = table.by_hash.remove(&hash) {
            table.bytes -= old.file.bytes.len() + OVERHEAD;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(size: usize) -> Arc<KeptFile> {
        Arc::new(KeptFile::new(Format::Webp, vec![7u8; size]))
    }

    #[tokio::test]
    async fn a_file_is_sent_until_its_photo_is_deleted_and_memory_stays_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::db::test_pool(dir.path(), "f.db").await;
        let freshness = Freshness::new(pool.clone());
        let epoch = freshness.epoch().await.unwrap();
        let files = Files::new(80_000);
        files.insert("a1", 1, file(9_000), epoch);
        files.insert("b2", 2, file(9_000), epoch);
        assert_eq!(files.get(&freshness, "a1").unwrap().bytes.len(), 9_000);

        // What deleting photo 1 does (migration `media_files_key`).
        crate::db::query("INSERT INTO page_keys (key, version, changed_ms) VALUES ('media:1', 1, 1)")
            .execute(&pool)
            .await
            .unwrap();
        freshness.read_now().await;
        assert!(files.get(&freshness, "a1").is_none(), "its photo was deleted");
        assert!(files.get(&freshness, "b2").is_some(), "another photo's file stays");

        files.insert("huge", 3, file(20_000), epoch);
        assert!(files.get(&freshness, "huge").is_none(), "over an eighth of the memory: not kept");
        let later = freshness.epoch().await.unwrap();
        for i in 0..20 {
            files.insert(&format!("f{i}"), 10 + i, file(9_000), later);
            // b2 is sent between every insert: it stays.
            assert!(files.get(&freshness, "b2").is_some(), "{i}");
        }
        let (count, bytes) = files.usage();
        assert!(bytes <= 80_000, "{bytes}");
        assert!(count >= 6, "{count}");
        assert!(files.get(&freshness, "f19").is_some(), "the newest stays");
        assert!(files.get(&freshness, "f0").is_none(), "the oldest went");
    }
}
