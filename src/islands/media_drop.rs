//! Drag-and-drop onto the media library's upload form: a file dropped on the form is put in
//! its file field, as if picked. Without JavaScript the file picker does the same job.

use leptos::prelude::*;

/// `children` is the upload form.
#[island]
pub fn MediaDrop(children: Children) -> impl IntoView {
    super::enhanced_div!("media-drop", children, browser::enhance)
}

#[cfg(feature = "hydrate")]
mod browser {
    use wasm_bindgen::JsCast;
    use web_sys::{DragEvent, Element, HtmlInputElement};

    use crate::islands::dom;

    pub fn enhance(root: Element) {
        let (Some(form), Some(input)) = (dom::find(&root, "form"), dom::find(&root, "input[type=file]")) else {
            return;
        };
        let Ok(input) = input.dyn_into::<HtmlInputElement>() else { return };
        for event in ["dragenter", "dragover"] {
            let form_ = form.clone();
            dom::on(&form, event, move |e| {
                // Accepting the drag is what lets the drop happen here, not open the file.
                e.prevent_default();
                let _ = form_.class_list().add_1("dragging");
            });
        }
        let form_ = form.clone();
        dom::on(&form, "dragleave", move |_| {
            let _ = form_.class_list().remove_1("dragging");
        });
        let form_ = form.clone();
        dom::on(&form, "drop", move |e| {
            e.prevent_default();
            let _ = form_.class_list().remove_1("dragging");
            let files = e.dyn_ref::<DragEvent>().and_then(|d| d.data_transfer()).and_then(|t| t.files());
            if let Some(files) = files.filter(|f| f.length() > 0) {
                input.set_files(Some(&files));
                let _ = input.focus();
            }
        });
        let _ = root.set_attribute("data-hydrated", "true");
    }
}
