//! The interactive parts of pages, hydrated in the browser. Everything else is static HTML.

/// The article editor's live preview.
pub mod article_preview;
/// Reply and Report under each comment.
pub mod comment_actions;
/// The comment form, as a top-level box and as a reply form.
pub mod comment_box;
/// Select text, press Ctrl+Enter, suggest a correction.
pub mod correction_widget;
/// Keyboard shortcuts and a live count for the moderation queue.
pub mod queue_keys;
/// "Copy link" for an article.
pub mod share_link;

pub use dom::{FormFields, clear_field, focus_id};

/// Small DOM helpers with the same signatures on both sides, so island code needs no
/// `cfg`: on the server they do nothing (islands only act in the browser).
#[cfg(feature = "hydrate")]
mod dom {
    use leptos::html;
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;

    /// A form's fields as the browser would submit them.
    pub struct FormFields(web_sys::FormData);

    impl FormFields {
        pub fn read(form: &NodeRef<html::Form>) -> Option<Self> {
            web_sys::FormData::new_with_form(&form.get_untracked()?).ok().map(Self)
        }

        pub fn get(&self, name: &str) -> String {
            self.0.get(name).as_string().unwrap_or_default()
        }
    }

    /// Empties one text field of a form (after its text was sent).
    pub fn clear_field(form: &NodeRef<html::Form>, name: &str) {
        let field = form.get_untracked().and_then(|f| f.query_selector(&format!("[name={name}]")).ok().flatten());
        if let Some(area) = field.as_ref().and_then(|f| f.dyn_ref::<web_sys::HtmlTextAreaElement>()) {
            area.set_value("");
        } else if let Some(input) = field.as_ref().and_then(|f| f.dyn_ref::<web_sys::HtmlInputElement>()) {
            input.set_value("");
        }
    }

    /// Moves focus to an element by id once the pending DOM updates are drawn.
    pub fn focus_id(id: &str) {
        let id = id.to_owned();
        request_animation_frame(move || {
            if let Some(element) =
                document().get_element_by_id(&id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = element.focus();
            }
        });
    }
}

#[cfg(not(feature = "hydrate"))]
mod dom {
    use leptos::html;
    use leptos::prelude::*;

    pub struct FormFields;

    impl FormFields {
        pub fn read(_form: &NodeRef<html::Form>) -> Option<Self> {
            None
        }

        pub fn get(&self, _name: &str) -> String {
            String::new()
        }
    }

    pub fn clear_field(_form: &NodeRef<html::Form>, _name: &str) {}

    pub fn focus_id(_id: &str) {}
}
