//! (ssr) Settings: each one a command-line option with an environment variable and a
//! default, so `copydesk serve --help` lists them all. Malformed values stop start-up with a
//! message naming the variable.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use leptos::config::LeptosOptions;

/// Where the data is: every command reads these.
#[derive(Debug, Clone, clap::Args)]
pub struct DatabaseSettings {
    /// The database: `sqlite://FILE` (created when missing) or
    /// `postgres://USER:PASSWORD@HOST/NAME`.
    #[arg(long, env = "DATABASE_URL", value_name = "URL", default_value = "sqlite://copydesk.db",
          hide_env_values = true, global = true, value_parser = database)]
    pub database_url: String,
    /// Connections kept open [default: 8 for SQLite, 16 for PostgreSQL].
    #[arg(long, env = "COPYDESK_DB_POOL_SIZE", value_name = "N", global = true,
          value_parser = positive("COPYDESK_DB_POOL_SIZE"))]
    pub db_pool_size: Option<u64>,
    /// How long one statement may run (PostgreSQL), or a writer waits for another's lock
    /// (SQLite), in milliseconds.
    #[arg(long, env = "COPYDESK_DB_STATEMENT_TIMEOUT_MS", value_name = "MS", default_value = "5000",
          global = true, value_parser = whole("COPYDESK_DB_STATEMENT_TIMEOUT_MS"))]
    pub db_statement_timeout_ms: u64,
    /// How long a request waits for a free database connection (or for the database to
    /// answer a new connection) before it gets 503 with `Retry-After`, in milliseconds.
    #[arg(long, env = "COPYDESK_DB_ACQUIRE_TIMEOUT_MS", value_name = "MS", default_value = "1000",
          global = true, value_parser = positive("COPYDESK_DB_ACQUIRE_TIMEOUT_MS"))]
    pub db_acquire_timeout_ms: u64,
    /// How often a transaction is tried again after a serialization failure or deadlock.
    #[arg(long, env = "COPYDESK_DB_RETRIES", value_name = "N", default_value = "3", global = true,
          value_parser = whole("COPYDESK_DB_RETRIES"))]
    pub db_retries: u64,
    /// Log lines as `text` or `json` (one object a line, for log shippers); `RUST_LOG`
    /// filters them (default `info`).
    #[arg(long, env = "COPYDESK_LOG_FORMAT", value_name = "FORMAT", default_value = "text", global = true,
          value_parser = one_of("COPYDESK_LOG_FORMAT", &["text", "json"]))]
    pub log_format: String,
    /// Where photo files are kept: `database`, or `s3://BUCKET/PREFIX` (an S3-compatible
    /// bucket; credentials, region and endpoint from the usual `AWS_*` variables).
    #[arg(long, env = "COPYDESK_MEDIA_STORE", value_name = "STORE", default_value = "database", global = true,
          value_parser = media_store)]
    pub media_store: String,
}

