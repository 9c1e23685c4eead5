//! The stretches of an article a reader reads, with where they are in the source: the
//! headline, the dek, and the body's text outside code, link targets and raw HTML.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::content::markdown::{Field, OPTIONS, is_block, lang_of_link};

/// An article's checked fields.
#[derive(Debug, Clone, Copy)]
pub struct Article<'a> {
    pub title: &'a str,
    pub dek: Option<&'a str>,
    pub body_md: &'a str,
}

impl<'a> Article<'a> {
    pub fn source(&self, field: Field) -> &'a str {
        match field {
            Field::Title => self.title,
            Field::Dek => self.dek.unwrap_or_default(),
            Field::Body => self.body_md,
        }
    }
}

/// A run of text in one block (paragraph, heading, list item, cell) of one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub field: Field,
    /// Blocks are numbered through the whole article, in reading order.
    pub block: usize,
    pub range: Range<usize>,
    /// Text marked as another language (`[bon appétit](lang:fr)`).
    pub lang: Option<String>,
}

/// The article's text in reading order.
pub fn segments(article: &Article) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut block = 0;
    for (field, text) in [(Field::Title, article.title), (Field::Dek, article.dek.unwrap_or_default())] {
        if !text.is_empty() {
            out.push(Segment { field, block, range: 0..text.len(), lang: None });
            block += 1;
        }
    }
    let mut in_code = 0usize;
    let mut in_html = 0usize;
    let mut link_langs: Vec<Option<String>> = Vec::new();
    for (event, range) in Parser::new_ext(article.body_md, OPTIONS).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code += 1,
            Event::End(TagEnd::CodeBlock) => in_code = in_code.saturating_sub(1),
            Event::Start(Tag::HtmlBlock) => in_html += 1,
            Event::End(TagEnd::HtmlBlock) => in_html = in_html.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => link_langs.push(lang_of_link(&dest_url).map(|l| l.to_string())),
            Event::End(TagEnd::Link) => {
                link_langs.pop();
            }
            Event::Text(_) | Event::SoftBreak if in_code == 0 && in_html == 0 => {
                let lang = link_langs.iter().rev().find_map(Clone::clone);
                match out.last_mut() {
                    Some(last)
                        if last.field == Field::Body
                            && last.block == block
                            && last.lang == lang
                            && last.range.end == range.start =>
                    {
                        last.range.end = range.end;
                    }
                    _ if matches!(event, Event::SoftBreak) => {}
                    _ => out.push(Segment { field: Field::Body, block, range, lang }),
                }
            }
            Event::End(tag) if is_block(tag) => block += 1,
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(body: &str) -> Vec<(usize, String, Option<String>)> {
        let article = Article { title: "", dek: None, body_md: body };
        segments(&article).into_iter().map(|s| (s.block, body[s.range].to_owned(), s.lang)).collect()
    }

    #[test]
    fn code_link_targets_and_html_are_not_text() {
        let got = texts(
            "See [the report](https://example.org/a-report) and `let x`.\n\n```\ncode here\n```\n\n<div>raw</div>\n",
        );
        let words: Vec<_> = got.iter().map(|(_, t, _)| t.as_str()).collect();
        assert_eq!(words, ["See ", "the report", " and ", "."]);
    }

    #[test]
    fn lines_of_one_paragraph_join_and_blocks_are_numbered() {
        let got = texts("one the\nthe two\n\n## Head\n\n- item");
        assert_eq!(got[0], (0, "one the\nthe two".to_owned(), None));
        assert_eq!(got[1].0, 1);
        assert_eq!(got[2].0, 2);
    }

    #[test]
    fn text_marked_as_another_language_says_so() {
        let got = texts("He said [bon appétit](lang:fr) twice.");
        assert_eq!(got[1], (0, "bon appétit".to_owned(), Some("fr".to_owned())));
    }
}
