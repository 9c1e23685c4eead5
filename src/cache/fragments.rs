//! (ssr) Data a page is made from, kept between renders under the same keys as pages: an
//! article's text, rendered body, topics, related box, notices and first page of comments
//! are read and rendered once per change, so a page that must be rendered (a commenter's
//! own view, a page pushed out of memory, the page cache switched off) costs the render
//! alone.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::Freshness;

pub struct Fragments<T> {
    entries: Mutex<HashMap<String, Entry<T>>>,
    max_entries: usize,
}

struct Entry<T> {
    value: Arc<T>,
    keys: Vec<String>,
    epoch: u64,
}

impl<T> Fragments<T> {
    pub fn new(max_entries: usize) -> Self {
        Self { entries: Mutex::new(HashMap::new()), max_entries }
    }

    /// The value kept under `name`, while none of its keys has moved since it was read.
    pub fn get(&self, freshness: &Freshness, name: &str) -> Option<Arc<T>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let entry = entries.get(name)?;
        freshness.is_current(&entry.keys, entry.epoch).then(|| entry.value.clone())
    }

    /// Keeps `value`, read in `epoch`, as showing `keys`.
    pub fn insert(&self, name: String, value: Arc<T>, keys: Vec<String>, epoch: u64) {
        if self.max_entries == 0 {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        // Entries are small and cheap to read again: a full table starts afresh.
        if entries.len() >= self.max_entries && !entries.contains_key(&name) {
            entries.clear();
        }
        entries.insert(name, Entry { value, keys, epoch });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_fragment_lasts_until_its_keys_move_and_the_table_stays_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::db::test_pool(dir.path(), "f.db").await;
        let freshness = Freshness::new(pool.clone());
        let epoch = freshness.epoch().await.unwrap();
        let fragments = Fragments::new(2);
        fragments.insert("tram".into(), Arc::new(1), vec!["article:tram".into()], epoch);
        fragments.insert("budget".into(), Arc::new(2), vec!["article:budget".into()], epoch);
        assert_eq!(fragments.get(&freshness, "tram").as_deref(), Some(&1));
        crate::db::query("INSERT INTO page_keys (key, version, changed_ms) VALUES ('article:tram', 1, 1)")
            .execute(&pool)
            .await
            .unwrap();
        freshness.read_now().await;
        assert_eq!(fragments.get(&freshness, "tram"), None, "its key moved");
        assert_eq!(fragments.get(&freshness, "budget").as_deref(), Some(&2));
        fragments.insert("clinic".into(), Arc::new(3), vec![], epoch + 1);
        assert_eq!(fragments.get(&freshness, "budget"), None, "over the bound: started afresh");
        assert_eq!(fragments.get(&freshness, "clinic").as_deref(), Some(&3));
    }
}
