//! (ssr) The copy check as the editor, the correction desk and the command line use it:
//! the text with the house dictionary, the names the site has published, the article's
//! language and the problems staff chose to ignore.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use crate::copy_check::{self, Article, Context, Kind, Lexicon, Problem, spelling};
use crate::db::{self, Pool, audit};
use crate::domain::lang::{self, Lang};
use crate::domain::staff::StaffMember;
use crate::error::AppError;

/// Published stories whose names the check knows: the latest, so a large archive costs a
/// bounded read (about 2,000 stories take ~50 ms to index).
pub const NAME_STORIES: u32 = 2_000;

/// Longest house dictionary entry, in characters.
pub const MAX_WORD_CHARS: usize = 60;

/// The text to check, as typed or stored.
#[derive(Debug, Clone, Default)]
pub struct Text {
    pub title: String,
    pub dek: Option<String>,
    pub body_md: String,
    /// The article's own language; `None` follows the site.
    pub lang: Option<String>,
}

/// What the check found.
#[derive(Debug, Clone)]
pub struct Checked {
    pub problems: Vec<Problem>,
    /// Problems found but ignored for this article.
    pub ignored: usize,
    pub lang: Lang,
    /// Spelling was checked against a dictionary for `lang`; otherwise it was not.
    pub spelling: bool,
}

/// The names index of each database (pool) in the process, with the `published_version`
/// it was built at.
static NAMES: Mutex<Vec<(u64, i64, Arc<Lexicon>)>> = Mutex::new(Vec::new());

/// The names of the published stories, read again when one changed.
async fn names(pool: &Pool) -> Result<Arc<Lexicon>, AppError> {
    let version = db::copy_check::published_version(pool).await?;
    let kept = NAMES
        .lock()
        .expect("names lock")
        .iter()
        .find(|(p, v, _)| *p == pool.id() && *v == version)
        .map(|k| k.2.clone());
    if let Some(names) = kept {
        return Ok(names);
    }
    let texts = db::copy_check::published_texts(pool, NAME_STORIES).await?;
    let names = tokio::task::spawn_blocking(move || {
        Arc::new(Lexicon::build(texts.iter().map(|t| (t.id, t.title.as_str(), t.dek.as_deref(), t.body_md.as_str()))))
    })
    .await
    .map_err(|_| AppError::Internal)?;
    let mut kept = NAMES.lock().expect("names lock");
    kept.retain(|(p, ..)| *p != pool.id());
    // A server has one database; tests have many, briefly: keep the latest few.
    if kept.len() >= 8 {
        kept.remove(0);
    }
    kept.push((pool.id(), version, names.clone()));
    Ok(names)
}

/// The site's language: as staff set it, or British English.
pub async fn site_language(pool: &Pool) -> Result<Lang, AppError> {
    Ok(db::copy_check::site_language(pool).await?.as_deref().and_then(Lang::parse).unwrap_or_else(lang::site_default))
}

/// The house dictionary's words, as written.
pub async fn house_words(pool: &Pool) -> Result<Vec<db::copy_check::HouseWord>, AppError> {
    Ok(db::copy_check::house_words(pool).await?)
}

/// What a check needs besides the text, read once for every article checked together
/// (the correction desk checks each article it shows; `copydesk check` each file).
#[derive(Clone)]
pub struct Checker {
    site: Lang,
    house: Arc<HashSet<String>>,
    names: Arc<Lexicon>,
}

impl Checker {
    pub async fn load(pool: &Pool) -> Result<Self, AppError> {
        let house = db::copy_check::house_words(pool).await?.into_iter().map(|w| w.word).collect();
        Ok(Self { site: site_language(pool).await?, house: Arc::new(house), names: names(pool).await? })
    }

    /// Checks `text`; for a stored article (`article_id`), its ignored problems are left
    /// out and its own words do not count as published names.
    #[tracing::instrument(skip_all, fields(article = article_id))]
    pub async fn check(&self, pool: &Pool, text: Text, article_id: Option<i64>) -> Result<Checked, AppError> {
        let ignored: HashSet<(String, String)> = match article_id {
            Some(id) => db::copy_check::ignored(pool, id).await?.into_iter().collect(),
            None => HashSet::new(),
        };
        let checker = self.clone();
        tokio::task::spawn_blocking(move || checker.check_now(&text, &ignored, article_id))
            .await
            .map_err(|_| AppError::Internal)
    }

