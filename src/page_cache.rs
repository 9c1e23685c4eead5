//! (ssr) Public pages kept whole in memory: a story that draws a crowd is rendered once per
//! change, not once per reader.
//!
//! Only anonymous reads of reader pages are kept. A reader with the comment cookie may see
//! their own comments awaiting moderation, and staff see staff controls, so requests carrying
//! either cookie are always rendered. A kept page is served while the database's site version
//! (moved by triggers on every table readers see, migration `site_version`) is the one it was
//! rendered at. This server reads the version again after each of its own writes, so they show
//! on the very next read, and otherwise at most every `RECHECK`, which is how writes by other
//! processes (the CLI, other app servers on the same database) reach it. Every response still
//! gets its own Content-Security-Policy nonce.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

/// How stale another process's write may look here.
const RECHECK: Duration = Duration::from_millis(250);
/// A safety net: nothing is served from memory longer than this.
const MAX_AGE: Duration = Duration::from_secs(300);
/// Larger pages (an enormous comment page) are rendered every time.
const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;
/// Says whether a response came from memory (`hit`) or was rendered and kept (`miss`).
pub const CACHE_HEADER: &str = "x-copydesk-cache";

pub struct PageCache {
    pool: crate::db::Pool,
    max_bytes: usize,
    /// `Cache-Control` of an anonymous reader page, made once (see `layer`).
    shared: HeaderValue,
    version: AtomicI64,
    /// When the version was last read, in milliseconds since `started` (0: not yet). An atomic,
    /// not a lock: every request looks at it.
    checked_ms: AtomicU64,
    started: Instant,
    checking: AtomicBool,
    pages: RwLock<Pages>,
}

#[derive(Default)]
struct Pages {
    by_key: HashMap<String, Arc<Page>>,
    /// Keys in the order they were first kept: the oldest go first when memory is short.
    order: VecDeque<String>,
    bytes: usize,
}

struct Page {
    version: i64,
    made: Instant,
    headers: HeaderMap,
    /// The body cut where this render's nonce was; joined again with a fresh one.
    body: Vec<Bytes>,
    /// The Content-Security-Policy cut the same way (empty when there was none).
    policy: Vec<String>,
    bytes: usize,
}

impl PageCache {
    /// A cache holding at most `max_bytes` of pages (0 keeps nothing), whose anonymous pages
    /// a CDN may keep for `cdn_max_age` seconds (0: only with revalidation).
    pub fn new(pool: crate::db::Pool, max_bytes: usize, cdn_max_age: u32) -> Self {
        let shared = match cdn_max_age {
            0 => HeaderValue::from_static("no-cache"),
            secs => HeaderValue::try_from(format!("public, max-age=0, s-maxage={secs}, stale-while-revalidate={secs}"))
                .unwrap_or(HeaderValue::from_static("no-cache")),
        };
        Self {
            pool,
            max_bytes,
            shared,
            version: AtomicI64::new(i64::MIN),
            checked_ms: AtomicU64::new(0),
            started: Instant::now(),
            checking: AtomicBool::new(false),
            pages: RwLock::new(Pages::default()),
        }
    }

    /// The site version as last read; read again when it is older than `RECHECK`. One
    /// request reads it while the others carry on with the value they have.
    async fn current_version(&self) -> i64 {
        let checked = self.checked_ms.load(Ordering::Acquire);
        let due = checked == 0 || self.now_ms().saturating_sub(checked) >= RECHECK.as_millis() as u64;
        if due && !self.checking.swap(true, Ordering::AcqRel) {
            self.read_version().await;
            self.checking.store(false, Ordering::Release);
        }
        self.version.load(Ordering::Acquire)
    }

    /// Reads the site version now (after a write on this server).
    async fn read_version(&self) {
        match crate::db::settings::site_version(&self.pool).await {
            Ok(version) => {
                self.version.store(version, Ordering::Release);
                self.checked_ms.store(self.now_ms().max(1), Ordering::Release);
            }
            // Serve nothing from memory until the version can be read again.
            Err(error) => {
                tracing::warn!(%error, "could not read the site version");
                self.version.store(i64::MIN, Ordering::Release);
                self.checked_ms.store(0, Ordering::Release);
            }
        }
    }

