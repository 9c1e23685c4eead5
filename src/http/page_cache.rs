//! (ssr) Public pages kept in memory and sent as stored bytes: a story that draws a crowd is
//! rendered, and compressed, once per change, not once per reader.
//!
//! A kept page is byte-identical for every reader (no per-response nonce: the inline island
//! loader is allowed by its hash), compressed once with Brotli and gzip when it is kept, and
//! sent in the encoding the client accepts with an `ETag`. It names what it shows
//! (`declare`); it stays current until one of those keys changes (`freshness`), so a comment
//! on one story leaves every other story's page in memory.
//!
//! Readers with the comment cookie and staff get the same kept page unless the reader has
//! a comment awaiting moderation on that article (one indexed query): only then is the page
//! rendered for them, showing it. A page missing from memory is rendered once while other
//! readers of it wait (single flight); keys hold only the query parameters a page reads, and
//! the least recently used pages leave first when memory is short.

/// What a request is to the cache: which page, under which key, for whom.
mod requests;
/// A kept page and its encodings.
pub mod stored;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use requests::{Lookup, Reader, lookup};
use stored::{Encoding, StoredPage};

use crate::cache::{Kept, PageKey};
use crate::http::Visitor;
use crate::http::observe::RouteName;

/// A safety net: nothing is served from memory longer than this.
const MAX_AGE: Duration = Duration::from_secs(300);
/// A page out of date when the database went away may still be sent stale if it was
/// rendered this shortly before.
const STALE_RECENT: Duration = Duration::from_secs(60);
/// Larger pages (an enormous comment page) are rendered every time.
const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;
/// How long a reader waits for another request's render of the same page before rendering
/// it too.
const WAIT_FOR_RENDER: Duration = Duration::from_secs(10);
/// Says whether a response came from memory (`hit`) or was rendered and kept (`miss`).
pub const CACHE_HEADER: &str = "x-copydesk-cache";
/// How a page tells this cache what it shows; removed before the response leaves.
const KEYS_HEADER: HeaderName = HeaderName::from_static("x-copydesk-keys");

/// The header an axum handler (a feed) answers with to say what it shows; like `declare`.
pub fn keys_header<'a>(keys: impl IntoIterator<Item = PageKey<'a>>) -> (HeaderName, HeaderValue) {
    let keys: Vec<String> = keys.into_iter().map(|k| k.to_string()).collect();
    (KEYS_HEADER, HeaderValue::try_from(keys.join(" ")).unwrap_or(HeaderValue::from_static("site")))
}

/// Called by a reader page while it renders: the keys of what it shows (the site-wide key
/// is implied). A page that declares nothing is never kept.
pub fn declare<'a>(keys: impl IntoIterator<Item = PageKey<'a>>) {
    let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() else { return };
    let keys: Vec<String> = keys.into_iter().map(|k| k.to_string()).collect();
    if let Ok(value) = HeaderValue::try_from(keys.join(" ")) {
        response.insert_header(KEYS_HEADER, value);
    }
}

pub struct PageCache {
    pool: crate::db::Pool,
    max_bytes: usize,
    /// How long kept pages may be sent stale while the database is unreachable.
    stale_if_error: Duration,
    /// `Cache-Control` of an anonymous reader page, made once.
    shared: HeaderValue,
    kept: Arc<Kept>,
    pages: RwLock<Pages>,
    /// Renders under way, by key: followers wait until the sender is dropped.
    rendering: Mutex<HashMap<String, tokio::sync::watch::Receiver<()>>>,
    started: Instant,
}

#[derive(Default)]
struct Pages {
    by_key: HashMap<String, Arc<StoredPage>>,
    bytes: usize,
}

