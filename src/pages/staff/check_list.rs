//! The copy check's findings under the editor's preview: each problem with its reason,
//! suggestions, "Ignore" and "Add to house dictionary". The buttons that change the text
//! need JavaScript (they edit the field in place) and start hidden; "Ignore" and "Add" are
//! forms, which the preview island sends without leaving the page.

use leptos::prelude::*;

use crate::content::markdown::Field;
use crate::copy_check::{Article, Problem};
use crate::services::copy_check::Checked;

/// The `id` of each field in the editor's form.
fn field_id(field: Field) -> &'static str {
    match field {
        Field::Title => "field-title",
        Field::Dek => "field-dek",
        Field::Body => "field-body",
    }
}

fn field_name(field: Field) -> &'static str {
    match field {
        Field::Title => "headline",
        Field::Dek => "dek",
        Field::Body => "text",
    }
}

/// "3 possible problems", as the list and the save message say it.
pub fn count_label(count: usize) -> String {
    match count {
        0 => "no possible problems".to_owned(),
        1 => "1 possible problem".to_owned(),
        n => format!("{n} possible problems"),
    }
}

fn utf16(source: &str, byte: usize) -> usize {
    source.get(..byte).map_or(0, |s| s.encode_utf16().count())
}

#[component]
fn Item(index: usize, problem: Problem, source: String, slug: Option<String>) -> impl IntoView {
    let (line, column) = problem.line_column(&source);
    let place = match problem.field {
        Field::Body => format!("text, line {line}, column {column}"),
        other => field_name(other).to_owned(),
    };
    let (start, end) = (utf16(&source, problem.range.start), utf16(&source, problem.range.end));
    let fixes = problem
        .suggestions
        .iter()
        .map(|s| {
            let label = if s.is_empty() { "Remove it".to_owned() } else { format!("Use \u{201c}{s}\u{201d}") };
            view! {
                <button type="button" class="check-fix button-quiet" hidden
                    data-field=field_id(problem.field) data-start=start.to_string() data-end=end.to_string()
                    data-text=problem.text.clone() data-replacement=s.clone()>{label}</button>
            }
        })
        .collect_view();
    let suggested = (!problem.suggestions.is_empty()).then(|| {
        let list = problem.suggestions.iter().map(|s| format!("\u{201c}{s}\u{201d}")).collect::<Vec<_>>().join(", ");
        view! { <p class="check-suggested">"Suggested: " {list}</p> }
    });
    let kind = problem.kind;
    let ignore = slug.clone().map(|slug| {
        view! {
            <form method="post" action=format!("/staff/articles/{slug}/check/ignore") class="check-action">
                <input type="hidden" name="kind" value=kind.as_str() />
                <input type="hidden" name="text" value=problem.text.clone() />
                <button type="submit" class="button-quiet">"Ignore in this article"</button>
            </form>
        }
    });
    let back =
        slug.map_or_else(|| "/staff/articles/new".to_owned(), |s| format!("/staff/articles/{s}/edit#copy-check"));
    let add = kind.is_word().then(|| {
        view! {
            <form method="post" action="/staff/dictionary" class="check-action">
                <input type="hidden" name="word" value=problem.text.clone() />
                <input type="hidden" name="back" value=back />
                <button type="submit" class="button-quiet">"Add to house dictionary"</button>
            </form>
        }
    });
    view! {
        <li class="check-item" id=format!("problem-{index}") data-problem=index.to_string()>
            <p>
                <strong>{kind.label()}</strong> ": "
                <q class="check-text">{problem.text.clone()}</q>
                <span class="queue-meta">{format!(" ({place})")}</span>
            </p>
            <p class="check-reason">{problem.reason.clone()}</p>
            {suggested}
            <div class="check-actions">{fixes} {ignore} {add}</div>
        </li>
    }
}

/// The list; `slug` is `None` for an article not saved yet (nothing to ignore in).
#[component]
pub fn CheckList(checked: Checked, article: (String, Option<String>, String), slug: Option<String>) -> impl IntoView {
    let (title, dek, body) = article;
    let sources = Article { title: &title, dek: dek.as_deref(), body_md: &body };
    let count = checked.problems.len();
    let items = checked
        .problems
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let source = sources.source(p.field).to_owned();
            view! { <Item index=i + 1 problem=p.clone() source slug=slug.clone() /> }
        })
        .collect_view();
    let spelling = if checked.spelling {
        format!("Spelling checked in {}.", checked.lang)
    } else {
        format!("No dictionary for {} on this server: spelling was not checked.", checked.lang)
    };
    let ignored = (checked.ignored > 0).then(|| {
        let action = slug.as_ref().map(|s| format!("/staff/articles/{s}/check/show-ignored"));
        view! {
            <form method="post" action=action class="check-action check-ignored">
                <span>{format!("{} ignored in this article. ", checked.ignored)}</span>
                <button type="submit" class="button-quiet">"Show them again"</button>
            </form>
        }
    });
    view! {
        <section class="check-list" id="copy-check" aria-labelledby="check-heading">
            <h2 id="check-heading">{format!("Copy check: {}", count_label(count))}</h2>
            <p class="queue-meta">{spelling} " The check advises; it never stops a save or publication."</p>
            {ignored}
            {(count > 0).then(|| view! { <ol class="check-items">{items}</ol> })}
        </section>
    }
}

/// The list as HTML, for the preview island to put in place.
pub fn html(checked: Checked, article: (String, Option<String>, String), slug: Option<String>) -> String {
    view! { <CheckList checked article slug /> }.to_html()
}
