//! (ssr) Word-level differences between a quoted passage and a reader's suggested text, or
//! between two revisions of an article.

use std::time::{Duration, Instant};

/// A run of words that stayed, went, or came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Same(String),
    Removed(String),
    Added(String),
}

/// Words with the whitespace that follows them, so joining the pieces gives the text back.
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_space = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            in_space = true;
        } else if in_space {
            out.push(&text[start..i]);
            start = i;
            in_space = false;
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// How long one diff may take before the rest of it is shown as replaced as a whole.
const DEADLINE: Duration = Duration::from_millis(200);

/// The changes that turn `old` into `new`, word by word (Myers' algorithm, from the
/// `similar` crate, with a deadline; words compare without their trailing whitespace).
/// Where a run is replaced, what came is listed before what went.
pub fn word_diff(old: &str, new: &str) -> Vec<Change> {
    let (a, b) = (tokens(old), tokens(new));
    let (a_words, b_words): (Vec<&str>, Vec<&str>) =
        (a.iter().map(|t| t.trim_end()).collect(), b.iter().map(|t| t.trim_end()).collect());
    let ops = similar::capture_diff_slices_deadline(
        similar::Algorithm::Myers,
        &a_words,
        &b_words,
        Some(Instant::now() + DEADLINE),
    );
    let mut out: Vec<Change> = Vec::new();
    let push = |out: &mut Vec<Change>, change: Change| match (out.last_mut(), &change) {
        (Some(Change::Same(s)), Change::Same(t))
        | (Some(Change::Removed(s)), Change::Removed(t))
        | (Some(Change::Added(s)), Change::Added(t)) => s.push_str(t),
        _ => out.push(change),
    };
    for op in ops {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        let (went, came) = (a[old_range].concat(), b[new_range].concat());
        match tag {
            similar::DiffTag::Equal => push(&mut out, Change::Same(came)),
            similar::DiffTag::Insert => push(&mut out, Change::Added(came)),
            similar::DiffTag::Delete => push(&mut out, Change::Removed(went)),
            similar::DiffTag::Replace => {
                push(&mut out, Change::Added(came));
                push(&mut out, Change::Removed(went));
            }
        }
    }
    // A removal straight before an addition reads as a replacement: what came first.
    for i in 1..out.len() {
        if matches!((&out[i - 1], &out[i]), (Change::Removed(_), Change::Added(_))) {
            out.swap(i - 1, i);
        }
    }
    out.retain(|c| !matches!(c, Change::Same(t) | Change::Added(t) | Change::Removed(t) if t.is_empty()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Change::*;

    #[test]
    fn a_changed_word_is_removed_and_added() {
        assert_eq!(
            word_diff("the diffrence is small", "the difference is small"),
            [Same("the ".into()), Added("difference ".into()), Removed("diffrence ".into()), Same("is small".into())]
        );
    }

    #[test]
    fn identical_and_empty_texts() {
        assert_eq!(word_diff("same words", "same words"), [Same("same words".into())]);
        assert_eq!(word_diff("", "new"), [Added("new".into())]);
        assert_eq!(word_diff("old", ""), [Removed("old".into())]);
        assert!(word_diff("", "").is_empty());
    }

    #[test]
    fn the_new_text_is_what_stays_and_comes() {
        let (old, new) = ("Mayor Ingrid Halvorson said", "Mayor Ingrid Halvorsen said on Monday");
        let rebuilt: String = word_diff(old, new)
            .into_iter()
            .filter_map(|c| match c {
                Same(t) | Added(t) => Some(t),
                Removed(_) => None,
            })
            .collect();
        assert_eq!(rebuilt, new);
    }

    #[test]
    fn two_long_unrelated_texts_are_diffed_in_bounded_time() {
        let old: String = (0..20_000).map(|i| format!("a{i} ")).collect();
        let new: String = (0..20_000).map(|i| format!("b{i} ")).collect();
        let started = Instant::now();
        let changes = word_diff(&old, &new);
        assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
        assert_eq!(changes, [Added(new.clone()), Removed(old.clone())]);
    }

    #[test]
    fn a_small_edit_in_a_long_text_is_found_without_comparing_everything() {
        let old = "word ".repeat(5_000) + "middle " + &"tail ".repeat(5_000);
        let new = "word ".repeat(5_000) + "centre " + &"tail ".repeat(5_000);
        let changes = word_diff(&old, &new);
        assert_eq!(changes.len(), 4, "{:?}", &changes[1..3]);
        assert_eq!(changes[1], Added("centre ".into()));
        assert_eq!(changes[2], Removed("middle ".into()));
    }
}
