//! Quotes and brackets: unbalanced in a paragraph, or straight and curly mixed in a story.

use super::problem::{Kind, Problem};
use super::text::{Article, Segment};

const PAIRS: [(char, char); 4] = [('(', ')'), ('[', ']'), ('{', '}'), ('\u{201c}', '\u{201d}')];

fn problem(segment: &Segment, at: usize, c: char, reason: String, suggestions: Vec<String>, kind: Kind) -> Problem {
    Problem { kind, field: segment.field, range: at..at + c.len_utf8(), text: c.to_string(), reason, suggestions }
}

/// The characters of each block, with the segment each comes from.
fn blocks<'s>(article: &Article, segments: &'s [Segment]) -> Vec<Vec<(&'s Segment, usize, char)>> {
    let mut out: Vec<Vec<(&Segment, usize, char)>> = Vec::new();
    for (i, segment) in segments.iter().enumerate() {
        if i == 0 || segments[i - 1].block != segment.block {
            out.push(Vec::new());
        }
        let source = article.source(segment.field);
        let chars = source[segment.range.clone()].char_indices().map(|(at, c)| (segment, segment.range.start + at, c));
        out.last_mut().expect("pushed above").extend(chars);
    }
    out
}

/// Brackets and double quotes left open or closed twice in a paragraph. A quotation that
/// runs on into the next paragraph, which opens with a quote mark again, is newsroom style,
/// not a mistake.
pub fn unbalanced(article: &Article, segments: &[Segment]) -> Vec<Problem> {
    let blocks = blocks(article, segments);
    let mut out = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        let mut open: Vec<(&Segment, usize, char)> = Vec::new();
        let mut straight: Vec<(&Segment, usize, char)> = Vec::new();
        for &(segment, at, c) in block {
            if c == '"' {
                straight.push((segment, at, c));
            } else if PAIRS.iter().any(|(o, _)| *o == c) {
                open.push((segment, at, c));
            } else if let Some((o, _)) = PAIRS.iter().find(|(_, close)| *close == c) {
                match open.iter().rposition(|(_, _, opener)| opener == o) {
                    Some(found) => {
                        open.truncate(found);
                    }
                    None => out.push(problem(
                        segment,
                        at,
                        c,
                        format!("\u{201c}{c}\u{201d} closes nothing opened in this paragraph."),
                        vec![],
                        Kind::Unbalanced,
                    )),
                }
            }
        }
        let continues = blocks
            .get(i + 1)
            .and_then(|next| next.iter().find(|(_, _, c)| !c.is_whitespace()))
            .is_some_and(|(_, _, c)| *c == '\u{201c}' || *c == '"');
        for (segment, at, c) in open {
            if c == '\u{201c}' && continues {
                continue;
            }
            let close = PAIRS.iter().find(|(o, _)| *o == c).map_or(' ', |p| p.1);
            let reason = format!("\u{201c}{c}\u{201d} is not closed by \u{201c}{close}\u{201d} in this paragraph.");
            out.push(problem(segment, at, c, reason, vec![], Kind::Unbalanced));
        }
        if straight.len() % 2 == 1 && !continues {
            let (segment, at, c) = straight[straight.len() - 1];
            let reason = "An odd number of \" marks in this paragraph: one is not closed.".to_owned();
            out.push(problem(segment, at, c, reason, vec![], Kind::Unbalanced));
        }
    }
    out
}

/// Opens a quotation here: at the start, or after a space or an opening bracket.
fn opens(previous: Option<char>) -> bool {
    previous.is_none_or(|p| p.is_whitespace() || "([{\u{2014}\u{2013}-".contains(p))
}

/// Most flagged occurrences of one style per story: the first ones show the pattern.
const MAX_FLAGGED: usize = 20;

