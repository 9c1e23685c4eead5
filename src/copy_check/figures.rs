//! A figure written two ways in one story: "4%" here, "12 percent" there.

use super::problem::{Kind, Problem};
use super::text::{Article, Segment};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Sign,
    Percent,
    PerCent,
}

impl Style {
    fn write(self, number: &str) -> String {
        match self {
            Style::Sign => format!("{number}%"),
            Style::Percent => format!("{number} percent"),
            Style::PerCent => format!("{number} per cent"),
        }
    }
}

struct Found<'s> {
    segment: &'s Segment,
    range: std::ops::Range<usize>,
    number: String,
    style: Style,
}

/// Percentages, each with its number and how it is written.
fn percentages<'s>(article: &Article, segments: &'s [Segment]) -> Vec<Found<'s>> {
    let mut out = Vec::new();
    for segment in segments {
        let text = &article.source(segment.field)[segment.range.clone()];
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let starts_number = bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric());
            if !starts_number {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_digit()
                    || ((bytes[i] == b'.' || bytes[i] == b',') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)))
            {
                i += 1;
            }
            let number = &text[start..i];
            let rest = &text[i..];
            let lower = rest.get(..10).unwrap_or(rest).to_ascii_lowercase();
            let (style, len) = if rest.starts_with('%') {
                (Style::Sign, 1)
            } else if lower.starts_with(" percent") && !rest[8..].starts_with(char::is_alphabetic) {
                (Style::Percent, 8)
            } else if lower.starts_with(" per cent") && !rest[9..].starts_with(char::is_alphabetic) {
                (Style::PerCent, 9)
            } else {
                continue;
            };
            let range = segment.range.start + start..segment.range.start + i + len;
            out.push(Found { segment, range, number: number.to_owned(), style });
            i += len;
        }
    }
    out
}

/// Every percentage written in a style other than the story's most used one.
pub fn mixed_styles(article: &Article, segments: &[Segment]) -> Vec<Problem> {
    let found = percentages(article, segments);
    let count = |style| found.iter().filter(|f| f.style == style).count();
    let styles = [Style::Sign, Style::Percent, Style::PerCent];
    // Ties go to the first used.
    let Some(main) = found
        .iter()
        .map(|f| f.style)
        .max_by_key(|&s| (count(s), std::cmp::Reverse(found.iter().position(|f| f.style == s).unwrap_or(usize::MAX))))
    else {
        return Vec::new();
    };
    if styles.iter().filter(|&&s| count(s) > 0).count() < 2 {
        return Vec::new();
    }
    found
        .into_iter()
        .filter(|f| f.style != main)
        .map(|f| Problem {
            kind: Kind::FigureStyle,
            field: f.segment.field,
            text: article.source(f.segment.field)[f.range.clone()].to_owned(),
            range: f.range,
            reason: format!("This story mostly writes percentages as \u{201c}{}\u{201d}.", main.write("N")),
            suggestions: vec![main.write(&f.number)],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::text::segments;
    use super::*;

    fn check(body: &str) -> Vec<(String, Vec<String>)> {
        let article = Article { title: "", dek: None, body_md: body };
        mixed_styles(&article, &segments(&article)).into_iter().map(|p| (p.text, p.suggestions)).collect()
    }

    #[test]
    fn the_fewer_style_is_flagged() {
        let got = check("Up 4% in May, 12 percent in June and 7.5 percent in July.");
        assert_eq!(got, [("4%".to_owned(), vec!["4 percent".to_owned()])]);
        let got = check("Turnout was 61 per cent.\n\nLast time: 58%.");
        assert_eq!(got, [("58%".to_owned(), vec!["58 per cent".to_owned()])]);
    }

    #[test]
    fn one_style_and_other_numbers_pass() {
        assert!(check("4% then 5% then 1,200 people and percentages.").is_empty());
        assert!(check("In 2026 some 40 percentage points, A4 paper.").is_empty());
    }
}
