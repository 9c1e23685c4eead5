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

/// The changes that turn `old` into `new`, word by word (longest common subsequence; words
/// compare without their trailing whitespace).
pub fn word_diff(old: &str, new: &str) -> Vec<Change> {
    let (a, b) = (tokens(old), tokens(new));
    let key = |t: &str| t.trim_end().to_owned();
    let (n, m) = (a.len(), b.len());
    // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if key(a[i]) == key(b[j]) { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let mut out: Vec<Change> = Vec::new();
    let push = |out: &mut Vec<Change>, change: Change| match (out.last_mut(), &change) {
        (Some(Change::Same(s)), Change::Same(t))
        | (Some(Change::Removed(s)), Change::Removed(t))
        | (Some(Change::Added(s)), Change::Added(t)) => s.push_str(t),
        _ => out.push(change),
    };
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && key(a[i]) == key(b[j]) {
            push(&mut out, Change::Same(b[j].to_owned()));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            push(&mut out, Change::Added(b[j].to_owned()));
            j += 1;
        } else {
            push(&mut out, Change::Removed(a[i].to_owned()));
            i += 1;
        }
    }
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
}
