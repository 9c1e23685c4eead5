//! Reader comments: the form as sent, the comment once valid, how a body is shown, and the
//! reports readers make about comments.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::text::{FieldError, has_control_chars, is_plausible_email, normalise_newlines};

pub const MAX_NAME_CHARS: usize = 80;
pub const MAX_BODY_CHARS: usize = 5_000;
pub const MAX_REPORT_NOTE_CHARS: usize = 300;
/// Replies nest three levels: depths 0, 1 and 2.
pub const MAX_DEPTH: i64 = 2;
/// More links than this hold a comment for a moderator even in post-moderation.
pub const MAX_LINKS: usize = 2;
/// Top-level comments per page of the thread.
pub const COMMENTS_PER_PAGE: u32 = 50;

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
}

/// A comment whose fields are all valid (the parent is checked against the article later).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComment {
    pub name: String,
    pub email: Option<String>,
    pub body: String,
    pub parent: Option<i64>,
}

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
        let name = self.name.trim();
        if name.is_empty() {
            fail("name", "Enter your name.");
        } else if name.chars().count() > MAX_NAME_CHARS {
            fail("name", "Keep your name to 80 characters or fewer.");
        } else if name.chars().any(char::is_control) {
            fail("name", "Your name contains characters we cannot accept.");
        }
        let email = self.email.trim();
        if !email.is_empty() && !is_plausible_email(email) {
            fail("email", "Enter an email address like name@example.org, or leave it empty.");
        }
        let body = normalise_newlines(self.body.trim());
        if body.is_empty() {
            fail("body", "Write a comment before posting.");
        } else if body.chars().count() > MAX_BODY_CHARS {
            fail("body", "Keep your comment to 5,000 characters or fewer.");
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
        Ok(NewComment { name: name.to_owned(), email: (!email.is_empty()).then(|| email.to_owned()), body, parent })
    }
}

/// Moderation mode: whether new comments wait for a moderator or appear at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Moderation {
    Pre,
    Post,
}

impl Moderation {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pre => "pre",
            Self::Post => "post",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "pre" => Some(Self::Pre),
            "post" => Some(Self::Post),
            _ => None,
        }
    }
}

/// Why a comment waits for a moderator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hold {
    Premoderation,
    Links(usize),
    SuspectWord(String),
}

impl Hold {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Premoderation => "premoderation",
            Self::Links(_) => "links",
            Self::SuspectWord(_) => "suspect_word",
        }
    }

    pub fn detail(&self) -> Option<String> {
        match self {
            Self::Premoderation => None,
            Self::Links(n) => Some(format!("{n} links")),
            Self::SuspectWord(word) => Some(word.clone()),
        }
    }
}

