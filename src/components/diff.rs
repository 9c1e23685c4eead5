//! (ssr) Word diffs as HTML: removed words struck through, added ones underlined.

use leptos::prelude::*;

use crate::domain::diff::Change;

/// Removed words struck through, added ones underlined; long unchanged runs shortened.
pub fn diff_view(changes: Vec<Change>) -> impl IntoView + use<> {
    changes
        .into_iter()
        .map(|change| match change {
            Change::Same(t) => view! { <span>{shorten(&t)}</span> }.into_any(),
            Change::Removed(t) => view! { <del>{t}</del> }.into_any(),
            Change::Added(t) => view! { <ins>{t}</ins> }.into_any(),
        })
        .collect_view()
}

/// Each changed field of a revision under its label, as a word diff.
pub fn field_diffs(fields: Vec<(&'static str, Vec<Change>)>) -> impl IntoView + use<> {
    fields
        .into_iter()
        .map(|(label, changes)| {
            view! {
                <div class="revision-field">
                    <h3>{label}</h3>
                    <p class="correction-diff revision-diff">{diff_view(changes)}</p>
                </div>
            }
        })
        .collect_view()
}

/// An unchanged stretch of more than 40 words keeps 12 at each end around an ellipsis.
fn shorten(text: &str) -> String {
    let words: Vec<&str> = text.split_inclusive(char::is_whitespace).collect();
    if words.len() <= 40 {
        return text.to_owned();
    }
    format!("{} … {}", words[..12].concat(), words[words.len() - 12..].concat())
}

#[cfg(test)]
mod tests {
    use super::shorten;

    #[test]
    fn long_unchanged_runs_are_shortened() {
        assert_eq!(shorten("a few words"), "a few words");
        let long = (0..100).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ");
        let short = shorten(&long);
        assert!(short.starts_with("w0 w1 ") && short.contains(" … ") && short.ends_with("w99"), "{short}");
        assert!(!short.contains("w50"));
    }
}
