use leptos::prelude::*;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

/// "20 November 2026"
pub fn long_date(t: OffsetDateTime) -> String {
    t.format(format_description!("[day padding:none] [month repr:long] [year]")).unwrap_or_default()
}

/// "20 November 2026, 09:30 UTC"
pub fn long_date_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    t.format(format_description!("[day padding:none] [month repr:long] [year], [hour]:[minute] UTC"))
        .unwrap_or_default()
}

pub fn machine_time(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// A `<time>` whose `datetime` attribute machines read and whose text people read.
#[component]
pub fn Time(at: OffsetDateTime, #[prop(optional)] with_time: bool) -> impl IntoView {
    let text = if with_time { long_date_time(at) } else { long_date(at) };
    view! { <time datetime=machine_time(at)>{text}</time> }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn dates_read_as_day_month_year() {
        assert_eq!(long_date(datetime!(2026-11-05 09:30 UTC)), "5 November 2026");
        assert_eq!(long_date_time(datetime!(2026-11-05 11:30 +02:00)), "5 November 2026, 09:30 UTC");
        assert_eq!(machine_time(datetime!(2026-11-05 09:30 UTC)), "2026-11-05T09:30:00Z");
    }
}
