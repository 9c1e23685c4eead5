//! (ssr) Logging: `RUST_LOG` filters (`info` by default), `COPYDESK_LOG_FORMAT` picks
//! `text` (the default) or `json` (one object a line, for log shippers).

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::FmtSpan;

/// Each request is logged with its method, path, status and time; each use case (a service
/// function's span) when it ends, with how long it ran. An unknown format is refused.
pub fn init(format: &str) -> anyhow::Result<()> {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder =
        tracing_subscriber::fmt().with_env_filter(filter).with_span_events(FmtSpan::CLOSE).with_writer(std::io::stderr);
    match format {
        "text" => {
            let _ = builder.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr())).try_init();
        }
        "json" => {
            let _ = builder.json().with_current_span(true).try_init();
        }
        other => anyhow::bail!("COPYDESK_LOG_FORMAT must be `text` or `json`, not `{other}`"),
    }
    Ok(())
}
