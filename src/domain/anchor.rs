//! Finding a reader's selection in an article's plain text.
//!
//! The plain text of an article is defined once: the NFC-normalised text of headline, dek and
//! body, in that order (see `content::markdown::article_plain_text`). Offsets are Unicode code
//! points into it. The browser reports what the reader selected and a little text around it;
//! whitespace differs between a rendered page and the source, so matching treats every run of
//! whitespace as one space, and maps the match back to exact offsets in the plain text.

use unicode_normalization::UnicodeNormalization;

/// Characters of context kept before and after a quote.
pub const CONTEXT_CHARS: usize = 32;
/// The longest selection a suggestion may quote, in characters.
pub const MAX_QUOTE_CHARS: usize = 500;

/// Where a quote sits in an article's plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// Code-point offsets into the plain text; `end` is exclusive.
    pub start: usize,
    pub end: usize,
    /// The exact text of the article at `start..end`.
    pub quote: String,
    /// Up to `CONTEXT_CHARS` characters before and after.
    pub prefix: String,
    pub suffix: String,
}

/// What a reader's selection looks like from the browser.
#[derive(Debug, Clone, Default)]
pub struct Selection<'a> {
    pub quote: &'a str,
    pub prefix: &'a str,
    pub suffix: &'a str,
    /// Where the browser thinks the quote starts, in UTF-16 code units; breaks ties only.
    pub hint_utf16: Option<usize>,
}

/// Finds the selection in `text`. Of several occurrences, the one whose surroundings best
/// match the given prefix and suffix wins; then the one nearest the hint; then the first.
pub fn locate(text: &str, selection: &Selection<'_>) -> Option<Anchor> {
    let chars: Vec<char> = text.chars().collect();
    let (haystack, positions) = collapse_whitespace(chars.iter().copied());
    let (needle, _) = collapse_whitespace(selection.quote.nfc());
    let needle = trim(&needle);
    if needle.is_empty() || needle.len() > haystack.len() {
        return None;
    }
    let (prefix, _) = collapse_whitespace(selection.prefix.nfc());
    let (suffix, _) = collapse_whitespace(selection.suffix.nfc());
    let hint = selection.hint_utf16.map(|h| utf16_to_char_offset(text, h));

    let mut best: Option<(usize, usize, usize)> = None; // (score, distance, index)
    for i in 0..=haystack.len() - needle.len() {
        if haystack[i..i + needle.len()] != *needle {
            continue;
        }
        let before = common_suffix_len(&haystack[..i], &prefix);
        let after = common_prefix_len(&haystack[i + needle.len()..], &suffix);
        let score = before + after;
        let distance = hint.map_or(0, |h| positions[i].abs_diff(h));
        let better = match best {
            None => true,
            Some((s, d, _)) => score > s || (score == s && distance < d),
        };
        if better {
            best = Some((score, distance, i));
        }
    }
    let (_, _, i) = best?;
    let start = positions[i];
    let end = positions[i + needle.len() - 1] + 1;
    Some(Anchor {
        start,
        end,
        quote: chars[start..end].iter().collect(),
        prefix: chars[start.saturating_sub(CONTEXT_CHARS)..start].iter().collect(),
        suffix: chars[end..(end + CONTEXT_CHARS).min(chars.len())].iter().collect(),
    })
}

