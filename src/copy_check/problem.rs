//! What the copy check reports.

use std::ops::Range;

use crate::content::markdown::Field;

/// The kinds of problem, in the order one word's problems take precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    MixedScripts,
    SiteName,
    NameTwoWays,
    Spelling,
    DoubledWord,
    FigureStyle,
    Unbalanced,
    MixedQuotes,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::MixedScripts,
        Kind::SiteName,
        Kind::NameTwoWays,
        Kind::Spelling,
        Kind::DoubledWord,
        Kind::FigureStyle,
        Kind::Unbalanced,
        Kind::MixedQuotes,
    ];

    /// The stored name (ignored problems are kept by it).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::MixedScripts => "mixed-scripts",
            Kind::NameTwoWays => "name-two-ways",
            Kind::SiteName => "site-name",
            Kind::Spelling => "spelling",
            Kind::DoubledWord => "doubled-word",
            Kind::FigureStyle => "figure-style",
            Kind::Unbalanced => "unbalanced",
            Kind::MixedQuotes => "mixed-quotes",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::MixedScripts => "Mixed alphabets",
            Kind::NameTwoWays => "Spelled two ways in this story",
            Kind::SiteName => "Spelled differently elsewhere on the site",
            Kind::Spelling => "Possible misspelling",
            Kind::DoubledWord => "Doubled word",
            Kind::FigureStyle => "Figure written two ways",
            Kind::Unbalanced => "Unbalanced quote or bracket",
            Kind::MixedQuotes => "Straight and curly quotes mixed",
        }
    }

    /// Whether the flagged text is a word staff could add to the house dictionary.
    pub fn is_word(self) -> bool {
        matches!(self, Kind::Spelling | Kind::SiteName | Kind::NameTwoWays)
    }
}

/// One possible problem: where it is, why it was flagged, and replacements for the flagged
/// range (best first; may be empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: Kind,
    pub field: Field,
    /// Bytes of the field's source (the Markdown, for the body).
    pub range: Range<usize>,
    /// The flagged text, as in the source.
    pub text: String,
    pub reason: String,
    pub suggestions: Vec<String>,
}

impl Problem {
    /// Where the problem is as a line and column (both from 1, the column in characters) of
    /// `source`, the field's text.
    pub fn line_column(&self, source: &str) -> (usize, usize) {
        let before = &source[..self.range.start.min(source.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
        (line, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_by_name() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(Kind::parse("nope"), None);
    }

    #[test]
    fn line_and_column_count_characters() {
        let p = Problem {
            kind: Kind::Spelling,
            field: Field::Body,
            range: 10..15,
            text: "Garca".into(),
            reason: String::new(),
            suggestions: vec![],
        };
        assert_eq!(p.line_column("Été.\n\nA Garca"), (3, 3));
    }
}
