//! The moderation queue's keyboard shortcuts and live count. The queue itself is a plain
//! form; this adds J/K to move between comments, A/R to approve or reject the current one,
//! X to select it, and a notice when the queue changes while the page is open.

use leptos::prelude::*;

use crate::api::staff::comment_queue_counts;
use crate::domain::comment::Queue;

/// How often the queue's count is checked.
const POLL_SECONDS: u64 = 15;

#[island]
pub fn QueueKeys(queue: String, count: i64, arrivals: i64) -> impl IntoView {
    let latest = RwSignal::new((count, arrivals));
    let queue_kind = Queue::parse(Some(&queue)).unwrap_or(Queue::Pending);
    // Effects run only in the browser.
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        browser::listen_keys();
        let poll = move || {
            leptos::task::spawn_local(async move {
                if let Ok(counts) = comment_queue_counts().await {
                    latest.set((counts.of(queue_kind), counts.arrivals));
                }
            });
        };
        let _ = set_interval_with_handle(poll, std::time::Duration::from_secs(POLL_SECONDS));
    });
    let reload = format!("/staff/comments?queue={queue}");
    view! {
        <div class="queue-live">
            <p class="queue-keys-help">
                "Keys: " <kbd>"J"</kbd> " next, " <kbd>"K"</kbd> " previous, " <kbd>"A"</kbd> " approve, "
                <kbd>"R"</kbd> " reject, " <kbd>"X"</kbd> " select."
            </p>
            <p class="queue-changed" role="status">
                {move || (latest.get() != (count, arrivals)).then(|| view! {
                    {format!("New comments, reports or decisions: this queue now holds {}. ", latest.get().0)}
                    <a href=reload.clone()>"Reload"</a>
                })}
            </p>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::document;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use web_sys::{Element, HtmlElement, KeyboardEvent};

    const ITEMS: &str = ".queue-item";

    fn items() -> Vec<HtmlElement> {
        let Ok(list) = document().query_selector_all(ITEMS) else { return Vec::new() };
        (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<HtmlElement>().ok()).collect()
    }

    /// The queue item that holds the focus, if any.
    fn current() -> Option<Element> {
        document().active_element()?.closest(ITEMS).ok().flatten()
    }

    fn click(item: &Element, selector: &str) {
        if let Some(button) =
            item.query_selector(selector).ok().flatten().and_then(|b| b.dyn_into::<HtmlElement>().ok())
        {
            button.click();
        }
    }

    pub fn listen_keys() {
        let on_key = Closure::<dyn Fn(KeyboardEvent)>::new(move |ev: KeyboardEvent| {
            if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
                return;
            }
            // Typing a reason is not a shortcut.
            let typing = document().active_element().is_some_and(|e| {
                matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                    && e.get_attribute("type").as_deref() != Some("checkbox")
            });
            if typing {
                return;
            }
            let items = items();
            let at = current().and_then(|c| items.iter().position(|i| i.is_same_node(Some(&c))));
            let key = ev.key().to_lowercase();
            let target = match (key.as_str(), at) {
                ("j", None) => items.first(),
                ("j", Some(i)) => items.get(i + 1),
                ("k", Some(i)) => items.get(i.saturating_sub(1)),
                ("a", Some(i)) => {
                    click(&items[i], "button[data-key='a']");
                    None
                }
                ("r", Some(i)) => {
                    click(&items[i], "button[data-key='r']");
                    None
                }
                ("x", Some(i)) => {
                    click(&items[i], "input[name='ids']");
                    None
                }
                _ => return,
            };
            ev.prevent_default();
            if let Some(item) = target {
                let _ = item.focus();
            }
        });
        let _ = document().add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
        on_key.forget();
    }
}
