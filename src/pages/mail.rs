//! (ssr) `/mail/unsubscribe` and `/mail/confirm`: where the signed links in messages lead.
//! Opening a link changes nothing (mail scanners open links); the button on the page does.

use leptos::prelude::*;

use crate::domain::mail::List;
use crate::domain::text::percent_encode;
use crate::error::AppError;
use crate::pages::{PageTitle, load_page, query};
use crate::services::mail::{self, CONFIRM, UNSUBSCRIBE};
use crate::state::AppState;

/// What a link asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    Unsubscribe,
    Confirm,
}

#[component]
pub fn UnsubscribePage() -> impl IntoView {
    link_page(Purpose::Unsubscribe)
}

#[component]
pub fn ConfirmRepliesPage() -> impl IntoView {
    link_page(Purpose::Confirm)
}

fn link_page(purpose: Purpose) -> impl IntoView {
    let (to, list, sig, done) = (query("to"), query("list"), query("sig"), query("done").is_some());
    load_page(
        async move {
            crate::http::guards::never_stored();
            let state = expect_context::<AppState>();
            let (to, list, sig) = (to.unwrap_or_default(), list.unwrap_or_default(), sig.unwrap_or_default());
            let signed = if purpose == Purpose::Confirm { CONFIRM } else { UNSUBSCRIBE };
            let checked = mail::check_link(&state.mail_links, signed, &to, &list, &sig).ok();
            let action = format!(
                "{}?to={}&list={}&sig={}",
                if purpose == Purpose::Confirm { "/mail/confirm" } else { "/mail/unsubscribe" },
                percent_encode(&to),
                percent_encode(&list),
                percent_encode(&sig)
            );
            Ok::<_, AppError>((checked, action))
        },
        move |(checked, action): (Option<(String, List)>, String)| {
            let (title, body) = match (&checked, purpose, done) {
                (None, ..) => (
                    "This link is not valid",
                    view! {
                        <p>"The link may have been cut short: copy the whole link from the message and open it again."</p>
                    }
                    .into_any(),
                ),
                (Some((_, list)), Purpose::Unsubscribe, true) => (
                    "You are unsubscribed",
                    view! { <p role="status">{format!("You will get no more {}.", list.described())}</p> }.into_any(),
                ),
                (Some((address, list)), Purpose::Unsubscribe, false) => (
                    "Unsubscribe",
                    view! {
                        <p>{format!("Stop sending {} to {address}?", list.described())}</p>
                        <form method="post" action=action.clone()>
                            <input type="hidden" name="from" value="page" />
                            <button type="submit">"Unsubscribe"</button>
                        </form>
                    }
                    .into_any(),
                ),
                (Some(_), Purpose::Confirm, true) => (
                    "Reply notifications are on",
                    view! {
                        <p role="status">"We will email you when someone replies to your comments, at most once an hour for each conversation. Every message has a link to stop them."</p>
                    }
                    .into_any(),
                ),
                (Some((address, _)), Purpose::Confirm, false) => (
                    "Confirm reply notifications",
                    view! {
                        <p>{format!("Email {address} when someone replies to a comment written with this address?")}</p>
                        <form method="post" action=action.clone()>
                            <input type="hidden" name="from" value="page" />
                            <button type="submit">"Yes, email me"</button>
                        </form>
                    }
                    .into_any(),
                ),
            };
            view! {
                <PageTitle text=title />
                <leptos_meta::Meta name="robots" content="noindex, nofollow" />
                <div class="page-narrow">
                    <h1 class="page-title">{title}</h1>
                    {body}
                    <p><a href="/">"Go to the front page"</a></p>
                </div>
            }
        },
    )
}