    fn now_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    fn get(&self, key: &str, version: i64) -> Option<Arc<Page>> {
        let pages = self.pages.read().unwrap_or_else(|e| e.into_inner());
        let page = pages.by_key.get(key)?;
        (version != i64::MIN && page.version == version && page.made.elapsed() < MAX_AGE).then(|| page.clone())
    }

    fn insert(&self, key: String, page: Page) {
        if page.bytes > self.max_bytes {
            return;
        }
        let mut pages = self.pages.write().unwrap_or_else(|e| e.into_inner());
        let bytes = page.bytes;
        match pages.by_key.insert(key.clone(), Arc::new(page)) {
            Some(old) => pages.bytes -= old.bytes,
            None => pages.order.push_back(key),
        }
        pages.bytes += bytes;
        while pages.bytes > self.max_bytes {
            let Some(oldest) = pages.order.pop_front() else { break };
            if let Some(old) = pages.by_key.remove(&oldest) {
                pages.bytes -= old.bytes;
            }
        }
    }

    /// Pages and bytes held.
    pub fn usage(&self) -> (usize, usize) {
        let pages = self.pages.read().unwrap_or_else(|e| e.into_inner());
        (pages.by_key.len(), pages.bytes)
    }
}

/// The middleware: answers anonymous reads of reader pages from memory when it can, keeps
/// what it renders, and reads the site version again after every write.
///
/// It also says who else may keep a reader page: an anonymous one (what this cache keeps) a
/// shared cache such as a CDN, for as long as `COPYDESK_CDN_MAX_AGE_SECS` allows; a personal
/// one (comment or staff cookie), or an error, only the reader's own browser. Kept pages
/// carry the header, so a hit adds nothing. Other responses are left as their handlers made
/// them.
pub async fn layer(State(cache): State<Arc<PageCache>>, request: Request, next: Next) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let response = next.run(request).await;
        if cache.max_bytes > 0 && (response.status().is_success() || response.status().is_redirection()) {
            cache.read_version().await;
        }
        return response;
    }
    let key = match lookup(&request) {
        Lookup::Other => return next.run(request).await,
        Lookup::Personal => return with_cache_control(next.run(request).await, PERSONAL),
        Lookup::Shared(key) => key,
    };
    if cache.max_bytes == 0 {
        let response = next.run(request).await;
        let control = if keepable(&response) { cache.shared.clone() } else { PERSONAL };
        return with_cache_control(response, control);
    }
    // Read before rendering: a write that lands while the page renders makes it stale.
    let version = cache.current_version().await;
    if let Some(page) = cache.get(key, version) {
        return respond(&page, "hit");
    }
    let key = key.to_owned();
    let response = next.run(request).await;
    if !keepable(&response) {
        return with_cache_control(response, PERSONAL);
    }
    let response = with_cache_control(response, cache.shared.clone());
    if version == i64::MIN {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, "a rendered page could not be read");
            return Response::builder()
                .status(StatusCode::INTERNAL_SERVER_ERROR)
                .body(Body::empty())
                .unwrap_or_default();
        }
    };
    let Some(page) = Page::new(version, parts.headers.clone(), &bytes) else {
        // Not UTF-8, so not cut where the nonce is: sent as rendered, not kept.
        return Response::from_parts(parts, Body::from(bytes));
    };
    let response = respond(&page, "miss");
    if bytes.len() <= MAX_PAGE_BYTES {
        cache.insert(key, page);
    }
    response
}

/// A page for one reader, or an error: only their browser may keep it, and ask first.
const PERSONAL: HeaderValue = HeaderValue::from_static("private, no-cache");

/// Sets `Cache-Control` unless the handler chose one.
fn with_cache_control(mut response: Response, value: HeaderValue) -> Response {
    if !response.headers().contains_key(header::CACHE_CONTROL) {
        response.headers_mut().insert(header::CACHE_CONTROL, value);
    }
    response
}

/// What a GET request is to this cache.
enum Lookup<'a> {
    /// Not a reader page (staff pages, feeds, assets, server functions).
    Other,
    /// A reader page for a reader with the comment cookie, or for staff.
    Personal,
    /// A reader page anyone may be sent: its key, the path and query.
    Shared(&'a str),
}

