//! The interactive parts of pages, hydrated in the browser. Everything else is static HTML.

/// The article editor's live preview.
pub mod article_preview;
/// Reply and Report under each comment.
pub mod comment_actions;
/// The comment form, as a top-level box and as a reply form.
pub mod comment_box;
/// Select text, press Ctrl+Enter, suggest a correction.
pub mod correction_widget;
/// Drag-and-drop onto the photo upload form.
pub mod media_drop;
/// Keyboard shortcuts and a live count for the moderation queue.
pub mod queue_keys;
/// "Copy link" for an article.
pub mod share_link;

/// An island's root: a `div` of `class` around the markup the server rendered (`children`).
/// Once hydrated, `enhance` (a function of the island's browser-only module) runs on it.
macro_rules! enhanced_div {
    ($class:literal, $children:expr, $enhance:path) => {{
        let root = leptos::prelude::NodeRef::<leptos::html::Div>::new();
        root.on_load(|root| {
            #[cfg(feature = "hydrate")]
            $enhance(root.into());
            #[cfg(not(feature = "hydrate"))]
            let _ = root;
        });
        leptos::prelude::view! { <div class=$class node_ref=root>{$children()}</div> }
    }};
}
use enhanced_div;

/// DOM helpers shared by the islands, in the browser only.
#[cfg(feature = "hydrate")]
mod dom;
