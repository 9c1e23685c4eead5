//! The moderation queue's keyboard shortcuts and live count. The queue itself is a plain
//! form; this adds J/K to move between comments, A/R to approve or reject the current one,
//! X to select it, and a notice when the queue changes while the page is open.

use leptos::prelude::*;

/// `children` is the `QueueStatus`.
#[island]
pub fn QueueKeys(children: Children) -> impl IntoView {
    super::enhanced_div!("queue-live", children, browser::enhance)
}

/// The keys' help, and where a change of the queue is announced: the queue shown and its
/// count and arrivals when the page was rendered.
/// `queue` is a moderation queue, or `inbox` (everything waiting; no keys there).
#[component]
pub fn QueueStatus(queue: &'static str, count: i64, arrivals: i64) -> impl IntoView {
    let keys = (queue != INBOX).then(|| {
        view! {
            <p class="queue-keys-help">
                "Keys: " <kbd>"J"</kbd> " next, " <kbd>"K"</kbd> " previous, " <kbd>"A"</kbd> " approve, "
                <kbd>"R"</kbd> " reject, " <kbd>"X"</kbd> " select."
            </p>
        }
    });
    view! {
        {keys}
        <p class="queue-changed" role="status" data-queue=queue data-count=count data-arrivals=arrivals></p>
    }
}

/// The `queue` of the staff inbox.
pub const INBOX: &str = "inbox";

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::{document, set_interval};
    use leptos::task::spawn_local;
    use wasm_bindgen::JsCast;
    use web_sys::{Element, HtmlElement, KeyboardEvent};

    use crate::api::queue_counts::comment_queue_counts;
    use crate::domain::comment::Queue;
    use crate::islands::dom;

    /// How often the queue's count is checked.
    const POLL_SECONDS: u64 = 15;

    pub fn enhance(root: Element) {
        listen_keys();
        let Some(status) = dom::find(&root, ".queue-changed") else { return };
        let number = |name: &str| status.get_attribute(name).and_then(|v| v.parse::<i64>().ok()).unwrap_or_default();
        let shown = (number("data-count"), number("data-arrivals"));
        let named = status.get_attribute("data-queue");
        let inbox = named.as_deref() == Some(super::INBOX);
        let kind = Queue::parse(named.as_deref()).unwrap_or(Queue::Pending);
        let reload = if inbox { "/staff/inbox".to_owned() } else { format!("/staff/comments?queue={}", kind.as_str()) };
        set_interval(
            move || {
                let (status, reload) = (status.clone(), reload.clone());
                spawn_local(async move {
                    let Ok(counts) = comment_queue_counts().await else { return };
                    let latest = (if inbox { counts.waiting() } else { counts.of(kind) }, counts.arrivals);
                    if latest == shown {
                        status.set_text_content(None);
                        return;
                    }
                    status.set_text_content(Some(&format!(
                        "New comments, reports, suggestions or decisions: {} now waiting here. ",
                        latest.0
                    )));
                    let link = dom::element("a", "", Some("Reload"));
                    let _ = link.set_attribute("href", &reload);
                    let _ = status.append_child(&link);
                });
            },
            std::time::Duration::from_secs(POLL_SECONDS),
        );
    }

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

    fn listen_keys() {
        dom::on(&document().into(), "keydown", move |event| {
            let Some(ev) = event.dyn_ref::<KeyboardEvent>() else { return };
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
            let key = ev.key().to_ascii_lowercase();
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
    }
}
