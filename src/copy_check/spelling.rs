//! Hunspell dictionaries (Debian's `hunspell-*` packages), loaded once per process and
//! language, and the spelling rule with its suggestions.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use spellbook::Dictionary;

use crate::domain::lang::Lang;

/// Where Debian installs Hunspell dictionaries.
pub const DEFAULT_DIR: &str = "/usr/share/hunspell";

/// A dictionary with the suggestions it has made, kept: Hunspell takes milliseconds per
/// suggestion, and the editor checks the same text again at every pause.
pub struct Speller {
    dictionary: Dictionary,
    suggestions: Mutex<HashMap<String, Vec<String>>>,
}

/// Suggestions kept per dictionary; past this the store starts afresh.
const MAX_KEPT_SUGGESTIONS: usize = 20_000;

impl Speller {
    pub fn new(dictionary: Dictionary) -> Self {
        Self { dictionary, suggestions: Mutex::new(HashMap::new()) }
    }

    /// Forgets the kept suggestions (the benchmark measures a first check with it).
    pub fn forget_suggestions(&self) {
        self.suggestions.lock().expect("suggestions lock").clear();
    }
}

/// The dictionaries of one folder, each read on first use and kept.
pub struct Dictionaries {
    dir: PathBuf,
    loaded: Mutex<HashMap<Lang, Option<Arc<Speller>>>>,
}

static SHARED: OnceLock<Dictionaries> = OnceLock::new();

/// The process's dictionaries; the first call may name the folder (default: Debian's),
/// later ones get the same.
pub fn dictionaries(dir: Option<&Path>) -> &'static Dictionaries {
    SHARED.get_or_init(|| Dictionaries::new(dir.unwrap_or(Path::new(DEFAULT_DIR))))
}

