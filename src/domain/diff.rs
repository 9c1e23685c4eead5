//! Word-level differences between a quoted passage and a reader's suggested text.

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

/// Above this many cells (words of the changed middle of one text times those of the other)
/// the middle is shown as replaced as a whole instead of compared word by word.
const MAX_CELLS: usize = 4_000_000;

/// The changes that turn `old` into `new`, word by word (longest common subsequence; words
/// compare without their trailing whitespace). Unchanged runs at both ends are set aside
/// first, so an edit in a long article costs in proportion to the edit.
pub fn word_diff(old: &str, new: &str) -> Vec<Change> {
    let (a, b) = (tokens(old), tokens(new));
    let same = |x: &str, y: &str| x.trim_end() == y.trim_end();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| same(x, y)).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| same(x, y)).count();
    let (a_mid, b_mid) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);

    let mut out: Vec<Change> = Vec::new();
    let push = |out: &mut Vec<Change>, change: Change| match (out.last_mut(), &change) {
        (Some(Change::Same(s)), Change::Same(t))
        | (Some(Change::Removed(s)), Change::Removed(t))
        | (Some(Change::Added(s)), Change::Added(t)) => s.push_str(t),
        _ => out.push(change),
    };
    for token in &b[..prefix] {
        push(&mut out, Change::Same((*token).to_owned()));
    }
    let (n, m) = (a_mid.len(), b_mid.len());
    if n.saturating_mul(m) > MAX_CELLS {
        push(&mut out, Change::Added(b_mid.concat()));
        push(&mut out, Change::Removed(a_mid.concat()));
    } else {
        // lcs[i][j]: length of the longest common subsequence of a_mid[i..] and b_mid[j..].
        let mut lcs = vec![vec![0u32; m + 1]; n + 1];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i][j] =
                    if same(a_mid[i], b_mid[j]) { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && same(a_mid[i], b_mid[j]) {
                push(&mut out, Change::Same(b_mid[j].to_owned()));
                i += 1;
                j += 1;
            } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
                push(&mut out, Change::Added(b_mid[j].to_owned()));
                j += 1;
            } else {
                push(&mut out, Change::Removed(a_mid[i].to_owned()));
                i += 1;
            }
        }
    }
    for token in &b[b.len() - suffix..] {
        push(&mut out, Change::Same((*token).to_owned()));
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
    fn a_small_edit_in_a_long_text_is_found_without_comparing_everything() {
        let old = "word ".repeat(5_000) + "middle " + &"tail ".repeat(5_000);
        let new = "word ".repeat(5_000) + "centre " + &"tail ".repeat(5_000);
        let changes = word_diff(&old, &new);
        assert_eq!(changes.len(), 4, "{:?}", &changes[1..3]);
        assert_eq!(changes[1], Added("centre ".into()));
        assert_eq!(changes[2], Removed("middle ".into()));
    }
}