/// Where a stored quote stands now in `text` (code points), after edits elsewhere may have
/// moved it: at `start` if it is still there, otherwise the occurrence whose surroundings
/// best match the stored `prefix` and `suffix`, if at least half of that context matches
/// (nearest the old place on a tie). `None`: the passage itself was changed.
pub fn relocate(text: &str, quote: &str, prefix: &str, suffix: &str, start: usize) -> Option<usize> {
    if quote.is_empty() {
        return None;
    }
    if still_holds(text, start, quote) {
        return Some(start);
    }
    let chars: Vec<char> = text.chars().collect();
    let (needle, prefix, suffix): (Vec<char>, Vec<char>, Vec<char>) =
        (quote.chars().collect(), prefix.chars().collect(), suffix.chars().collect());
    if needle.len() > chars.len() {
        return None;
    }
    let context = prefix.len() + suffix.len();
    let mut best: Option<(usize, usize, usize)> = None; // (score, distance, start)
    for at in (0..=chars.len() - needle.len()).filter(|&at| chars[at..at + needle.len()] == needle[..]) {
        let score = common_suffix_len(&chars[..at], &prefix) + common_prefix_len(&chars[at + needle.len()..], &suffix);
        let distance = at.abs_diff(start);
        if best.is_none_or(|(s, d, _)| score > s || (score == s && distance < d)) {
            best = Some((score, distance, at));
        }
    }
    best.filter(|(score, ..)| score * 2 >= context).map(|(.., at)| at)
}

/// How many times `quote` stands in `text`, whitespace runs counting as one space.
pub fn occurrences(text: &str, quote: &str) -> usize {
    let (haystack, _) = collapse_whitespace(text.chars());
    let (needle, _) = collapse_whitespace(quote.nfc());
    let needle = trim(&needle);
    if needle.is_empty() || needle.len() > haystack.len() {
        return 0;
    }
    haystack.windows(needle.len()).filter(|w| *w == needle).count()
}

/// Whether `anchor` still holds in `text`: the same quote at the same offsets.
pub fn still_holds(text: &str, anchor_start: usize, quote: &str) -> bool {
    let quote_len = quote.chars().count();
    text.chars().skip(anchor_start).take(quote_len).eq(quote.chars())
}

/// Converts a UTF-16 offset (what browsers count) into a code-point offset in `text`.
pub fn utf16_to_char_offset(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (index, c) in text.chars().enumerate() {
        if units >= utf16 {
            return index;
        }
        units += c.len_utf16();
    }
    text.chars().count()
}

/// Each run of whitespace becomes one space; `positions[k]` is the code-point offset in the
/// input of the k-th output character.
fn collapse_whitespace(input: impl Iterator<Item = char>) -> (Vec<char>, Vec<usize>) {
    let mut out = Vec::new();
    let mut positions = Vec::new();
    let mut in_space = false;
    for (index, c) in input.enumerate() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
                positions.push(index);
            }
            in_space = true;
        } else {
            out.push(c);
            positions.push(index);
            in_space = false;
        }
    }
    (out, positions)
}

fn trim(chars: &[char]) -> &[char] {
    let start = chars.iter().position(|c| *c != ' ').unwrap_or(chars.len());
    let end = chars.iter().rposition(|c| *c != ' ').map_or(start, |e| e + 1);
    &chars[start..end]
}

fn common_suffix_len(a: &[char], b: &[char]) -> usize {
    a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count()
}