impl Dictionaries {
    pub fn new(dir: &Path) -> Self {
        Self { dir: dir.to_owned(), loaded: Mutex::new(HashMap::new()) }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file stem for `lang`: `en_GB` for `en-GB`; for a bare `en`, the first `en_*`.
    fn stem(&self, lang: &Lang) -> Option<String> {
        if let Some(region) = lang.region() {
            let stem = format!("{}_{region}", lang.primary());
            return self.dir.join(format!("{stem}.dic")).exists().then_some(stem);
        }
        let bare = lang.primary().to_owned();
        if self.dir.join(format!("{bare}.dic")).exists() {
            return Some(bare);
        }
        let mut stems: Vec<String> = std::fs::read_dir(&self.dir)
            .ok()?
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter_map(|name| name.strip_suffix(".dic").map(str::to_owned))
            .filter(|stem| stem.starts_with(&format!("{bare}_")))
            .collect();
        stems.sort();
        stems.into_iter().next()
    }

    /// The dictionary for `lang`, or `None` when this machine has none. Reading one takes a
    /// few hundred milliseconds: call from a blocking thread.
    pub fn get(&self, lang: &Lang) -> Option<Arc<Speller>> {
        if let Some(found) = self.loaded.lock().expect("dictionary lock").get(lang) {
            return found.clone();
        }
        let loaded = self.stem(lang).and_then(|stem| {
            let read = |ext: &str| std::fs::read_to_string(self.dir.join(format!("{stem}.{ext}")));
            let (aff, dic) = (read("aff").ok()?, read("dic").ok()?);
            // Some .aff files start with a byte order mark.
            match Dictionary::new(aff.trim_start_matches('\u{feff}'), &dic) {
                Ok(d) => Some(Arc::new(Speller::new(d))),
                Err(e) => {
                    tracing::warn!(dictionary = %stem, error = %e, "a Hunspell dictionary could not be read");
                    None
                }
            }
        });
        self.loaded.lock().expect("dictionary lock").entry(lang.clone()).or_insert(loaded).clone()
    }
}

/// Whether the dictionary knows `word` as written, or (for a possessive) its stem.
pub fn knows(speller: &Speller, word: &str) -> bool {
    let dictionary = &speller.dictionary;
    let word = word.replace('\u{2019}', "'");
    dictionary.check(&word)
        || word.strip_suffix("'s").or_else(|| word.strip_suffix('\'')).is_some_and(|stem| dictionary.check(stem))
}

/// The dictionary's suggestions, at most `limit`.
pub fn suggest(speller: &Speller, word: &str, limit: usize) -> Vec<String> {
    if let Some(kept) = speller.suggestions.lock().expect("suggestions lock").get(word) {
        return kept.iter().take(limit).cloned().collect();
    }
    let word_now = word.replace('\u{2019}', "'");
    let mut found = one_edit(&speller.dictionary, &word_now, limit);
    if found.is_empty() {
        speller.dictionary.suggest(&word_now, &mut found);
    }
    found.truncate(limit);
    let mut kept = speller.suggestions.lock().expect("suggestions lock");
    if kept.len() >= MAX_KEPT_SUGGESTIONS {
        kept.clear();
    }
    kept.insert(word.to_owned(), found.clone());
    found
}

/// Dictionary words one letter away (dropped, doubled, swapped, wrong or missing), which is
/// most typing slips: a few hundred lookups, where Hunspell's full search takes tens of
/// milliseconds a word. Swaps and wrong letters first, then missing, then extra ones.
fn one_edit(dictionary: &Dictionary, word: &str, limit: usize) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut letters: Vec<char> = ('a'..='z').collect();
    letters.extend(chars.iter().filter(|c| c.is_alphabetic() && !c.is_ascii()));
    let mut candidates: Vec<String> = Vec::new();
    let word_of = |cs: &[char]| cs.iter().collect::<String>();
    for i in 0..chars.len().saturating_sub(1) {
        let mut swapped = chars.clone();
        swapped.swap(i, i + 1);
        candidates.push(word_of(&swapped));
    }
    for i in 0..chars.len() {
        for &c in &letters {
            if c != chars[i] {
                let mut replaced = chars.clone();
                replaced[i] = c;
                candidates.push(word_of(&replaced));
            }
        }
    }
    for i in 0..=chars.len() {
        for &c in &letters {
            let mut inserted = chars.clone();
            inserted.insert(i, c);
            candidates.push(word_of(&inserted));
        }
    }
    for i in 0..chars.len() {
        let mut dropped = chars.clone();
        dropped.remove(i);
        candidates.push(word_of(&dropped));
    }
    let mut found: Vec<String> = Vec::new();
    for candidate in candidates {
        if found.len() == limit {
            break;
        }
        if candidate.chars().count() > 1 && !found.contains(&candidate) && dictionary.check(&candidate) {
            found.push(candidate);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_folder_or_language_has_no_dictionary() {
        let none = Dictionaries::new(Path::new("/nonexistent"));
        assert!(none.get(&Lang::parse("en-GB").unwrap()).is_none());
    }

    /// Debian's dictionaries, installed by `./dev.sh test`.
    #[test]
    fn debian_dictionaries_load_once_and_check() {
        let shared = Dictionaries::new(Path::new(DEFAULT_DIR));
        let Some(gb) = shared.get(&Lang::parse("en-GB").unwrap()) else {
            panic!("no en_GB dictionary in {DEFAULT_DIR}: apt install hunspell-en-gb");
        };
        assert!(knows(&gb, "kilometres"));
        assert!(knows(&gb, "council’s"));
        assert!(!knows(&gb, "recieve"));
        assert!(suggest(&gb, "recieve", 3).contains(&"receive".to_owned()));
        // Kept: asked again, the answer comes from the store.
        assert_eq!(
            gb.suggestions.lock().unwrap().get("recieve").map(|s| s.contains(&"receive".to_owned())),
            Some(true)
        );
        assert_eq!(suggest(&gb, "recieve", 1), ["receive"]);
        gb.forget_suggestions();
        assert!(gb.suggestions.lock().unwrap().is_empty());
        let again = shared.get(&Lang::parse("en-GB").unwrap()).unwrap();
        assert!(Arc::ptr_eq(&gb, &again));
        // A bare language finds a regional dictionary.
        assert!(shared.get(&Lang::parse("en").unwrap()).is_some());
        assert!(shared.get(&Lang::parse("xx").unwrap()).is_none());
    }
}