fn lookup(request: &Request) -> Lookup<'_> {
    if request.method() != Method::GET || !is_reader_page(request.uri().path()) {
        return Lookup::Other;
    }
    // Read by the same parsers the pages use: a cookie they would ignore changes nothing.
    let headers = request.headers();
    if crate::clients::ReaderToken::from_headers(headers).is_some()
        || crate::auth::SessionId::from_headers(headers).is_some()
    {
        return Lookup::Personal;
    }
    Lookup::Shared(request.uri().path_and_query().map_or_else(|| request.uri().path(), |pq| pq.as_str()))
}

/// The front page, articles, topics and the corrections list: what a crowd reads.
fn is_reader_page(path: &str) -> bool {
    let one_segment =
        |prefix: &str| path.strip_prefix(prefix).is_some_and(|rest| !rest.is_empty() && !rest.contains('/'));
    path == "/" || path == "/corrections" || one_segment("/articles/") || one_segment("/topics/")
}

/// Only complete, shared HTML pages are kept.
fn keepable(response: &Response) -> bool {
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    response.status() == StatusCode::OK && html && !response.headers().contains_key(header::SET_COOKIE)
}

impl Page {
    fn new(version: i64, mut headers: HeaderMap, body: &[u8]) -> Option<Self> {
        let body = std::str::from_utf8(body).ok()?;
        let policy = headers.remove(header::CONTENT_SECURITY_POLICY);
        let policy = policy.as_ref().and_then(|v| v.to_str().ok()).unwrap_or_default();
        let (body, policy): (Vec<Bytes>, Vec<String>) = match nonce_in(policy) {
            Some(nonce) => (
                body.split(nonce).map(|part| Bytes::copy_from_slice(part.as_bytes())).collect(),
                policy.split(nonce).map(str::to_owned).collect(),
            ),
            None => (vec![Bytes::copy_from_slice(body.as_bytes())], vec![policy.to_owned()]),
        };
        headers.remove(header::CONTENT_LENGTH);
        let bytes = body.iter().map(Bytes::len).sum::<usize>() + policy.iter().map(String::len).sum::<usize>();
        Some(Self { version, made: Instant::now(), headers, body, policy, bytes })
    }
}

/// The nonce in a Content-Security-Policy, if it names one.
fn nonce_in(policy: &str) -> Option<&str> {
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let len = policy[start..].find('\'')?;
    Some(&policy[start..start + len]).filter(|n| n.len() >= 16)
}