impl PageCache {
    /// A cache holding at most `max_bytes` of pages (0 keeps nothing), whose anonymous pages
    /// a CDN may keep for `cdn_max_age` seconds (0: only with revalidation).
    /// It sends kept pages stale for up to `stale_if_error` while the database cannot be
    /// reached.
    pub fn new(
        pool: crate::db::Pool,
        kept: Arc<Kept>,
        max_bytes: usize,
        cdn_max_age: u32,
        stale_if_error: Duration,
    ) -> Self {
        let shared = match cdn_max_age {
            0 => HeaderValue::from_static("no-cache"),
            secs => HeaderValue::try_from(format!("public, max-age=0, s-maxage={secs}, stale-while-revalidate={secs}"))
                .unwrap_or(HeaderValue::from_static("no-cache")),
        };
        Self {
            kept,
            pool,
            max_bytes,
            stale_if_error,
            shared,
            pages: RwLock::new(Pages::default()),
            rendering: Mutex::new(HashMap::new()),
            started: Instant::now(),
        }
    }

    fn now_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    /// The kept page at `key`, if it is current (`hit`), or if the database has been
    /// unreachable for no longer than `stale_if_error` and the page was current when it
    /// went away or rendered shortly before (`stale`: a busy story's page is out of date by
    /// a comment or two most of the time).
    fn get(&self, key: &str) -> Option<(Arc<StoredPage>, &'static str)> {
        let page = self.pages.read().unwrap_or_else(|e| e.into_inner()).by_key.get(key).cloned()?;
        let freshness = &self.kept.freshness;
        let how = if page.made.elapsed() < MAX_AGE && freshness.is_current(&page.keys, page.epoch) {
            "hit"
        } else if let Some(down) = freshness.unreachable_for().filter(|down| *down <= self.stale_if_error)
            && (freshness.was_current(&page.keys, page.epoch) || page.made.elapsed() <= down + STALE_RECENT)
        {
            "stale"
        } else {
            return None;
        };
        page.touch(self.now_ms());
        Some((page, how))
    }

    /// The page at `key` however old its data, when rendering it again failed because the
    /// database is unavailable: within `stale_if_error` of its render.
    fn fallback(&self, key: &str) -> Option<Arc<StoredPage>> {
        let page = self.pages.read().unwrap_or_else(|e| e.into_inner()).by_key.get(key).cloned()?;
        (page.made.elapsed() <= self.stale_if_error).then_some(page)
    }

    /// Forgets the page at `key`: its latest render was not kept (an article unpublished
    /// now answers 404), so an outage must not bring the old page back.
    fn forget(&self, key: &str) {
        let mut pages = self.pages.write().unwrap_or_else(|e| e.into_inner());
        if let Some(old) = pages.by_key.remove(key) {
            pages.bytes -= old.bytes + key.len() + 64;
        }
    }

    fn insert(&self, key: String, page: Arc<StoredPage>) {
        let extra = key.len() + 64;
        if page.bytes + extra > self.max_bytes {
            return;
        }
        page.touch(self.now_ms());
        let mut pages = self.pages.write().unwrap_or_else(|e| e.into_inner());
        pages.bytes += page.bytes + extra;
        if let Some(old) = pages.by_key.insert(key.clone(), page) {
            pages.bytes -= old.bytes + extra;
        }
        if pages.bytes > self.max_bytes {
            let evicted = evict(&mut pages, self.max_bytes - self.max_bytes / 10);
            if crate::telemetry::metrics_on() {
                metrics::counter!("page_cache_evictions_total").increment(evicted);
            }
        }
        if crate::telemetry::metrics_on() {
            metrics::gauge!("page_cache_bytes").set(pages.bytes as f64);
            metrics::gauge!("page_cache_pages").set(pages.by_key.len() as f64);
        }
    }

    /// Whether the reader whose token hashes to `token_hash` has a comment awaiting
    /// moderation on the article `slug`. The articles they have one waiting on are read once
    /// and kept until their `pending:` key moves, so a returning reader's every page is not
    /// a query.
    async fn has_pending(&self, token_hash: &str, slug: &str) -> Result<bool, sqlx::Error> {
        if let Some(slugs) = self.kept.pending.get(&self.kept.freshness, token_hash) {
            return Ok(slugs.iter().any(|s| s == slug));
        }
        let epoch = self.kept.freshness.epoch().await;
        let slugs = crate::db::comments::pending_slugs(&self.pool, token_hash).await?;
        let answer = slugs.iter().any(|s| s == slug);
        if let Some(epoch) = epoch {
            let key = vec![PageKey::Pending(token_hash).to_string()];
            self.kept.pending.insert(token_hash.to_owned(), Arc::new(slugs), key, epoch);
        }
        Ok(answer)
    }

