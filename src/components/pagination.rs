//! Previous / next page links.

use leptos::prelude::*;

/// Links to the neighbouring pages of a paginated list at `base` (e.g. `/`, `/topics/x` or
/// `/staff/comments?queue=pending`); `noun` names what is listed, newest first unless
/// `oldest_first`.
#[component]
pub fn Pagination(
    #[prop(into)] base: String,
    page: u32,
    has_next: bool,
    #[prop(into, default = "articles".into())] noun: String,
    #[prop(optional)] oldest_first: bool,
    /// Pages of a ranking (search results), not of time: "Previous"/"More".
    #[prop(optional)]
    ranked: bool,
) -> impl IntoView {
    if page <= 1 && !has_next {
        return None;
    }
    let separator = if base.contains('?') { '&' } else { '?' };
    let link = |p: u32| if p <= 1 { base.clone() } else { format!("{base}{separator}page={p}") };
    let (before, after) = match (ranked, oldest_first) {
        (true, _) => ("Previous", "More"),
        (false, true) => ("Older", "Newer"),
        (false, false) => ("Newer", "Older"),
    };
    let previous = (page > 1).then(|| view! { <a rel="prev" href=link(page - 1)>{format!("{before} {noun}")}</a> });
    let next = has_next.then(|| view! { <a rel="next" href=link(page + 1)>{format!("{after} {noun}")}</a> });
    Some(view! {
        <nav class="pagination" aria-label="Pages">
            {previous}
            <span class="page-number" aria-current="page">{format!("Page {page}")}</span>
            {next}
        </nav>
    })
}