fn respond(page: &Page, how: &'static str) -> Response {
    let nonce = crate::clients::random_token(16);
    // The kept parts are shared, not copied: the body is sent as the parts with the nonce
    // between them.
    let between = Bytes::from(nonce.clone());
    let mut chunks = VecDeque::with_capacity(page.body.len() * 2);
    for (i, part) in page.body.iter().enumerate() {
        if i > 0 {
            chunks.push_back(between.clone());
        }
        chunks.push_back(part.clone());
    }
    let mut response = Response::new(Body::new(Chunks::new(chunks)));
    *response.headers_mut() = page.headers.clone();
    let policy = page.policy.join(&nonce);
    if !policy.is_empty()
        && let Ok(value) = HeaderValue::from_str(&policy)
    {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response.headers_mut().insert(CACHE_HEADER, HeaderValue::from_static(how));
    response
}

/// A body of ready pieces, with its exact length (so it is sent with `Content-Length`).
struct Chunks {
    chunks: VecDeque<Bytes>,
    remaining: u64,
}

impl Chunks {
    fn new(chunks: VecDeque<Bytes>) -> Self {
        let remaining = chunks.iter().map(|c| c.len() as u64).sum();
        Self { chunks, remaining }
    }
}

impl http_body::Body for Chunks {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        let chunk = self.chunks.pop_front();
        if let Some(chunk) = &chunk {
            self.remaining -= chunk.len() as u64;
        }
        std::task::Poll::Ready(chunk.map(|c| Ok(http_body::Frame::data(c))))
    }

    fn is_end_stream(&self) -> bool {
        self.chunks.is_empty()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.remaining)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(version: i64, body: &str, policy: &str) -> Page {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_str(policy).unwrap());
        Page::new(version, headers, body.as_bytes()).unwrap()
    }

    /// A pool that never connects: these tests do not read the version.
    fn lazy_pool() -> crate::db::Pool {
        crate::db::Pool::sqlite(sqlx::sqlite::SqlitePoolOptions::new().connect_lazy("sqlite::memory:").unwrap())
    }

    async fn body_of(response: Response) -> String {
        String::from_utf8(axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap().to_vec()).unwrap()
    }

    #[tokio::test]
    async fn every_response_gets_a_fresh_nonce_in_body_and_header() {
        let old = "0123456789abcdef0123456789abcdef";
        let kept = page(
            3,
            &format!(r#"<script nonce="{old}">go()</script><p>text</p><script nonce="{old}"></script>"#),
            &format!("script-src 'self' 'nonce-{old}'"),
        );
        let (a, b) = (respond(&kept, "hit"), respond(&kept, "hit"));
        let policy = |r: &Response| r.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_owned();
        let (policy_a, policy_b) = (policy(&a), policy(&b));
        assert_ne!(policy_a, policy_b);
        let nonce = nonce_in(&policy_a).unwrap().to_owned();
        assert_ne!(nonce, old);
        let body = body_of(a).await;
        assert_eq!(
            body,
            format!(r#"<script nonce="{nonce}">go()</script><p>text</p><script nonce="{nonce}"></script>"#)
        );
        assert!(!body_of(b).await.contains(&nonce));
    }

    #[tokio::test]
    async fn only_the_current_version_is_served() {
        let cache = PageCache::new(lazy_pool(), 1 << 20, 0);
        cache.insert("/a".into(), page(5, "<p>a</p>", "default-src 'self'"));
        assert!(cache.get("/a", 5).is_some());
        assert!(cache.get("/a", 6).is_none(), "a write since it was rendered");
        assert!(cache.get("/a", i64::MIN).is_none(), "version unknown");
        assert!(cache.get("/b", 5).is_none());
    }

    #[tokio::test]
    async fn memory_stays_within_its_bound_dropping_the_oldest() {
        let cache = PageCache::new(lazy_pool(), 10_000, 0);
        for i in 0..100 {
            cache.insert(format!("/articles/a?x={i}"), page(1, &"x".repeat(1_000), ""));
        }
        let (count, bytes) = cache.usage();
        assert!(bytes <= 10_000, "{bytes}");
        assert!(count >= 9, "{count}");
        assert!(cache.get("/articles/a?x=99", 1).is_some(), "the newest stays");
        assert!(cache.get("/articles/a?x=0", 1).is_none(), "the oldest went");
        cache.insert("/huge".into(), page(1, &"x".repeat(20_000), ""));
        assert!(cache.get("/huge", 1).is_none(), "larger than the whole cache");
    }

    /// The key of a page anyone may be sent, if the request is for one.
    fn key(request: &Request) -> Option<&str> {
        match lookup(request) {
            Lookup::Shared(key) => Some(key),
            Lookup::Other | Lookup::Personal => None,
        }
    }

    #[test]
    fn reader_pages_only_and_never_personal_ones() {
        let request = |uri: &str, cookie: Option<&str>| {
            let mut builder = Request::get(uri);
            if let Some(cookie) = cookie {
                builder = builder.header(header::COOKIE, cookie);
            }
            builder.body(Body::empty()).unwrap()
        };
        assert_eq!(key(&request("/articles/tram?cpage=2", None)), Some("/articles/tram?cpage=2"));
        assert!(key(&request("/", Some("theme=dark"))).is_some());
        for uri in ["/staff", "/staff/comments", "/articles/tram/correction", "/api/x", "/pkg/a.js", "/articles/"] {
            assert!(key(&request(uri, None)).is_none(), "{uri}");
        }
        let reader = format!("{}={}", crate::clients::READER_COOKIE, "a".repeat(32));
        let staff = format!("x=1; {}={}", crate::auth::STAFF_COOKIE, "b".repeat(64));
        assert!(key(&request("/articles/tram", Some(&reader))).is_none());
        assert!(key(&request("/", Some(&staff))).is_none());
        assert!(matches!(lookup(&request("/articles/tram", Some(&reader))), Lookup::Personal));
        assert!(matches!(lookup(&request("/staff", Some(&staff))), Lookup::Other));
        let head = Request::head("/").body(Body::empty()).unwrap();
        assert!(key(&head).is_none());
    }
}