fn common_prefix_len(a: &[char], b: &[char]) -> usize {
    a.iter().zip(b.iter()).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel<'a>(quote: &'a str, prefix: &'a str, suffix: &'a str) -> Selection<'a> {
        Selection { quote, prefix, suffix, hint_utf16: None }
    }

    #[test]
    fn a_quote_moved_by_an_edit_before_it_is_found_again_but_not_a_changed_one() {
        let before = "The fair opened in Shanghai. Traders came from afar.";
        let start = before.find("Traders came").unwrap();
        let (prefix, suffix) = ("in Shanghai. ", " from afar.");
        let moved = "The fair opened in Samarkand. Traders came from afar.";
        assert_eq!(relocate(moved, "Traders came", prefix, suffix, start), moved.find("Traders came"));
        assert_eq!(relocate(before, "Traders came", prefix, suffix, start), Some(start));
        let changed = "The fair opened in Samarkand. Merchants came from afar.";
        assert_eq!(relocate(changed, "Traders came", prefix, suffix, start), None);
        // The same words elsewhere, in other surroundings, are not the passage.
        let elsewhere = "Traders came late. Nobody else did, and the hall was empty.";
        assert_eq!(relocate(elsewhere, "Traders came", prefix, suffix, start), None);
    }

    #[test]
    fn occurrences_count_across_line_breaks() {
        let text = "The fund grew.\n\nThe fund\nshrank. Refund.";
        assert_eq!(occurrences(text, "The fund"), 2);
        assert_eq!(occurrences(text, "fund"), 3);
        assert_eq!(occurrences(text, " "), 0);
        assert_eq!(occurrences(text, "Samarkand"), 0);
    }

    #[test]
    fn a_unique_phrase_is_found_with_code_point_offsets_and_context() {
        let text = "Headline\n\nThe mayor spoke on Monday.";
        let a = locate(text, &sel("spoke", "", "")).unwrap();
        assert_eq!((a.start, a.end), (20, 25));
        assert_eq!(a.quote, "spoke");
        assert_eq!(a.prefix, "Headline\n\nThe mayor ");
        assert_eq!(a.suffix, " on Monday.");
    }

    #[test]
    fn prefix_and_suffix_decide_between_repeated_phrases() {
        let text = "The council met. Later the council voted. Then the council adjourned.";
        let a = locate(text, &sel("the council", "Later ", " voted")).unwrap();
        assert_eq!(a.start, 23);
        let b = locate(text, &sel("the council", "Then ", " adjourned")).unwrap();
        assert_eq!(b.start, 47);
        // Without context the first occurrence wins, unless a hint points elsewhere.
        assert_eq!(locate(text, &sel("the council", "", "")).unwrap().start, 23);
        let hinted = Selection { hint_utf16: Some(46), ..sel("the council", "", "") };
        assert_eq!(locate(text, &hinted).unwrap().start, 47);
    }

    #[test]
    fn a_selection_spanning_two_paragraphs_matches_despite_different_whitespace() {
        let text = "First paragraph ends here.\n\nSecond one starts here.";
        // Browsers report the paragraph break as a single newline, or as spaces.
        let a = locate(text, &sel("ends here.\nSecond one", "", "")).unwrap();
        assert_eq!(a.quote, "ends here.\n\nSecond one");
        let b = locate(text, &sel("ends here.   Second one", "", "")).unwrap();
        assert_eq!(b, a);
    }

    #[test]
    fn text_with_combining_accents_is_matched_after_nfc_normalisation() {
        let text = "Café owners in Zürich"; // precomposed, as stored
        let decomposed = "Cafe\u{301} owners";
        let a = locate(text, &sel(decomposed, "", "")).unwrap();
        assert_eq!(a.quote, "Café owners");
        assert_eq!((a.start, a.end), (0, 11));
    }

    #[test]
    fn cyrillic_and_emoji_offsets_are_code_points_not_utf16_units() {
        let text = "Привіт 👋🏽 світ — «мир»";
        let a = locate(text, &sel("світ", "", "")).unwrap();
        // 👋🏽 is two code points and four UTF-16 units.
        assert_eq!((a.start, a.end), (10, 14));
        assert_eq!(a.quote, "світ");
        let emoji = locate(text, &sel("👋🏽", "", "")).unwrap();
        assert_eq!((emoji.start, emoji.end), (7, 9));
        assert_eq!(utf16_to_char_offset(text, 12), 10);
        assert_eq!(locate(text, &sel("«мир»", "", "")).unwrap().quote, "«мир»");
    }

    #[test]
    fn a_quote_that_is_not_in_the_text_is_not_found() {
        assert_eq!(locate("The mayor spoke.", &sel("the governor", "", "")), None);
        assert_eq!(locate("The mayor spoke.", &sel("   ", "", "")), None);
        assert_eq!(locate("short", &sel("much longer than the text", "", "")), None);
    }

    #[test]
    fn an_anchor_still_holds_only_while_the_text_at_its_offsets_is_unchanged() {
        let text = "The mayor spoke on Monday.";
        assert!(still_holds(text, 10, "spoke"));
        assert!(!still_holds("The mayor talked on Monday.", 10, "spoke"));
    }
}
