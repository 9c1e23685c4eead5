//! Select text in the article, press Ctrl+Enter (Cmd+Enter on a Mac) or tap the floating
//! button, and suggest a correction in a dialog.

use leptos::html;
use leptos::prelude::*;

use crate::api::corrections::suggest_correction;
use crate::domain::suggestion::{Kind, MAX_NOTE_CHARS, SuggestionForm};
use crate::domain::text::FieldError;
use crate::error::AppError;

/// What the reader selected, as the dialog shows it and the server needs it.
#[derive(Debug, Clone, Default, PartialEq)]
struct Quote {
    text: String,
    prefix: String,
    suffix: String,
    hint: usize,
}

#[island]
pub fn CorrectionWidget(slug: String) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    let quote = RwSignal::new(Quote::default());
    let kind = RwSignal::new(Kind::Typo.as_str().to_owned());
    let suggested = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let website = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    let thanked = RwSignal::new(false);
    // Where the floating button goes, in page coordinates; `None` hides it.
    let float_at = RwSignal::new(None::<(f64, f64)>);
    let dialog = NodeRef::<html::Dialog>::new();

    let field_error = move |field: &'static str| {
        move || errors.with(|e| e.iter().find(|e| e.field == field).map(|e| e.message.clone()))
    };

    // Opens the dialog for the current selection, if it lies in the article.
    let open = move || {
        #[cfg(feature = "hydrate")]
        {
            let Some(captured) = browser::capture() else { return false };
            let Some(dialog) = dialog.get() else { return false };
            browser::remember_focus();
            suggested.set(captured.text.clone());
            quote.set(captured);
            errors.set(Vec::new());
            failure.set(None);
            thanked.set(false);
            float_at.set(None);
            if dialog.show_modal().is_err() {
                return false;
            }
            browser::focus("#cd-suggested");
            return true;
        }
        #[allow(unreachable_code)]
        false
    };

    Effect::new(move |_| {
        hydrated.set(true);
        #[cfg(feature = "hydrate")]
        browser::listen(move || dialog.get().is_some_and(|d| d.open()), open, move |at| float_at.set(at));
    });

    let close = move |_| {
        if let Some(dialog) = dialog.get() {
            dialog.close();
        }
    };
    let on_close = move |_| {
        #[cfg(feature = "hydrate")]
        browser::restore_focus();
    };

    let send = {
        let slug = slug.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if sending.get_untracked() {
                return;
            }
            let q = quote.get_untracked();
            let form = SuggestionForm {
                quote: q.text,
                prefix: q.prefix,
                suffix: q.suffix,
                hint: Some(q.hint),
                kind: kind.get_untracked(),
                suggested: suggested.get_untracked(),
                note: note.get_untracked(),
                email: email.get_untracked(),
                website: website.get_untracked(),
            };
            // Check on the reader's side first: the same rules the server applies.
            if let Err(problems) = form.parse() {
                errors.set(problems);
                return;
            }
            let slug = slug.clone();
            sending.set(true);
            leptos::task::spawn_local(async move {
                let result = suggest_correction(slug, form).await;
                sending.set(false);
                match result {
                    Ok(()) => {
                        errors.set(Vec::new());
                        failure.set(None);
                        thanked.set(true);
                        note.set(String::new());
                    }
                    Err(AppError::Invalid(problems)) => {
                        failure.set(problems.iter().find(|p| p.field == "quote").map(|p| p.message.clone()));
                        errors.set(problems);
                    }
                    Err(other) => failure.set(Some(other.to_string())),
                }
            });
        }
    };

    view! {
        <div class="cd-widget" data-hydrated=move || hydrated.get().then_some("true")>
            <button
                type="button"
                class="cd-float"
                hidden=move || float_at.get().is_none()
                style:top=move || float_at.get().map(|(top, _)| format!("{top}px"))
                style:left=move || float_at.get().map(|(_, left)| format!("{left}px"))
                // Keep the selection: a press on the button would otherwise clear it.
                on:mousedown=|ev| ev.prevent_default()
                on:click=move |_| {
                    open();
                }
            >
                "Suggest a correction"
            </button>
            <dialog node_ref=dialog class="cd-dialog" aria-labelledby="cd-title" on:close=on_close>
                <div class="cd-head">
                    <h2 id="cd-title">"Suggest a correction"</h2>
                    <button type="button" class="cd-close button-quiet" aria-label="Close" on:click=close>
                        "×"
                    </button>
                </div>
                <p class="cd-context">
                    <span class="cd-context-label">"Selected text: "</span>
                    "…"
                    {move || quote.with(|q| q.prefix.clone())}
                    <mark>{move || quote.with(|q| q.text.clone())}</mark>
                    {move || quote.with(|q| q.suffix.clone())}
                    "…"
                </p>
                <Show when=move || thanked.get()>
                    <p class="notice notice-success" role="status">
                        "Thank you. The editors will review your suggestion."
                    </p>
                    <button type="button" on:click=close>"Close"</button>
                </Show>
                <form class="stacked" on:submit=send hidden=move || thanked.get() novalidate>
                    <div class="field">
                        <label for="cd-kind">"Type of problem"</label>
                        <select id="cd-kind" name="kind" on:change=move |ev| kind.set(event_target_value(&ev)) prop:value=move || kind.get()>
                            {Kind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="cd-suggested">"Suggested text"</label>
                        <textarea
                            id="cd-suggested"
                            name="suggested"
                            rows="3"
                            aria-invalid=move || field_error("suggested")().map(|_| "true")
                            aria-describedby="cd-suggested-error"
                            bind:value=suggested
                        ></textarea>
                        <p class="field-error" id="cd-suggested-error" aria-live="polite">{field_error("suggested")}</p>
                    </div>
                    <div class="field">
                        <label for="cd-note">"Note for the editors (optional)"</label>
                        <textarea id="cd-note" name="note" rows="3" maxlength=MAX_NOTE_CHARS aria-describedby="cd-note-error" bind:value=note></textarea>
                        <p class="field-error" id="cd-note-error" aria-live="polite">{field_error("note")}</p>
                    </div>
                    <div class="field">
                        <label for="cd-email">"Email (optional)"</label>
                        <input id="cd-email" name="email" type="email" autocomplete="email" aria-describedby="cd-email-error" bind:value=email />
                        <p class="field-error" id="cd-email-error" aria-live="polite">{field_error("email")}</p>
                    </div>
                    <div class="hp" aria-hidden="true">
                        <label>"Leave this empty" <input name="website" type="text" tabindex="-1" autocomplete="off" bind:value=website /></label>
                    </div>
                    <p class="notice notice-error" role="alert" hidden=move || failure.with(Option::is_none)>
                        {move || failure.get()}
                    </p>
                    <button type="submit" disabled=move || sending.get()>"Send suggestion"</button>
                </form>
            </dialog>
        </div>
    }
}