/// What only the web server reads (accepted by every command, so `copydesk --help` lists
/// them too: `copydesk` alone serves).
#[derive(Debug, Clone, clap::Args)]
pub struct ServeSettings {
    /// Address and port to listen on.
    #[arg(long, global = true, env = "COPYDESK_LISTEN", value_name = "ADDR", default_value = "127.0.0.1:3000",
          value_parser = socket("COPYDESK_LISTEN"))]
    pub listen: SocketAddr,
    /// The site's address as readers see it, for canonical links, feeds, the sitemap and
    /// `Secure` cookies (`https://...`) [default: http:// and the listening address].
    #[arg(long, global = true, env = "COPYDESK_PUBLIC_URL", value_name = "URL", value_parser = url("COPYDESK_PUBLIC_URL"))]
    pub public_url: Option<String>,
    /// Load the sample articles and a demo admin into an empty database.
    #[arg(long, global = true, env = "COPYDESK_DEMO", value_parser = switch("COPYDESK_DEMO"))]
    pub demo: bool,
    /// The demo admin's password (at least 12 characters) [default: a new random one at each
    /// start, printed].
    #[arg(long, global = true, env = "COPYDESK_DEMO_PASSWORD", value_name = "PASSWORD", hide_env_values = true)]
    pub demo_password: Option<String>,
    /// Comma-separated addresses of reverse proxies whose `X-Forwarded-For` names the reader
    /// [default: none; the TCP peer is the reader].
    #[arg(long, global = true, env = "COPYDESK_TRUSTED_PROXIES", value_name = "IPS", value_delimiter = ',',
          value_parser = ip("COPYDESK_TRUSTED_PROXIES"))]
    pub trusted_proxies: Vec<IpAddr>,
    /// How long a client may take to send its request headers, in seconds.
    #[arg(long, global = true, env = "COPYDESK_HEADER_TIMEOUT_SECS", value_name = "SECS", default_value = "10",
          value_parser = positive("COPYDESK_HEADER_TIMEOUT_SECS"))]
    pub header_timeout_secs: u64,
    /// Memory for rendered public pages, in MiB (0 turns the page cache off).
    #[arg(long, global = true, env = "COPYDESK_PAGE_CACHE_MB", value_name = "MIB", default_value = "32",
          value_parser = whole("COPYDESK_PAGE_CACHE_MB"))]
    pub page_cache_mb: u64,
    /// Memory for photo files sent to readers, in MiB (0: every file is read from the
    /// database).
    #[arg(long, global = true, env = "COPYDESK_MEDIA_CACHE_MB", value_name = "MIB", default_value = "64",
          value_parser = whole("COPYDESK_MEDIA_CACHE_MB"))]
    pub media_cache_mb: u64,
    /// How long kept pages may still be served while the database cannot be reached, in
    /// seconds (like `stale-if-error`; 0: never).
    #[arg(long, global = true, env = "COPYDESK_STALE_IF_ERROR_SECS", value_name = "SECS", default_value = "600",
          value_parser = whole("COPYDESK_STALE_IF_ERROR_SECS"))]
    pub stale_if_error_secs: u64,
    /// How long a shared cache in front of the servers (a CDN) may keep an anonymous reader
    /// page, in seconds (0: only with revalidation).
    #[arg(long, global = true, env = "COPYDESK_CDN_MAX_AGE_SECS", value_name = "SECS", default_value = "0",
          value_parser = whole("COPYDESK_CDN_MAX_AGE_SECS"))]
    pub cdn_max_age_secs: u64,
    /// Password checks that may run at once; each holds about 19 MiB [default: the number of
    /// CPUs].
    #[arg(long, global = true, env = "COPYDESK_SIGN_IN_CHECKS", value_name = "N", value_parser = positive("COPYDESK_SIGN_IN_CHECKS"))]
    pub sign_in_checks: Option<u64>,
    /// Serve Prometheus metrics at http://ADDR/metrics (keep it off the public network)
    /// [default: off].
    #[arg(long, global = true, env = "COPYDESK_METRICS_ADDR", value_name = "ADDR", value_parser = socket("COPYDESK_METRICS_ADDR"))]
    pub metrics_addr: Option<SocketAddr>,
    /// The SMTP server mail goes through: `smtp://USER:PASSWORD@HOST:587` (STARTTLS required,
    /// except to this machine) or `smtps://USER:PASSWORD@HOST:465` [default: none; messages
    /// wait in the outbox, where staff read them at /staff/outbox].
    #[arg(long, global = true, env = "COPYDESK_SMTP_URL", value_name = "URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// Who mail comes from, as `Name <address>` or an address.
    #[arg(
        long,
        global = true,
        env = "COPYDESK_MAIL_FROM",
        value_name = "ADDRESS",
        default_value = "Copydesk <newsroom@copydesk.invalid>"
    )]
    pub mail_from: String,
    /// The wait before a message the mail server did not take is tried again, in seconds;
    /// it doubles each time, up to an hour (8 attempts in all).
    #[arg(long, global = true, env = "COPYDESK_MAIL_RETRY_SECS", value_name = "SECS", default_value = "60",
          value_parser = positive("COPYDESK_MAIL_RETRY_SECS"))]
    pub mail_retry_secs: u64,
    /// How often staff who turned the digest on (on their account page) are mailed what waits
    /// in the inbox, in hours.
    #[arg(long, global = true, env = "COPYDESK_DIGEST_HOURS", value_name = "HOURS", default_value = "24",
          value_parser = positive("COPYDESK_DIGEST_HOURS"))]
    pub digest_hours: u64,
    /// The built CSS, JS and wasm [default: `site/` beside the binary, else the build's own
    /// `target/site`].
    #[arg(long, global = true, env = "COPYDESK_SITE_ROOT", value_name = "DIR")]
    pub site_root: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub database: crate::db::Options,
    /// The site's address as readers see it, without a trailing `/`.
    pub public_url: String,
    pub demo: bool,
    pub demo_password: Option<String>,
    pub trusted_proxies: Vec<IpAddr>,
    pub header_timeout: Duration,
    pub page_cache_bytes: usize,
    pub media_cache_bytes: usize,
    /// `COPYDESK_MEDIA_STORE` as given (`media_store::MediaStore` reads it).
    pub media_store: String,
    pub stale_if_error: Duration,
    pub cdn_max_age_secs: u32,
    pub sign_in_checks: usize,
    pub metrics_addr: Option<SocketAddr>,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub mail_retry: Duration,
    pub digest_every: Duration,
    /// The listening address is `leptos.site_addr`; the built site is `leptos.site_root`.
    pub leptos: LeptosOptions,
}

