//! Article and topic data as pages display them.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A topic as linked from articles: `/topics/{slug}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct TopicRef {
    pub slug: String,
    pub name: String,
}

/// What a list of articles shows of each: the front page, topic pages, the related box.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ArticleSummary {
    pub slug: String,
    pub title: String,
    pub dek: Option<String>,
    pub byline: String,
    #[serde(with = "time::serde::rfc3339")]
    pub published_at: OffsetDateTime,
    /// Published comments, kept by the database's triggers.
    #[serde(default)]
    pub comment_count: i64,
    /// The authors with profiles, in byline order (none: the free-text byline is shown).
    /// Read for a whole list at once (`db::authors::of_cards`), not with each row.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub authors: Vec<crate::domain::author::AuthorRef>,
    /// The story's lead image, for the card's thumbnail (read for a whole list at once).
    #[serde(default)]
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub image: Option<crate::domain::media::Picture>,
}

impl ArticleSummary {
    /// What a card says of the conversation: "No comments yet", "1 comment", "12 comments".
    pub fn comments_label(&self) -> String {
        match self.comment_count {
            n if n <= 0 => "No comments yet".to_owned(),
            1 => "1 comment".to_owned(),
            n => format!("{n} comments"),
        }
    }
}

/// One top-level block of an article body, already rendered to safe HTML on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodyBlock {
    pub html: String,
    pub is_paragraph: bool,
}

/// A published correction, clarification, editor's note or update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Notice {
    pub slug: String,
    pub title: String,
    /// `NoticeKind::as_str`: "correction", "clarification", "editors_note" or "update".
    pub kind: String,
    pub note: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When a reader first reported what the notice corrects (notices from the desk's own
    /// edits have none).
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub reported_at: Option<OffsetDateTime>,
}

impl Notice {
    /// "Fixed 3 hours after a reader first reported it", for notices that came from readers.
    pub fn time_to_fix(&self) -> Option<String> {
        self.reported_at
            .map(|at| format!("Fixed {} after a reader first reported it.", super::dates::waited(self.created_at, at)))
    }

    /// "Correction", "Clarification", "Editor's note" or "Update", as the notice begins.
    pub fn label(&self) -> &'static str {
        super::suggestion::NoticeKind::parse(&self.kind).label()
    }
}

/// Everything the article page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticlePage {
    pub slug: String,
    pub title: String,
    pub dek: Option<String>,
    pub byline: String,
    #[serde(with = "time::serde::rfc3339")]
    pub published_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub updated_at: Option<OffsetDateTime>,
    pub topics: Vec<TopicRef>,
    pub body: Vec<BodyBlock>,
    pub related: Vec<ArticleSummary>,
    pub comments: super::comment::Thread,
    /// Published corrections and clarifications, oldest first.
    pub notices: Vec<Notice>,
    /// The article's own language, when it is not the site's.
    #[serde(default)]
    pub lang: Option<String>,
    /// The authors with profiles, in byline order; none: the byline text stands alone.
    #[serde(default)]
    pub authors: Vec<super::author::AuthorRef>,
    /// The lead image, with the story's own words for it where it has them.
    #[serde(default)]
    pub lead: Option<super::media::Picture>,
}

impl ArticlePage {
    /// Index of the block after which the "Other Topics of Interest" box goes: the middle
    /// paragraph (the earlier of two middles). `None` when the body has no paragraph.
    pub fn related_box_after(&self) -> Option<usize> {
        let paragraphs: Vec<usize> =
            self.body.iter().enumerate().filter(|(_, b)| b.is_paragraph).map(|(i, _)| i).collect();
        if paragraphs.is_empty() {
            return None;
        }
        Some(paragraphs[(paragraphs.len() - 1) / 2])
    }
}

/// A page of a longer list, with whether another page follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleList {
    pub articles: Vec<ArticleSummary>,
    pub page: u32,
    pub has_next: bool,
}

/// A topic page: the topic and a page of its articles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicPage {
    pub topic: TopicRef,
    pub list: ArticleList,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page_with(blocks: &[bool]) -> ArticlePage {
        ArticlePage {
            slug: "s".into(),
            title: "t".into(),
            dek: None,
            byline: "b".into(),
            published_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: None,
            topics: vec![],
            body: blocks.iter().map(|&is_paragraph| BodyBlock { html: String::new(), is_paragraph }).collect(),
            related: vec![],
            comments: Default::default(),
            notices: vec![],
            lang: None,
            authors: vec![],
            lead: None,
        }
    }

    #[test]
    fn the_related_box_follows_the_middle_paragraph() {
        assert_eq!(page_with(&[true, true, true, true, true]).related_box_after(), Some(2));
        assert_eq!(page_with(&[true, true, true, true]).related_box_after(), Some(1));
        assert_eq!(page_with(&[true]).related_box_after(), Some(0));
    }

    #[test]
    fn headings_and_lists_do_not_count_as_paragraphs() {
        // h2, p, ul, p, p: paragraphs at 1, 3, 4; the middle one is at 3.
        assert_eq!(page_with(&[false, true, false, true, true]).related_box_after(), Some(3));
    }

    #[test]
    fn a_body_without_paragraphs_has_no_place_for_the_box() {
        assert_eq!(page_with(&[false, false]).related_box_after(), None);
    }
}