/// Browser-only work: reading the selection, listening for keys, moving focus.
#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::RefCell;

    use leptos::prelude::{document, window};
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use web_sys::{Element, HtmlElement, KeyboardEvent, Node};

    use super::Quote;
    use crate::domain::anchor::CONTEXT_CHARS;

    const SCOPE: &str = "[data-cd-scope]";
    const EXCLUDED: &str = "[data-cd-exclude]";
    const BLOCKS: &str = "p,li,h1,h2,h3,h4,h5,h6,blockquote,pre,td,th,dd,dt,figcaption";
    const SHOW_TEXT: u32 = 0x4;

    thread_local! {
        static RETURN_FOCUS: RefCell<Option<HtmlElement>> = const { RefCell::new(None) };
    }

    /// Ctrl+Enter / Cmd+Enter opens the dialog for a selection in the article; any change of
    /// selection moves or hides the floating button.
    pub fn listen(
        is_open: impl Fn() -> bool + Clone + 'static,
        open: impl Fn() -> bool + 'static,
        place_button: impl Fn(Option<(f64, f64)>) + 'static,
    ) {
        let on_key = Closure::<dyn Fn(KeyboardEvent)>::new({
            let is_open = is_open.clone();
            move |ev: KeyboardEvent| {
                let shortcut = ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) && !ev.alt_key();
                if shortcut && !is_open() && open() {
                    ev.prevent_default();
                }
            }
        });
        let on_selection =
            Closure::<dyn Fn()>::new(move || place_button(if is_open() { None } else { button_position() }));
        let doc = document();
        let _ = doc.add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
        let _ = doc.add_event_listener_with_callback("selectionchange", on_selection.as_ref().unchecked_ref());
        // The listeners live as long as the page.
        on_key.forget();
        on_selection.forget();
    }

    /// Where the floating button goes: just below the end of a selection in the article.
    fn button_position() -> Option<(f64, f64)> {
        let selection = window().get_selection().ok()??;
        if selection.is_collapsed() || selection.range_count() == 0 {
            return None;
        }
        let range = selection.get_range_at(0).ok()?;
        if !in_scope(&range.start_container().ok()?) || !in_scope(&range.end_container().ok()?) {
            return None;
        }
        let rects = range.get_client_rects()?;
        let last = rects.get(rects.length().checked_sub(1)?)?;
        let (x, y) = (window().scroll_x().ok()?, window().scroll_y().ok()?);
        let width = document().document_element()?.client_width() as f64;
        // Keep the button on screen on narrow phones.
        let left = (last.right() + x - 40.0).clamp(x + 8.0, x + (width - 200.0).max(8.0));
        Some((last.bottom() + y + 8.0, left))
    }

    fn in_scope(node: &Node) -> bool {
        let element = match node.dyn_ref::<Element>() {
            Some(element) => Some(element.clone()),
            None => node.parent_element(),
        };
        element
            .is_some_and(|e| e.closest(SCOPE).ok().flatten().is_some() && e.closest(EXCLUDED).ok().flatten().is_none())
    }

    /// Reads the selection as the article's text: the same text nodes the server's plain text
    /// is made of, with a line break between blocks. Returns `None` unless both ends of a
    /// non-empty selection lie in the article's headline, dek or body.
    pub fn capture() -> Option<Quote> {
        let selection = window().get_selection().ok()??;
        if selection.is_collapsed() || selection.range_count() == 0 {
            return None;
        }
        let range = selection.get_range_at(0).ok()?;
        let (start_node, end_node) = (range.start_container().ok()?, range.end_container().ok()?);
        if !in_scope(&start_node) || !in_scope(&end_node) {
            return None;
        }
        let doc = document();
        let scopes = doc.query_selector_all(SCOPE).ok()?;
        let mut text = String::new();
        let mut utf16_len = 0usize;
        let (mut start, mut end, mut hint) = (None, None, 0usize);
        let mut last_block: Option<Element> = None;
        for i in 0..scopes.length() {
            let Some(scope) = scopes.item(i) else { continue };
            if !text.is_empty() {
                text.push_str("\n\n");
                utf16_len += 2;
                last_block = None;
            }
            let walker = doc.create_tree_walker_with_what_to_show(&scope, SHOW_TEXT).ok()?;
            while let Ok(Some(node)) = walker.next_node() {
                let parent = node.parent_element();
                if parent.as_ref().is_some_and(|p| p.closest(EXCLUDED).ok().flatten().is_some()) {
                    continue;
                }
                let block = parent.and_then(|p| p.closest(BLOCKS).ok().flatten());
                if block != last_block && !text.is_empty() && !text.ends_with('\n') {
                    text.push('\n');
                    utf16_len += 1;
                }
                last_block = block;
                let data = node.text_content().unwrap_or_default();
                let data_utf16 = data.encode_utf16().count();
                if range.intersects_node(&node).unwrap_or(false) {
                    let from =
                        if node.is_same_node(Some(&start_node)) { range.start_offset().ok()? as usize } else { 0 };
                    let to =
                        if node.is_same_node(Some(&end_node)) { range.end_offset().ok()? as usize } else { data_utf16 };
                    if start.is_none() {
                        start = Some(text.len() + byte_index(&data, from));
                        hint = utf16_len + from;
                    }
                    end = Some(text.len() + byte_index(&data, to));
                }
                text.push_str(&data);
                utf16_len += data_utf16;
            }
        }
        let (start, end) = (start?, end?);
        let quote = text.get(start..end)?.to_owned();
        if quote.trim().is_empty() {
            return None;
        }
        let before: Vec<char> = text[..start].chars().collect();
        let prefix = before[before.len().saturating_sub(CONTEXT_CHARS)..].iter().collect();
        let suffix = text[end..].chars().take(CONTEXT_CHARS).collect();
        Some(Quote { text: quote, prefix, suffix, hint })
    }

    /// The byte index in `text` of a position counted in UTF-16 units, as the DOM counts.
    fn byte_index(text: &str, utf16: usize) -> usize {
        let mut units = 0;
        for (index, c) in text.char_indices() {
            if units >= utf16 {
                return index;
            }
            units += c.len_utf16();
        }
        text.len()
    }

    pub fn remember_focus() {
        let active = document().active_element().and_then(|e| e.dyn_into::<HtmlElement>().ok());
        RETURN_FOCUS.with(|f| *f.borrow_mut() = active);
    }

    pub fn restore_focus() {
        if let Some(element) = RETURN_FOCUS.with(|f| f.borrow_mut().take()) {
            let _ = element.focus();
        }
    }

    pub fn focus(selector: &str) {
        if let Some(element) =
            document().query_selector(selector).ok().flatten().and_then(|e| e.dyn_into::<HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    }
}
