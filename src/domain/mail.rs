//! Mail the site sends: who may receive which kind (`List`), what a message says
//! (`Message`), and its subject, plain text and HTML (`render`). No links that track, no
//! images: the only links are to the story and the signed ones the message needs.

use serde::{Deserialize, Serialize};

use super::text::{escape_attr, escape_text, is_plausible_email};

/// The name messages are signed with and pages carry.
pub const SITE_NAME: &str = "Copydesk";

/// What a recipient can unsubscribe from, each on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum List {
    /// What became of a reader's correction suggestion.
    Corrections,
    /// Replies to a reader's comment (and the confirmation that asks for them).
    Replies,
    /// The staff digest of waiting work.
    Digest,
}

impl List {
    pub const ALL: [List; 3] = [List::Corrections, List::Replies, List::Digest];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Corrections => "corrections",
            Self::Replies => "replies",
            Self::Digest => "digest",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == raw)
    }

    /// What the unsubscribe page says the reader will no longer get.
    pub fn described(self) -> &'static str {
        match self {
            Self::Corrections => "news of the corrections you suggest",
            Self::Replies => "emails about replies to your comments",
            Self::Digest => "the staff digest of waiting work",
        }
    }
}

/// An address as mail is kept and compared: trimmed and lower-cased, or `None` when it is
/// not an address.
pub fn address(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    is_plausible_email(trimmed).then(|| trimmed.to_lowercase())
}

/// The start of a comment for a message: at most `max` characters, cut at a word, on one
/// line.
pub fn excerpt(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}\u{2026}")
}

/// Where a comment stands on its story's page.
pub fn comment_path(slug: &str, comment_id: i64) -> String {
    format!("/articles/{slug}#comment-{comment_id}")
}

/// One reply in a reply notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub author: String,
    pub excerpt: String,
    pub url: String,
}

/// What a message says, as stored in the outbox (JSON) and rendered when shown or sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Message {
    /// The reader's suggestion was applied or accepted: a notice is on the story.
    CorrectionPublished {
        headline: String,
        article_url: String,
        /// The notice's kind as readers see it ("Correction", "Clarification", …).
        notice_kind: String,
        notice: String,
        quote: String,
        /// The sentence as it reads now, when the text was changed.
        now_reads: Option<String>,
    },
    /// The passage the reader pointed to had already been changed by a later revision.
    CorrectionAlreadyFixed { headline: String, article_url: String, quote: String },
    /// The reader's suggestion was dismissed, with the editor's reason if one was given.
    CorrectionDismissed { headline: String, article_url: String, quote: String, reason: Option<String> },
    /// Asks a reader to confirm that they want reply notifications (double opt-in).
    ConfirmReplies { headline: String, confirm_url: String },
    /// Replies to a reader's comment, batched: at most one message per thread an hour.
    Replies { headline: String, your_comment: String, replies: Vec<Reply> },
    /// What waits on the desk, for a staff member who asked for it.
    Digest { comments: i64, reports: i64, suggestions: i64, desk_url: String },
}

