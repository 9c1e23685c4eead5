//! How a comment's text is shown: paragraphs, line breaks, and bare web addresses as links.

/// A body as it is shown: paragraphs at blank lines, each a list of lines.
pub fn paragraphs(text: &str) -> Vec<Vec<&str>> {
    text.split("\n\n").filter(|p| !p.trim().is_empty()).map(|p| p.trim_matches('\n').split('\n').collect()).collect()
}

/// A piece of a comment body: text, or a web address made into a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment<'a> {
    Text(&'a str),
    Link { text: &'a str, href: String },
}

/// Splits a body into text and bare web addresses (`http://`, `https://`, `www.`).
pub fn segments(text: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut rest_from = 0;
    let mut i = 0;
    while i < text.len() {
        if let Some(len) = link_at(text, i) {
            if rest_from < i {
                out.push(Segment::Text(&text[rest_from..i]));
            }
            let link = &text[i..i + len];
            let href = if link.starts_with("www.") { format!("https://{link}") } else { link.to_owned() };
            out.push(Segment::Link { text: link, href });
            i += len;
            rest_from = i;
        } else {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    if rest_from < text.len() {
        out.push(Segment::Text(&text[rest_from..]));
    }
    out
}

/// How many web addresses a body contains.
pub fn count_links(text: &str) -> usize {
    segments(text).iter().filter(|s| matches!(s, Segment::Link { .. })).count()
}

/// The byte length of a web address starting at `at`, if one does.
fn link_at(text: &str, at: usize) -> Option<usize> {
    let rest = &text[at..];
    let scheme = ["https://", "http://", "www."]
        .into_iter()
        .find(|s| rest.as_bytes().get(..s.len()).is_some_and(|p| p.eq_ignore_ascii_case(s.as_bytes())))?;
    // Only at the start of a word: "awww.example" is not an address.
    if text[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '/' || c == '.') {
        return None;
    }
    let end = rest.find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`')).unwrap_or(rest.len());
    let mut candidate = &rest[..end];
    // Sentence punctuation after an address is not part of it; a closing bracket is only
    // when the address opened one.
    loop {
        let trimmed = candidate.trim_end_matches(['.', ',', ';', ':', '!', '?', '\'', '*']);
        let trimmed = if trimmed.ends_with(')') && trimmed.matches('(').count() < trimmed.matches(')').count() {
            &trimmed[..trimmed.len() - 1]
        } else {
            trimmed
        };
        if trimmed.len() == candidate.len() {
            break;
        }
        candidate = trimmed;
    }
    let host = candidate.get(scheme.len()..).filter(|h| !h.is_empty())?;
    let host_name = host.split(['/', '?', '#']).next().unwrap_or("");
    let plausible = !host_name.is_empty() && (scheme != "www." || host_name.contains('.'));
    plausible.then_some(candidate.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_split_at_blank_lines_and_keep_line_breaks() {
        assert_eq!(super::paragraphs("one\ntwo\n\n\n\nthree\n\n  \n\n"), vec![vec!["one", "two"], vec!["three"]]);
        assert!(super::paragraphs("").is_empty());
    }

    fn links(text: &str) -> Vec<(&str, String)> {
        segments(text)
            .into_iter()
            .filter_map(|s| match s {
                Segment::Link { text, href } => Some((text, href)),
                Segment::Text(_) => None,
            })
            .collect()
    }

    #[test]
    fn bare_addresses_become_links() {
        assert_eq!(
            links("See https://example.org/a?b=1#c, and www.example.net."),
            [
                ("https://example.org/a?b=1#c", "https://example.org/a?b=1#c".into()),
                ("www.example.net", "https://www.example.net".into())
            ]
        );
        assert_eq!(links("(see http://example.org/x)"), [("http://example.org/x", "http://example.org/x".into())]);
        assert_eq!(
            links("http://en.example.org/wiki/Foo_(bar)!"),
            [("http://en.example.org/wiki/Foo_(bar)", "http://en.example.org/wiki/Foo_(bar)".into())]
        );
        assert_eq!(links("HTTPS://EXAMPLE.ORG"), [("HTTPS://EXAMPLE.ORG", "HTTPS://EXAMPLE.ORG".into())]);
    }

    #[test]
    fn things_that_are_not_addresses_stay_text() {
        for text in [
            "javascript:alert(1)",
            "http://",
            "www.",
            "awww.example.org",
            "mailto:a@b.org",
            "wwwexample",
            "data:text/html,x",
        ] {
            assert!(links(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn segments_cover_the_whole_text_in_order() {
        let text = "a www.example.org b https://x.example c 👋";
        let joined: String = segments(text)
            .into_iter()
            .map(|s| match s {
                Segment::Text(t) | Segment::Link { text: t, .. } => t,
            })
            .collect();
        assert_eq!(joined, text);
        assert_eq!(count_links(text), 2);
    }

    #[test]
    fn links_in_quotes_and_markup_stop_at_the_quote() {
        assert_eq!(
            links("<a href=\"http://evil.example\">x</a>"),
            [("http://evil.example", "http://evil.example".into())]
        );
    }
}
