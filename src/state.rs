//! (ssr) What every request handler and server-rendered page can reach.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::clients::RateLimiter;
use crate::config::Config;
use crate::db::{self, Pool};
use crate::page_cache::PageCache;

#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub config: Arc<Config>,
    pub leptos_options: LeptosOptions,
    /// Key for hashing client addresses (from the database, stable across restarts).
    pub client_key: Arc<[u8]>,
    pub limiter: Arc<RateLimiter>,
    pub pages: Arc<PageCache>,
    /// Where new comments are written (group commit).
    pub comments: db::comments::CommentWriter,
}

impl AppState {
    /// The keyed hash of the reader behind a request.
    pub fn client_hash(&self, peer: std::net::IpAddr, headers: &axum::http::HeaderMap) -> crate::clients::ClientHash {
        let forwarded = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok());
        let addr = crate::clients::client_addr(peer, forwarded, &self.config.trusted_proxies);
        crate::clients::ClientHash::new(&self.client_key, addr)
    }

    pub async fn new(pool: Pool, config: Config) -> Result<Self, sqlx::Error> {
        let client_key = db::settings::client_hash_key(&pool).await?.into();
        let pages = Arc::new(PageCache::new(pool.clone(), config.page_cache_bytes, config.cdn_max_age_secs));
        Ok(Self {
            comments: db::comments::CommentWriter::start(pool.clone()),
            pool,
            leptos_options: config.leptos.clone(),
            config: Arc::new(config),
            client_key,
            limiter: Arc::new(RateLimiter::default()),
            pages,
        })
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
