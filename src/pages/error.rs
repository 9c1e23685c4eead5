//! (ssr) Error pages with the matching HTTP status.

use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use leptos_meta::Meta;

use crate::error::AppError;

/// Shows an error to the reader and sets the response status to match it.
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    // A page that needs a sign-in has already answered with a redirect to it.
    if let Some(response) = use_context::<ResponseOptions>().filter(|_| error != AppError::Unauthorized) {
        response.set_status(error.status());
    }
    let heading = match error {
        AppError::NotFound => "Page not found",
        AppError::Internal => "Something went wrong",
        AppError::Busy => "The site is busy",
        AppError::ServerFn(_)
        | AppError::Invalid(_)
        | AppError::CommentsClosed
        | AppError::Banned
        | AppError::Stale => "We could not handle that request",
        AppError::RateLimited => "Too many requests",
        AppError::Unauthorized => "Please sign in",
        AppError::Forbidden | AppError::CrossSite => "Not allowed",
    };
    view! {
        <super::PageTitle text=heading />
        <Meta name="robots" content="noindex" />
        <section class="error-page" aria-labelledby="error-heading">
            <h1 id="error-heading">{heading}</h1>
            <p>{error.to_string()}</p>
            <p><a href="/">"Go to the front page"</a></p>
        </section>
    }
}