    /// The check itself, on this thread.
    fn check_now(&self, text: &Text, ignored: &HashSet<(String, String)>, story: Option<i64>) -> Checked {
        let lang = text.lang.as_deref().and_then(Lang::parse).unwrap_or_else(|| self.site.clone());
        let dictionary = spelling::dictionaries(None).get(&lang);
        let context = Context { dictionary: dictionary.as_deref(), house: &self.house, lexicon: &self.names, story };
        let article = Article { title: &text.title, dek: text.dek.as_deref(), body_md: &text.body_md };
        let (problems, skipped): (Vec<Problem>, Vec<Problem>) = copy_check::check(&article, &context)
            .into_iter()
            .partition(|p| !ignored.contains(&(p.kind.as_str().to_owned(), p.text.clone())));
        Checked { problems, ignored: skipped.len(), lang, spelling: dictionary.is_some() }
    }
}

/// Checks one text (see `Checker::check`).
pub async fn check(pool: &Pool, text: Text, article_id: Option<i64>) -> Result<Checked, AppError> {
    Checker::load(pool).await?.check(pool, text, article_id).await
}

/// The copy check of article files (the import format), as `file:line:column:` lines, one
/// per problem; a file that does not parse is one line saying why.
pub async fn check_files(pool: &Pool, files: &[(String, String)]) -> Result<Vec<(String, Vec<String>)>, AppError> {
    let checker = Checker::load(pool).await?;
    let files = files.to_vec();
    tokio::task::spawn_blocking(move || {
        files.iter().map(|(name, source)| (name.clone(), file_report(&checker, name, source))).collect()
    })
    .await
    .map_err(|_| AppError::Internal)
}

fn file_report(checker: &Checker, name: &str, source: &str) -> Vec<String> {
    use crate::content::markdown::Field;
    let draft = match crate::content::front_matter::parse_article(source) {
        Ok(draft) => draft,
        Err(problem) => return vec![format!("{name}: not checked: {problem}")],
    };
    let text = Text {
        title: draft.title.clone(),
        dek: draft.dek.clone(),
        body_md: draft.body_md.clone(),
        lang: draft.lang.clone(),
    };
    let checked = checker.check_now(&text, &HashSet::new(), None);
    // Where each field starts in the file: the body after the front matter; the headline
    // and dek on their `title:` and `dek:` lines.
    let line_of = |key: &str| source.lines().position(|l| l.starts_with(key)).map_or(1, |i| i + 1);
    let body_start = source.rfind(&draft.body_md).unwrap_or(0);
    let body_line = source[..body_start].matches('\n').count();
    checked
        .problems
        .iter()
        .map(|p| {
            let (line, column) = match p.field {
                Field::Body => {
                    let (line, column) = p.line_column(&draft.body_md);
                    (body_line + line, column)
                }
                Field::Title => (line_of("title:"), 1),
                Field::Dek => (line_of("dek:"), 1),
            };
            let suggested = if p.suggestions.is_empty() {
                String::new()
            } else {
                let list: Vec<String> = p.suggestions.iter().map(|s| format!("\u{201c}{s}\u{201d}")).collect();
                format!(" Suggested: {}.", list.join(", "))
            };
            format!("{name}:{line}:{column}: {}: \u{201c}{}\u{201d}. {}{suggested}", p.kind.label(), p.text, p.reason)
        })
        .collect()
}

/// Reads the site's dictionary once at start-up, off the request path (a first check would
/// otherwise wait for it).
pub async fn warm_up(pool: Pool) {
    let Ok(lang) = site_language(&pool).await else { return };
    let loaded =
        tokio::task::spawn_blocking(move || spelling::dictionaries(None).get(&lang).is_some().then_some(lang)).await;
    match loaded {
        Ok(Some(lang)) => tracing::info!(%lang, "copy check dictionary loaded"),
        _ => tracing::warn!(
            dir = %spelling::dictionaries(None).dir().display(),
            "no Hunspell dictionary for the site's language: the copy check will not check spelling \
             (Debian: apt install hunspell-en-gb)"
        ),
    }
}

