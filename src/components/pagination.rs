use leptos::prelude::*;

/// Links to the neighbouring pages of a paginated list at `base` (e.g. `/` or `/topics/x`).
#[component]
pub fn Pagination(#[prop(into)] base: String, page: u32, has_next: bool) -> impl IntoView {
    if page <= 1 && !has_next {
        return None;
    }
    let link = |p: u32| if p <= 1 { base.clone() } else { format!("{base}?page={p}") };
    let previous = (page > 1).then(|| view! { <a rel="prev" href=link(page - 1)>"Newer articles"</a> });
    let next = has_next.then(|| view! { <a rel="next" href=link(page + 1)>"Older articles"</a> });
    Some(view! {
        <nav class="pagination" aria-label="Pages">
            {previous}
            <span class="page-number" aria-current="page">{format!("Page {page}")}</span>
            {next}
        </nav>
    })
}
