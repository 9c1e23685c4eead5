//! URL slugs: validated, and derived from headlines and topic names.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The longest slug we derive or accept; long enough for any headline worth linking to.
pub const MAX_SLUG_LEN: usize = 120;

/// A URL path segment of lowercase ASCII letters, digits and single hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    #[error("the slug is empty")]
    Empty,
    #[error("the slug is longer than {MAX_SLUG_LEN} characters")]
    TooLong,
    #[error("a slug may hold only lowercase letters a-z, digits and single hyphens between them")]
    InvalidCharacters,
}

impl Slug {
    /// Checks a slug given verbatim (front matter, URL).
    pub fn parse(raw: &str) -> Result<Self, SlugError> {
        if raw.is_empty() {
            return Err(SlugError::Empty);
        }
        if raw.len() > MAX_SLUG_LEN {
            return Err(SlugError::TooLong);
        }
        let valid_chars = raw.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid_chars || raw.starts_with('-') || raw.ends_with('-') || raw.contains("--") {
            return Err(SlugError::InvalidCharacters);
        }
        Ok(Self(raw.to_owned()))
    }

    /// Derives a slug from a headline or topic name. Other scripts are transliterated to
    /// Latin letters (so links stay readable when copied anywhere); accents are dropped and
    /// punctuation becomes a separator. Text with no letters or digits at all gives `None`.
    pub fn derive(text: &str) -> Option<Self> {
        let ascii = deunicode::deunicode_with_tofu(text, "-");
        let mut slug = String::with_capacity(ascii.len());
        for c in ascii.chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c.to_ascii_lowercase());
            } else if c == '\'' || c == '\u{2019}' {
                // "Reader's guide" reads better as "readers-guide" than "reader-s-guide".
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        }
        if slug.len() > MAX_SLUG_LEN {
            // Cut at a word boundary where there is one.
            let cut = slug[..MAX_SLUG_LEN].rfind('-').unwrap_or(MAX_SLUG_LEN);
            slug.truncate(cut);
        }
        while slug.ends_with('-') {
            slug.pop();
        }
        (!slug.is_empty()).then_some(Self(slug))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Slug {
    type Error = SlugError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Slug> for String {
    fn from(slug: Slug) -> Self {
        slug.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn derived(text: &str) -> String {
        Slug::derive(text).expect("a slug").to_string()
    }

    #[test]
    fn a_plain_headline_becomes_lowercase_words_joined_by_hyphens() {
        assert_eq!(derived("Council Votes on New Tram Line"), "council-votes-on-new-tram-line");
    }

    #[test]
    fn accents_are_dropped() {
        assert_eq!(derived("Café owners in Zürich über alles"), "cafe-owners-in-zurich-uber-alles");
    }

    #[test]
    fn punctuation_collapses_into_single_hyphens() {
        assert_eq!(derived("  Rates -- up?! (Again)... "), "rates-up-again");
        assert_eq!(derived("The mayor's “final” offer"), "the-mayors-final-offer");
    }

    #[test]
    fn non_latin_scripts_are_transliterated() {
        assert_eq!(derived("Київ готується до зими"), "kiyiv-gotuietsia-do-zimi");
        let greek = derived("Αθήνα");
        assert!(greek.starts_with("ath"), "{greek}");
        let chinese = derived("北京 新闻");
        assert!(!chinese.is_empty() && chinese.is_ascii(), "{chinese}");
    }

    #[test]
    fn text_without_letters_or_digits_has_no_slug() {
        assert_eq!(Slug::derive("?!... --"), None);
        assert_eq!(Slug::derive(""), None);
    }

    #[test]
    fn a_very_long_headline_is_cut_at_a_word_boundary() {
        let slug = derived(&"word ".repeat(100));
        assert!(slug.len() <= MAX_SLUG_LEN);
        assert!(slug.ends_with("word"));
    }

    #[test]
    fn parse_accepts_only_canonical_slugs() {
        assert!(Slug::parse("budget-2027").is_ok());
        assert_eq!(Slug::parse(""), Err(SlugError::Empty));
        assert_eq!(Slug::parse("Budget"), Err(SlugError::InvalidCharacters));
        assert_eq!(Slug::parse("a--b"), Err(SlugError::InvalidCharacters));
        assert_eq!(Slug::parse("-a"), Err(SlugError::InvalidCharacters));
        assert_eq!(Slug::parse("../etc"), Err(SlugError::InvalidCharacters));
        assert_eq!(Slug::parse(&"a".repeat(MAX_SLUG_LEN + 1)), Err(SlugError::TooLong));
    }
}