/// Every setting from the environment alone (tests, and `copydesk` with no command).
#[derive(Debug, Parser)]
struct FromEnv {
    #[command(flatten)]
    database: DatabaseSettings,
    #[command(flatten)]
    serve: ServeSettings,
}

impl Config {
    /// Whether readers reach the site over TLS: cookies are then marked `Secure`.
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    pub fn from_env() -> anyhow::Result<Self> {
        let FromEnv { database, serve } = FromEnv::try_parse_from(["copydesk"])?;
        Ok(Self::new(&database, serve))
    }

    pub fn new(database: &DatabaseSettings, serve: ServeSettings) -> Self {
        let site = crate::built_site::locate(serve.site_root.as_deref());
        let leptos = LeptosOptions::builder()
            .output_name(crate::built_site::OUTPUT_NAME)
            .site_root(site.root.display().to_string())
            .site_pkg_dir("pkg")
            .env(if cfg!(debug_assertions) { leptos::config::Env::DEV } else { leptos::config::Env::PROD })
            .site_addr(serve.listen)
            .hash_files(site.hashes.is_some())
            .build();
        let public_url = serve.public_url.unwrap_or_else(|| format!("http://{}", serve.listen));
        Self {
            database: database.options(),
            public_url: public_url.trim_end_matches('/').to_owned(),
            demo: serve.demo,
            demo_password: serve.demo_password,
            trusted_proxies: serve.trusted_proxies,
            header_timeout: Duration::from_secs(serve.header_timeout_secs),
            page_cache_bytes: mebibytes(serve.page_cache_mb),
            media_cache_bytes: mebibytes(serve.media_cache_mb),
            media_store: database.media_store.clone(),
            stale_if_error: Duration::from_secs(serve.stale_if_error_secs),
            cdn_max_age_secs: u32::try_from(serve.cdn_max_age_secs).unwrap_or(u32::MAX),
            sign_in_checks: serve
                .sign_in_checks
                .map_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()), |n| n as usize),
            metrics_addr: serve.metrics_addr,
            smtp_url: serve.smtp_url,
            mail_from: serve.mail_from,
            mail_retry: Duration::from_secs(serve.mail_retry_secs),
            digest_every: Duration::from_secs(serve.digest_hours.saturating_mul(3600)),
            leptos,
        }
    }
}

impl DatabaseSettings {
    pub fn options(&self) -> crate::db::Options {
        let mut options = crate::db::Options::new(&self.database_url);
        options.pool_size = self.db_pool_size.map(|n| u32::try_from(n).unwrap_or(u32::MAX));
        options.statement_timeout = Duration::from_millis(self.db_statement_timeout_ms);
        options.acquire_timeout = Duration::from_millis(self.db_acquire_timeout_ms);
        options.retries = u32::try_from(self.db_retries).unwrap_or(u32::MAX);
        options
    }
}

// Parsers whose messages name the variable: clap itself names only the option.

fn mebibytes(mib: u64) -> usize {
    usize::try_from(mib).unwrap_or(usize::MAX / 2).saturating_mul(1024 * 1024)
}

fn media_store(raw: &str) -> Result<String, String> {
    if raw == "database" || raw.strip_prefix("s3://").is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/')) {
        Ok(raw.to_owned())
    } else {
        Err("COPYDESK_MEDIA_STORE: `database` or `s3://bucket/prefix`".to_owned())
    }
}

fn database(raw: &str) -> Result<String, String> {
    crate::db::kind_of(raw).map(|_| raw.to_owned()).map_err(|error| error.to_string())
}

