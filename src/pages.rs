//! (ssr) One file per page. Pages load their data through `services` while rendering; they
//! hold no SQL, read no headers and make no decisions beyond what to show.

/// `/articles/{slug}`
pub mod article;
/// `/authors/{slug}`: an author's profile and stories.
pub mod author;
/// The comment section and its plain-form posts.
pub mod comments;
/// `/articles/{slug}/correction`: the plain correction form.
pub mod correction;
/// `/corrections`: every published correction and clarification.
pub mod corrections_list;
/// Error pages with the matching HTTP status.
pub mod error;
/// `/`, the front page.
pub mod home;
/// `/mail/unsubscribe` and `/mail/confirm`: where the signed links in mail lead: unsubscribing, confirming.
pub mod mail;
/// The router's fallback: 404.
pub mod not_found;
/// `/search?q=`: reader search.
pub mod search;
/// `/staff/...`: the staff desk.
pub mod staff;
/// `/topics/{slug}`
pub mod topic;
/// A comment the database could not take, shown back with its text.
pub mod unsaved;

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::error::AppError;
use crate::state::AppState;

/// The page's language when it is not the site's: an article in another language says so in
/// `<html lang>`. The shell provides it and reads it after the page has rendered (every
/// route renders in `SsrMode::Async`, so the page's data is in before the document is
/// written).
#[derive(Debug, Clone, Default)]
pub struct PageLang(std::sync::Arc<std::sync::Mutex<Option<String>>>);

impl PageLang {
    /// Called by the page that knows its language.
    pub fn declare(lang: Option<&str>) {
        if let (Some(page), Some(lang)) = (use_context::<PageLang>(), lang)
            && let Ok(mut slot) = page.0.lock()
        {
            *slot = Some(lang.to_owned());
        }
    }

    pub fn get(&self) -> Option<String> {
        self.0.lock().ok().and_then(|l| l.clone())
    }
}

/// The document title, "{text} | Copydesk".
///
/// leptos_meta 0.8 writes the title text into the server's HTML without escaping it, so a
/// headline containing `</title><script>` would become markup. Title text is RCDATA, where
/// character references are decoded, so escaping here shows the reader the exact headline.
#[component]
pub fn PageTitle(#[prop(into)] text: String) -> impl IntoView {
    let text = crate::components::escape_text(&format!("{text} | Copydesk"));
    view! { <leptos_meta::Title text /> }
}

/// JSON for a `<script type="application/ld+json">`: `<`, `>` and `&` escaped, so no
/// text in it can close the script element early.
fn script_json(value: &serde_json::Value) -> String {
    value.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// The request's path parameter `name`, or empty.
fn param(name: &str) -> String {
    use_params_map().with_untracked(|p| p.get(name)).unwrap_or_default()
}

/// The request's query parameter `name`, if present.
fn query(name: &str) -> Option<String> {
    use_query_map().with_untracked(|q| q.get(name))
}

fn state() -> AppState {
    expect_context::<AppState>()
}

/// A page's data loaded on the server, then `render`ed; a failed load shows the error page
/// with its status.
///
/// The loading runs once, as its own task. While rendering, Leptos walks a `Suspense`'s
/// children again (`dry_resolve`), re-running the closure inside and dropping the futures it
/// made the first time: loading inside that closure ran a page's queries twice and cancelled
/// one run mid-query, and sqlx drops a connection whose query was cancelled, so pages kept
/// opening new database connections.
pub fn load_page<T, V>(
    load: impl Future<Output = Result<T, AppError>> + Send + 'static,
    render: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let (sender, receiver) = tokio::sync::watch::channel(None);
    // Spawned with the page's reactive owner, so the loading can still read its context, and
    // inside the request's span, so its log lines name the request.
    let span = tracing::Span::current();
    leptos::task::spawn(tracing::Instrument::instrument(
        async move {
            let _ = sender.send(Some(load.await));
        },
        span,
    ));
    let render = std::sync::Arc::new(render);
    let child = move || {
        let (mut receiver, render) = (receiver.clone(), render.clone());
        Suspend::new(async move {
            let loaded = match receiver.wait_for(Option::is_some).await {
                Ok(loaded) => loaded.clone().unwrap_or(Err(AppError::Internal)),
                // The task ended without a result: it panicked, and that was logged.
                Err(_) => Err(AppError::Internal),
            };
            match loaded {
                Ok(data) => render(data).into_any(),
                Err(error) => view! { <error::ErrorView error /> }.into_any(),
            }
        })
    };
    view! { <Suspense fallback=|| ()>{child}</Suspense> }
}
