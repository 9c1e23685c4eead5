//! A reader's correction suggestion, validated once at the boundary.

use serde::{Deserialize, Serialize};

use super::anchor::MAX_QUOTE_CHARS;
use super::text::{FieldError, has_control_chars, is_plausible_email, normalise_newlines};

pub const MAX_SUGGESTED_CHARS: usize = 2_000;
pub const MAX_NOTE_CHARS: usize = 1_000;

/// What kind of problem the reader reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Typo,
    Factual,
    Clarification,
    Other,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Typo, Kind::Factual, Kind::Clarification, Kind::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Typo => "typo",
            Kind::Factual => "factual",
            Kind::Clarification => "clarification",
            Kind::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Typo => "Typo or spelling",
            Kind::Factual => "Factual error",
            Kind::Clarification => "Needs clarification",
            Kind::Other => "Other",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

/// The fields as a form or the correction widget sends them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestionForm {
    #[serde(default)]
    pub quote: String,
    #[serde(default)]
    pub prefix: String,
    #[serde(default)]
    pub suffix: String,
    /// Where the browser saw the quote start, in UTF-16 units; only breaks ties.
    #[serde(default)]
    pub hint: Option<usize>,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub suggested: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub email: String,
    /// A field people never see: bots fill it in.
    #[serde(default)]
    pub website: String,
}

/// A suggestion whose fields are all valid (the quote is located in the article later).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// `None` when the reader did not name a phrase (allowed on the plain form).
    pub quote: Option<String>,
    pub prefix: String,
    pub suffix: String,
    pub hint: Option<usize>,
    pub kind: Kind,
    pub suggested: String,
    pub note: Option<String>,
    pub email: Option<String>,
}

impl SuggestionForm {
    pub fn is_bot(&self) -> bool {
        !self.website.trim().is_empty()
    }

    /// Checks every field and reports all problems at once.
    pub fn parse(&self) -> Result<Suggestion, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut fail = |field: &str, message: String| errors.push(FieldError { field: field.into(), message });

        let quote = normalise_newlines(&self.quote);
        let quote = (!quote.trim().is_empty()).then_some(quote);
        if let Some(q) = &quote {
            if q.chars().count() > MAX_QUOTE_CHARS {
                fail("quote", format!("Select at most {MAX_QUOTE_CHARS} characters."));
            } else if has_control_chars(q) {
                fail("quote", "The selected text contains characters we cannot accept.".into());
            }
        }
        let kind = Kind::parse(self.kind.trim());
        if kind.is_none() {
            fail("kind", "Choose the type of problem.".into());
        }
        let suggested = normalise_newlines(self.suggested.trim());
        if suggested.is_empty() {
            fail("suggested", "Write what the text should say.".into());
        } else if suggested.chars().count() > MAX_SUGGESTED_CHARS {
            fail("suggested", format!("Keep the suggested text under {MAX_SUGGESTED_CHARS} characters."));
        } else if has_control_chars(&suggested) {
            fail("suggested", "The suggested text contains characters we cannot accept.".into());
        }
        let note = normalise_newlines(self.note.trim());
        if note.chars().count() > MAX_NOTE_CHARS {
            fail("note", format!("Keep the note under {MAX_NOTE_CHARS} characters."));
        } else if has_control_chars(&note) {
            fail("note", "The note contains characters we cannot accept.".into());
        }
        let email = self.email.trim();
        if !email.is_empty() && !is_plausible_email(email) {
            fail("email", "Enter an email address like name@example.org, or leave it empty.".into());
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Suggestion {
            quote,
            prefix: self.prefix.chars().rev().take(64).collect::<Vec<_>>().into_iter().rev().collect(),
            suffix: self.suffix.chars().take(64).collect(),
            hint: self.hint,
            kind: kind.unwrap_or(Kind::Other),
            suggested,
            note: (!note.is_empty()).then_some(note),
            email: (!email.is_empty()).then(|| email.to_owned()),
        })
    }
}

/// Where a suggestion group stands on the correction desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Waiting for an editor.
    Open,
    /// Applied or accepted: its notice is published.
    Accepted,
    Dismissed,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Open, Status::Accepted, Status::Dismissed];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Accepted => "accepted",
            Self::Dismissed => "dismissed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

impl TryFrom<String> for Status {
    type Error = String;

