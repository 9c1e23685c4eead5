//! Moderation word lists. A reader who writes "Crème" or "CREME" matches the entry "creme",
//! and an entry matches whole words only: "ass" does not match "class".

/// Case and accents folded away, by transliteration to ASCII: "García" and "GARCIA" are
/// "garcia". Word lists, search highlighting and the copy check's names all compare so.
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
}

/// Text as it is matched: folded, split into words of letters and digits.
pub fn words_of(text: &str) -> Vec<String> {
    fold(text).split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

/// The stored form of a list entry (words joined by single spaces); `None` when nothing
/// matchable is left.
pub fn normalise_entry(raw: &str) -> Option<String> {
    let words = words_of(raw);
    (!words.is_empty()).then(|| words.join(" "))
}

/// A list of words and phrases, each matched as a run of whole words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordList {
    entries: Vec<(String, Vec<String>)>,
}

impl WordList {
    pub fn new<S: AsRef<str>>(entries: impl IntoIterator<Item = S>) -> Self {
        let entries = entries
            .into_iter()
            .filter_map(|raw| normalise_entry(raw.as_ref()))
            .map(|entry| {
                let words = entry.split(' ').map(str::to_owned).collect();
                (entry, words)
            })
            .collect();
        Self { entries }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The first entry that occurs in `text`, as stored.
    pub fn find(&self, text: &str) -> Option<&str> {
        if self.entries.is_empty() {
            return None;
        }
        let words = words_of(text);
        self.entries
            .iter()
            .find(|(_, phrase)| words.windows(phrase.len()).any(|w| w == phrase.as_slice()))
            .map(|(entry, _)| entry.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_ignores_case_and_accents() {
        let list = WordList::new(["creme", "Ölfass"]);
        assert_eq!(list.find("The CRÈME of it"), Some("creme"));
        assert_eq!(list.find("ein olfass voll"), Some("olfass"));
        assert_eq!(list.find("nothing here"), None);
    }

    #[test]
    fn only_whole_words_match() {
        let list = WordList::new(["ass"]);
        assert_eq!(list.find("a first-class passage"), None);
        assert_eq!(list.find("what an ass."), Some("ass"));
        assert_eq!(list.find("ass-like"), Some("ass"));
    }

    #[test]
    fn phrases_match_as_runs_of_words() {
        let list = WordList::new(["buy  now!"]);
        assert_eq!(list.find("Please BUY\nnow, friends"), Some("buy now"));
        assert_eq!(list.find("buy it now"), None);
    }

    #[test]
    fn entries_are_stored_folded_and_empty_ones_dropped() {
        assert_eq!(normalise_entry("  Café  Society "), Some("cafe society".into()));
        assert_eq!(normalise_entry(" !? "), None);
        assert!(WordList::new(["", "--"]).is_empty());
        assert_eq!(WordList::default().find("anything"), None);
    }
}
