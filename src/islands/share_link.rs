//! "Copy link" for an article's address. It needs the clipboard, so the server renders it
//! hidden and the island shows it; without JavaScript the address bar does the same job.

use leptos::prelude::*;

/// `children` is the `ShareButton`.
#[island]
pub fn ShareLink(children: Children) -> impl IntoView {
    super::enhanced_div!("share", children, browser::enhance)
}

#[component]
pub fn ShareButton(url: String) -> impl IntoView {
    view! {
        <button type="button" class="button-quiet" data-url=url hidden>"Copy link"</button>
        <span class="share-status" role="status"></span>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::rc::Rc;

    use leptos::prelude::window;
    use leptos::task::spawn_local;
    use web_sys::Element;

    use crate::islands::dom;

    pub fn enhance(root: Element) {
        let (Some(button), Some(status)) = (dom::find(&root, "button"), dom::find(&root, ".share-status")) else {
            return;
        };
        let url = Rc::new(button.get_attribute("data-url").unwrap_or_default());
        dom::on(&button, "click", move |_| {
            let (url, status) = (url.clone(), status.clone());
            spawn_local(async move {
                let copied =
                    wasm_bindgen_futures::JsFuture::from(window().navigator().clipboard().write_text(&url)).await;
                status.set_text_content(Some(match copied {
                    Ok(_) => "Link copied.",
                    Err(_) => "Could not copy: select the address bar and copy it from there.",
                }));
            });
        });
        dom::set_flag(&button, "hidden", false);
        let _ = root.set_attribute("data-hydrated", "true");
    }
}
