use leptos::prelude::*;

/// A "Copy link" button for the article's address. It needs the clipboard, so it stays hidden
/// until the island has hydrated; without JavaScript the address bar does the same job.
#[island]
pub fn ShareLink(url: String) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    let status = RwSignal::new(String::new());
    // Effects run only in the browser: this marks the island as live.
    Effect::new(move |_| hydrated.set(true));

    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let url = url.clone();
            leptos::task::spawn_local(async move {
                let clipboard = window().navigator().clipboard();
                let done = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&url)).await;
                status.set(match done {
                    Ok(_) => "Link copied.".to_owned(),
                    Err(_) => "Could not copy: select the address bar and copy it from there.".to_owned(),
                });
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &url;
    };

    view! {
        <div class="share" data-hydrated=move || hydrated.get().then_some("true")>
            <button type="button" class="button-quiet" hidden=move || !hydrated.get() on:click=copy>
                "Copy link"
            </button>
            <span class="share-status" role="status">{move || status.get()}</span>
        </div>
    }
}