/// Remembers that `text` flagged as `kind` is fine in this article.
pub async fn ignore(pool: &Pool, article_id: i64, kind: &str, text: &str) -> Result<(), AppError> {
    let kind = Kind::parse(kind).ok_or_else(|| AppError::invalid("kind", "Unknown kind of problem."))?;
    if text.is_empty() || text.chars().count() > 300 {
        return Err(AppError::invalid("text", "Nothing to ignore."));
    }
    db::copy_check::ignore(pool, article_id, kind.as_str(), text).await?;
    Ok(())
}

/// Shows every ignored problem of an article again.
pub async fn show_ignored(pool: &Pool, article_id: i64) -> Result<u64, AppError> {
    Ok(db::copy_check::clear_ignored(pool, article_id).await?)
}

/// A house dictionary entry as typed: one word (letters, with apostrophes, hyphens or dots
/// inside), or an error saying what is wrong.
pub fn parse_word(raw: &str) -> Result<String, AppError> {
    let word = raw.trim().replace('\u{2019}', "'");
    let fine = |c: char| c.is_alphanumeric() || "'-.".contains(c) || ('\u{300}'..='\u{36f}').contains(&c);
    if word.is_empty() {
        return Err(AppError::invalid("word", "Write the word to add."));
    }
    if word.chars().count() > MAX_WORD_CHARS {
        return Err(AppError::invalid("word", format!("A word of at most {MAX_WORD_CHARS} characters.")));
    }
    if !word.chars().all(fine) || !word.chars().next().is_some_and(char::is_alphabetic) {
        return Err(AppError::invalid(
            "word",
            "One word: letters, with apostrophes, hyphens or dots inside. Add the parts of a name separately.",
        ));
    }
    use unicode_normalization::UnicodeNormalization;
    Ok(word.nfc().collect())
}

/// Adds a word to the house dictionary; `false` when it was there.
#[tracing::instrument(skip(pool, staff), fields(staff = staff.id))]
pub async fn add_word(pool: &Pool, staff: &StaffMember, raw: &str) -> Result<(String, bool), AppError> {
    let word = parse_word(raw)?;
    let added = db::copy_check::add_house_word(pool, &word, &staff.name).await?;
    if added {
        audit::record(pool, Some(staff), audit::Kind::Settings, "house word added", &word, "").await?;
    }
    Ok((word, added))
}

#[tracing::instrument(skip(pool, staff), fields(staff = staff.id))]
pub async fn remove_word(pool: &Pool, staff: &StaffMember, word: &str) -> Result<bool, AppError> {
    let removed = db::copy_check::remove_house_word(pool, word).await?;
    if removed {
        audit::record(pool, Some(staff), audit::Kind::Settings, "house word removed", word, "").await?;
    }
    Ok(removed)
}

/// Sets the site's language (the pages' `lang`, the copy check's dictionary).
#[tracing::instrument(skip(pool, staff), fields(staff = staff.id))]
pub async fn set_site_language(pool: &Pool, staff: &StaffMember, raw: &str) -> Result<Lang, AppError> {
    let lang = Lang::parse(raw)
        .ok_or_else(|| AppError::invalid("language", "Give a language tag such as en-GB, en-US or fr."))?;
    db::copy_check::set_site_language(pool, lang.as_str()).await?;
    audit::record(pool, Some(staff), audit::Kind::Settings, "language", lang.as_str(), "").await?;
    Ok(lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn house_words_are_single_words() {
        assert_eq!(parse_word("  García ").unwrap(), "García");
        assert_eq!(parse_word("O’Brien").unwrap(), "O'Brien");
        assert_eq!(parse_word("St.").unwrap(), "St.");
        for bad in ["", "two words", "<b>", "-dash", &"x".repeat(61)] {
            assert!(parse_word(bad).is_err(), "{bad:?}");
        }
    }
}