impl Message {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::CorrectionPublished { .. } => "correction_published",
            Self::CorrectionAlreadyFixed { .. } => "correction_already_fixed",
            Self::CorrectionDismissed { .. } => "correction_dismissed",
            Self::ConfirmReplies { .. } => "confirm_replies",
            Self::Replies { .. } => "replies",
            Self::Digest { .. } => "digest",
        }
    }

    pub fn list(&self) -> List {
        match self {
            Self::CorrectionPublished { .. }
            | Self::CorrectionAlreadyFixed { .. }
            | Self::CorrectionDismissed { .. } => List::Corrections,
            Self::ConfirmReplies { .. } | Self::Replies { .. } => List::Replies,
            Self::Digest { .. } => List::Digest,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(raw: &str) -> Option<Self> {
        serde_json::from_str(raw).ok()
    }
}

/// A message ready to send or show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// A paragraph of a message: plain words, or words that link somewhere.
enum Part {
    Text(String),
    Quote(String),
    Link(String, String),
}

fn counted(n: i64, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

fn quoted(text: &str) -> String {
    format!("\u{201c}{text}\u{201d}")
}

/// The subject and body of `message`, signed with the site's name and address;
/// `unsubscribe_url` ends every message.
pub fn render(message: &Message, site_url: &str, unsubscribe_url: &str) -> Rendered {
    use Part::{Link, Quote, Text};
    let (subject, parts) = match message {
        Message::CorrectionPublished { headline, article_url, notice_kind, notice, quote, now_reads } => {
            let mut parts = vec![
                Text(format!("Thank you: the correction you suggested to {} has been published.", quoted(headline))),
                Text(format!("You pointed to: {}", quoted(quote))),
            ];
            if let Some(now_reads) = now_reads {
                parts.push(Text("The sentence now reads:".into()));
                parts.push(Quote(now_reads.clone()));
            }
            parts.push(Text(format!("{notice_kind}: {notice}")));
            parts.push(Link("Read the story and its notice".into(), format!("{article_url}#corrections")));
            (format!("Your correction was published: {headline}"), parts)
        }
        Message::CorrectionAlreadyFixed { headline, article_url, quote } => (
            format!("About your suggestion: {headline}"),
            vec![
                Text(format!("Thank you for your suggestion about {}.", quoted(headline))),
                Text(format!("You pointed to: {}", quoted(quote))),
                Text("That passage had already been changed when the editors read your suggestion.".into()),
                Link("Read the story as it is now".into(), article_url.clone()),
            ],
        ),
        Message::CorrectionDismissed { headline, article_url, quote, reason } => {
            let mut parts = vec![
                Text(format!("Thank you for your suggestion about {}.", quoted(headline))),
                Text(format!("You pointed to: {}", quoted(quote))),
                Text("The editors looked at it and decided not to change the story.".into()),
            ];
            if let Some(reason) = reason.as_deref().filter(|r| !r.is_empty()) {
                parts.push(Text(format!("Their reason: {reason}")));
            }
            parts.push(Link("The story".into(), article_url.clone()));
            (format!("About your suggestion: {headline}"), parts)
        }
        Message::ConfirmReplies { headline, confirm_url } => (
            "Confirm reply notifications".to_owned(),
            vec![
                Text(format!(
                    "You asked to be told of replies to your comment on {}. Follow this link to confirm; \
                     until you do, nothing else is sent to this address.",
                    quoted(headline)
                )),
                Link("Yes, email me when someone replies".into(), confirm_url.clone()),
                Text("If you did not ask, ignore this message.".into()),
            ],
        ),
        Message::Replies { headline, your_comment, replies } => {
            let mut parts = vec![Text(format!("On {}, you wrote: {}", quoted(headline), quoted(your_comment)))];
            for reply in replies {
                parts.push(Text(format!("{} replied:", reply.author)));
                parts.push(Quote(reply.excerpt.clone()));
                parts.push(Link("Read the reply".into(), reply.url.clone()));
            }
            let subject = match replies.len() {
                1 => format!("New reply to your comment: {headline}"),
                n => format!("{n} new replies to your comment: {headline}"),
            };
            (subject, parts)
        }
        Message::Digest { comments, reports, suggestions, desk_url } => (
            format!(
                "Waiting on the desk: {}, {}, {}",
                counted(*comments, "comment"),
                counted(*reports, "report"),
                counted(*suggestions, "correction")
            ),
            vec![
                Text(format!(
                    "Waiting: {} for moderation, {} of comments to review, and {} suggestions to decide.",
                    counted(*comments, "comment"),
                    counted(*reports, "report"),
                    counted(*suggestions, "correction")
                )),
                Link("Open the inbox".into(), desk_url.clone()),
            ],
        ),
    };
    let footer = [
        Text(format!("{SITE_NAME} \u{b7} {site_url}")),
        Link(format!("Unsubscribe from {}", message.list().described()), unsubscribe_url.to_owned()),
    ];
    let mut text = String::new();
    let mut html = String::from("<!DOCTYPE html><html><body style=\"font-family: sans-serif; line-height: 1.5\">");
    for (i, part) in parts.iter().chain([Text("\u{2014}".into())].iter()).chain(footer.iter()).enumerate() {
        if i > 0 {
            text.push_str("\n\n");
        }
        match part {
            Text(words) => {
                text.push_str(words);
                html.push_str(&format!("<p>{}</p>", escape_text(words)));
            }
            Quote(words) => {
                text.push_str(&format!("> {words}"));
                html.push_str(&format!("<blockquote>{}</blockquote>", escape_text(words)));
            }
            Link(label, url) => {
                // Links the data layer made are paths on the site.
                let url = if url.starts_with('/') { format!("{site_url}{url}") } else { url.clone() };
                text.push_str(&format!("{label}: {url}"));
                html.push_str(&format!("<p><a href=\"{}\">{}</a></p>", escape_attr(&url), escape_text(label)));
            }
        }
    }
    html.push_str("</body></html>");
    Rendered { subject, text, html }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn published() -> Message {
        Message::CorrectionPublished {
            headline: "Tram <line> opens".into(),
            article_url: "https://news.example/articles/tram".into(),
            notice_kind: "Correction".into(),
            notice: "The line opens in May, not June.".into(),
            quote: "June".into(),
            now_reads: Some("The line opens in May.".into()),
        }
    }

    #[test]
    fn a_message_survives_the_outbox() {
        let message = published();
        assert_eq!(Message::from_json(&message.to_json()), Some(message));
        assert_eq!(Message::from_json("{\"kind\":\"nonsense\"}"), None);
    }

    #[test]
    fn both_parts_say_the_same_and_the_html_is_escaped() {
        let out = render(&published(), "https://news.example", "https://news.example/mail/unsubscribe?x");
        assert_eq!(out.subject, "Your correction was published: Tram <line> opens");
        assert!(out.text.contains("> The line opens in May."), "{}", out.text);
        assert!(out.text.contains("Correction: The line opens in May, not June."));
        assert!(out.text.contains("https://news.example/articles/tram#corrections"));
        assert!(out.text.ends_with("news of the corrections you suggest: https://news.example/mail/unsubscribe?x"));
        assert!(out.html.contains("Tram &lt;line&gt; opens"));
        assert!(!out.html.contains("<line>"));
        assert!(!out.html.contains("<img"), "no tracking pixels");
    }

    #[test]
    fn a_dismissal_gives_the_reason_only_when_there_is_one() {
        let dismissed = |reason: Option<&str>| Message::CorrectionDismissed {
            headline: "H".into(),
            article_url: "u".into(),
            quote: "q".into(),
            reason: reason.map(str::to_owned),
        };
        assert!(render(&dismissed(Some("It is right.")), "s", "x").text.contains("Their reason: It is right."));
        assert!(!render(&dismissed(Some("")), "s", "x").text.contains("Their reason"));
    }

    #[test]
    fn an_already_fixed_passage_says_so_and_links_to_the_story() {
        let fixed = Message::CorrectionAlreadyFixed {
            headline: "H".into(),
            article_url: "/articles/h".into(),
            quote: "q".into(),
        };
        let out = render(&fixed, "https://news.example", "x");
        assert_eq!(out.subject, "About your suggestion: H");
        assert!(out.text.contains("had already been changed"), "{}", out.text);
        assert!(out.text.contains("https://news.example/articles/h"), "{}", out.text);
        assert_eq!(fixed.list(), List::Corrections);
    }

    #[test]
    fn excerpts_end_at_a_word_and_paths_become_links() {
        assert_eq!(excerpt("Short\n\nand sweet", 40), "Short and sweet");
        assert_eq!(excerpt("The council met on Monday evening", 20), "The council met on\u{2026}");
        let replies = Message::Replies {
            headline: "Tide".into(),
            your_comment: "Mine".into(),
            replies: vec![Reply { author: "Ben".into(), excerpt: "Yes".into(), url: comment_path("tide", 7) }],
        };
        let out = render(&replies, "https://news.example", "u");
        assert_eq!(out.subject, "New reply to your comment: Tide");
        assert!(out.text.contains("Read the reply: https://news.example/articles/tide#comment-7"), "{}", out.text);
    }

    #[test]
    fn addresses_are_compared_lower_cased() {
        assert_eq!(address(" Reader@Example.ORG "), Some("reader@example.org".into()));
        assert_eq!(address("not an address"), None);
        assert_eq!(List::parse("replies"), Some(List::Replies));
        assert_eq!(List::parse("all"), None);
    }
}
