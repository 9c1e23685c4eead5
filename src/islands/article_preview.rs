//! The article editor's live preview. The form is plain HTML and saves without JavaScript;
//! this pane follows the body field as the editor types (the server renders the Markdown,
//! so the preview matches the published page exactly) and, when the editor was opened for
//! a reader's suggestion, selects that paragraph in the field.

use leptos::html;
use leptos::prelude::*;

/// The `id` of the editor's body field, which the preview follows.
pub const BODY_FIELD_ID: &str = "field-body";

/// `children` is the body as loaded, rendered by the server (`PreviewBody`).
#[island]
pub fn ArticlePreview(children: Children) -> impl IntoView {
    let root = NodeRef::<html::Section>::new();
    root.on_load(|root| {
        #[cfg(feature = "hydrate")]
        browser::follow(root.into());
        #[cfg(not(feature = "hydrate"))]
        let _ = root;
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
    use std::time::Duration;

    use leptos::ev;
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::HtmlTextAreaElement;

    use super::BODY_FIELD_ID;
    use crate::api::preview_article::preview_article;
    use crate::islands::dom;

    /// Typing pauses this long before the preview is refreshed.
    const DEBOUNCE_MS: u64 = 400;

    fn body_field() -> Option<HtmlTextAreaElement> {
        document().get_element_by_id(BODY_FIELD_ID)?.dyn_into().ok()
    }

    pub fn follow(root: web_sys::Element) {
        let (Some(status), Some(body)) = (dom::find(&root, ".preview-status"), dom::find(&root, ".preview-body"))
        else {
            return;
        };
        let focus = body.get_attribute("data-focus");
        let range = focus
            .as_deref()
            .and_then(|f| f.split_once(','))
            .and_then(|(s, e)| Some((s.parse().ok()?, e.parse().ok()?)));
        if let (Some(field), Some((start, end))) = (body_field(), range) {
            select(&field, start, end);
        }
        let status = move |text: &str| status.set_text_content(Some(text));
        let pending: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
        // Responses can arrive out of order; only the latest request's answer is shown.
        let latest = StoredValue::new(0u64);
        let handle = window_event_listener(ev::input, move |event| {
            let is_body = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|e| e.id() == BODY_FIELD_ID);
            if !is_body {
                return;
            }
            if let Some(timer) = pending.get_value() {
                timer.clear();
            }
            status("Preview will update when you pause.");
            let (body, status) = (body.clone(), status.clone());
            let timer = set_timeout_with_handle(
                move || {
                    let Some(text) = body_field().map(|f| f.value()) else { return };
                    let request = latest.get_value() + 1;
                    latest.set_value(request);
                    leptos::task::spawn_local(async move {
                        let answer = preview_article(text).await;
                        if latest.get_value() != request {
                            return;
                        }
                        match answer {
                            // The server's rendering, as the published page would show it
                            // (raw HTML in the text comes back as text).
                            Ok(html) => {
                                body.set_inner_html(&html);
                                status("Showing your changes (not saved yet).");
                            }
                            Err(_) => status("The preview could not be updated; your text is safe in the form."),
                        }
                    });
                },
                Duration::from_millis(DEBOUNCE_MS),
            );
            pending.set_value(timer.ok());
        });
        // The listener lives as long as the page.
        std::mem::forget(handle);
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