    /// Pages and bytes held.
    pub fn usage(&self) -> (usize, usize) {
        let pages = self.pages.read().unwrap_or_else(|e| e.into_inner());
        (pages.by_key.len(), pages.bytes)
    }

    /// Becomes the one request rendering `key`, or returns the render to wait for.
    fn lead(&self, key: &str) -> Result<Leader<'_>, tokio::sync::watch::Receiver<()>> {
        let mut rendering = self.rendering.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(receiver) = rendering.get(key) {
            return Err(receiver.clone());
        }
        let (sender, receiver) = tokio::sync::watch::channel(());
        rendering.insert(key.to_owned(), receiver);
        Ok(Leader { cache: self, key: key.to_owned(), _done: sender })
    }
}

/// Drops the least recently used pages until `target` bytes remain; returns how many.
fn evict(pages: &mut Pages, target: usize) -> u64 {
    let mut evicted = 0;
    let mut by_age: Vec<(u64, String)> =
        pages.by_key.iter().map(|(k, p)| (p.last_used.load(std::sync::atomic::Ordering::Relaxed), k.clone())).collect();
    by_age.sort_unstable();
    for (_, key) in by_age {
        if pages.bytes <= target {
            break;
        }
        if let Some(old) = pages.by_key.remove(&key) {
            pages.bytes -= old.bytes + key.len() + 64;
            evicted += 1;
        }
    }
    evicted
}

/// The render of one key under way; followers wake when it is dropped, however it ends.
struct Leader<'a> {
    cache: &'a PageCache,
    key: String,
    _done: tokio::sync::watch::Sender<()>,
}

impl Drop for Leader<'_> {
    fn drop(&mut self) {
        self.cache.rendering.lock().unwrap_or_else(|e| e.into_inner()).remove(&self.key);
    }
}

/// The middleware: answers reads of reader pages from memory when it can, keeps what it
/// renders, and reads the page keys again after every write of this server's.
///
/// It also says who else may keep a reader page: an anonymous one a shared cache such as a
/// CDN, for as long as `COPYDESK_CDN_MAX_AGE_SECS` allows; one sent to a reader with a cookie,
/// or an error, only the reader's own browser.
pub async fn layer(State(cache): State<Arc<PageCache>>, request: Request, next: Next) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let response = next.run(request).await;
        // Kept fragments depend on the keys too, even with no page kept.
        if response.status().is_success() || response.status().is_redirection() {
            cache.kept.freshness.read_now().await;
        }
        return response;
    }
    let (key, reader) = match lookup(&request) {
        Lookup::Other => return next.run(request).await,
        Lookup::Render(reader) => return render_for(&cache, &reader, next, request).await,
        Lookup::Kept(key, reader) => (key, reader),
    };
    if cache.max_bytes == 0 {
        return render_for(&cache, &reader, next, request).await;
    }
    let route = requests::route_of(request.uri().path());
    let encoding = Encoding::preferred(request.headers().get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()));
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).map(str::to_owned);

    // Reads the keys when the last read is older than the recheck interval: how other
    // processes' writes arrive.
    cache.kept.refresh().await;
    let mut waited = false;
    let (page, how) = loop {
        if let Some(found) = cache.get(&key) {
            break found;
        }
        match cache.lead(&key) {
            Ok(leader) => {
                let rendered = render_and_keep(&cache, anonymous_copy(&request), next.clone(), &key).await;
                drop(leader);
                if let Err(Some(response)) = &rendered {
                    if response.status() == StatusCode::SERVICE_UNAVAILABLE {
                        cache.kept.freshness.mark_unreachable();
                        if let Some(page) = cache.fallback(&key) {
                            break (page, "stale");
                        }
                    }
                    if !response.status().is_server_error() {
                        cache.forget(&key);
                    }
                }
                match rendered {
                    Ok(page) => break (page, "miss"),
                    // Not kept (an error, a page too large): an anonymous reader gets that
                    // render; anyone else their own.
                    Err(Some(response)) if reader == Reader::Anonymous => {
                        return with_cache_control(response, &reader, &cache);
                    }
                    Err(_) => return render_for(&cache, &reader, next, request).await,
                }
            }
            Err(mut other) if !waited => {
                waited = true;
                let _ = tokio::time::timeout(WAIT_FOR_RENDER, other.changed()).await;
            }
            Err(_) => return render_for(&cache, &reader, next, request).await,
        }
    };
    if let Reader::Commenter(token_hash) = &reader
        && let Some(slug) = &page.article
    {
        match cache.has_pending(token_hash, slug).await {
            Ok(false) => {}
            Ok(true) => return render_for(&cache, &reader, next, request).await,
            // The page without their pending comment beats no page while the database is away.
            Err(_) if how == "stale" => {}
            Err(error) => {
                tracing::warn!(%error, "could not look for a reader's pending comments");
                return render_for(&cache, &reader, next, request).await;
            }
        }
    }
    let mut response = page.respond(encoding, if_none_match.as_deref());
    if reader != Reader::Anonymous {
        response.headers_mut().insert(header::CACHE_CONTROL, PERSONAL);
    }
    response.headers_mut().insert(CACHE_HEADER, HeaderValue::from_static(how));
    response.extensions_mut().insert(RouteName(route.into()));
    if crate::telemetry::metrics_on() {
        metrics::counter!("page_cache_requests_total", "outcome" => how).increment(1);
    }
    response
}

