//! (ssr) Settings from the environment, with defaults for running locally.

use leptos::config::LeptosOptions;

/// Where the built site is and where to listen, when no `LEPTOS_*` variable says otherwise.
const LEPTOS_DEFAULTS: &str = r#"[package.metadata.leptos]
output-name = "copydesk"
site-root = "target/site"
site-pkg-dir = "pkg"
site-addr = "127.0.0.1:3000"
"#;

#[derive(Debug, Clone)]
pub struct Config {
    /// `DATABASE_URL` (`sqlite://FILE`, the default `sqlite://copydesk.db`, or
    /// `postgres://...`), `COPYDESK_DB_POOL_SIZE`, `COPYDESK_DB_STATEMENT_TIMEOUT_MS` (default
    /// 5000) and `COPYDESK_DB_RETRIES` (default 3): see `db::Options`.
    pub database: crate::db::Options,
    /// `COPYDESK_PUBLIC_URL`: the site's address as readers see it, for canonical links,
    /// feeds and the sitemap. Defaults to `http://` + the listening address.
    pub public_url: String,
    /// `COPYDESK_DEMO=1`: load the sample articles into an empty database at start-up.
    pub demo: bool,
    /// `COPYDESK_TRUSTED_PROXIES`: comma-separated addresses of reverse proxies whose
    /// `X-Forwarded-For` names the reader. Empty: the TCP peer is the reader.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// `COPYDESK_HEADER_TIMEOUT_SECS`: how long a client may take to send its request
    /// headers before the connection is closed (default 10).
    pub header_timeout: std::time::Duration,
    /// `COPYDESK_PAGE_CACHE_MB`: memory for rendered public pages (default 32; 0 turns the
    /// page cache off).
    pub page_cache_bytes: usize,
    /// `COPYDESK_CDN_MAX_AGE_SECS`: how long a shared cache in front of the servers (a CDN,
    /// nginx's proxy cache) may keep an anonymous reader page (default 0: only with
    /// revalidation). Changes then take up to this long to reach readers.
    pub cdn_max_age_secs: u32,
    /// `COPYDESK_SIGN_IN_CHECKS`: password checks that may run at once (default: the number
    /// of CPUs). Each holds about 19 MiB while it runs; sign-ins beyond wait up to 2 s, then
    /// get 503 (the attempt still counts).
    pub sign_in_checks: usize,
    pub leptos: LeptosOptions,
}

impl Config {
    /// Whether readers reach the site over TLS: cookies are then marked `Secure`.
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    pub fn from_env() -> anyhow::Result<Self> {
        // `LEPTOS_*` variables (set by cargo-leptos and dev.sh) override these defaults.
        let leptos = leptos::config::get_config_from_str(LEPTOS_DEFAULTS)?;
        let public_url = env_or("COPYDESK_PUBLIC_URL", &format!("http://{}", leptos.site_addr));
        Ok(Self {
            database: database_options(|key| std::env::var(key).ok())?,
            public_url: public_url.trim_end_matches('/').to_owned(),
            demo: matches!(std::env::var("COPYDESK_DEMO").as_deref(), Ok("1" | "true" | "yes")),
            trusted_proxies: parse_addresses(&env_or("COPYDESK_TRUSTED_PROXIES", ""))?,
            header_timeout: std::time::Duration::from_secs(
                env_or("COPYDESK_HEADER_TIMEOUT_SECS", "10")
                    .parse()
                    .map_err(|_| anyhow::anyhow!("COPYDESK_HEADER_TIMEOUT_SECS must be a whole number of seconds"))?,
            ),
            page_cache_bytes: env_or("COPYDESK_PAGE_CACHE_MB", "32")
                .parse::<usize>()
                .map_err(|_| anyhow::anyhow!("COPYDESK_PAGE_CACHE_MB must be a whole number of megabytes"))?
                * 1024
                * 1024,
            cdn_max_age_secs: env_or("COPYDESK_CDN_MAX_AGE_SECS", "0")
                .parse()
                .map_err(|_| anyhow::anyhow!("COPYDESK_CDN_MAX_AGE_SECS must be a whole number of seconds"))?,
            sign_in_checks: match std::env::var("COPYDESK_SIGN_IN_CHECKS") {
                Ok(raw) => raw
                    .parse::<usize>()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or_else(|| anyhow::anyhow!("COPYDESK_SIGN_IN_CHECKS must be a positive whole number"))?,
                Err(_) => std::thread::available_parallelism().map_or(2, |n| n.get()),
            },
            leptos,
        })
    }
}

