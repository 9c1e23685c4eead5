//! Reader comments: the form as sent, the comment once valid, how a body is shown, and the
//! reports readers make about comments.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::text::{FieldError, has_control_chars, is_plausible_email, normalise_newlines, thousands};

/// How a comment's text is shown.
mod body;
/// Why comments wait, and the queues.
mod holds;
/// Readers' reports about comments.
mod report;

pub use body::*;
pub use holds::*;
pub use report::*;

pub const MAX_NAME_CHARS: usize = 80;

pub const MAX_BODY_CHARS: usize = 5_000;

/// Replies nest three levels: depths 0, 1 and 2.
pub const MAX_DEPTH: i64 = 2;

/// More links than this hold a comment for a moderator even in post-moderation.
pub const MAX_LINKS: usize = 2;

/// Top-level comments per page of the thread.
pub const COMMENTS_PER_PAGE: u32 = 50;
/// Replies shown under one top-level comment, at most (the oldest).
pub const MAX_REPLIES: u32 = 200;

/// Where a comment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Waits for a moderator; only its author sees it.
    Pending,
    Published,
    Rejected,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Published => "published",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Pending, Self::Published, Self::Rejected].into_iter().find(|s| s.as_str() == raw)
    }
}

impl TryFrom<String> for Status {
    type Error = String;

    fn try_from(raw: String) -> Result<Self, String> {
        Self::parse(&raw).ok_or_else(|| format!("unknown comment status {raw}"))
    }
}

/// The fields as the comment form or the comment box sends them. Every field is always
/// written: server functions speak postcard, which has no field names to leave one out by.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub body: String,
    /// The id of the comment replied to; empty for a top-level comment.
    #[serde(default)]
    pub parent: String,
    /// A field people never see: bots fill it in.
    #[serde(default)]
    pub website: String,
    /// The "Email me when someone replies" box: any value is ticked.
    #[serde(default)]
    pub notify: String,
}

/// A comment whose fields are all valid (the parent is checked against the article later).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComment {
    pub name: String,
    pub email: Option<String>,
    pub body: String,
    pub parent: Option<i64>,
    /// Mail the writer when someone replies (once they confirm their address).
    pub notify: bool,
}

/// Refused: reply notifications asked for without an address to send them to.
pub const NOTIFY_NEEDS_EMAIL: &str = "Enter your email to be told of replies, or untick the box.";

impl CommentForm {
    pub fn is_bot(&self) -> bool {
        !self.website.trim().is_empty()
    }

    /// Checks every field and reports all problems at once.
    pub fn parse(&self) -> Result<NewComment, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut fail = |field: &str, message: &str| {
            errors.push(FieldError { field: field.into(), message: message.into() });
        };
        let too_long = |what: &str, max: usize| format!("Keep your {what} to {} characters or fewer.", thousands(max));
        let name = self.name.trim();
        if name.is_empty() {
            fail("name", "Enter your name.");
        } else if name.chars().count() > MAX_NAME_CHARS {
            fail("name", &too_long("name", MAX_NAME_CHARS));
        } else if name.chars().any(char::is_control) {
            fail("name", "Your name contains characters we cannot accept.");
        }
        let email = self.email.trim();
        if !email.is_empty() && !is_plausible_email(email) {
            fail("email", "Enter an email address like name@example.org, or leave it empty.");
        }
        let notify = !self.notify.trim().is_empty();
        if notify && email.is_empty() {
            fail("email", NOTIFY_NEEDS_EMAIL);
        }
        let body = normalise_newlines(self.body.trim());
        if body.is_empty() {
            fail("body", "Write a comment before posting.");
        } else if body.chars().count() > MAX_BODY_CHARS {
            fail("body", &too_long("comment", MAX_BODY_CHARS));
        } else if has_control_chars(&body) {
            fail("body", "Your comment contains characters we cannot accept.");
        }
        let parent = match self.parent.trim() {
            "" => None,
            raw => match raw.parse::<i64>() {
                Ok(id) if id > 0 => Some(id),
                _ => {
                    fail("parent", "The comment you replied to does not exist.");
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(NewComment {
            name: name.to_owned(),
            email: (!email.is_empty()).then(|| email.to_owned()),
            body,
            parent,
            notify,
        })
    }
}

/// Order of the top-level comments; replies always read oldest first under their parent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Order {
    #[default]
    Oldest,
    Newest,
}

impl Order {
    pub fn parse(raw: Option<&str>) -> Self {
        if raw == Some("newest") { Self::Newest } else { Self::Oldest }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Oldest => "oldest",
            Self::Newest => "newest",
        }
    }
}

/// One comment as the article page shows it, with its visible replies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentView {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub depth: i64,
    pub author_name: String,
    pub body: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Only ever true for the author's own comments: nobody else sees pending ones.
    pub pending: bool,
    pub featured: bool,
    /// Written by a signed-in staff member.
    pub staff: bool,
    pub replies: Vec<CommentView>,
}

impl CommentView {
    pub fn can_reply(&self) -> bool {
        self.depth < MAX_DEPTH
    }
}

