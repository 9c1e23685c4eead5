//! (ssr) Per-client limits on public writes, counted in this process's memory: each app server
//! counts its own (`docs/operations.md`, "Where state lives"). Services charge them before
//! they store anything.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::domain::tokens::ClientHash;

/// A limit: at most `max` actions per `window`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub name: &'static str,
    pub max: usize,
    pub window: Duration,
}

pub const CORRECTION_LIMIT: Limit = Limit { name: "correction", max: 10, window: Duration::from_secs(600) };
pub const COMMENT_LIMIT: Limit = Limit { name: "comment", max: 5, window: Duration::from_secs(60) };
/// Reader searches: a reader pages through results; a scraper asks thousands.
pub const SEARCH_LIMIT: Limit = Limit { name: "search", max: 60, window: Duration::from_secs(60) };
pub const REPORT_LIMIT: Limit = Limit { name: "report", max: 3, window: Duration::from_secs(60) };
/// Failed sign-ins: slowed after a few, refused after ten in a quarter of an hour. Counted in
/// the database (`db::staff::record_attempt`), so every app server sees them all.
pub const SIGN_IN_FAILURES: Limit = Limit { name: "sign_in", max: 10, window: Duration::from_secs(900) };

/// Sliding-window counters in this process's memory: each app server counts its own (readers'
/// write limits; `docs/operations.md`, "Where state lives").
#[derive(Debug, Default)]
pub struct RateLimiter {
    hits: Mutex<HashMap<(&'static str, ClientHash), VecDeque<Instant>>>,
}

/// Beyond this many tracked clients, expired entries are swept on the next check.
const SWEEP_AT: usize = 50_000;

impl RateLimiter {
    /// Records an attempt; `false` when the client has used up the limit.
    pub fn allow(&self, limit: Limit, client: &ClientHash) -> bool {
        let allowed = self.allow_at(limit, client, Instant::now());
        if !allowed {
            metrics::counter!("rate_limit_refusals_total", "action" => limit.name).increment(1);
        }
        allowed
    }

    fn allow_at(&self, limit: Limit, client: &ClientHash, now: Instant) -> bool {
        let mut hits = self.hits.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if hits.len() > SWEEP_AT {
            // Each limit judges only its own entries: windows differ between limits.
            hits.retain(|(name, _), times| {
                *name != limit.name || times.back().is_some_and(|t| now.duration_since(*t) < limit.window)
            });
        }
        let times = hits.entry((limit.name, client.clone())).or_default();
        while times.front().is_some_and(|t| now.duration_since(*t) >= limit.window) {
            times.pop_front();
        }
        if times.len() >= limit.max {
            return false;
        }
        times.push_back(now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sweep_keeps_other_limits_entries() {
        let limiter = RateLimiter::default();
        let long = Limit { name: "long", max: 1, window: Duration::from_secs(3600) };
        let short = Limit { name: "short", max: 1, window: Duration::from_secs(1) };
        let start = Instant::now();
        let reader = ClientHash::new(b"k", "198.51.100.1".parse().unwrap());
        assert!(limiter.allow_at(long, &reader, start));
        for i in 0..=SWEEP_AT {
            let other = ClientHash::new(b"k", std::net::IpAddr::from((i as u32).to_be_bytes()));
            limiter.allow_at(short, &other, start);
        }
        // The sweep ran for the short limit a minute later; the hour-long entry must stay.
        limiter.allow_at(short, &reader, start + Duration::from_secs(60));
        assert!(!limiter.allow_at(long, &reader, start + Duration::from_secs(60)));
    }

    #[test]
    fn a_client_is_limited_within_the_window_and_free_after_it() {
        let limiter = RateLimiter::default();
        let limit = Limit { name: "t", max: 3, window: Duration::from_secs(60) };
        let client = ClientHash::new(b"k", "198.51.100.1".parse().unwrap());
        let other = ClientHash::new(b"k", "198.51.100.2".parse().unwrap());
        let start = Instant::now();
        for _ in 0..3 {
            assert!(limiter.allow_at(limit, &client, start));
        }
        assert!(!limiter.allow_at(limit, &client, start + Duration::from_secs(59)));
        assert!(limiter.allow_at(limit, &other, start), "others are not affected");
        assert!(limiter.allow_at(limit, &client, start + Duration::from_secs(61)));
    }
}