fn whole(var: &'static str) -> impl Fn(&str) -> Result<u64, String> + Clone {
    move |raw| raw.trim().parse::<u64>().map_err(|_| format!("{var} must be a whole number, not {raw:?}"))
}

fn positive(var: &'static str) -> impl Fn(&str) -> Result<u64, String> + Clone {
    move |raw| {
        raw.trim()
            .parse::<u64>()
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(|| format!("{var} must be at least 1, not {raw:?}"))
    }
}

fn switch(var: &'static str) -> impl Fn(&str) -> Result<bool, String> + Clone {
    move |raw| match raw.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" | "" => Ok(false),
        _ => Err(format!("{var} must be 1 or 0 (or yes/no, true/false), not {raw:?}")),
    }
}

fn socket(var: &'static str) -> impl Fn(&str) -> Result<SocketAddr, String> + Clone {
    move |raw| {
        raw.trim().parse().map_err(|_| format!("{var} must be an address and port such as 127.0.0.1:3000, not {raw:?}"))
    }
}

fn ip(var: &'static str) -> impl Fn(&str) -> Result<IpAddr, String> + Clone {
    move |raw| raw.trim().parse().map_err(|_| format!("{var}: {raw:?} is not an IP address"))
}

fn url(var: &'static str) -> impl Fn(&str) -> Result<String, String> + Clone {
    move |raw| {
        let raw = raw.trim();
        if raw.starts_with("http://") || raw.starts_with("https://") {
            Ok(raw.to_owned())
        } else {
            Err(format!("{var} must start with http:// or https://, not {raw:?}"))
        }
    }
}

fn one_of(var: &'static str, choices: &'static [&'static str]) -> impl Fn(&str) -> Result<String, String> + Clone {
    move |raw| {
        choices
            .iter()
            .find(|c| **c == raw)
            .map(|c| (*c).to_owned())
            .ok_or_else(|| format!("{var} must be one of {}, not {raw:?}", choices.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use clap::Parser;

    use super::FromEnv;

    fn parse(args: &[&str]) -> Result<FromEnv, clap::Error> {
        FromEnv::try_parse_from(std::iter::once("copydesk").chain(args.iter().copied()))
    }

    #[test]
    fn settings_have_defaults_and_are_checked() {
        let defaults = parse(&[]).unwrap();
        let options = defaults.database.options();
        assert_eq!(options.url, "sqlite://copydesk.db");
        assert_eq!(
            (options.pool_size, options.statement_timeout, options.acquire_timeout, options.retries),
            (None, Duration::from_secs(5), Duration::from_secs(1), 3)
        );
        assert_eq!(defaults.serve.listen.to_string(), "127.0.0.1:3000");

        let set = parse(&[
            "--database-url=postgres://desk@db.internal/copydesk",
            "--db-pool-size=40",
            "--db-statement-timeout-ms=1500",
            "--db-retries=0",
            "--trusted-proxies=10.0.0.1,::1",
        ])
        .unwrap();
        let options = set.database.options();
        assert_eq!(options.kind().unwrap(), crate::db::Kind::Postgres);
        assert_eq!(
            (options.pool_size, options.statement_timeout, options.retries),
            (Some(40), Duration::from_millis(1500), 0)
        );
        assert_eq!(set.serve.trusted_proxies.len(), 2);

        for (arg, variable) in [
            ("--database-url=mysql://db/copydesk", "DATABASE_URL"),
            ("--db-pool-size=0", "COPYDESK_DB_POOL_SIZE"),
            ("--db-pool-size=many", "COPYDESK_DB_POOL_SIZE"),
            ("--db-statement-timeout-ms=-1", "COPYDESK_DB_STATEMENT_TIMEOUT_MS"),
            ("--db-retries=3.5", "COPYDESK_DB_RETRIES"),
            ("--listen=localhost", "COPYDESK_LISTEN"),
            ("--trusted-proxies=10.0.0.1,proxy", "COPYDESK_TRUSTED_PROXIES"),
            ("--public-url=example.com", "COPYDESK_PUBLIC_URL"),
            ("--log-format=xml", "COPYDESK_LOG_FORMAT"),
            ("--page-cache-mb=lots", "COPYDESK_PAGE_CACHE_MB"),
        ] {
            let error = parse(&[arg]).expect_err(arg).to_string();
            assert!(error.contains(variable), "{arg}: {error}");
        }
    }
}
