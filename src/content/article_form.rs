//! (ssr) The staff editor's form, checked into the fields an article is saved with.

use serde::Deserialize;

use super::front_matter::{
    FrontMatterError, MAX_BYLINE, MAX_DEK, MAX_TITLE, Topic, authors, optional, required, topics,
};
use crate::domain::slug::Slug;
use crate::domain::text::{FieldError, has_control_chars, normalise_newlines};

/// Longest article body the desk accepts, in characters (a long read is 60,000).
pub const MAX_BODY_CHARS: usize = 200_000;
/// Longest "what changed" note on a revision.
pub const MAX_SUMMARY_CHARS: usize = 300;

/// The editor's form exactly as posted. Topics are one comma-separated line.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ArticleForm {
    #[serde(default)]
    pub title: String,
    /// Only read when an article is created: a published address does not change.
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub dek: String,
    #[serde(default)]
    pub byline: String,
    #[serde(default)]
    pub topics: String,
    /// Author names, comma-separated: each links to its profile (made when new).
    #[serde(default)]
    pub authors: String,
    #[serde(default)]
    pub body: String,
    /// A language tag (`fr`, `en-US`); empty follows the site.
    #[serde(default)]
    pub lang: String,
    /// The editor's own words on what changed; the desk adds which fields did.
    #[serde(default)]
    pub summary: String,
    /// The revision the editor started from, to catch two people saving over each other.
    #[serde(default)]
    pub base_revision: Option<i64>,
    /// The reader suggestion that brought the editor here, to return to it after saving.
    #[serde(default)]
    pub suggestion: Option<i64>,
}

/// An article's content as the desk saves it: every field checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleEdit {
    pub title: String,
    pub dek: Option<String>,
    pub byline: String,
    pub topics: Vec<Topic>,
    pub authors: Vec<Topic>,
    pub body_md: String,
    /// The article's language when it is not the site's (`<html lang>`, the copy check).
    pub lang: Option<String>,
    pub summary: String,
}

impl ArticleEdit {
    /// The names of the fields that differ from `old`, for the revision's summary.
    pub fn changed_fields(&self, old: &ArticleEdit) -> Vec<&'static str> {
        let mut changed = Vec::new();
        if self.title != old.title {
            changed.push("headline");
        }
        if self.dek != old.dek {
            changed.push("dek");
        }
        if self.byline != old.byline {
            changed.push("byline");
        }
        // By address: a topic is the same whatever its spelling.
        let slugs = |topics: &[Topic]| topics.iter().map(|t| t.slug.clone()).collect::<Vec<_>>();
        if slugs(&self.topics) != slugs(&old.topics) {
            changed.push("topics");
        }
        if slugs(&self.authors) != slugs(&old.authors) {
            changed.push("authors");
        }
        if self.body_md != old.body_md {
            changed.push("text");
        }
        if self.lang != old.lang {
            changed.push("language");
        }
        changed
    }
}

impl ArticleForm {
    /// Checks every field and reports all problems at once, so the editor fixes them in one go.
    pub fn validate(&self) -> Result<ArticleEdit, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut check = |field: &str, result: Result<Option<String>, FrontMatterError>| match result {
            Ok(value) => value,
            Err(error) => {
                errors.push(field_error(field, &error));
                None
            }
        };
        let single_line = |text: &str| text.replace(['\r', '\n'], " ");
        let title = check("title", required("title", Some(single_line(&self.title)), MAX_TITLE).map(Some));
        let dek = check("dek", optional("dek", Some(single_line(&self.dek)), MAX_DEK));
        let byline = check("byline", required("byline", Some(single_line(&self.byline)), MAX_BYLINE).map(Some));
        for (field, value) in [("title", &self.title), ("dek", &self.dek), ("byline", &self.byline)] {
            if has_control_chars(&single_line(value)) {
                errors.push(FieldError { field: field.into(), message: "Remove the control characters.".into() });
            }
        }
        let topics = match topics(self.topics.split(',').map(str::to_owned).filter(|t| !t.trim().is_empty())) {
            Ok(topics) => topics,
            Err(error) => {
                errors.push(field_error("topics", &error));
                Vec::new()
            }
        };
        let authors = match authors(self.authors.split(',').map(str::to_owned).filter(|t| !t.trim().is_empty())) {
            Ok(authors) => authors,
            Err(error) => {
                errors.push(field_error("authors", &error));
                Vec::new()
            }
        };
        let body_md = normalise_newlines(self.body.trim());
        if body_md.is_empty() {
            errors.push(FieldError { field: "body".into(), message: "Write the article's text.".into() });
        } else if body_md.chars().count() > MAX_BODY_CHARS {
            errors.push(FieldError {
                field: "body".into(),
                message: format!("The text is longer than {MAX_BODY_CHARS} characters."),
            });
        } else if has_control_chars(&body_md) {
            errors.push(FieldError { field: "body".into(), message: "Remove the control characters.".into() });
        }
        let lang = match self.lang.trim() {
            "" => None,
            raw => match crate::domain::lang::Lang::parse(raw) {
                Some(lang) => Some(lang.to_string()),
                None => {
                    errors.push(FieldError {
                        field: "lang".into(),
                        message: "Give a language tag such as en-GB, en-US or fr, or leave it empty.".into(),
                    });
                    None
                }
            },
        };
        let summary = single_line(self.summary.trim());
        if summary.chars().count() > MAX_SUMMARY_CHARS || has_control_chars(&summary) {
            errors.push(FieldError {
                field: "summary".into(),
                message: format!("Say what changed in at most {MAX_SUMMARY_CHARS} characters."),
            });
        }
        match (title, byline) {
            (Some(title), Some(byline)) if errors.is_empty() => Ok(ArticleEdit {
                title,
                dek,
                byline,
                topics,
                authors,
                body_md,
                lang,
                summary: summary.trim().to_owned(),
            }),
            _ => Err(errors),
        }
    }

    /// The address of a new article: as typed, or made from the headline.
    pub fn new_slug(&self) -> Result<Slug, FieldError> {
        let typed = self.slug.trim();
        let slug = if typed.is_empty() { Slug::derive(&self.title) } else { Slug::parse(typed).ok() };
        slug.ok_or_else(|| FieldError {
            field: "slug".into(),
            message: "Use lower-case letters, digits and hyphens, like city-budget-vote.".into(),
        })
    }

    /// The form filled in from a stored article, for the editor to start from.
    pub fn from_edit(edit: &ArticleEdit, base_revision: i64) -> Self {
        Self {
            title: edit.title.clone(),
            dek: edit.dek.clone().unwrap_or_default(),
            byline: edit.byline.clone(),
            topics: edit.topics.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join(", "),
            authors: edit.authors.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join(", "),
            body: edit.body_md.clone(),
            lang: edit.lang.clone().unwrap_or_default(),
            base_revision: Some(base_revision),
            ..Self::default()
        }
    }
}

