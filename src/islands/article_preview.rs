//! The article editor's live preview and copy check. The form is plain HTML and saves
//! without JavaScript; this pane follows the fields as the editor types (the server renders
//! the Markdown, so the preview matches the published page exactly, and runs the copy
//! check, whose findings it marks and lists), applies a suggestion with one click, sends
//! "Ignore" and "Add to house dictionary" without leaving the page and, when the editor was
//! opened for a reader's suggestion, selects that paragraph in the field.

use leptos::html;
use leptos::prelude::*;

/// The `id` of the editor's body field, which the preview follows.
pub const BODY_FIELD_ID: &str = "field-body";

/// `children` is the body as loaded, rendered by the server (`PreviewBody`), then the copy
/// check's list. `slug` is the article's, once it is saved.
#[island]
pub fn ArticlePreview(slug: Option<String>, children: Children) -> impl IntoView {
    let root = NodeRef::<html::Section>::new();
    root.on_load(move |root| {
        #[cfg(feature = "hydrate")]
        browser::follow(root.into(), slug.clone());
        #[cfg(not(feature = "hydrate"))]
        let _ = (root, &slug);
    });
    view! {
        // Focusable: on wide screens the pane scrolls on its own, and keyboards must reach it.
        <section class="editor-preview" aria-labelledby="preview-heading" tabindex="0" node_ref=root>
            <h2 id="preview-heading">"Preview"</h2>
            <p class="preview-status" role="status">"Showing the text as loaded."</p>
            {children()}
        </section>
    }
}