    fn try_from(raw: String) -> Result<Self, String> {
        Self::parse(&raw).ok_or_else(|| format!("unknown suggestion status {raw}"))
    }
}

/// Characters a published correction notice may hold.
pub const MAX_NOTICE_CHARS: usize = 500;
/// Characters an editor's replacement text may hold.
pub const MAX_REPLACEMENT_CHARS: usize = 2_000;

/// What a published notice says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    Correction,
    Clarification,
    EditorsNote,
    Update,
}

impl NoticeKind {
    pub const ALL: [Self; 4] = [Self::Correction, Self::Clarification, Self::EditorsNote, Self::Update];

    /// The desk's choice; anything unknown is a correction.
    pub fn parse(raw: &str) -> Self {
        Self::ALL.into_iter().find(|k| k.as_str() == raw).unwrap_or(Self::Correction)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Correction => "correction",
            Self::Clarification => "clarification",
            Self::EditorsNote => "editors_note",
            Self::Update => "update",
        }
    }

    /// As readers see it on the notice.
    pub fn label(self) -> &'static str {
        match self {
            Self::Correction => "Correction",
            Self::Clarification => "Clarification",
            Self::EditorsNote => "Editor\u{2019}s note",
            Self::Update => "Update",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> SuggestionForm {
        SuggestionForm {
            quote: "diffrence".into(),
            kind: "typo".into(),
            suggested: "difference".into(),
            ..Default::default()
        }
    }

    fn fields(errors: Vec<FieldError>) -> Vec<String> {
        errors.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_complete_suggestion_parses() {
        let s = SuggestionForm { note: " Spelling. ".into(), email: "reader@example.org".into(), ..form() }
            .parse()
            .unwrap();
        assert_eq!(s.quote.as_deref(), Some("diffrence"));
        assert_eq!(s.kind, Kind::Typo);
        assert_eq!(s.note.as_deref(), Some("Spelling."));
        assert_eq!(s.email.as_deref(), Some("reader@example.org"));
    }

    #[test]
    fn an_empty_suggestion_is_rejected() {
        assert_eq!(fields(SuggestionForm { suggested: "  \n ".into(), ..form() }.parse().unwrap_err()), ["suggested"]);
    }

    #[test]
    fn an_unknown_kind_is_rejected() {
        assert_eq!(fields(SuggestionForm { kind: "rant".into(), ..form() }.parse().unwrap_err()), ["kind"]);
    }

    #[test]
    fn over_long_fields_are_rejected() {
        let long = |n| "x".repeat(n);
        let f = SuggestionForm { quote: long(501), suggested: long(2001), note: long(1001), ..form() };
        assert_eq!(fields(f.parse().unwrap_err()), ["quote", "suggested", "note"]);
        assert!(SuggestionForm { quote: long(500), note: long(1000), ..form() }.parse().is_ok());
    }

    #[test]
    fn control_characters_are_rejected_but_line_breaks_kept() {
        assert_eq!(
            fields(SuggestionForm { suggested: "a\u{0}b".into(), ..form() }.parse().unwrap_err()),
            ["suggested"]
        );
        let s = SuggestionForm { suggested: "line one\r\nline two".into(), ..form() }.parse().unwrap();
        assert_eq!(s.suggested, "line one\nline two");
    }

    #[test]
    fn an_empty_email_is_allowed_and_a_bad_one_refused() {
        assert!(SuggestionForm { email: "   ".into(), ..form() }.parse().is_ok());
        assert_eq!(fields(SuggestionForm { email: "a@b".into(), ..form() }.parse().unwrap_err()), ["email"]);
    }

    #[test]
    fn the_plain_form_may_omit_the_phrase() {
        let s = SuggestionForm { quote: " ".into(), ..form() }.parse().unwrap();
        assert_eq!(s.quote, None);
    }

    #[test]
    fn scripts_and_emoji_are_kept_exactly() {
        let text = "«Київ» — café 👋🏽 “quoted”";
        let s = SuggestionForm { suggested: text.into(), note: text.into(), ..form() }.parse().unwrap();
        assert_eq!(s.suggested, text);
        assert_eq!(s.note.as_deref(), Some(text));
    }

    #[test]
    fn a_filled_honeypot_marks_a_bot() {
        assert!(SuggestionForm { website: "http://spam".into(), ..form() }.is_bot());
        assert!(!form().is_bot());
    }
}
