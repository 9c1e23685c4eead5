//! (ssr) Settings from the environment, with defaults for running locally.

use leptos::config::LeptosOptions;

#[derive(Debug, Clone)]
pub struct Config {
    /// `DATABASE_URL`: where the SQLite file lives; created when missing.
    pub database_url: String,
    /// `COPYDESK_PUBLIC_URL`: the site's address as readers see it, for canonical links,
    /// feeds and the sitemap. Defaults to `http://` + the listening address.
    pub public_url: String,
    /// `COPYDESK_DEMO=1`: load the sample articles into an empty database at start-up.
    pub demo: bool,
    pub leptos: LeptosOptions,
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        let mut leptos = leptos::config::get_configuration(None)?.leptos_options;
        // Builds that cargo-leptos did not drive (tests, `cargo run`) lack the output name.
        if leptos.output_name.is_empty() {
            leptos.output_name = "copydesk".into();
        }
        let public_url = env_or("COPYDESK_PUBLIC_URL", &format!("http://{}", leptos.site_addr));
        Ok(Self {
            database_url: env_or("DATABASE_URL", "sqlite://copydesk.db"),
            public_url: public_url.trim_end_matches('/').to_owned(),
            demo: matches!(std::env::var("COPYDESK_DEMO").as_deref(), Ok("1" | "true" | "yes")),
            leptos,
        })
    }
}

fn env_or(key: &str, default: &str) -> String {
    std::env::var(key).ok().filter(|v| !v.is_empty()).unwrap_or_else(|| default.to_owned())
}
