//! What a reader typed into the search box, parsed once into plain words, and the snippet
//! a result shows with those words marked.
//!
//! The words are runs of letters and digits: quotes, operators and brackets in the query
//! are never search syntax (`" OR 1=1 --` looks for "OR", "1" and "1"), so no query can
//! fail to parse or reach the index as anything but words.

use serde::{Deserialize, Serialize};

use super::words::fold;

/// Longest query read; the rest is ignored.
pub const MAX_QUERY_CHARS: usize = 200;
/// Words looked for at most; later ones are ignored.
pub const MAX_TERMS: usize = 12;
/// Longest word looked for (longer runs are cut).
const MAX_TERM_CHARS: usize = 40;
/// Words of context a snippet shows around the first match.
const SNIPPET_WORDS: usize = 30;

/// A query of at least one word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// The text as typed (trimmed and cut to [`MAX_QUERY_CHARS`]), shown back in the box.
    text: String,
    terms: Vec<String>,
}

impl SearchQuery {
    /// `None` when there is no word to look for.
    pub fn parse(raw: &str) -> Option<Self> {
        let text: String = raw.trim().chars().take(MAX_QUERY_CHARS).collect();
        let mut terms: Vec<String> = Vec::new();
        for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            let term: String = word.chars().take(MAX_TERM_CHARS).collect();
            if !terms.contains(&term) {
                terms.push(term);
            }
            if terms.len() == MAX_TERMS {
                break;
            }
        }
        (!terms.is_empty()).then_some(Self { text, terms })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn terms(&self) -> &[String] {
        &self.terms
    }

    /// An FTS5 query: every word quoted (so none is an operator), all required; with
    /// `prefix`, the last word also matches longer words (the staff list's "as you type").
    pub fn fts5(&self, prefix: bool) -> String {
        self.joined('"', if prefix { "*" } else { "" }, " ")
    }

    /// A PostgreSQL `to_tsquery` text: each word quoted, joined by `&`, the last with `:*`
    /// when `prefix`. Quoted, a word stays one operand whatever `unaccent` makes of it
    /// ("½" becomes "1/2"), so this parses for any input.
    pub fn tsquery(&self, prefix: bool) -> String {
        self.joined('\'', if prefix { ":*" } else { "" }, " & ")
    }

    /// The words, each in `quote`s (none inside), joined by `separator`, the last followed
    /// by `last_suffix`.
    fn joined(&self, quote: char, last_suffix: &str, separator: &str) -> String {
        let mut out = String::new();
        for (i, term) in self.terms.iter().enumerate() {
            if i > 0 {
                out.push_str(separator);
            }
            out.push(quote);
            out.extend(term.chars().filter(|&c| c != quote));
            out.push(quote);
        }
        out.push_str(last_suffix);
        out
    }

    /// Whether `word` (of the text shown) is one the query looks for: case and accents
    /// folded, and word forms matched as the index does, roughly (a shared stem of at
    /// least four letters: "elections" for "election").
    pub fn matches(&self, word: &str) -> bool {
        let word = fold(word);
        self.terms.iter().map(|t| fold(t)).any(|term| {
            if word == term || word.strip_prefix(term.as_str()).is_some_and(|rest| rest == "s" || rest == "es") {
                return true;
            }
            let common = word.chars().zip(term.chars()).take_while(|(a, b)| a == b).count();
            let shorter = word.chars().count().min(term.chars().count());
            shorter >= 4 && common >= shorter.saturating_sub(2).max(4) && common * 4 >= shorter * 3
        })
    }

    /// Up to [`SNIPPET_WORDS`] words of `text` around its first matching word, matches
    /// marked; the start of the text when nothing matches (the word was in the headline).
    pub fn snippet(&self, text: &str) -> Vec<Piece> {
        let words: Vec<(usize, usize)> = word_spans(text);
        if words.is_empty() {
            return Vec::new();
        }
        let first = words.iter().position(|&(s, e)| self.matches(&text[s..e])).unwrap_or(0);
        let start_word = first.saturating_sub(SNIPPET_WORDS / 3);
        let end_word = (start_word + SNIPPET_WORDS).min(words.len());
        // The whole text's ends when the snippet reaches them (a closing full stop kept).
        let from = if start_word == 0 { 0 } else { words[start_word].0 };
        let to = if end_word == words.len() { text.len() } else { words[end_word - 1].1 };
        let mut pieces = Vec::new();
        if start_word > 0 {
            pieces.push(Piece::text("…"));
        }
        let mut at = from;
        for &(s, e) in &words[start_word..end_word] {
            if self.matches(&text[s..e]) {
                if s > at {
                    pieces.push(Piece::text(squash(&text[at..s])));
                }
                pieces.push(Piece { text: text[s..e].to_owned(), hit: true });
                at = e;
            }
        }
        if to > at {
            pieces.push(Piece::text(squash(&text[at..to])));
        }
        if let Some(last) = pieces.last_mut().filter(|p| !p.hit) {
            last.text.truncate(last.text.trim_end().len());
        }
        if let Some(first) = pieces.first_mut().filter(|p| !p.hit) {
            first.text = first.text.trim_start().to_owned();
        }
        pieces.retain(|p| !p.text.is_empty());
        if end_word < words.len() {
            pieces.push(Piece::text("…"));
        }
        pieces
    }
}

