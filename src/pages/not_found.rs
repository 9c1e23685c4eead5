//! (ssr) The router's fallback: 404.

use leptos::prelude::*;

use super::error::ErrorView;
use crate::error::AppError;

#[component]
pub fn NotFound() -> impl IntoView {
    view! { <ErrorView error=AppError::NotFound /> }
}
