//! (ssr) The `---` YAML header of an article file, parsed into a validated draft.

use serde::Deserialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::domain::slug::{Slug, SlugError};

/// Longest accepted headline, dek and byline, in characters.
pub(crate) const MAX_TITLE: usize = 300;
pub(crate) const MAX_DEK: usize = 600;
pub(crate) const MAX_BYLINE: usize = 200;
const MAX_TOPIC: usize = 80;
/// Authors an article names at most.
pub(crate) const MAX_AUTHORS: usize = 10;

/// A valid article read from a source file, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleDraft {
    pub slug: Slug,
    pub title: String,
    pub dek: Option<String>,
    pub byline: String,
    pub published_at: OffsetDateTime,
    pub updated_at: Option<OffsetDateTime>,
    pub topics: Vec<Topic>,
    /// `authors:`, linked to their profiles (created for names not seen before). The
    /// byline stays as written for wire copy.
    pub authors: Vec<Topic>,
    pub body_md: String,
    /// `lang:`, when the article is not in the site's language.
    pub lang: Option<String>,
    /// `image:` (a file path, relative to the article file) and its words: the lead image.
    pub image: Option<LeadFile>,
}

/// A lead image named in front matter, to be read from disk and put in the library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadFile {
    pub path: String,
    pub alt: String,
    pub caption: String,
    pub credit: String,
}

/// A topic or an author named in front matter, with its derived slug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub slug: Slug,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrontMatterError {
    #[error("the file does not start with a `---` front matter block")]
    MissingFrontMatter,
    #[error("the front matter block is not closed by a `---` line")]
    UnterminatedFrontMatter,
    #[error("the front matter is not valid YAML: {0}")]
    Yaml(String),
    #[error("`{0}` is missing or empty")]
    Missing(&'static str),
    #[error("`{field}` is longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("`{field}` is not a date and time like 2026-11-20T09:30:00Z: {value:?}")]
    BadDate { field: &'static str, value: String },
    #[error("`slug` is invalid: {0}")]
    BadSlug(SlugError),
    #[error("no slug can be derived from the title; give one with `slug:`")]
    NoSlug,
    #[error("topic {0:?} has no letters or digits")]
    BadTopic(String),
    #[error("author {0:?} has no letters or digits")]
    BadAuthor(String),
    #[error("`{field}` names more than {max}")]
    TooMany { field: &'static str, max: usize },
    #[error("`lang` is not a language tag like en-GB or fr: {0:?}")]
    BadLang(String),
    #[error("the article body after the front matter is empty")]
    EmptyBody,
}

/// The header exactly as written; unknown keys are refused so that typos do not pass silently.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFrontMatter {
    title: Option<String>,
    slug: Option<String>,
    dek: Option<String>,
    byline: Option<String>,
    published: Option<String>,
    updated: Option<String>,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    authors: Vec<String>,
    lang: Option<String>,
    image: Option<String>,
    image_alt: Option<String>,
    image_caption: Option<String>,
    image_credit: Option<String>,
}

/// Parses a whole article file: front matter, then a Markdown body.
pub fn parse_article(source: &str) -> Result<ArticleDraft, FrontMatterError> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let (header, body) = split(source)?;
    if header.trim().is_empty() {
        return Err(FrontMatterError::Missing("title"));
    }
    let raw: RawFrontMatter = serde_norway::from_str(header).map_err(|e| FrontMatterError::Yaml(e.to_string()))?;

    let title = required("title", raw.title, MAX_TITLE)?;
    let byline = required("byline", raw.byline, MAX_BYLINE)?;
    let dek = optional("dek", raw.dek, MAX_DEK)?;
    let slug = match raw.slug {
        Some(s) => Slug::parse(s.trim()).map_err(FrontMatterError::BadSlug)?,
        None => Slug::derive(&title).ok_or(FrontMatterError::NoSlug)?,
    };
    let published_at = date("published", raw.published)?.ok_or(FrontMatterError::Missing("published"))?;
    let updated_at = date("updated", raw.updated)?;

    let topics = topics(raw.topics)?;
    let authors = authors(raw.authors)?;
    let lang = match raw.lang.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(tag) => Some(
            crate::domain::lang::Lang::parse(tag).ok_or_else(|| FrontMatterError::BadLang(tag.to_owned()))?.to_string(),
        ),
    };

    let body_md = body.trim().to_owned();
    if body_md.is_empty() {
        return Err(FrontMatterError::EmptyBody);
    }
    let image = match raw.image.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(path) => {
            let alt = raw.image_alt.as_deref().map(str::trim).filter(|a| !a.is_empty());
            Some(LeadFile {
                path: path.to_owned(),
                alt: alt.ok_or(FrontMatterError::Missing("image_alt"))?.to_owned(),
                caption: raw.image_caption.unwrap_or_default().trim().to_owned(),
                credit: raw.image_credit.unwrap_or_default().trim().to_owned(),
            })
        }
    };
    Ok(ArticleDraft { slug, title, dek, byline, published_at, updated_at, topics, authors, body_md, lang, image })
}