fn field_error(field: &str, error: &FrontMatterError) -> FieldError {
    let message = match error {
        FrontMatterError::Missing(_) => match field {
            "title" => "Write a headline.".to_owned(),
            "byline" => "Say who wrote it.".to_owned(),
            _ => "This field is required.".to_owned(),
        },
        FrontMatterError::TooLong { max, .. } => format!("Keep this to {max} characters."),
        FrontMatterError::BadTopic(name) => format!("Topic \u{201c}{name}\u{201d} needs letters or digits."),
        FrontMatterError::BadAuthor(name) => format!("Author \u{201c}{name}\u{201d} needs letters or digits."),
        FrontMatterError::TooMany { max, .. } => format!("Name at most {max}."),
        other => other.to_string(),
    };
    FieldError { field: field.to_owned(), message }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ArticleForm {
        ArticleForm {
            title: "  Ferry Timetable Changes  ".into(),
            dek: "".into(),
            byline: "Rui Okafor".into(),
            topics: "Transport, Harbour, transport, ".into(),
            body: "First line.\r\n\r\nSecond.".into(),
            ..ArticleForm::default()
        }
    }

    #[test]
    fn a_good_form_is_trimmed_and_normalised() {
        let edit = form().validate().unwrap();
        assert_eq!(edit.title, "Ferry Timetable Changes");
        assert_eq!(edit.dek, None);
        assert_eq!(edit.body_md, "First line.\n\nSecond.");
        let topics: Vec<_> = edit.topics.iter().map(|t| t.slug.as_str()).collect();
        assert_eq!(topics, ["transport", "harbour"]);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let bad = ArticleForm {
            title: " ".into(),
            byline: "".into(),
            body: "   ".into(),
            topics: "!!!".into(),
            summary: "x".repeat(MAX_SUMMARY_CHARS + 1),
            ..ArticleForm::default()
        };
        let errors = bad.validate().unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["title", "byline", "topics", "body", "summary"]);
        assert_eq!(errors[0].message, "Write a headline.");
    }

    #[test]
    fn headlines_are_one_line_and_bodies_have_a_limit() {
        let edit = ArticleForm { title: "Two\nlines".into(), ..form() }.validate().unwrap();
        assert_eq!(edit.title, "Two lines");
        let long = ArticleForm { body: "a".repeat(MAX_BODY_CHARS + 1), ..form() };
        assert_eq!(long.validate().unwrap_err()[0].field, "body");
        let control = ArticleForm { body: "bell \u{7}".into(), ..form() };
        assert_eq!(control.validate().unwrap_err()[0].field, "body");
    }

    #[test]
    fn slugs_come_from_the_form_or_the_headline() {
        assert_eq!(form().new_slug().unwrap().as_str(), "ferry-timetable-changes");
        assert_eq!(ArticleForm { slug: "own-slug".into(), ..form() }.new_slug().unwrap().as_str(), "own-slug");
        assert_eq!(ArticleForm { slug: "Not A Slug".into(), ..form() }.new_slug().unwrap_err().field, "slug");
    }

    #[test]
    fn changes_are_named_by_field() {
        let old = form().validate().unwrap();
        let new =
            ArticleForm { title: "Ferry Times Change".into(), body: "Other.".into(), ..form() }.validate().unwrap();
        assert_eq!(new.changed_fields(&old), ["headline", "text"]);
        let respelled = ArticleForm { topics: "TRANSPORT, harbour".into(), ..form() }.validate().unwrap();
        assert!(respelled.changed_fields(&old).is_empty());
        let fewer = ArticleForm { topics: "Harbour".into(), ..form() }.validate().unwrap();
        assert_eq!(fewer.changed_fields(&old), ["topics"]);
    }
}
