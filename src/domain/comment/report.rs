//! Readers' reports about comments: the reasons, the form as sent, the report once valid.

use serde::{Deserialize, Serialize};

use crate::domain::text::{FieldError, has_control_chars, normalise_newlines};

pub const MAX_REPORT_NOTE_CHARS: usize = 300;

/// Why a reader reports a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportReason {
    Spam,
    Abuse,
    OffTopic,
    Other,
}

impl ReportReason {
    pub const ALL: [Self; 4] = [Self::Spam, Self::Abuse, Self::OffTopic, Self::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Spam => "spam",
            Self::Abuse => "abuse",
            Self::OffTopic => "off_topic",
            Self::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Spam => "Spam or advertising",
            Self::Abuse => "Abuse or harassment",
            Self::OffTopic => "Off-topic",
            Self::Other => "Something else",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw)
    }
}

/// A report as the form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub note: String,
}

/// A valid report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub reason: ReportReason,
    pub note: Option<String>,
}

impl ReportForm {
    pub fn parse(&self) -> Result<Report, Vec<FieldError>> {
        let error = |field: &str, message: &str| vec![FieldError { field: field.into(), message: message.into() }];
        let reason = ReportReason::parse(self.reason.trim()).ok_or_else(|| error("reason", "Choose a reason."))?;
        let note = normalise_newlines(self.note.trim());
        if note.chars().count() > MAX_REPORT_NOTE_CHARS {
            return Err(error(
                "note",
                &format!("Keep the explanation to {MAX_REPORT_NOTE_CHARS} characters or fewer."),
            ));
        }
        if has_control_chars(&note) {
            return Err(error("note", "The explanation contains characters we cannot accept."));
        }
        if reason == ReportReason::Other && note.is_empty() {
            return Err(error("note", "Say briefly what is wrong with this comment."));
        }
        Ok(Report { reason, note: (!note.is_empty()).then_some(note) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(errors: Vec<FieldError>) -> Vec<String> {
        errors.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn reports_need_a_reason_and_other_needs_words() {
        let r = ReportForm { reason: "spam".into(), note: "".into() }.parse().unwrap();
        assert_eq!(r, Report { reason: ReportReason::Spam, note: None });
        assert_eq!(fields(ReportForm { reason: "rude".into(), ..Default::default() }.parse().unwrap_err()), ["reason"]);
        assert_eq!(fields(ReportForm { reason: "other".into(), note: "  ".into() }.parse().unwrap_err()), ["note"]);
        assert_eq!(fields(ReportForm { reason: "other".into(), note: "n".repeat(301) }.parse().unwrap_err()), ["note"]);
        let other = ReportForm { reason: "other".into(), note: " Wrong name ".into() }.parse().unwrap();
        assert_eq!(other.note.as_deref(), Some("Wrong name"));
    }
}