/// Splits `---\n<yaml>\n---\n<body>`; accepts `\r\n` line ends.
fn split(source: &str) -> Result<(&str, &str), FrontMatterError> {
    let rest = source
        .strip_prefix("---\n")
        .or_else(|| source.strip_prefix("---\r\n"))
        .ok_or(FrontMatterError::MissingFrontMatter)?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Ok((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    Err(FrontMatterError::UnterminatedFrontMatter)
}

/// Topic names as written, trimmed, each with its slug; repeats (by slug) dropped.
pub(crate) fn topics(names: impl IntoIterator<Item = String>) -> Result<Vec<Topic>, FrontMatterError> {
    named(names, "topics", MAX_TOPIC, FrontMatterError::BadTopic)
}

/// Author names as written, spaces folded, each with its slug; repeats dropped.
pub(crate) fn authors(names: impl IntoIterator<Item = String>) -> Result<Vec<Topic>, FrontMatterError> {
    let names: Vec<String> = names.into_iter().map(|n| n.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
    if names.len() > MAX_AUTHORS {
        return Err(FrontMatterError::TooMany { field: "authors", max: MAX_AUTHORS });
    }
    named(names, "authors", crate::domain::author::MAX_NAME, FrontMatterError::BadAuthor)
}

fn named(
    names: impl IntoIterator<Item = String>,
    field: &'static str,
    max: usize,
    unusable: fn(String) -> FrontMatterError,
) -> Result<Vec<Topic>, FrontMatterError> {
    let mut found: Vec<Topic> = Vec::new();
    for name in names {
        let name = name.trim().to_owned();
        if name.chars().count() > max {
            return Err(FrontMatterError::TooLong { field, max });
        }
        let slug = Slug::derive(&name).ok_or_else(|| unusable(name.clone()))?;
        if !found.iter().any(|t| t.slug == slug) {
            found.push(Topic { slug, name });
        }
    }
    Ok(found)
}

pub(crate) fn required(field: &'static str, value: Option<String>, max: usize) -> Result<String, FrontMatterError> {
    optional(field, value, max)?.ok_or(FrontMatterError::Missing(field))
}

pub(crate) fn optional(
    field: &'static str,
    value: Option<String>,
    max: usize,
) -> Result<Option<String>, FrontMatterError> {
    let Some(value) = value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if value.chars().count() > max {
        return Err(FrontMatterError::TooLong { field, max });
    }
    Ok(Some(value))
}

fn date(field: &'static str, value: Option<String>) -> Result<Option<OffsetDateTime>, FrontMatterError> {
    let Some(value) = value else { return Ok(None) };
    OffsetDateTime::parse(value.trim(), &Rfc3339)
        .map(|d| Some(d.to_offset(time::UtcOffset::UTC)))
        .map_err(|_| FrontMatterError::BadDate { field, value })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_is_a_normalised_language_tag() {
        let file = |lang: &str| {
            format!("---\ntitle: T\nbyline: B\npublished: 2026-11-01T00:00:00Z\nlang: {lang}\n---\nBody.\n")
        };
        assert_eq!(parse_article(&file("fr_ca")).unwrap().lang.as_deref(), Some("fr-CA"));
        assert_eq!(parse_article(&file("\"\"")).unwrap().lang, None);
        assert_eq!(parse_article(&file("français")), Err(FrontMatterError::BadLang("français".into())));
    }
    use time::macros::datetime;

    const GOOD: &str = "---\ntitle: Harbour Bridge Reopens After Repairs\ndek: Two years of work end a week early.\nbyline: Ada Quill\npublished: 2026-11-20T09:30:00Z\ntopics: [Transport, City Hall]\n---\nThe bridge reopened on *Monday*.\n";

    fn with_header(header: &str) -> String {
        format!("---\n{header}\n---\nBody text.\n")
    }

    #[test]
    fn a_complete_file_parses_into_a_draft() {
        let draft = parse_article(GOOD).unwrap();
        assert_eq!(draft.title, "Harbour Bridge Reopens After Repairs");
        assert_eq!(draft.slug.as_str(), "harbour-bridge-reopens-after-repairs");
        assert_eq!(draft.dek.as_deref(), Some("Two years of work end a week early."));
        assert_eq!(draft.byline, "Ada Quill");
        assert_eq!(draft.published_at, datetime!(2026-11-20 09:30 UTC));
        assert_eq!(draft.updated_at, None);
        let topics: Vec<_> = draft.topics.iter().map(|t| (t.slug.as_str(), t.name.as_str())).collect();
        assert_eq!(topics, [("transport", "Transport"), ("city-hall", "City Hall")]);
        assert_eq!(draft.body_md, "The bridge reopened on *Monday*.");
    }

    #[test]
    fn an_explicit_slug_wins_over_the_title() {
        let draft =
            parse_article(&with_header("title: A\nslug: my-own-slug\nbyline: B\npublished: 2026-01-01T00:00:00Z"))
                .unwrap();
        assert_eq!(draft.slug.as_str(), "my-own-slug");
    }

    #[test]
    fn dates_with_an_offset_are_stored_in_utc() {
        let draft = parse_article(&with_header(
            "title: A\nbyline: B\npublished: 2026-06-01T12:00:00+02:00\nupdated: 2026-06-02T08:00:00Z",
        ))
        .unwrap();
        assert_eq!(draft.published_at, datetime!(2026-06-01 10:00 UTC));
        assert_eq!(draft.updated_at, Some(datetime!(2026-06-02 08:00 UTC)));
    }

    #[test]
    fn crlf_line_ends_and_a_byte_order_mark_are_accepted() {
        let source = GOOD.replace('\n', "\r\n");
        assert!(parse_article(&format!("\u{feff}{source}")).is_ok());
    }

    #[test]
    fn a_file_without_front_matter_is_rejected() {
        assert_eq!(parse_article("# Just markdown\n"), Err(FrontMatterError::MissingFrontMatter));
    }

    #[test]
    fn an_unclosed_front_matter_block_is_rejected() {
        assert_eq!(parse_article("---\ntitle: A\nbody"), Err(FrontMatterError::UnterminatedFrontMatter));
    }

    #[test]
    fn broken_yaml_is_rejected() {
        let err = parse_article(&with_header("title: [unclosed\nbyline: B")).unwrap_err();
        assert!(matches!(err, FrontMatterError::Yaml(_)), "{err:?}");
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let err =
            parse_article(&with_header("title: A\nbyline: B\npublished: 2026-01-01T00:00:00Z\nautor: C")).unwrap_err();
        assert!(matches!(err, FrontMatterError::Yaml(ref m) if m.contains("autor")), "{err:?}");
    }

    #[test]
    fn a_missing_or_blank_title_is_rejected() {
        assert_eq!(
            parse_article(&with_header("byline: B\npublished: 2026-01-01T00:00:00Z")),
            Err(FrontMatterError::Missing("title"))
        );
        assert_eq!(
            parse_article(&with_header("title: '   '\nbyline: B\npublished: 2026-01-01T00:00:00Z")),
            Err(FrontMatterError::Missing("title"))
        );
        assert_eq!(parse_article(&with_header("")), Err(FrontMatterError::Missing("title")));
    }

    #[test]
    fn a_missing_byline_or_date_is_rejected() {
        assert_eq!(
            parse_article(&with_header("title: A\npublished: 2026-01-01T00:00:00Z")),
            Err(FrontMatterError::Missing("byline"))
        );
        assert_eq!(parse_article(&with_header("title: A\nbyline: B")), Err(FrontMatterError::Missing("published")));
    }

    #[test]
    fn an_unparseable_date_is_rejected_with_its_value() {
        let err = parse_article(&with_header("title: A\nbyline: B\npublished: last Tuesday")).unwrap_err();
        assert_eq!(err, FrontMatterError::BadDate { field: "published", value: "last Tuesday".into() });
        let err = parse_article(&with_header("title: A\nbyline: B\npublished: 2026-02-30T00:00:00Z")).unwrap_err();
        assert!(matches!(err, FrontMatterError::BadDate { .. }));
    }

    #[test]
    fn an_invalid_slug_is_rejected() {
        let err = parse_article(&with_header("title: A\nslug: Not A Slug\nbyline: B\npublished: 2026-01-01T00:00:00Z"))
            .unwrap_err();
        assert_eq!(err, FrontMatterError::BadSlug(SlugError::InvalidCharacters));
    }

    #[test]
    fn a_title_without_letters_needs_an_explicit_slug() {
        let err = parse_article(&with_header("title: '?!'\nbyline: B\npublished: 2026-01-01T00:00:00Z")).unwrap_err();
        assert_eq!(err, FrontMatterError::NoSlug);
    }

    #[test]
    fn an_over_long_title_is_rejected() {
        let header = format!("title: {}\nbyline: B\npublished: 2026-01-01T00:00:00Z", "x".repeat(MAX_TITLE + 1));
        assert_eq!(
            parse_article(&with_header(&header)),
            Err(FrontMatterError::TooLong { field: "title", max: MAX_TITLE })
        );
    }

    #[test]
    fn an_empty_body_is_rejected() {
        let err = parse_article("---\ntitle: A\nbyline: B\npublished: 2026-01-01T00:00:00Z\n---\n  \n").unwrap_err();
        assert_eq!(err, FrontMatterError::EmptyBody);
    }

    #[test]
    fn duplicate_topics_are_kept_once() {
        let draft = parse_article(&with_header(
            "title: A\nbyline: B\npublished: 2026-01-01T00:00:00Z\ntopics: [Energy, energy, ' Energy ']",
        ))
        .unwrap();
        assert_eq!(draft.topics.len(), 1);
    }
}
