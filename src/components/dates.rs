//! `<time>` elements with readable dates.

use leptos::prelude::*;
use time::OffsetDateTime;

use crate::domain::dates::{long_date, long_date_time, machine_time};

/// A `<time>` whose `datetime` attribute machines read and whose text people read.
#[component]
pub fn Time(at: OffsetDateTime, #[prop(optional)] with_time: bool) -> impl IntoView {
    let text = if with_time { long_date_time(at) } else { long_date(at) };
    view! { <time datetime=machine_time(at)>{text}</time> }
}
