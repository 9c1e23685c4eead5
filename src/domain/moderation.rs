//! Moderation requests from the staff desk: what a moderator may do to a comment, and the
//! limits of the word lists.

/// Entries a word list may hold.
pub const MAX_WORDS: usize = 500;
/// Characters kept of a moderator's reason.
pub const MAX_REASON_CHARS: usize = 200;

/// What a moderator does to comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Approve,
    Reject,
    Feature,
    Unfeature,
    /// Bans the comment's author (by email and address), optionally rejecting the rest.
    Ban,
}

impl Action {
    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "approve" => Self::Approve,
            "reject" => Self::Reject,
            "feature" => Self::Feature,
            "unfeature" => Self::Unfeature,
            "ban" => Self::Ban,
            _ => return None,
        })
    }

    /// What is done, as the audit log and the queue page's notice say it.
    pub fn done(self) -> &'static str {
        match self {
            Self::Approve => "approved",
            Self::Reject => "rejected",
            Self::Feature => "featured",
            Self::Unfeature => "unfeatured",
            Self::Ban => "banned",
        }
    }
}

/// Which moderation word list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordListName {
    /// Words that hold a comment for a moderator.
    Suspect,
    /// Words that refuse a comment.
    Banned,
}

impl WordListName {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Suspect => "suspect",
            Self::Banned => "banned",
        }
    }
}

/// One moderation request: an action on one comment (`one=approve:12`) or on the selected
/// ones (`act=approve`, `ids=12&ids=13`), and the queue to go back to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub action: Action,
    pub ids: Vec<i64>,
    pub reason: Option<String>,
    /// With a ban: reject the author's other comments too.
    pub reject_all: bool,
    pub queue: String,
}

impl Request {
    /// Reads the queue page's form fields; `None` when they name no known action.
    pub fn parse(fields: &[(String, String)]) -> Option<Self> {
        let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_owned());
        let queue = get("queue")
            .filter(|q| crate::domain::comment::Queue::parse(Some(q)).is_some())
            .unwrap_or_else(|| "pending".into());
        if let Some(one) = get("one") {
            let (action, id) = one.split_once(':')?;
            let id: i64 = id.parse().ok()?;
            let reason = get(&format!("reason-{id}"))
                .filter(|r| !r.is_empty())
                .map(|r| r.chars().take(MAX_REASON_CHARS).collect());
            let reject_all = get(&format!("reject-all-{id}")).is_some();
            return Some(Self { action: Action::parse(action)?, ids: vec![id], reason, reject_all, queue });
        }
        let ids = fields.iter().filter(|(k, _)| k == "ids").filter_map(|(_, v)| v.parse().ok()).collect();
        let action = Action::parse(&get("act")?)?;
        // A ban names one author: only from a comment's own button.
        (action != Action::Ban).then_some(Self { action, ids, reason: None, reject_all: false, queue })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn single_and_bulk_requests_parse() {
        let one = Request::parse(&fields(&[
            ("queue", "reported"),
            ("one", "reject:7"),
            ("reason-7", " rude "),
            ("reason-8", "x"),
        ]));
        assert_eq!(
            one,
            Some(Request {
                action: Action::Reject,
                ids: vec![7],
                reason: Some("rude".into()),
                reject_all: false,
                queue: "reported".into()
            })
        );
        let bulk = Request::parse(&fields(&[("act", "approve"), ("ids", "3"), ("ids", "4"), ("ids", "x")])).unwrap();
        assert_eq!((bulk.action, bulk.ids, bulk.queue.as_str()), (Action::Approve, vec![3, 4], "pending"));
        assert_eq!(Request::parse(&fields(&[("one", "approve:x")])), None);
        assert_eq!(Request::parse(&fields(&[("one", "shout:3")])), None, "an unknown action");
        assert_eq!(Request::parse(&fields(&[])), None);
        let ban = Request::parse(&fields(&[("one", "ban:5"), ("reject-all-5", "1"), ("queue", "bogus")])).unwrap();
        assert!(ban.reject_all);
        assert_eq!(ban.queue, "pending");
    }
}
