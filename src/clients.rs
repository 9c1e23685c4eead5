//! (ssr) Who is writing, without storing who they are: keyed hashes of client addresses, and
//! per-client rate limits for public writes.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

/// A client's keyed address hash, as stored with what it wrote.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientHash(String);

impl ClientHash {
    /// IPv6 clients are hashed by their /64 network: one household or phone usually holds a
    /// whole /64 and could otherwise step around limits address by address.
    pub fn new(key: &[u8], addr: IpAddr) -> Self {
        let network = match addr {
            IpAddr::V4(v4) => v4.octets().to_vec(),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => v4.octets().to_vec(),
                None => v6.octets()[..8].to_vec(),
            },
        };
        let digest = Sha256::new().chain_update(key).chain_update(&network).finalize();
        Self(hex(&digest[..16]))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The reader's address. Behind a reverse proxy the TCP peer is the proxy, so when the peer
/// is one of `trusted` proxies the address comes from `X-Forwarded-For`: the right-most
/// entry that is not itself a trusted proxy (entries further left are whatever the client
/// chose to send, and could be forged).
pub fn client_addr(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    forwarded_for
        .into_iter()
        .flat_map(|header| header.rsplit(','))
        .filter_map(|entry| entry.trim().parse::<IpAddr>().ok())
        .find(|addr| !trusted.contains(addr))
        .unwrap_or(peer)
}

/// A limit: at most `max` actions per `window`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub name: &'static str,
    pub max: usize,
    pub window: Duration,
}

pub const CORRECTION_LIMIT: Limit = Limit { name: "correction", max: 10, window: Duration::from_secs(600) };
pub const COMMENT_LIMIT: Limit = Limit { name: "comment", max: 5, window: Duration::from_secs(60) };
pub const REPORT_LIMIT: Limit = Limit { name: "report", max: 3, window: Duration::from_secs(60) };
/// Failed sign-ins: slowed after a few, refused after ten in a quarter of an hour. Counted in
/// the database (`db::staff::failures_since`), so every app server sees them all.
pub const SIGN_IN_FAILURES: Limit = Limit { name: "sign_in", max: 10, window: Duration::from_secs(900) };

/// The cookie that lets a browser see its own comments while they await moderation.
pub const READER_COOKIE: &str = "copydesk_reader";

/// A random token in a reader's cookie. Only its hash is stored with their comments, so the
/// database cannot be used to impersonate the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderToken(String);

impl ReaderToken {
    pub fn generate() -> Self {
        Self(random_token(16))
    }

    /// The token in a `Cookie` header, if there is a well-formed one.
    pub fn from_headers(headers: &axum::http::HeaderMap) -> Option<Self> {
        cookie_token(headers, READER_COOKIE, 32).map(Self)
    }

    /// What is stored with the reader's comments.
    pub fn hash(&self) -> String {
        sha256_hex(&self.0)
    }

    /// The `Set-Cookie` value: a year long, never readable by scripts, sent on same-site
    /// requests and top-level navigation only, `Secure` when the site is served over TLS.
    pub fn cookie(&self, secure: bool) -> String {
        let secure = if secure { "; Secure" } else { "" };
        format!("{READER_COOKIE}={}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax{secure}", self.0)
    }
}

/// A random token of `bytes` bytes, as lower-case hex.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    // The operating system's generator failing is not something a web request can fix.
    getrandom::fill(&mut buf).expect("the system random number generator failed");
    hex(&buf)
}

pub fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

/// The value of cookie `name` when it is `hex_len` lower-case hex digits; anything else a
/// client sends under that name is ignored.
pub fn cookie_token(headers: &axum::http::HeaderMap, name: &str, hex_len: usize) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value)
        .filter(|v| v.len() == hex_len && v.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
        .map(str::to_owned)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Sliding-window counters in this process's memory: each app server counts its own (readers'
/// write limits; README, "Where state lives").
#[derive(Debug, Default)]
pub struct RateLimiter {
    hits: Mutex<HashMap<(&'static str, ClientHash), VecDeque<Instant>>>,
}

/// Beyond this many tracked clients, expired entries are swept on the next check.
const SWEEP_AT: usize = 50_000;

impl RateLimiter {
    /// Records an attempt; `false` when the client has used up the limit.
    pub fn allow(&self, limit: Limit, client: &ClientHash) -> bool {
        self.allow_at(limit, client, Instant::now())
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
    fn hashes_depend_on_the_key_and_hide_the_address() {
        let addr: IpAddr = "203.0.113.7".parse().unwrap();
        let a = ClientHash::new(b"key-one", addr);
        assert_eq!(a, ClientHash::new(b"key-one", addr));
        assert_ne!(a, ClientHash::new(b"key-two", addr));
        assert!(!a.as_str().contains("203"));
        assert_eq!(a.as_str().len(), 32);
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let reader: IpAddr = "203.0.113.9".parse().unwrap();
        let stranger: IpAddr = "198.51.100.7".parse().unwrap();
        // Not behind a trusted proxy: the header is ignored, whatever it says.
        assert_eq!(client_addr(stranger, Some("203.0.113.9"), &[proxy]), stranger);
        assert_eq!(client_addr(stranger, Some("203.0.113.9"), &[]), stranger);
        // Behind the proxy: the right-most address the proxy added.
        assert_eq!(client_addr(proxy, Some("203.0.113.9"), &[proxy]), reader);
        // A forged left-most entry does not win.
        assert_eq!(client_addr(proxy, Some("1.2.3.4, 203.0.113.9"), &[proxy]), reader);
        // Chained trusted proxies are skipped; garbage falls back to the peer.
        assert_eq!(client_addr(proxy, Some("203.0.113.9, 10.0.0.2"), &[proxy]), reader);
        assert_eq!(client_addr(proxy, Some("not an address"), &[proxy]), proxy);
        assert_eq!(client_addr(proxy, None, &[proxy]), proxy);
    }

    #[test]
    fn ipv6_clients_in_one_64_share_a_hash() {
        let a = ClientHash::new(b"k", "2001:db8:1:2::1".parse().unwrap());
        let b = ClientHash::new(b"k", "2001:db8:1:2:ffff::9".parse().unwrap());
        let c = ClientHash::new(b"k", "2001:db8:1:3::1".parse().unwrap());
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

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
    fn reader_tokens_round_trip_through_the_cookie_header() {
        let token = ReaderToken::generate();
        assert_ne!(token, ReaderToken::generate());
        let cookie = token.cookie(false);
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && !cookie.contains("Secure"));
        assert!(token.cookie(true).ends_with("; Secure"));
        let mut headers = axum::http::HeaderMap::new();
        let pair = cookie.split(';').next().unwrap();
        headers.insert(axum::http::header::COOKIE, format!("theme=dark; {pair}").parse().unwrap());
        assert_eq!(ReaderToken::from_headers(&headers), Some(token.clone()));
        assert_eq!(token.hash().len(), 64);
        assert!(!token.hash().contains(&token.0));
    }

    #[test]
    fn malformed_reader_cookies_are_ignored() {
        for value in ["", "short", "../../etc/passwd", &"G".repeat(32), &"A".repeat(32)] {
            let mut headers = axum::http::HeaderMap::new();
            headers.insert(axum::http::header::COOKIE, format!("{READER_COOKIE}={value}").parse().unwrap());
            assert_eq!(ReaderToken::from_headers(&headers), None, "{value}");
        }
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
