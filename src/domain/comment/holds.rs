//! Which comments wait for a moderator and why: the moderation mode, the reasons a comment
//! is held, and the queues moderators work through.

use serde::{Deserialize, Serialize};

use super::{MAX_LINKS, count_links};

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
    /// Open correction suggestions (the inbox counts them with the comments).
    pub suggestions: i64,
    /// Grows whenever a comment or a report arrives (the newest comment id plus the newest
    /// report id), so an open queue notices arrivals even when moderators elsewhere keep its
    /// count unchanged.
    pub arrivals: i64,
}

impl QueueCounts {
    /// Everything the inbox holds: comments waiting, reported comments and suggestions.
    pub fn waiting(&self) -> i64 {
        self.pending + self.reported + self.suggestions
    }

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
    use super::*;

    #[test]
    fn holds_follow_the_mode_links_and_suspect_words() {
        assert_eq!(hold_for(Moderation::Post, None, "fine"), None);
        assert_eq!(hold_for(Moderation::Pre, None, "fine"), Some(Hold::Premoderation));
        let three = "http://a.example http://b.example http://c.example";
        assert_eq!(hold_for(Moderation::Post, None, three), Some(Hold::Links(3)));
        assert_eq!(hold_for(Moderation::Post, None, "http://a.example http://b.example"), None);
        assert_eq!(hold_for(Moderation::Pre, Some("odd"), three), Some(Hold::SuspectWord("odd".into())));
    }
}
