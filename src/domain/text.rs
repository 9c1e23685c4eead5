//! Rules for text that readers type, shared by every form.

use serde::{Deserialize, Serialize};

pub const MAX_EMAIL_CHARS: usize = 254;

/// A problem with one field, in words for the reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Browsers send `\r\n` in form fields; store one kind of line break.
pub fn normalise_newlines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Control characters other than line breaks and tabs have no place in reader text.
pub fn has_control_chars(text: &str) -> bool {
    text.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
}

/// Escapes text for an element's content, for the few places where Leptos 0.8 writes text
/// into the server's HTML without escaping it (`<title>`, `<textarea>`), and for mail.
pub fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Escapes text for an attribute value (either quote) in HTML written by hand.
pub fn escape_attr(text: &str) -> String {
    escape_text(text).replace('"', "&quot;").replace('\'', "&#39;")
}

/// A deliberately loose check: one `@`, something before it, a dotted domain after it, no
/// spaces. Whether the address works is only known by writing to it.
pub fn is_plausible_email(email: &str) -> bool {
    if email.len() > MAX_EMAIL_CHARS || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let Some((local, domain)) = email.split_once('@') else { return false };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

/// Text as one URL query value or path: unreserved characters and `/` kept, the rest
/// percent-encoded.
pub fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A count as people write it in English: `5000` as "5,000".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(thousands(80), "80");
        assert_eq!(thousands(5_000), "5,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn a_bad_email_is_rejected_and_an_empty_one_allowed() {
        for bad in ["no-at-sign", "a@b", "a b@example.org", "@example.org", "a@example..org", "a@@example.org"] {
            assert!(!is_plausible_email(bad), "{bad}");
        }
        assert!(is_plausible_email("name.surname+tag@news.example.co.uk"));
    }

    #[test]
    fn line_breaks_are_normalised_and_control_characters_found() {
        assert_eq!(normalise_newlines("a\r\nb\rc"), "a\nb\nc");
        assert!(has_control_chars("a\u{7}b"));
        assert!(!has_control_chars("a\n\tb"));
    }
}
