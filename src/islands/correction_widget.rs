//! Select text in the article, press Ctrl+Enter (Cmd+Enter on a Mac) or tap the floating
//! button, and suggest a correction in a dialog.

use leptos::prelude::*;

use crate::components::form::Honeypot;
use crate::domain::suggestion::{Kind, MAX_NOTE_CHARS};

/// `children` is the `CorrectionDialog`, rendered on the server.
#[island]
pub fn CorrectionWidget(children: Children) -> impl IntoView {
    super::enhanced_div!("cd-widget", children, browser::enhance)
}

/// The floating button and the dialog, closed until a reader opens it. Without JavaScript
/// nothing here shows; the article links to the correction form instead.
#[component]
pub fn CorrectionDialog(slug: String) -> impl IntoView {
    view! {
        <button type="button" class="cd-float" hidden>"Suggest a correction"</button>
        <dialog class="cd-dialog" aria-labelledby="cd-title" data-slug=slug>
            <div class="cd-head">
                <h2 id="cd-title">"Suggest a correction"</h2>
                <button type="button" class="cd-close button-quiet" aria-label="Close" data-close="">"×"</button>
            </div>
            <p class="cd-context">
                <span class="cd-context-label">"Selected text: "</span>
                "…"<span class="cd-prefix"></span><mark></mark><span class="cd-suffix"></span>"…"
            </p>
            <div class="cd-thanks" hidden>
                <p class="notice notice-success" role="status"></p>
                <button type="button" data-close="">"Close"</button>
            </div>
            <form class="stacked" novalidate>
                <div class="field">
                    <label for="cd-kind">"Type of problem"</label>
                    <select id="cd-kind" name="kind">
                        {Kind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="cd-suggested">"Suggested text"</label>
                    <textarea id="cd-suggested" name="suggested" rows="3" aria-describedby="cd-suggested-error"></textarea>
                    <p class="field-error" id="cd-suggested-error" aria-live="polite"></p>
                </div>
                <div class="field">
                    <label for="cd-note">"Note for the editors (optional)"</label>
                    <textarea id="cd-note" name="note" rows="3" maxlength=MAX_NOTE_CHARS aria-describedby="cd-note-error"></textarea>
                    <p class="field-error" id="cd-note-error" aria-live="polite"></p>
                </div>
                <div class="field">
                    <label for="cd-email">"Email (optional)"</label>
                    <input id="cd-email" name="email" type="email" autocomplete="email" aria-describedby="cd-email-error" />
                    <p class="field-error" id="cd-email-error" aria-live="polite"></p>
                </div>
                <Honeypot />
                <p class="notice notice-error" role="alert" hidden></p>
                <button type="submit">"Send suggestion"</button>
            </form>
        </dialog>
    }
}

/// Browser-only work: reading the selection, listening for keys, moving focus.
#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::RefCell;
    use std::rc::Rc;

    use leptos::prelude::{document, window};
    use leptos::task::spawn_local;
    use wasm_bindgen::JsCast;
    use web_sys::{Element, HtmlDialogElement, HtmlElement, KeyboardEvent, Node};

    use crate::api::suggest_correction::suggest_correction;
    use crate::domain::anchor::CONTEXT_CHARS;
    use crate::domain::suggestion::SuggestionForm;
    use crate::domain::text::FieldError;
    use crate::error::AppError;
    use crate::islands::dom;

    const FIELDS: [&str; 3] = ["suggested", "note", "email"];
    /// What the dialog says once a suggestion is stored.
    const THANKS: &str = "Thank you. The editors will review your suggestion.";

    /// What the reader selected, as the dialog shows it and the server needs it.
    #[derive(Debug, Clone, Default, PartialEq)]
    struct Quote {
        text: String,
        prefix: String,
        suffix: String,
        hint: usize,
    }

    struct Widget {
        root: Element,
        dialog: HtmlDialogElement,
        float: HtmlElement,
        slug: String,
        quote: RefCell<Quote>,
    }

    impl Widget {
        fn form(&self) -> Option<Element> {
            dom::find(&self.root, "form")
        }

        fn show_problems(&self, problems: &[FieldError]) {
            dom::show_problems("cd", &FIELDS, problems);
            if let Some(form) = self.form() {
                dom::show_failure(&form, problems.iter().find(|p| p.field == "quote").map(|p| p.message.as_str()));
            }
        }

        fn thank(&self, thanked: bool) {
            if let Some(thanks) = dom::find(&self.root, ".cd-thanks") {
                dom::set_flag(&thanks, "hidden", !thanked);
                if let Some(status) = dom::find(&thanks, "[role=status]") {
                    status.set_text_content(thanked.then_some(THANKS));
                }
            }
            if let Some(form) = self.form() {
                dom::set_flag(&form, "hidden", thanked);
            }
        }

        fn place_float(&self, at: Option<(f64, f64)>) {
            // Whole pixels: formatting a float would bring float printing into the wasm.
            let px = |v: f64| format!("{}px", v.round() as i64);
            let _ = self.float.style().set_property("top", &at.map(|(top, _)| px(top)).unwrap_or_default());
            let _ = self.float.style().set_property("left", &at.map(|(_, left)| px(left)).unwrap_or_default());
            self.float.set_hidden(at.is_none());
        }

        /// Opens the dialog for the current selection, if it lies in the article.
        fn open(&self) -> bool {
            let Some(captured) = capture() else { return false };
            remember_focus();
            dom::set_text_area("cd-suggested", &captured.text);
            for (selector, text) in
                [(".cd-prefix", &captured.prefix), ("mark", &captured.text), (".cd-suffix", &captured.suffix)]
            {
                if let Some(element) = dom::find(&self.root, selector) {
                    element.set_text_content(Some(text));
                }
            }
            *self.quote.borrow_mut() = captured;
            self.show_problems(&[]);
            self.thank(false);
            self.place_float(None);
            if self.dialog.show_modal().is_err() {
                return false;
            }
            focus("#cd-suggested");
            true
        }

        fn send(self: &Rc<Self>, form: Element) {
            let Some(fields) = dom::Fields::of(&form) else { return };
            let quote = self.quote.borrow().clone();
            let suggestion = SuggestionForm {
                quote: quote.text,
                prefix: quote.prefix,
                suffix: quote.suffix,
                hint: Some(quote.hint),
                kind: fields.get("kind"),
                suggested: fields.get("suggested"),
                note: fields.get("note"),
                email: fields.get("email"),
                website: fields.get("website"),
            };
            // Checked on the reader's side first: the same rules the server applies.
            if let Err(problems) = suggestion.parse() {
                self.show_problems(&problems);
                return;
            }
            if !dom::set_sending(&form, true) {
                return;
            }
            let widget = self.clone();
            spawn_local(async move {
                let result = suggest_correction(widget.slug.clone(), suggestion).await;
                dom::set_sending(&form, false);
                match result {
                    Ok(()) => {
                        widget.show_problems(&[]);
                        widget.thank(true);
                        dom::set_text_area("cd-note", "");
                    }
                    Err(AppError::Invalid(problems)) => widget.show_problems(&problems),
                    Err(other) => dom::show_failure(&form, Some(&other.to_string())),
                }
            });
        }
    }

    pub fn enhance(root: Element) {
        let Some(dialog) = dom::find(&root, "dialog").and_then(|d| d.dyn_into::<HtmlDialogElement>().ok()) else {
            return;
        };
        let slug = dialog.get_attribute("data-slug").unwrap_or_default();
        let Some(float) = dom::find(&root, ".cd-float").and_then(|b| b.dyn_into::<HtmlElement>().ok()) else {
            return;
        };
        let widget = Rc::new(Widget { root, dialog, float, slug, quote: RefCell::new(Quote::default()) });

        // Keep the selection: a press on the floating button would otherwise clear it.
        dom::on(&widget.float, "mousedown", |event| event.prevent_default());
        let on_click = widget.clone();
        dom::on(&widget.root, "click", move |event| {
            if dom::target_closest(&event, ".cd-float").is_some() {
                on_click.open();
            } else if dom::target_closest(&event, "[data-close]").is_some() {
                on_click.dialog.close();
            }
        });
        dom::on(&widget.dialog, "close", |_| restore_focus());
        let on_submit = widget.clone();
        dom::on(&widget.root, "submit", move |event| {
            event.prevent_default();
            if let Some(form) = dom::target_closest(&event, "form") {
                on_submit.send(form);
            }
        });
        listen(&widget);
        let _ = widget.root.set_attribute("data-hydrated", "true");
    }

    const SCOPE: &str = "[data-cd-scope]";
    const EXCLUDED: &str = "[data-cd-exclude]";
    const BLOCKS: &str = "p,li,h1,h2,h3,h4,h5,h6,blockquote,pre,td,th,dd,dt,figcaption";
    const SHOW_TEXT: u32 = 0x4;

    thread_local! {
        static RETURN_FOCUS: RefCell<Option<HtmlElement>> = const { RefCell::new(None) };
    }

    /// Ctrl+Enter / Cmd+Enter opens the dialog for a selection in the article; any change of
    /// selection moves or hides the floating button.
    fn listen(widget: &Rc<Widget>) {
        let page: web_sys::EventTarget = document().into();
        let on_key = widget.clone();
        dom::on(&page, "keydown", move |event| {
            let Some(key) = event.dyn_ref::<KeyboardEvent>() else { return };
            let shortcut = key.key() == "Enter" && (key.ctrl_key() || key.meta_key()) && !key.alt_key();
            if shortcut && !on_key.dialog.open() && on_key.open() {
                event.prevent_default();
            }
        });
        let on_selection = widget.clone();
        dom::on(&page, "selectionchange", move |_| {
            on_selection.place_float(if on_selection.dialog.open() { None } else { button_position() });
        });
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
    fn capture() -> Option<Quote> {
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

    fn remember_focus() {
        let active = document().active_element().and_then(|e| e.dyn_into::<HtmlElement>().ok());
        RETURN_FOCUS.with(|f| *f.borrow_mut() = active);
    }

    fn restore_focus() {
        if let Some(element) = RETURN_FOCUS.with(|f| f.borrow_mut().take()) {
            let _ = element.focus();
        }
    }

    fn focus(selector: &str) {
        if let Some(element) =
            document().query_selector(selector).ok().flatten().and_then(|e| e.dyn_into::<HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    }
}
