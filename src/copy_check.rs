//! (ssr) The copy check: the mistakes readers would report, found before they read them.
//! Mixed alphabets inside a word, likely misspellings (Hunspell dictionaries, the house
//! dictionary and every name the site has published), a name spelled two ways, doubled
//! words, unbalanced quotes and brackets, straight and curly quotes mixed, and a figure
//! written two ways. It advises and never blocks: staff decide.

mod figures;
mod names;
mod problem;
mod punctuation;
mod repeats;
mod scripts;
pub mod spelling;
mod text;
mod words;

use std::collections::{HashMap, HashSet};

pub use names::{Lexicon, fold};
pub use problem::{Kind, Problem};
pub use text::Article;

use crate::content::markdown::Field;

/// Suggestions shown per problem.
const MAX_SUGGESTIONS: usize = 4;

/// What a check knows besides the text.
pub struct Context<'a> {
    /// The story's language's dictionary; `None`: spelling is not checked.
    pub dictionary: Option<&'a spelling::Speller>,
    /// Words staff have added: names, places, terms, as written.
    pub house: &'a HashSet<String>,
    /// Names the site has published.
    pub lexicon: &'a Lexicon,
    /// The story checked, when it is stored: its own words do not count as published.
    pub story: Option<i64>,
}

impl Context<'_> {
    fn in_house(&self, word: &str) -> bool {
        let word = word.replace('\u{2019}', "'");
        let stem = word.strip_suffix("'s").unwrap_or(&word);
        [word.as_str(), stem].iter().any(|w| {
            self.house.contains(*w)
                // A lower-case entry ("heatwave") allows the word capitalised too.
                || self.house.contains(&w.to_lowercase()) && w.chars().skip(1).all(|c| !c.is_uppercase())
        })
    }

    /// House words spelled like `word` but for accents or one letter.
    fn house_neighbours(&self, word: &str) -> Vec<String> {
        let folded = fold(word);
        let mut found: Vec<&String> = self
            .house
            .iter()
            .filter(|h| {
                let h = fold(h);
                h == folded || (folded.chars().count() >= 4 && names::one_apart(&h, &folded))
            })
            .collect();
        found.sort();
        found.into_iter().cloned().collect()
    }
}

fn field_order(field: Field) -> u8 {
    match field {
        Field::Title => 0,
        Field::Dek => 1,
        Field::Body => 2,
    }
}

/// Every possible problem in the article, in reading order.
pub fn check(article: &Article, context: &Context) -> Vec<Problem> {
    let segments = text::segments(article);
    // Text marked as another language is not spelled against this one's dictionary.
    let own: Vec<&text::Segment> = segments.iter().filter(|s| s.lang.is_none()).collect();
    let words: Vec<(&text::Segment, words::Word)> = own
        .iter()
        .flat_map(|s| words::words(article.source(s.field), s.range.clone()).into_iter().map(move |w| (*s, w)))
        .collect();

    // Each distinct word is looked up once.
    let mut known_words: HashMap<&str, bool> = HashMap::new();
    for (_, word) in &words {
        known_words.entry(word.text).or_insert_with(|| {
            context.in_house(word.text) || context.dictionary.is_none_or(|d| spelling::knows(d, word.text))
        });
    }
    let is_known = |word: &str| known_words.get(word).copied().unwrap_or(true);

    let mut out = Vec::new();
    let mut suggestions_cache: HashMap<&str, Vec<String>> = HashMap::new();
    for (segment, word) in &words {
        let problem = |kind, reason: String, suggestions: Vec<String>| Problem {
            kind,
            field: segment.field,
            range: word.range.clone(),
            text: word.text.to_owned(),
            reason,
            suggestions,
        };
        if let Some((reason, fixed)) = scripts::mixed(word.text) {
            out.push(problem(Kind::MixedScripts, reason, fixed.into_iter().collect()));
            continue;
        }
        if word.has_digit
            || word.in_address
            || word.is_acronym()
            || word.text.chars().count() < 2
            || !scripts::is_latin(word.text)
        {
            continue;
        }
        let known = is_known(word.text);
        if word.is_capitalised() {
            let own_count = context.lexicon.stories(word.text, context.story);
            let better = context.lexicon.neighbours(word.text, context.story).into_iter().find(|(name, count)| {
                *count > own_count && (!known || fold(name) == fold(word.text)) && !context.in_house(word.text)
            });
            if let Some((name, count)) = better {
                let reason = format!(
                    "Spelled \u{201c}{name}\u{201d} in {count} other published {}.",
                    if count == 1 { "story" } else { "stories" }
                );
                out.push(problem(Kind::SiteName, reason, vec![name.to_owned()]));
                continue;
            }
            if known || own_count > 0 {
                continue;
            }
        } else if known {
            continue;
        }
        let suggestions = suggestions_cache
            .entry(word.text)
            .or_insert_with(|| {
                let mut found: Vec<String> = context
                    .lexicon
                    .neighbours(word.text, context.story)
                    .into_iter()
                    .map(|(n, _)| n.to_owned())
                    .collect();
                found.extend(context.house_neighbours(word.text));
                // Hunspell's suggestions for names are other words, and slow: only for
                // lower-case words.
                if let (Some(d), false) = (context.dictionary, word.is_capitalised()) {
                    found.extend(spelling::suggest(d, word.text, MAX_SUGGESTIONS));
                }
                let mut seen = HashSet::new();
                found.retain(|s| s != word.text && seen.insert(s.clone()));
                found.truncate(MAX_SUGGESTIONS);
                found
            })
            .clone();
        let reason = if word.is_capitalised() {
            "Not in the dictionary, the house dictionary or a published story: check the name, then add it to the house dictionary.".to_owned()
        } else {
            "Not in the dictionary or the house dictionary.".to_owned()
        };
        out.push(problem(Kind::Spelling, reason, suggestions));
    }
    let two_ways = names::two_ways(article, &words, &|w: &str| context.dictionary.is_none() || is_known(w));
    out.extend(two_ways.into_iter().filter(|p| !context.in_house(&p.text)));
    out.extend(repeats::doubled(article, &segments));
    out.extend(figures::mixed_styles(article, &segments));
    out.extend(punctuation::unbalanced(article, &segments));
    out.extend(punctuation::mixed_quotes(article, &segments));

    // One problem per word: the first kind in `Kind`'s order.
    out.sort_by(|a, b| {
        (field_order(a.field), a.range.start, a.kind, a.range.end).cmp(&(
            field_order(b.field),
            b.range.start,
            b.kind,
            b.range.end,
        ))
    });
    out.dedup_by(|later, earlier| {
        later.kind.is_word()
            && earlier.field == later.field
            && earlier.range == later.range
            && (earlier.kind.is_word() || earlier.kind == Kind::MixedScripts)
    });
    out
}

#[cfg(test)]
mod tests;
