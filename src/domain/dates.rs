//! Dates as readers and machines read them: "5 November 2026", "3 hours ago", RFC 3339.

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

/// "3 hours ago", for times shortly before `now`; a future time reads "just now".
pub fn relative(now: OffsetDateTime, at: OffsetDateTime) -> String {
    let seconds = (now - at).whole_seconds().max(0);
    match seconds {
        0..60 => "just now".into(),
        86_400..172_800 => "yesterday".into(),
        _ => format!("{} ago", span(seconds)),
    }
}

/// How long something has waited since `since`: "under a minute", "3 hours", "2 days".
pub fn waited(now: OffsetDateTime, since: OffsetDateTime) -> String {
    let seconds = (now - since).whole_seconds().max(0);
    if seconds < 60 { "under a minute".into() } else { span(seconds) }
}

/// A length of time in its largest whole unit.
fn span(seconds: i64) -> String {
    let (n, unit) = match seconds {
        0..3_600 => (seconds / 60, "minute"),
        3_600..86_400 => (seconds / 3_600, "hour"),
        86_400..2_592_000 => (seconds / 86_400, "day"),
        2_592_000..31_536_000 => (seconds / 2_592_000, "month"),
        _ => (seconds / 31_536_000, "year"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

pub fn machine_time(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// "2026-11-05T09:30", as a `datetime-local` field shows a UTC time.
pub fn local_field(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    t.format(format_description!("[year]-[month]-[day]T[hour]:[minute]")).unwrap_or_default()
}

/// How far ahead a story can be scheduled.
pub const MAX_SCHEDULE_DAYS: i64 = 366;

/// A publication time typed in a `datetime-local` field ("2026-11-05T09:30", seconds
/// optional, read as UTC), which must be after `now` and at most [`MAX_SCHEDULE_DAYS`] ahead.
pub fn parse_schedule(raw: &str, now: OffsetDateTime) -> Result<OffsetDateTime, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("Enter the date and time to publish at.");
    }
    let minutes = format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let seconds = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let at = time::PrimitiveDateTime::parse(raw, &minutes)
        .or_else(|_| time::PrimitiveDateTime::parse(raw, &seconds))
        .map_err(|_| "That is not a date and time: use the date picker, or type 2026-12-24T09:30.")?
        .assume_utc();
    if at <= now {
        return Err("That time has passed: choose a time in the future, or publish now.");
    }
    if at - now > time::Duration::days(MAX_SCHEDULE_DAYS) {
        return Err("A story can be scheduled at most a year ahead.");
    }
    Ok(at)
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

    #[test]
    fn schedule_times_are_utc_in_the_future_and_within_a_year() {
        let now = datetime!(2026-11-28 12:00 UTC);
        assert_eq!(parse_schedule("2026-11-28T12:30", now), Ok(datetime!(2026-11-28 12:30 UTC)));
        assert_eq!(parse_schedule(" 2026-11-28T12:30:15 ", now), Ok(datetime!(2026-11-28 12:30:15 UTC)));
        assert!(parse_schedule("", now).unwrap_err().starts_with("Enter"));
        assert!(parse_schedule("tomorrow", now).unwrap_err().starts_with("That is not"));
        assert!(parse_schedule("2026-02-30T10:00", now).unwrap_err().starts_with("That is not"));
        assert!(parse_schedule("2026-11-28T12:00", now).unwrap_err().starts_with("That time has passed"));
        assert!(parse_schedule("2028-01-01T00:00", now).unwrap_err().contains("a year ahead"));
        assert_eq!(local_field(datetime!(2026-11-05 11:30 +02:00)), "2026-11-05T09:30");
    }

    #[test]
    fn relative_times_read_naturally() {
        let now = datetime!(2026-11-28 12:00 UTC);
        let ago = |d: time::Duration| relative(now, now - d);
        assert_eq!(ago(time::Duration::seconds(59)), "just now");
        assert_eq!(ago(time::Duration::seconds(-30)), "just now");
        assert_eq!(ago(time::Duration::minutes(1)), "1 minute ago");
        assert_eq!(ago(time::Duration::minutes(59)), "59 minutes ago");
        assert_eq!(ago(time::Duration::hours(3)), "3 hours ago");
        assert_eq!(ago(time::Duration::hours(30)), "yesterday");
        assert_eq!(ago(time::Duration::days(6)), "6 days ago");
        assert_eq!(ago(time::Duration::days(65)), "2 months ago");
        assert_eq!(ago(time::Duration::days(800)), "2 years ago");
        assert_eq!(waited(now, now - time::Duration::seconds(20)), "under a minute");
        assert_eq!(waited(now, now - time::Duration::hours(30)), "1 day");
        assert_eq!(waited(now, now - time::Duration::minutes(1)), "1 minute");
    }
}
