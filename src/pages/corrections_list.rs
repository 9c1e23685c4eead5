//! (ssr) `/corrections`: every published correction and clarification.

use leptos::prelude::*;
use leptos_meta::Link;

use super::{PageTitle, load_page, state};
use crate::components::dates::Time;

/// How many notices the page lists.
const NOTICES: u32 = 100;

#[component]
pub fn CorrectionsPage() -> impl IntoView {
    let state = state();
    load_page(
        async move { crate::services::articles::corrections_page(&state.pool, NOTICES).await },
        move |(notices, show_time): (Vec<crate::domain::article::Notice>, bool)| {
            crate::http::page_cache::declare([crate::cache::PageKey::Lists]);
            view! {
                <PageTitle text="Corrections and clarifications" />
                <Link rel="alternate" type_="application/atom+xml" title="Copydesk: corrections" href="/corrections.xml" />
                <div class="wrap narrow">
                    <h1 class="page-title">"Corrections and clarifications"</h1>
                    <p>"When we get something wrong, we fix it and say so here and at the end of the article. "
                        <a href="/corrections.xml">"Feed of corrections"</a></p>
                    {if notices.is_empty() {
                        view! { <p>"No corrections have been published."</p> }.into_any()
                    } else {
                        view! {
                            <ol class="corrections-list">
                                {notices.into_iter().map(|n| view! {
                                    <li>
                                        <p><a href=format!("/articles/{}", n.slug)>{n.title.clone()}</a></p>
                                        <p><strong>{format!("{}, ", n.label())}<Time at=n.created_at />":"</strong> " " {n.note.clone()}</p>
                                        {show_time.then(|| n.time_to_fix()).flatten().map(|t| view! { <p class="queue-meta">{t}</p> })}
                                    </li>
                                }).collect_view()}
                            </ol>
                        }.into_any()
                    }}
                </div>
            }
        },
    )
}
