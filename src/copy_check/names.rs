//! Names: every capitalised word the site has published (so a familiar name with a dropped
//! accent or letter is suggested back), and one name spelled two ways in a story.

use std::collections::{HashMap, HashSet};

use super::problem::{Kind, Problem};
use super::text::{Article, Segment, segments};
use super::words::{Word, words};

/// A name's spelling with accents and case folded away: "García" and "GARCIA" are "garcia".
pub use crate::domain::words::fold;

/// Shorter names are too often other words one letter apart ("Bath", "Both").
const MIN_NEIGHBOUR_LEN: usize = 4;

/// Whether two folded spellings are at most one insertion, deletion or substitution apart.
pub(super) fn one_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long.iter()).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        prefix == short.len() || short[prefix + 1..] == long[prefix + 1..]
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}

/// A name without a possessive `'s`.
fn bare(word: &str) -> std::borrow::Cow<'_, str> {
    match word.strip_suffix("'s").or_else(|| word.strip_suffix("\u{2019}s")) {
        Some(stem) => stem.into(),
        None => word.into(),
    }
}

/// The capitalised words of published stories, with the stories each appears in.
#[derive(Debug, Default)]
pub struct Lexicon {
    stories: HashMap<String, Vec<i64>>,
    /// Folded spellings and every one-letter deletion of them, to the names: finds the
    /// names one edit away without comparing against all (symmetric deletion).
    index: HashMap<String, Vec<String>>,
}

fn deletions(folded: &str) -> impl Iterator<Item = String> + '_ {
    let chars: Vec<char> = folded.chars().collect();
    (0..chars.len()).map(move |skip| chars.iter().enumerate().filter(|(i, _)| *i != skip).map(|(_, c)| c).collect())
}

impl Lexicon {
    /// From stories as `(id, headline, dek, body)`.
    pub fn build<'a>(stories: impl IntoIterator<Item = (i64, &'a str, Option<&'a str>, &'a str)>) -> Self {
        let mut lexicon = Lexicon::default();
        for (id, title, dek, body_md) in stories {
            let article = Article { title, dek, body_md };
            let mut seen = HashSet::new();
            for segment in segments(&article).iter().filter(|s| s.lang.is_none()) {
                for word in words(article.source(segment.field), segment.range.clone()) {
                    if word.is_capitalised() && !word.has_digit && !word.in_address && seen.insert(word.text) {
                        lexicon.add(word.text, id);
                    }
                }
            }
        }
        lexicon
    }

    fn add(&mut self, name: &str, story: i64) {
        let name = bare(name).into_owned();
        let stories = self.stories.entry(name.clone()).or_default();
        if stories.last() != Some(&story) {
            stories.push(story);
        }
        if stories.len() > 1 {
            return;
        }
        let folded = fold(&name);
        let keys: Vec<String> = std::iter::once(folded.clone()).chain(deletions(&folded)).collect();
        for key in keys {
            self.index.entry(key).or_default().push(name.clone());
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.stories.contains_key(&*bare(name))
    }

    /// In how many published stories other than `except` the name appears.
    pub fn stories(&self, name: &str, except: Option<i64>) -> usize {
        self.stories.get(&*bare(name)).map_or(0, |s| s.iter().filter(|&&id| Some(id) != except).count())
    }

    /// Published names spelled like `word` but for accents and case, then those one letter
    /// apart, each most published first.
    pub fn neighbours(&self, word: &str, except: Option<i64>) -> Vec<(&str, usize)> {
        let word = &*bare(word);
        let folded = fold(word);
        let mut found: Vec<(&str, usize, bool)> = Vec::new();
        let keys = std::iter::once(folded.clone()).chain(deletions(&folded));
        for key in keys {
            for name in self.index.get(&key).into_iter().flatten() {
                if name == word || found.iter().any(|(n, ..)| n == name) {
                    continue;
                }
                let name_folded = fold(name);
                let same = name_folded == folded;
                let near = folded.chars().count() >= MIN_NEIGHBOUR_LEN && one_apart(&name_folded, &folded);
                let count = self.stories(name, except);
                if (same || near) && count > 0 {
                    found.push((name, count, same));
                }
            }
        }
        found.sort_by(|a, b| b.2.cmp(&a.2).then(b.1.cmp(&a.1)).then(a.0.cmp(b.0)));
        found.into_iter().map(|(n, c, _)| (n, c)).collect()
    }

    pub fn len(&self) -> usize {
        self.stories.len()
    }

    pub fn is_empty(&self) -> bool {
        self.stories.is_empty()
    }
}

