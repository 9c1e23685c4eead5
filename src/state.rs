//! (ssr) What every request handler and server-rendered page can reach: the pool, settings,
//! and the parts kept in memory (rate limits, data kept between renders, the comment
//! writer). The page cache belongs to the request edge (`http::site`).

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::cache::Kept;
use crate::config::Config;
use crate::db::{self, Pool};
use crate::media_store::MediaStore;
use crate::services::mail::{Links, Mailer};
use crate::services::rate_limits::RateLimiter;
use crate::services::staff::PasswordChecks;

#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub config: Arc<Config>,
    pub leptos_options: LeptosOptions,
    /// Key for hashing client addresses (from the database, stable across restarts).
    pub client_key: Arc<[u8]>,
    pub limiter: Arc<RateLimiter>,
    /// Data kept between renders, and whether it is current.
    pub kept: Arc<Kept>,
    /// The bound on password checks running at once.
    pub passwords: Arc<PasswordChecks>,
    /// Where new comments are written (group commit).
    pub comments: db::comments::CommentWriter,
    /// The site's language for `<html lang>`: read at start-up, changed by this server's
    /// dictionary page (other app servers read it when they start).
    pub site_lang: Arc<std::sync::RwLock<String>>,
    /// Where photo files are kept.
    pub media: MediaStore,
    /// Where mail goes, and the signed links it carries.
    pub mailer: Arc<Mailer>,
    pub mail_links: Links,
}

impl AppState {
    pub async fn new(pool: Pool, config: Config) -> anyhow::Result<Self> {
        let media = MediaStore::from_setting(&config.media_store)?;
        let client_key = db::settings::client_hash_key(&pool).await?.into();
        let site_lang = db::copy_check::site_language(&pool)
            .await?
            .and_then(|l| crate::domain::lang::Lang::parse(&l))
            .unwrap_or_else(crate::domain::lang::site_default);
        let site_lang = Arc::new(std::sync::RwLock::new(site_lang.to_string()));
        let kept = Arc::new(Kept::new(pool.clone(), config.media_cache_bytes));
        let passwords = Arc::new(PasswordChecks::new(config.sign_in_checks));
        let mailer = Mailer::new(config.smtp_url.as_deref(), &config.mail_from, config.mail_retry)
            .map_err(anyhow::Error::msg)?;
        let mail_links = Links::load(&pool, &config.public_url).await?;
        Ok(Self {
            comments: db::comments::CommentWriter::start(pool.clone()),
            pool,
            leptos_options: config.leptos.clone(),
            config: Arc::new(config),
            client_key,
            site_lang,
            limiter: Arc::new(RateLimiter::default()),
            kept,
            passwords,
            media,
            mailer: Arc::new(mailer),
            mail_links,
        })
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
