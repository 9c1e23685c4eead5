//! Language tags (BCP 47, the `lang` attribute's values), as staff give them for the site
//! and per article.

use std::fmt;

/// A well-formed language tag, normalised as BCP 47 writes it: `en`, `en-GB`, `pt-BR`,
/// `sr-Latn`. Only the shape is checked (a primary language of 2–3 letters, then subtags
/// of 2–8 letters or digits), not the registry.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lang(String);

/// Longest tag accepted; real tags are far shorter.
const MAX_LEN: usize = 35;

impl Lang {
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim().replace('_', "-");
        if raw.is_empty() || raw.len() > MAX_LEN {
            return None;
        }
        let mut parts = raw.split('-');
        let primary = parts.next()?;
        if !(2..=3).contains(&primary.len()) || !primary.chars().all(|c| c.is_ascii_alphabetic()) {
            return None;
        }
        let mut out = primary.to_ascii_lowercase();
        for part in parts {
            if !(2..=8).contains(&part.len()) || !part.chars().all(|c| c.is_ascii_alphanumeric()) {
                return None;
            }
            out.push('-');
            // Regions upper case, scripts title case, the rest lower case.
            match part.len() {
                2 => out.push_str(&part.to_ascii_uppercase()),
                4 if part.chars().all(|c| c.is_ascii_alphabetic()) => {
                    out.push_str(&part[..1].to_ascii_uppercase());
                    out.push_str(&part[1..].to_ascii_lowercase());
                }
                _ => out.push_str(&part.to_ascii_lowercase()),
            }
        }
        Some(Self(out))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The primary language: `en` of `en-GB`.
    pub fn primary(&self) -> &str {
        self.0.split('-').next().unwrap_or(&self.0)
    }

    /// The region, when the tag names one: `GB` of `en-GB`.
    pub fn region(&self) -> Option<&str> {
        self.0.split('-').skip(1).find(|p| p.len() == 2)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The site's language when staff have not chosen one.
pub fn site_default() -> Lang {
    Lang("en-GB".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_normalised() {
        assert_eq!(Lang::parse("en_gb").unwrap().as_str(), "en-GB");
        assert_eq!(Lang::parse(" FR ").unwrap().as_str(), "fr");
        assert_eq!(Lang::parse("sr-latn-rs").unwrap().as_str(), "sr-Latn-RS");
        assert_eq!(Lang::parse("en-GB").unwrap().region(), Some("GB"));
        assert_eq!(Lang::parse("pt-BR").unwrap().primary(), "pt");
    }

    #[test]
    fn malformed_tags_are_refused() {
        for bad in ["", "e", "english", "en-", "en--GB", "en-G", "\"><script>", "en GB", "12"] {
            assert_eq!(Lang::parse(bad), None, "{bad:?}");
        }
    }
}