/// The preview's body. `html` is the server's rendering of the Markdown (`render_html`, which
/// shows raw HTML as text and drops unsafe links: the same HTML the article page writes).
/// `focus` is a UTF-16 range of the body field to select (a reader's suggestion).
#[component]
pub fn PreviewBody(html: String, focus: Option<(u32, u32)>) -> impl IntoView {
    let focus = focus.map(|(start, end)| format!("{start},{end}"));
    view! { <div class="article-body preview-body" data-focus=focus inner_html=html></div> }
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::rc::Rc;
    use std::time::Duration;

    use leptos::ev;
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{Element, HtmlInputElement, HtmlTextAreaElement};

    use super::BODY_FIELD_ID;
    use crate::api::preview_article::{Draft, check_action, preview_article};
    use crate::islands::dom;

    /// Typing pauses this long before the preview is refreshed.
    const DEBOUNCE_MS: u64 = 400;

    /// The fields the preview and the check follow.
    const FIELDS: [&str; 4] = ["field-title", "field-dek", BODY_FIELD_ID, "field-lang"];

    fn body_field() -> Option<HtmlTextAreaElement> {
        document().get_element_by_id(BODY_FIELD_ID)?.dyn_into().ok()
    }

    fn value_of(id: &str) -> String {
        let Some(element) = document().get_element_by_id(id) else { return String::new() };
        match element.dyn_into::<HtmlTextAreaElement>() {
            Ok(area) => area.value(),
            Err(element) => element.dyn_into::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default(),
        }
    }

    fn set_value(id: &str, value: &str) {
        let Some(element) = document().get_element_by_id(id) else { return };
        match element.dyn_into::<HtmlTextAreaElement>() {
            Ok(area) => area.set_value(value),
            Err(element) => {
                if let Ok(input) = element.dyn_into::<HtmlInputElement>() {
                    input.set_value(value);
                }
            }
        }
    }

    /// The fix buttons need this script: shown once it runs.
    fn show_fixes(root: &Element) {
        for button in dom::find_all(root, ".check-fix") {
            let _ = button.remove_attribute("hidden");
        }
    }

    /// `value` with UTF-16 units `start..end` replaced, when they still hold `expected`;
    /// otherwise the first `expected` replaced (the text moved since the check).
    fn replaced(value: &str, start: usize, end: usize, expected: &str, replacement: &str) -> Option<String> {
        let units: Vec<u16> = value.encode_utf16().collect();
        let there = units.get(start..end).map(String::from_utf16_lossy);
        if there.as_deref() == Some(expected) {
            let mut out = String::from_utf16_lossy(&units[..start]);
            out.push_str(replacement);
            out.push_str(&String::from_utf16_lossy(&units[end..]));
            return Some(out);
        }
        value.find(expected).map(|at| format!("{}{replacement}{}", &value[..at], &value[at + expected.len()..]))
    }

    pub fn follow(root: Element, slug: Option<String>) {
        let (Some(status), Some(body)) = (dom::find(&root, ".preview-status"), dom::find(&root, ".preview-body"))
        else {
            return;
        };
        show_fixes(&root);
        let focus = body.get_attribute("data-focus");
        let range = focus
            .as_deref()
            .and_then(|f| f.split_once(','))
            .and_then(|(s, e)| Some((s.parse().ok()?, e.parse().ok()?)));
        if let (Some(field), Some((start, end))) = (body_field(), range) {
            select(&field, start, end);
        }
        let status = Rc::new(move |text: &str| status.set_text_content(Some(text)));
        // Responses can arrive out of order; only the latest request's answer is shown.
        let latest = StoredValue::new(0u64);
        let refresh = {
            let (root, status, slug) = (root.clone(), status.clone(), slug.clone());
            Rc::new(move || {
                let draft = Draft {
                    title: value_of("field-title"),
                    dek: value_of("field-dek"),
                    body: value_of(BODY_FIELD_ID),
                    lang: value_of("field-lang"),
                    slug: slug.clone(),
                };
                let request = latest.get_value() + 1;
                latest.set_value(request);
                let (root, body, status) = (root.clone(), body.clone(), status.clone());
                leptos::task::spawn_local(async move {
                    let answer = preview_article(draft).await;
                    if latest.get_value() != request {
                        return;
                    }
                    match answer {
                        // The server's rendering, as the published page would show it
                        // (raw HTML in the text comes back as text), and the check's list.
                        Ok(preview) => {
                            body.set_inner_html(&preview.body);
                            if let Some(list) = dom::find(&root, ".check-list") {
                                list.set_outer_html(&preview.checks);
                            } else {
                                let _ = root.insert_adjacent_html("beforeend", &preview.checks);
                            }
                            show_fixes(&root);
                            status("Showing your changes (not saved yet).");
                        }
                        Err(_) => status("The preview could not be updated; your text is safe in the form."),
                    }
                });
            })
        };
        let pending: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
        let handle = {
            let (refresh, status) = (refresh.clone(), status.clone());
            window_event_listener(ev::input, move |event| {
                let followed = event
                    .target()
                    .and_then(|t| t.dyn_into::<Element>().ok())
                    .is_some_and(|e| FIELDS.contains(&e.id().as_str()));
                if !followed {
                    return;
                }
                if let Some(timer) = pending.get_value() {
                    timer.clear();
                }
                status("Preview will update when you pause.");
                let refresh = refresh.clone();
                let timer = set_timeout_with_handle(move || refresh(), Duration::from_millis(DEBOUNCE_MS));
                pending.set_value(timer.ok());
            })
        };
        // The listener lives as long as the page.
        std::mem::forget(handle);

        // A suggestion's button puts it in the field, then the check runs again.
        {
            let (refresh, status) = (refresh.clone(), status.clone());
            dom::on(&root, "click", move |event| {
                let Some(button) = dom::target_closest(&event, ".check-fix") else { return };
                let attr = |name: &str| button.get_attribute(name).unwrap_or_default();
                let field = attr("data-field");
                let (start, end) = (attr("data-start").parse().unwrap_or(0), attr("data-end").parse().unwrap_or(0));
                match replaced(&value_of(&field), start, end, &attr("data-text"), &attr("data-replacement")) {
                    Some(value) => {
                        set_value(&field, &value);
                        status("Suggestion applied in the form (not saved yet).");
                        refresh();
                    }
                    None => status("That text is no longer in the field."),
                }
            });
        }
        // "Ignore" and "Add to house dictionary" without leaving the page (and the typing).
        dom::on(&root, "submit", move |event| {
            let Some(form) = dom::target_closest(&event, "form.check-action") else { return };
            event.prevent_default();
            let action = form.get_attribute("action").unwrap_or_default();
            let input = |name: &str| {
                dom::find(&form, &format!("input[name={name}]"))
                    .and_then(|i| i.dyn_into::<HtmlInputElement>().ok())
                    .map(|i| i.value())
                    .unwrap_or_default()
            };
            let (what, kind, text) = if action.ends_with("/check/ignore") {
                ("ignore", input("kind"), input("text"))
            } else if action.ends_with("/check/show-ignored") {
                ("show-ignored", String::new(), String::new())
            } else {
                ("add", String::new(), input("word"))
            };
            let (refresh, status, slug) = (refresh.clone(), status.clone(), slug.clone());
            leptos::task::spawn_local(async move {
                match check_action(what.to_owned(), slug, kind, text.clone()).await {
                    Ok(()) => {
                        status(&match what {
                            "add" => format!("\u{201c}{text}\u{201d} added to the house dictionary."),
                            "ignore" => format!("\u{201c}{text}\u{201d} ignored in this article."),
                            _ => "Ignored problems shown again.".to_owned(),
                        });
                        refresh();
                    }
                    Err(error) => status(&error.to_string()),
                }
            });
        });
    }

    /// Selects `start..end` (UTF-16 units) of the field and scrolls it into view.
    fn select(field: &HtmlTextAreaElement, start: u32, end: u32) {
        let _ = field.focus();
        let _ = field.set_selection_range(start, end);
        // Put the selected line near the top: lines before it times the line height.
        let before = field.value().encode_utf16().take(start as usize).filter(|&u| u == u16::from(b'\n')).count();
        let lines = field.value().lines().count().max(1);
        let per_line = f64::from(field.scroll_height()) / lines as f64;
        field.set_scroll_top((before as f64 * per_line) as i32);
    }
}