/// Decides whether a comment is held: a suspect word or too many links hold it in any
/// mode (the more specific reason is recorded), pre-moderation holds everything.
pub fn hold_for(mode: Moderation, suspect_word: Option<&str>, body: &str) -> Option<Hold> {
    let links = count_links(body);
    if let Some(word) = suspect_word {
        Some(Hold::SuspectWord(word.to_owned()))
    } else if links > MAX_LINKS {
        Some(Hold::Links(links))
    } else if mode == Moderation::Pre {
        Some(Hold::Premoderation)
    } else {
        None
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
            return Err(error("note", "Keep the explanation to 300 characters or fewer."));
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

/// A body as it is shown: paragraphs at blank lines, each a list of lines.
pub fn paragraphs(text: &str) -> Vec<Vec<&str>> {
    text.split("\n\n").filter(|p| !p.trim().is_empty()).map(|p| p.trim_matches('\n').split('\n').collect()).collect()
}

/// A piece of a comment body: text, or a web address made into a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment<'a> {
    Text(&'a str),
    Link { text: &'a str, href: String },
}

/// Splits a body into text and bare web addresses (`http://`, `https://`, `www.`).
pub fn segments(text: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut rest_from = 0;
    let mut i = 0;
    while i < text.len() {
        if let Some(len) = link_at(text, i) {
            if rest_from < i {
                out.push(Segment::Text(&text[rest_from..i]));
            }
            let link = &text[i..i + len];
            let href = if link.starts_with("www.") { format!("https://{link}") } else { link.to_owned() };
            out.push(Segment::Link { text: link, href });
            i += len;
            rest_from = i;
        } else {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    if rest_from < text.len() {
        out.push(Segment::Text(&text[rest_from..]));
    }
    out
}

/// How many web addresses a body contains.
pub fn count_links(text: &str) -> usize {
    segments(text).iter().filter(|s| matches!(s, Segment::Link { .. })).count()
}

/// The byte length of a web address starting at `at`, if one does.
fn link_at(text: &str, at: usize) -> Option<usize> {
    let rest = &text[at..];
    let scheme = ["https://", "http://", "www."]
        .into_iter()
        .find(|s| rest.as_bytes().get(..s.len()).is_some_and(|p| p.eq_ignore_ascii_case(s.as_bytes())))?;
    // Only at the start of a word: "awww.example" is not an address.
    if text[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '/' || c == '.') {
        return None;
    }
    let end = rest.find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`')).unwrap_or(rest.len());
    let mut candidate = &rest[..end];
    // Sentence punctuation after an address is not part of it; a closing bracket is only
    // when the address opened one.
    loop {
        let trimmed = candidate.trim_end_matches(['.', ',', ';', ':', '!', '?', '\'', '*']);
        let trimmed = if trimmed.ends_with(')') && trimmed.matches('(').count() < trimmed.matches(')').count() {
            &trimmed[..trimmed.len() - 1]
        } else {
            trimmed
        };
        if trimmed.len() == candidate.len() {
            break;
        }
        candidate = trimmed;
    }
    let host = candidate.get(scheme.len()..).filter(|h| !h.is_empty())?;
    let host_name = host.split(['/', '?', '#']).next().unwrap_or("");
    let plausible = !host_name.is_empty() && (scheme != "www." || host_name.contains('.'));
    plausible.then_some(candidate.len())
}

/// A moderation queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    Pending,
    Reported,
    Approved,
    Rejected,
    All,
}

impl Queue {
    pub const ALL: [Queue; 5] = [Queue::Pending, Queue::Reported, Queue::Approved, Queue::Rejected, Queue::All];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Reported => "reported",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::All => "all",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "Pending",
            Self::Reported => "Reported",
            Self::Approved => "Approved",
            Self::Rejected => "Rejected",
            Self::All => "All",
        }
    }

    pub fn parse(raw: Option<&str>) -> Option<Self> {
        match raw {
            None | Some("") => Some(Self::Pending),
            Some(raw) => Self::ALL.into_iter().find(|q| q.as_str() == raw),
        }
    }
}

/// How many comments each queue holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueCounts {
    pub pending: i64,
    pub reported: i64,
    pub approved: i64,
    pub rejected: i64,
    pub all: i64,
    /// Grows whenever a comment or a report arrives (the newest comment id plus the newest
    /// report id), so an open queue notices arrivals even when moderators elsewhere keep its
    /// count unchanged.
    pub arrivals: i64,
}

impl QueueCounts {
    pub fn of(&self, queue: Queue) -> i64 {
        match queue {
            Queue::Pending => self.pending,
            Queue::Reported => self.reported,
            Queue::Approved => self.approved,
            Queue::Rejected => self.rejected,
            Queue::All => self.all,
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

    #[test]
    fn paragraphs_split_at_blank_lines_and_keep_line_breaks() {
        assert_eq!(super::paragraphs("one\ntwo\n\n\n\nthree\n\n  \n\n"), vec![vec!["one", "two"], vec!["three"]]);
        assert!(super::paragraphs("").is_empty());
    }

    use super::*;

    fn form() -> CommentForm {
        CommentForm { name: "Ada".into(), body: "A fair point.".into(), ..Default::default() }
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
        }
        .parse()
        .unwrap();
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

    fn links(text: &str) -> Vec<(&str, String)> {
        segments(text)
            .into_iter()
            .filter_map(|s| match s {
                Segment::Link { text, href } => Some((text, href)),
                Segment::Text(_) => None,
            })
            .collect()
    }

    #[test]
    fn bare_addresses_become_links() {
        assert_eq!(
            links("See https://example.org/a?b=1#c, and www.example.net."),
            [
                ("https://example.org/a?b=1#c", "https://example.org/a?b=1#c".into()),
                ("www.example.net", "https://www.example.net".into())
            ]
        );
        assert_eq!(links("(see http://example.org/x)"), [("http://example.org/x", "http://example.org/x".into())]);
        assert_eq!(
            links("http://en.example.org/wiki/Foo_(bar)!"),
            [("http://en.example.org/wiki/Foo_(bar)", "http://en.example.org/wiki/Foo_(bar)".into())]
        );
        assert_eq!(links("HTTPS://EXAMPLE.ORG"), [("HTTPS://EXAMPLE.ORG", "HTTPS://EXAMPLE.ORG".into())]);
    }

    #[test]
    fn things_that_are_not_addresses_stay_text() {
        for text in [
            "javascript:alert(1)",
            "http://",
            "www.",
            "awww.example.org",
            "mailto:a@b.org",
            "wwwexample",
            "data:text/html,x",
        ] {
            assert!(links(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn segments_cover_the_whole_text_in_order() {
        let text = "a www.example.org b https://x.example c 👋";
        let joined: String = segments(text)
            .into_iter()
            .map(|s| match s {
                Segment::Text(t) | Segment::Link { text: t, .. } => t,
            })
            .collect();
        assert_eq!(joined, text);
        assert_eq!(count_links(text), 2);
    }

    #[test]
    fn links_in_quotes_and_markup_stop_at_the_quote() {
        assert_eq!(
            links("<a href=\"http://evil.example\">x</a>"),
            [("http://evil.example", "http://evil.example".into())]
        );
    }

    #[test]
    fn holds_follow_the_mode_links_and_suspect_words() {
        assert_eq!(hold_for(Moderation::Post, None, "fine"), None);
        assert_eq!(hold_for(Moderation::Pre, None, "fine"), Some(Hold::Premoderation));
        let three = "http://a.example http://b.example http://c.example";
        assert_eq!(hold_for(Moderation::Post, None, three), Some(Hold::Links(3)));
        assert_eq!(hold_for(Moderation::Post, None, "http://a.example http://b.example"), None);
        assert_eq!(hold_for(Moderation::Pre, Some("odd"), three), Some(Hold::SuspectWord("odd".into())));
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

    #[test]
    fn orders_parse_with_oldest_as_default() {
        assert_eq!(Order::parse(Some("newest")), Order::Newest);
        assert_eq!(Order::parse(Some("sideways")), Order::Oldest);
        assert_eq!(Order::parse(None), Order::Oldest);
    }
}