/// Renders the page as anyone would see it (no cookies, uncompressed) and keeps it if it
/// is a complete, shared page that says what it shows. When it is not kept, the response
/// as rendered, if it is still whole.
async fn render_and_keep(
    cache: &PageCache,
    request: Request,
    next: Next,
    key: &str,
) -> Result<Arc<StoredPage>, Option<Response>> {
    // Read before rendering: a change that lands while the page renders makes it stale.
    let epoch = cache.kept.freshness.epoch().await;
    let mut response = next.run(request).await;
    let keys = response.headers_mut().remove(KEYS_HEADER);
    let (Some(keys), Some(epoch), true) = (keys, epoch, keepable(&response)) else {
        return Err(Some(response));
    };
    let keys: Vec<String> = keys.to_str().unwrap_or_default().split_ascii_whitespace().map(str::to_owned).collect();
    let (mut parts, body) = response.into_parts();
    let body = axum::body::to_bytes(body, MAX_PAGE_BYTES).await.map_err(|error| {
        tracing::debug!(%error, "a rendered page was too large to keep");
        None
    })?;
    parts.headers.insert(header::CACHE_CONTROL, cache.shared.clone());
    let article = keys.iter().find_map(|k| k.strip_prefix("article:")).map(str::to_owned);
    let headers = parts.headers;
    let page = tokio::task::spawn_blocking(move || StoredPage::new(headers, body, keys, epoch, article)).await;
    match page {
        Ok(Ok(page)) => {
            let page = Arc::new(page);
            cache.insert(key.to_owned(), page.clone());
            Ok(page)
        }
        Ok(Err(error)) => {
            tracing::error!(%error, "a page could not be compressed");
            Err(None)
        }
        Err(error) => {
            tracing::error!(%error, "compressing a page failed");
            Err(None)
        }
    }
}

/// The request as an anonymous reader's, asking for the page uncompressed.
fn anonymous_copy(original: &Request) -> Request {
    let mut request = Request::new(Body::empty());
    *request.uri_mut() = original.uri().clone();
    *request.headers_mut() = original.headers().clone();
    *request.extensions_mut() = original.extensions().clone();
    if let Some(visitor) = original.extensions().get::<Visitor>() {
        request.extensions_mut().insert(visitor.anonymous());
    }
    for name in [header::COOKIE, header::ACCEPT_ENCODING, header::IF_NONE_MATCH] {
        request.headers_mut().remove(name);
    }
    request
}