/// A comment just stored, as its author's browser shows it at once. Times come formatted so
/// the browser's code needs no date library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posted {
    pub id: i64,
    pub author_name: String,
    pub body: String,
    pub pending: bool,
    pub staff: bool,
    /// RFC 3339, for `<time datetime>`.
    pub at_machine: String,
    /// "28 November 2026, 20:42 UTC"
    pub at_label: String,
}

/// The comment section of an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thread {
    /// Published comments on the article.
    pub count: i64,
    pub featured: Vec<CommentView>,
    /// A page of top-level comments, each with its replies.
    pub comments: Vec<CommentView>,
    pub order: Order,
    pub page: u32,
    pub has_more: bool,
    pub closed: bool,
}

impl Default for Thread {
    /// No comments yet, first page, open.
    fn default() -> Self {
        Self {
            count: 0,
            featured: Vec::new(),
            comments: Vec::new(),
            order: Order::Oldest,
            page: 1,
            has_more: false,
            closed: false,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn forms_cross_the_server_function_codec_whole_even_when_empty() {
        let empty = super::CommentForm::default();
        let bytes = postcard::to_allocvec(&empty).unwrap();
        assert_eq!(postcard::from_bytes::<super::CommentForm>(&bytes).unwrap(), empty);
        let report = super::ReportForm { reason: String::new(), note: "x".into() };
        assert_eq!(
            postcard::from_bytes::<super::ReportForm>(&postcard::to_allocvec(&report).unwrap()).unwrap(),
            report
        );
    }

    use super::*;

    fn form() -> CommentForm {
        CommentForm { name: "Ada".into(), body: "A fair point.".into(), ..Default::default() }
    }

    #[test]
    fn reply_notifications_need_an_address() {
        let form = CommentForm { name: "Ada".into(), body: "Hi".into(), notify: "yes".into(), ..Default::default() };
        let errors = form.parse().unwrap_err();
        assert_eq!(errors[0].field, "email");
        assert_eq!(errors[0].message, NOTIFY_NEEDS_EMAIL);
        assert!(!CommentForm { notify: String::new(), ..form }.parse().unwrap().notify, "off unless ticked");
    }

    fn fields(errors: Vec<FieldError>) -> Vec<String> {
        errors.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_complete_comment_parses_trimmed() {
        let c = CommentForm {
            name: "  Ada Byron ".into(),
            email: " ada@example.org ".into(),
            body: "\n Line one\r\nLine two \n".into(),
            parent: " 12 ".into(),
            website: String::new(),
            notify: "yes".into(),
        }
        .parse()
        .unwrap();
        assert!(c.notify);
        assert_eq!(c.name, "Ada Byron");
        assert_eq!(c.email.as_deref(), Some("ada@example.org"));
        assert_eq!(c.body, "Line one\nLine two");
        assert_eq!(c.parent, Some(12));
    }

    #[test]
    fn names_must_be_present_short_and_printable() {
        for bad in ["", "   ", &"n".repeat(81), "Ada\nByron", "Ada\u{0}"] {
            assert_eq!(fields(CommentForm { name: bad.into(), ..form() }.parse().unwrap_err()), ["name"], "{bad:?}");
        }
        assert!(CommentForm { name: "n".repeat(80), ..form() }.parse().is_ok());
        assert!(CommentForm { name: "Zoë Ŀ 李".into(), ..form() }.parse().is_ok());
    }

    #[test]
    fn bodies_must_be_present_within_limits_and_printable() {
        for bad in ["", " \n\t ", &"b".repeat(5_001), "bell\u{7}", "escape \u{1b}[31m"] {
            assert_eq!(fields(CommentForm { body: bad.into(), ..form() }.parse().unwrap_err()), ["body"], "{bad:?}");
        }
        // The limit counts characters after trimming, not bytes.
        assert!(CommentForm { body: format!("  {}  ", "é".repeat(5_000)), ..form() }.parse().is_ok());
        let tabbed = CommentForm { body: "a\tb".into(), ..form() }.parse().unwrap();
        assert_eq!(tabbed.body, "a\tb");
    }

    #[test]
    fn markup_is_kept_verbatim() {
        let body = "<script>alert('x')</script> & <b>bold</b>";
        assert_eq!(CommentForm { body: body.into(), ..form() }.parse().unwrap().body, body);
    }

    #[test]
    fn a_bad_email_or_parent_is_named() {
        let f = CommentForm { email: "nope".into(), parent: "x".into(), ..form() };
        assert_eq!(fields(f.parse().unwrap_err()), ["email", "parent"]);
        assert_eq!(fields(CommentForm { parent: "-3".into(), ..form() }.parse().unwrap_err()), ["parent"]);
        assert_eq!(CommentForm { parent: "".into(), ..form() }.parse().unwrap().parent, None);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let f = CommentForm { name: "".into(), body: "".into(), email: "a@b".into(), ..form() };
        assert_eq!(fields(f.parse().unwrap_err()), ["name", "email", "body"]);
    }

    #[test]
    fn honeypot_marks_a_bot() {
        assert!(CommentForm { website: "x".into(), ..form() }.is_bot());
        assert!(!form().is_bot());
    }

    #[test]
    fn orders_parse_with_oldest_as_default() {
        assert_eq!(Order::parse(Some("newest")), Order::Newest);
        assert_eq!(Order::parse(Some("sideways")), Order::Oldest);
        assert_eq!(Order::parse(None), Order::Oldest);
    }
}