/// One page of a reader's search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    /// What was searched for, as typed.
    pub query: String,
    pub hits: Vec<SearchHit>,
    pub page: u32,
    pub has_next: bool,
}

/// A published article that matched, with the words around the match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    pub article: super::article::ArticleSummary,
    pub snippet: Vec<Piece>,
}

/// A stretch of a snippet: plain, or a word the reader looked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    pub text: String,
    pub hit: bool,
}

impl Piece {
    fn text(text: impl Into<String>) -> Self {
        Self { text: text.into(), hit: false }
    }
}

/// Byte ranges of the words of `text` (runs of letters and digits).
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

/// Paragraph breaks and runs of spaces as one space: a snippet is one line.
fn squash(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    if space {
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(raw: &str) -> SearchQuery {
        SearchQuery::parse(raw).unwrap()
    }

    #[test]
    fn queries_are_plain_words_whatever_is_typed() {
        assert_eq!(SearchQuery::parse("   "), None);
        assert_eq!(SearchQuery::parse("\" -- () *"), None);
        assert_eq!(q("\" OR 1=1 --").terms(), ["OR", "1"]);
        assert_eq!(q("\" OR 1=1 --").fts5(false), "\"OR\" \"1\"");
        assert_eq!(q("NEAR(tram line)").fts5(true), "\"NEAR\" \"tram\" \"line\"*");
        assert_eq!(q("García's budget").tsquery(false), "'García' & 's' & 'budget'");
        assert_eq!(q("tram lin").tsquery(true), "'tram' & 'lin':*");
        let long = "word ".repeat(30) + "x";
        assert_eq!(q(&long).terms().len(), 2, "repeated words are looked for once");
        let many: String = (0..30).map(|i| format!("w{i} ")).collect();
        assert_eq!(q(&many).terms().len(), MAX_TERMS);
        assert_eq!(q(&"y".repeat(500)).terms()[0].chars().count(), MAX_TERM_CHARS);
        assert_eq!(q(&"y".repeat(500)).text().chars().count(), MAX_QUERY_CHARS);
    }

    #[test]
    fn matching_folds_case_accents_and_word_forms() {
        let query = q("garcia election");
        assert!(query.matches("García"));
        assert!(query.matches("GARCIA"));
        assert!(query.matches("elections"));
        assert!(query.matches("Election"));
        assert!(!query.matches("electric"), "too far from the word looked for");
        assert!(!query.matches("gas"));
        assert!(q("tram").matches("trams"));
        assert!(q("cat").matches("cats"));
        assert!(!q("cat").matches("catch"), "short words match only their plurals");
    }

    #[test]
    fn snippets_centre_on_the_first_match_and_mark_every_match() {
        let text = format!(
            "{} The council met. García spoke about the budget, and García left.\n\nMore.",
            "Lead word. ".repeat(20)
        );
        let pieces = q("garcia").snippet(&text);
        assert_eq!(pieces.first().unwrap().text, "…", "cut before");
        let hits: Vec<&str> = pieces.iter().filter(|p| p.hit).map(|p| p.text.as_str()).collect();
        assert_eq!(hits, ["García", "García"]);
        let joined: String = pieces.iter().map(|p| p.text.as_str()).collect();
        assert!(joined.contains("The council met. García spoke about the budget, and García left. More."), "{joined}");
        assert!(!joined.contains('\n'));
    }

    #[test]
    fn a_snippet_without_a_match_is_the_start() {
        let pieces = q("headline").snippet("Body text only.");
        assert_eq!(pieces, [Piece::text("Body text only.")]);
        assert!(q("x").snippet("").is_empty());
    }
}