/// A name (capitalised, at least five letters) spelled two ways in the story, by accents or
/// by one letter: the fewer spelling is flagged with the more used one. `is_known` says
/// whether a spelling is a dictionary word: two real words a letter apart ("Mayor",
/// "Major") are not a misspelt name; two spellings apart only by accents always are.
pub fn two_ways(article: &Article, words: &[(&Segment, Word)], is_known: &dyn Fn(&str) -> bool) -> Vec<Problem> {
    let mut counts: Vec<(&str, usize, String)> = Vec::new();
    for (_, word) in words.iter().filter(|(_, w)| w.is_capitalised() && !w.has_digit && !w.in_address) {
        match counts.iter_mut().find(|(t, ..)| *t == word.text) {
            Some(entry) => entry.1 += 1,
            None => counts.push((word.text, 1, fold(word.text))),
        }
    }
    let mut better: HashMap<&str, &str> = HashMap::new();
    for (i, (a, a_count, a_fold)) in counts.iter().enumerate() {
        for (b, b_count, b_fold) in &counts[i + 1..] {
            let same = a_fold == b_fold;
            let near = a_fold.chars().count() >= 5 && one_apart(a_fold, b_fold) && !(is_known(a) && is_known(b));
            if !(same || near) {
                continue;
            }
            // The more used spelling wins; on a tie, a dictionary word, then the first written.
            let (worse, best) = if (b_count, is_known(b)) > (a_count, is_known(a)) { (*a, *b) } else { (*b, *a) };
            better.entry(worse).or_insert(best);
        }
    }
    let mut out = Vec::new();
    for (segment, word) in words {
        let Some(best) = better.get(word.text) else { continue };
        let (_, uses, _) = counts.iter().find(|(t, ..)| t == best).expect("counted above");
        let source = article.source(segment.field);
        out.push(Problem {
            kind: Kind::NameTwoWays,
            field: segment.field,
            range: word.range.clone(),
            text: source[word.range.clone()].to_owned(),
            reason: format!(
                "Spelled \u{201c}{best}\u{201d} {} in this story.",
                if *uses == 1 { "once".to_owned() } else { format!("{uses} times") }
            ),
            suggestions: vec![(*best).to_owned()],
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_apart() {
        assert!(one_apart("garca", "garcia"));
        assert!(one_apart("halvorson", "halvorsen"));
        assert!(one_apart("abc", "abc"));
        assert!(!one_apart("garcia", "gracia"));
        assert!(!one_apart("ga", "garcia"));
    }

    #[test]
    fn a_published_name_is_suggested_for_a_dropped_accent_or_letter() {
        let lexicon = Lexicon::build([
            (1, "García wins", None, "Mayor Ana García said so. García’s team agreed."),
            (2, "Second", None, "Ana García again, and Mr Garcia once."),
        ]);
        assert!(lexicon.contains("García"));
        assert_eq!(lexicon.stories("García", None), 2);
        assert_eq!(lexicon.stories("García’s", Some(1)), 1);
        assert_eq!(lexicon.neighbours("Garca", None), [("García", 2), ("Garcia", 1)]);
        assert_eq!(lexicon.neighbours("Garca", Some(2)), [("García", 1)]);
        // Accents only: first, whatever the counts.
        assert_eq!(lexicon.neighbours("GARCIA", None)[0], ("García", 2));
        assert!(lexicon.neighbours("Gar", None).is_empty());
    }

    #[test]
    fn a_name_written_two_ways_flags_the_fewer() {
        let body = "Ingrid Halvorsen spoke. Halvorsen left. Later Halvorson returned; Zoë and Zoe met.";
        let article = Article { title: "", dek: None, body_md: body };
        let segments = segments(&article);
        let found: Vec<_> =
            segments.iter().flat_map(|s| words(body, s.range.clone()).into_iter().map(move |w| (s, w))).collect();
        let got: Vec<_> = two_ways(&article, &found, &|_| false).into_iter().map(|p| (p.text, p.suggestions)).collect();
        assert_eq!(
            got,
            [("Halvorson".to_owned(), vec!["Halvorsen".to_owned()]), ("Zoe".to_owned(), vec!["Zoë".to_owned()])]
        );
        // Two dictionary words a letter apart are not one name.
        let article = Article { title: "", dek: None, body_md: "The Mayor and the Major." };
        let segments = super::segments(&article);
        let found: Vec<_> = segments
            .iter()
            .flat_map(|s| words(article.body_md, s.range.clone()).into_iter().map(move |w| (s, w)))
            .collect();
        assert!(two_ways(&article, &found, &|_| true).is_empty());
    }
}