/// The database settings from the variables `var` looks up (the environment, or a test's).
fn database_options(var: impl Fn(&str) -> Option<String>) -> anyhow::Result<crate::db::Options> {
    let url = var("DATABASE_URL").filter(|v| !v.is_empty()).unwrap_or_else(|| "sqlite://copydesk.db".to_owned());
    let mut options = crate::db::Options::new(url);
    options.kind()?;
    let number = |key: &str| -> anyhow::Result<Option<u64>> {
        var(key)
            .filter(|v| !v.is_empty())
            .map(|v| v.parse::<u64>().map_err(|_| anyhow::anyhow!("{key} must be a whole number, not {v:?}")))
            .transpose()
    };
    if let Some(size) = number("COPYDESK_DB_POOL_SIZE")? {
        options.pool_size = Some(
            u32::try_from(size)
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| anyhow::anyhow!("COPYDESK_DB_POOL_SIZE must be at least 1"))?,
        );
    }
    if let Some(ms) = number("COPYDESK_DB_STATEMENT_TIMEOUT_MS")? {
        options.statement_timeout = std::time::Duration::from_millis(ms);
    }
    if let Some(retries) = number("COPYDESK_DB_RETRIES")? {
        options.retries = u32::try_from(retries).unwrap_or(u32::MAX);
    }
    Ok(options)
}

fn parse_addresses(list: &str) -> anyhow::Result<Vec<std::net::IpAddr>> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().map_err(|_| anyhow::anyhow!("COPYDESK_TRUSTED_PROXIES: {s:?} is not an IP address")))
        .collect()
}

fn env_or(key: &str, default: &str) -> String {
    std::env::var(key).ok().filter(|v| !v.is_empty()).unwrap_or_else(|| default.to_owned())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::database_options;

    fn from(vars: &[(&str, &str)]) -> anyhow::Result<crate::db::Options> {
        database_options(|key| vars.iter().find(|(k, _)| *k == key).map(|(_, v)| (*v).to_owned()))
    }

    #[test]
    fn database_settings_have_defaults_and_are_checked() {
        let defaults = from(&[]).unwrap();
        assert_eq!(defaults.url, "sqlite://copydesk.db");
        assert_eq!(
            (defaults.pool_size, defaults.statement_timeout, defaults.retries),
            (None, Duration::from_secs(5), 3)
        );

        let set = from(&[
            ("DATABASE_URL", "postgres://desk@db.internal/copydesk"),
            ("COPYDESK_DB_POOL_SIZE", "40"),
            ("COPYDESK_DB_STATEMENT_TIMEOUT_MS", "1500"),
            ("COPYDESK_DB_RETRIES", "0"),
        ])
        .unwrap();
        assert_eq!(set.kind().unwrap(), crate::db::Kind::Postgres);
        assert_eq!((set.pool_size, set.statement_timeout, set.retries), (Some(40), Duration::from_millis(1500), 0));

        for (key, value) in [
            ("DATABASE_URL", "mysql://db/copydesk"),
            ("COPYDESK_DB_POOL_SIZE", "0"),
            ("COPYDESK_DB_POOL_SIZE", "many"),
            ("COPYDESK_DB_STATEMENT_TIMEOUT_MS", "-1"),
            ("COPYDESK_DB_RETRIES", "3.5"),
        ] {
            assert!(from(&[(key, value)]).is_err(), "{key}={value} is refused");
        }
    }
}