/// Straight quotes and apostrophes in a story that otherwise uses curly ones, or the
/// reverse: the fewer style is flagged, each with the other style's mark.
pub fn mixed_quotes(article: &Article, segments: &[Segment]) -> Vec<Problem> {
    let mut out = Vec::new();
    for (straight, curly) in [("\"", "\u{201c}\u{201d}"), ("'", "\u{2018}\u{2019}")] {
        let mut found_straight = Vec::new();
        let mut curly_count = 0usize;
        for segment in segments {
            let text = &article.source(segment.field)[segment.range.clone()];
            let mut previous = None;
            for (at, c) in text.char_indices() {
                if straight.contains(c) {
                    found_straight.push((segment, segment.range.start + at, c, opens(previous)));
                } else if curly.contains(c) {
                    curly_count += 1;
                }
                previous = Some(c);
            }
        }
        if found_straight.is_empty() || curly_count == 0 {
            continue;
        }
        let curly_chars: Vec<char> = curly.chars().collect();
        if found_straight.len() <= curly_count {
            for (segment, at, c, opening) in found_straight.into_iter().take(MAX_FLAGGED) {
                let fix = if opening { curly_chars[0] } else { curly_chars[1] };
                let reason = format!("A straight {c} in a story that uses curly quotes ({fix}).");
                out.push(problem(segment, at, c, reason, vec![fix.to_string()], Kind::MixedQuotes));
            }
        } else {
            let found_curly = segments.iter().flat_map(|segment| {
                let text = &article.source(segment.field)[segment.range.clone()];
                text.char_indices()
                    .filter(|(_, c)| curly.contains(*c))
                    .map(move |(at, c)| (segment, segment.range.start + at, c))
            });
            for (segment, at, c) in found_curly.take(MAX_FLAGGED) {
                let reason = format!("A curly {c} in a story that uses straight quotes ({straight}).");
                out.push(problem(segment, at, c, reason, vec![straight.to_owned()], Kind::MixedQuotes));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::text::segments;
    use super::*;

    fn check(body: &str, rule: fn(&Article, &[Segment]) -> Vec<Problem>) -> Vec<(String, Vec<String>)> {
        let article = Article { title: "", dek: None, body_md: body };
        rule(&article, &segments(&article)).into_iter().map(|p| (p.text, p.suggestions)).collect()
    }

    #[test]
    fn an_unclosed_bracket_or_quote_is_found() {
        assert_eq!(check("He said (quietly that.\n\nFine.", unbalanced), [("(".to_owned(), vec![])]);
        assert_eq!(check("A closing ) alone.", unbalanced).len(), 1);
        assert_eq!(check("\u{201c}Open and never closed.\n\nNext.", unbalanced).len(), 1);
        assert_eq!(check("She said \"yes and left.", unbalanced).len(), 1);
    }

    #[test]
    fn balanced_text_and_running_quotations_pass() {
        assert!(check("He (quietly) said \u{201c}yes [really]\u{201d} and \"no\".", unbalanced).is_empty());
        // A quotation over two paragraphs: the first is not closed, the second opens again.
        assert!(check("\u{201c}We will build it.\n\n\u{201c}And soon,\u{201d} she said.", unbalanced).is_empty());
        // Link brackets are Markdown, not text.
        assert!(check("See [the plan](https://example.org/(a)).", unbalanced).is_empty());
    }

    #[test]
    fn the_fewer_quote_style_is_flagged_with_the_other() {
        let got = check("\u{201c}One,\u{201d} she said. \u{201c}Two.\u{201d} And \"three\".", mixed_quotes);
        assert_eq!(
            got,
            [("\"".to_owned(), vec!["\u{201c}".to_owned()]), ("\"".to_owned(), vec!["\u{201d}".to_owned()])]
        );
        let got = check("It's Kellsbury's and the council's, not the mayor\u{2019}s.", mixed_quotes);
        assert_eq!(got, [("\u{2019}".to_owned(), vec!["'".to_owned()])]);
        assert!(check("\"All\" \"straight\" it's.", mixed_quotes).is_empty());
    }
}
