//! (ssr) Logging: `RUST_LOG` filters (`info` by default), `COPYDESK_LOG_FORMAT` picks
//! `text` (the default) or `json` (one object a line, for log shippers).

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::FmtSpan;

/// Each request is logged with its method, path, status and time; each use case (a service
/// function's span) when it ends, with how long it ran. An unknown format is refused. The
/// guard must live as long as logging should.
pub fn init(format: &str) -> anyhow::Result<tracing_appender::non_blocking::WorkerGuard> {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    // Lines are written by a thread of their own: a request does not wait for the terminal
    // or the journal. Nothing is dropped: a full buffer makes requests wait instead.
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .buffered_lines_limit(64 * 1024)
        .finish(std::io::stderr());
    let builder =
        tracing_subscriber::fmt().with_env_filter(filter).with_span_events(FmtSpan::CLOSE).with_writer(writer);
    match format {
        "text" => {
            let _ = builder.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr())).try_init();
        }
        "json" => {
            let _ = builder.json().with_current_span(true).try_init();
        }
        other => anyhow::bail!("COPYDESK_LOG_FORMAT must be `text` or `json`, not `{other}`"),
    }
    // Dropped when the command ends: the lines still queued are written then.
    Ok(guard)
}

static METRICS: std::sync::OnceLock<metrics_exporter_prometheus::PrometheusHandle> = std::sync::OnceLock::new();

/// Latency buckets, in seconds: a kept page answers in well under a millisecond, a render in
/// a few, a sign-in's password check in a few hundred.
const BUCKETS: &[f64] = &[0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
/// Comments per writer transaction.
const BATCH_BUCKETS: &[f64] = &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0];

/// Starts recording metrics, once per process (`COPYDESK_METRICS_ADDR` set). Until then
/// nothing is recorded, and the request path skips building labels.
pub fn install_metrics() -> anyhow::Result<&'static metrics_exporter_prometheus::PrometheusHandle> {
    if let Some(handle) = METRICS.get() {
        return Ok(handle);
    }
    let handle = metrics_exporter_prometheus::PrometheusBuilder::new()
        .set_buckets(BUCKETS)?
        .set_buckets_for_metric(
            metrics_exporter_prometheus::Matcher::Full("comment_writer_batch_size".into()),
            BATCH_BUCKETS,
        )?
        .install_recorder()?;
    let handle = METRICS.get_or_init(|| handle);
    // Histogram samples wait in buffers until drained: drain them even if nobody scrapes.
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
        loop {
            tick.tick().await;
            handle.run_upkeep();
        }
    });
    describe();
    Ok(handle)
}

pub fn metrics_handle() -> Option<&'static metrics_exporter_prometheus::PrometheusHandle> {
    METRICS.get()
}

/// Whether metrics are being recorded.
pub fn metrics_on() -> bool {
    METRICS.get().is_some()
}

fn describe() {
    use metrics::{Unit, describe_counter, describe_gauge, describe_histogram};
    describe_counter!("http_requests_total", "HTTP requests answered, by method, route template and status");
    describe_histogram!("http_request_duration_seconds", Unit::Seconds, "Time to the response's headers, by route");
    describe_counter!("page_cache_requests_total", "Reader pages looked up in memory, by outcome (hit, miss, stale)");
    describe_counter!("page_cache_evictions_total", "Kept pages dropped to make room");
    describe_gauge!("page_cache_bytes", Unit::Bytes, "Memory held by kept pages");
    describe_gauge!("page_cache_pages", "Pages kept");
    describe_gauge!("db_pool_connections", "Database connections, by state (in_use, idle)");
    describe_histogram!("db_pool_acquire_seconds", Unit::Seconds, "Wait for a database connection");
    describe_histogram!("comment_writer_batch_size", "Comments committed per writer transaction");
    describe_histogram!("comment_writer_commit_seconds", Unit::Seconds, "Time to commit one writer transaction");
    describe_gauge!("comment_writer_running", "1 while the comment writer task runs");
    describe_counter!("rate_limit_refusals_total", "Requests refused by a rate limit, by action");
    describe_counter!("sign_in_failures_total", "Staff sign-ins refused for a wrong email or password");
}
