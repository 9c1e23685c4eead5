//! The article editor's live preview. The form is plain HTML and saves without JavaScript;
//! this pane follows the body field as the editor types (the server renders the Markdown,
//! so the preview matches the published page exactly) and, when the editor was opened for
//! a reader's suggestion, selects that paragraph in the field.

use leptos::prelude::*;

/// The `id` of the editor's body field, which the preview follows.
pub const BODY_FIELD_ID: &str = "field-body";

/// `html` is the server's rendering of the body as loaded (from `render_html`, which shows
/// raw HTML as text and drops unsafe links: the same HTML the article page writes, so setting
/// it as markup adds nothing the published page would not). `focus` is a UTF-16 range of
/// the body field to select.
#[island]
pub fn ArticlePreview(html: String, focus: Option<(u32, u32)>) -> impl IntoView {
    let rendered = RwSignal::new(html);
    let status = RwSignal::new("Showing the text as loaded.".to_owned());
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        browser::follow(rendered, status, focus);
        #[cfg(not(feature = "hydrate"))]
        let _ = focus;
    });
    view! {
        // Focusable: on wide screens the pane scrolls on its own, and keyboards must reach it.
        <section class="editor-preview" aria-labelledby="preview-heading" tabindex="0">
            <h2 id="preview-heading">"Preview"</h2>
            <p class="preview-status" role="status">{move || status.get()}</p>
            <div class="article-body preview-body" inner_html=move || rendered.get()></div>
        </section>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::time::Duration;

    use leptos::ev;
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::HtmlTextAreaElement;

    use super::BODY_FIELD_ID;
    use crate::api::staff::preview_article;

    /// Typing pauses this long before the preview is refreshed.
    const DEBOUNCE_MS: u64 = 400;

    fn body_field() -> Option<HtmlTextAreaElement> {
        document().get_element_by_id(BODY_FIELD_ID)?.dyn_into().ok()
    }

    pub fn follow(rendered: RwSignal<String>, status: RwSignal<String>, focus: Option<(u32, u32)>) {
        if let (Some(field), Some((start, end))) = (body_field(), focus) {
            select(&field, start, end);
        }
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
            status.set("Preview will update when you pause.".into());
            let timer = set_timeout_with_handle(
                move || {
                    let Some(body) = body_field().map(|f| f.value()) else { return };
                    let request = latest.get_value() + 1;
                    latest.set_value(request);
                    leptos::task::spawn_local(async move {
                        let answer = preview_article(body).await;
                        if latest.get_value() != request {
                            return;
                        }
                        match answer {
                            Ok(html) => {
                                rendered.set(html);
                                status.set("Showing your changes (not saved yet).".into());
                            }
                            Err(_) => {
                                status.set("The preview could not be updated; your text is safe in the form.".into())
                            }
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
