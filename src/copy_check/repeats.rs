//! Doubled words: "the the".

use super::problem::{Kind, Problem};
use super::text::{Article, Segment};
use super::words::words;

/// Doubles that are grammatical ("had had", "that that").
const FINE_TWICE: &[&str] = &["had", "that", "is", "bye", "no", "very", "knock", "yada", "ha", "la"];

pub fn doubled(article: &Article, segments: &[Segment]) -> Vec<Problem> {
    let mut out = Vec::new();
    for segment in segments {
        let source = article.source(segment.field);
        let words = words(source, segment.range.clone());
        for pair in words.windows(2) {
            let (first, second) = (&pair[0], &pair[1]);
            let between = &source[first.range.end..second.range.start];
            let lower = first.text.to_lowercase();
            if between.is_empty()
                || !between.chars().all(char::is_whitespace)
                || lower != second.text.to_lowercase()
                || first.has_digit
                || first.in_address
                || FINE_TWICE.contains(&lower.as_str())
            {
                continue;
            }
            out.push(Problem {
                kind: Kind::DoubledWord,
                field: segment.field,
                range: first.range.start..second.range.end,
                text: source[first.range.start..second.range.end].to_owned(),
                reason: format!("\u{201c}{}\u{201d} twice in a row.", first.text),
                suggestions: vec![first.text.to_owned()],
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::text::segments;
    use super::*;

    fn check(body: &str) -> Vec<(String, Vec<String>)> {
        let article = Article { title: "", dek: None, body_md: body };
        doubled(&article, &segments(&article)).into_iter().map(|p| (p.text, p.suggestions)).collect()
    }

    #[test]
    fn a_doubled_word_is_found_across_a_line_break() {
        assert_eq!(check("Over the the bridge."), [("the the".to_owned(), vec!["the".to_owned()])]);
        assert_eq!(check("It was The\nthe end."), [("The\nthe".to_owned(), vec!["The".to_owned()])]);
    }

    #[test]
    fn grammatical_doubles_punctuation_and_numbers_pass() {
        assert!(check("She had had enough. Yes, yes. 10 10 and www.a.org www.a.org").is_empty());
    }
}
