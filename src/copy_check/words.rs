//! Words of a segment, with their places in the source.

use std::ops::Range;

/// A word: letters (any script) and digits, with apostrophes inside (`don't`, `council’s`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word<'a> {
    pub text: &'a str,
    pub range: Range<usize>,
    /// Contains a digit (`4th`, `A380`): never a spelling question.
    pub has_digit: bool,
    /// Part of a web address, an email address or a domain (`kellsbury.gov`).
    pub in_address: bool,
}

impl Word<'_> {
    /// Starts with a capital letter and is not all capitals: likely a name.
    pub fn is_capitalised(&self) -> bool {
        let mut chars = self.text.chars();
        chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase)
    }

    /// All capitals (`NHS`, `UN`): an acronym.
    pub fn is_acronym(&self) -> bool {
        self.text.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !self.text.chars().any(char::is_lowercase)
    }
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// Combining marks continue a word (a decomposed accent).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || ('\u{300}'..='\u{36f}').contains(&c)
}

/// The words of `source[range]`.
pub fn words(source: &str, range: Range<usize>) -> Vec<Word<'_>> {
    let text = &source[range.clone()];
    let mut out = Vec::new();
    for (chunk_start, chunk) in chunks(text) {
        let in_address = is_address(chunk);
        let chars: Vec<(usize, char)> = chunk.char_indices().collect();
        let mut i = 0;
        while i < chars.len() {
            if !is_word_char(chars[i].1) {
                i += 1;
                continue;
            }
            let start = i;
            while i < chars.len() {
                let c = chars[i].1;
                let inner_apostrophe =
                    is_apostrophe(c) && i > start && chars.get(i + 1).is_some_and(|&(_, n)| n.is_alphabetic());
                if !(is_word_char(c) || inner_apostrophe) {
                    break;
                }
                i += 1;
            }
            let from = chars[start].0;
            let to = chars.get(i).map_or(chunk.len(), |&(at, _)| at);
            let word = &chunk[from..to];
            let absolute = range.start + chunk_start + from..range.start + chunk_start + to;
            out.push(Word {
                text: &source[absolute.clone()],
                range: absolute,
                has_digit: word.chars().any(|c| c.is_numeric()),
                in_address,
            });
        }
    }
    out
}

/// Runs of `text` between whitespace, with their offsets.
fn chunks(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_whitespace().map(move |chunk| (chunk.as_ptr() as usize - text.as_ptr() as usize, chunk))
}

/// A web address, email address or domain name, by its shape.
fn is_address(chunk: &str) -> bool {
    let chunk = chunk.trim_matches(|c: char| !c.is_alphanumeric() && c != '/');
    if chunk.contains("://") || chunk.starts_with("www.") || chunk.contains('@') {
        return true;
    }
    // A dot or slash between letters: `kellsbury.gov`, `example.org/a`.
    let chars: Vec<char> = chunk.chars().collect();
    chars.windows(3).any(|w| (w[1] == '.' || w[1] == '/') && w[0].is_alphanumeric() && w[2].is_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        words(s, 0..s.len()).into_iter().map(|w| w.text).collect()
    }

    #[test]
    fn words_keep_inner_apostrophes_and_accents() {
        assert_eq!(
            texts("The council’s plan, don't. ‘Quoted’ García"),
            ["The", "council’s", "plan", "don't", "Quoted", "García"]
        );
        assert_eq!(texts("well-known (Sept.) e\u{301}te\u{301}"), ["well", "known", "Sept", "e\u{301}te\u{301}"]);
    }

    #[test]
    fn addresses_and_figures_are_marked() {
        let s = "Visit https://kellsbury.gov/plan or kellsbury.gov, mail a@b.org; 4th and A380 at 4.5%.";
        let got = words(s, 0..s.len());
        let flagged: Vec<_> = got.iter().filter(|w| w.in_address).map(|w| w.text).collect();
        assert_eq!(flagged, ["https", "kellsbury", "gov", "plan", "kellsbury", "gov", "a", "b", "org"]);
        let digits: Vec<_> = got.iter().filter(|w| w.has_digit).map(|w| w.text).collect();
        assert_eq!(digits, ["4th", "A380", "4", "5"]);
    }

    #[test]
    fn ranges_point_into_the_source() {
        let s = "xx Hello wörld";
        let got = words(s, 3..s.len());
        assert_eq!(&s[got[1].range.clone()], "wörld");
        assert!(got[0].is_capitalised());
        assert!(!got[1].is_capitalised());
    }
}