/// The page rendered for this reader alone, with who else may keep it.
async fn render_for(cache: &PageCache, reader: &Reader, next: Next, request: Request) -> Response {
    let mut response = next.run(request).await;
    response.headers_mut().remove(KEYS_HEADER);
    with_cache_control(response, reader, cache)
}

/// Sets `Cache-Control` unless the handler chose one: shared for a complete page anyone may
/// be sent, private otherwise.
fn with_cache_control(mut response: Response, reader: &Reader, cache: &PageCache) -> Response {
    let control = if *reader == Reader::Anonymous && keepable(&response) { cache.shared.clone() } else { PERSONAL };
    if !response.headers().contains_key(header::CACHE_CONTROL) {
        response.headers_mut().insert(header::CACHE_CONTROL, control);
    }
    response
}

/// A page for one reader, or an error: only their browser may keep it, and ask first.
const PERSONAL: HeaderValue = HeaderValue::from_static("private, no-cache");

/// Only complete, shared pages (HTML, and the feeds) are kept.
fn keepable(response: &Response) -> bool {
    const KEPT: [&str; 3] = ["text/html", "application/xml", "application/atom+xml"];
    let kept = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| KEPT.iter().any(|kind| v.starts_with(kind)));
    response.status() == StatusCode::OK && kept && !response.headers().contains_key(header::SET_COOKIE)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pool that never connects: these tests do not read the keys.
    fn lazy_pool() -> crate::db::Pool {
        crate::db::Pool::sqlite(sqlx::sqlite::SqlitePoolOptions::new().connect_lazy("sqlite::memory:").unwrap())
    }

    fn page(size: usize) -> Arc<StoredPage> {
        let body = axum::body::Bytes::from((0..size).map(|i| (i % 251) as u8).collect::<Vec<u8>>());
        Arc::new(StoredPage::new(axum::http::HeaderMap::new(), body, vec![], 0, None).unwrap())
    }

    #[tokio::test]
    async fn memory_stays_within_its_bound_dropping_the_least_recently_used() {
        let cache = PageCache::new(lazy_pool(), Arc::new(Kept::new(lazy_pool(), 0)), 60_000, 0, Duration::ZERO);
        cache.insert("/hot".into(), page(1_000));
        for i in 0..100 {
            cache.insert(format!("/articles/a{i}"), page(1_000));
            // The hot page is read between every insert.
            let pages = cache.pages.read().unwrap();
            pages.by_key["/hot"].touch(cache.now_ms() + i + 1);
        }
        let (count, bytes) = cache.usage();
        assert!(bytes <= 60_000, "{bytes}");
        assert!(count >= 5, "{count}");
        let pages = cache.pages.read().unwrap();
        assert!(pages.by_key.contains_key("/hot"), "the page read most recently stays");
        assert!(pages.by_key.contains_key("/articles/a99"), "the newest stays");
        assert!(!pages.by_key.contains_key("/articles/a0"), "the oldest went");
        drop(pages);
        cache.insert("/huge".into(), page(200_000));
        assert!(!cache.pages.read().unwrap().by_key.contains_key("/huge"), "larger than the whole cache");
    }

    #[tokio::test]
    async fn one_render_at_a_time_per_key() {
        let cache = PageCache::new(lazy_pool(), Arc::new(Kept::new(lazy_pool(), 0)), 1 << 20, 0, Duration::ZERO);
        let leader = cache.lead("/a").ok().unwrap();
        let mut follower = cache.lead("/a").err().unwrap();
        assert!(cache.lead("/b").is_ok(), "other keys render freely");
        let waiting = tokio::spawn(async move { follower.changed().await });
        drop(leader);
        assert!(waiting.await.unwrap().is_err(), "woken when the render ends");
        assert!(cache.lead("/a").is_ok(), "and the key is free again");
    }
}
