//! Starts the real application on a free port with a fresh database: a temporary SQLite
//! file, or, when `COPYDESK_TEST_POSTGRES` names a PostgreSQL server
//! (`postgres://USER@HOST:PORT`), a new database on it. `./dev.sh test` runs the suite both
//! ways.

#![allow(dead_code)]

/// Staff accounts and signed-in requests.
pub mod desk;
/// The real binary run as child processes.
pub mod process;

use copydesk::config::Config;
use copydesk::db::{self, Pool};
use copydesk::import::import_sources;
use copydesk::state::AppState;
use tempfile::TempDir;

pub struct TestApp {
    pub base: String,
    pub pool: Pool,
    /// The server's state, for what only it can tell (how many password checks ran).
    pub state: AppState,
    pub database_url: String,
    pub client: reqwest::Client,
    pub dir: TempDir,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request failed")
    }

    pub async fn text(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }

    /// A server function call as the islands make it (see `server_fn_body`).
    pub fn call(&self, path: &str, args: serde_json::Value) -> reqwest::RequestBuilder {
        self.client
            .post(self.url(path))
            .header("content-type", "application/x-postcard")
            .body(server_fn_body(path, args))
    }
}

/// The arguments of the server function at `path`, given as JSON for brevity, checked against
/// its argument struct and encoded in postcard, as the islands send them.
pub fn server_fn_body(path: &str, args: serde_json::Value) -> Vec<u8> {
    use copydesk::api::{post_comment, preview_article, queue_counts, report_comment, suggest_correction};
    fn encode<T: serde::de::DeserializeOwned + serde::Serialize>(args: serde_json::Value) -> Vec<u8> {
        let typed: T = serde_json::from_value(args).expect("the arguments of this server function");
        postcard::to_allocvec(&typed).expect("postcard")
    }
    match path {
        "/api/comments/post" => encode::<post_comment::PostComment>(args),
        "/api/comments/report" => encode::<report_comment::ReportComment>(args),
        "/api/corrections/suggest" => encode::<suggest_correction::SuggestCorrection>(args),
        "/api/staff/queue-counts" => encode::<queue_counts::CommentQueueCounts>(args),
        "/api/staff/preview" => {
            // Given flat, like a form: the editor's fields, the missing ones empty.
            let field = |name: &str| args.get(name).cloned().unwrap_or_else(|| serde_json::Value::from(""));
            let draft = serde_json::json!({
                "title": field("title"), "dek": field("dek"), "body": field("body"), "lang": field("lang"),
                "slug": args.get("slug").cloned().unwrap_or(serde_json::Value::Null),
            });
            encode::<preview_article::PreviewArticle>(serde_json::json!({ "draft": draft }))
        }
        "/api/staff/check-action" => encode::<preview_article::CheckAction>(args),
        other => panic!("no server function at {other}"),
    }
}

/// A server function's answer (or its error), decoded from postcard.
pub async fn answer<T: serde::de::DeserializeOwned>(response: reqwest::Response) -> T {
    postcard::from_bytes(&response.bytes().await.expect("body")).expect("a postcard answer")
}

/// A refused server function call as a reader reads it: the message and each field's problem.
pub async fn refusal(response: reqwest::Response) -> String {
    let error: copydesk::error::AppError = answer(response).await;
    let mut text = error.to_string();
    if let copydesk::error::AppError::Invalid(problems) = &error {
        for problem in problems {
            text.push_str(&format!("\n{}: {}", problem.field, problem.message));
        }
    }
    text
}

/// An article file with the given front matter fields and body.
pub fn article(slug: &str, title: &str, published: &str, topics: &[&str], body: &str) -> String {
    format!(
        "---\ntitle: {title:?}\nslug: {slug}\ndek: Dek of {slug}\nbyline: Test Writer\npublished: {published}\ntopics: [{}]\n---\n{body}\n",
        topics.join(", ")
    )
}

pub async fn spawn_app(sources: &[(&str, String)]) -> TestApp {
    spawn_app_with(sources, |_| {}).await
}

/// Like `spawn_app`, with a chance to change the configuration first.
pub async fn spawn_app_with(sources: &[(&str, String)], configure: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = fresh_database(dir.path());
    let pool = connect(&database_url).await;
    let reports = import_sources(
        &pool,
        &copydesk::media_store::MediaStore::Database,
        sources.iter().map(|(n, t)| ((*n).to_owned(), t.as_str())),
    )
    .await;
    for report in &reports {
        assert!(report.result.is_ok(), "fixture {} failed: {:?}", report.name, report.result);
    }
    serve_on(dir, database_url, pool, configure).await
}

/// The test site's pool. It waits longer for a connection than a server does (1 s): the
/// suite starts dozens of sites at once on two cores, each running every migration, and a
/// test is about what it checks, not about the machine being busy.
async fn connect(url: &str) -> Pool {
    let options = db::Options { acquire_timeout: std::time::Duration::from_secs(30), ..db::Options::new(url) };
    db::connect_with(&options).await.expect("database")
}

/// A server on an existing database (a restart, say), in `dir`.
pub async fn spawn_on(dir: TempDir, database_url: &str) -> TestApp {
    let pool = connect(database_url).await;
    serve_on(dir, database_url.to_owned(), pool, |_| {}).await
}

async fn serve_on(dir: TempDir, database_url: String, pool: Pool, configure: impl FnOnce(&mut Config)) -> TestApp {
    // The PostgreSQL pass must really run on PostgreSQL, not fall back to a file.
    let expected = if postgres_server().is_some() { db::Kind::Postgres } else { db::Kind::Sqlite };
    assert_eq!(pool.kind(), expected, "the test database is of the kind this pass is for");

    let site_root = dir.path().join("site");
    std::fs::create_dir_all(site_root.join("pkg")).unwrap();
    std::fs::write(site_root.join("pkg/copydesk.css"), "body{}").unwrap();
    std::fs::write(site_root.join("favicon.svg"), "<svg/>").unwrap();
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/public/logo.png"), site_root.join("logo.png")).unwrap();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().unwrap();
    let mut config = Config::from_env().expect("config");
    config.database = db::Options::new(&database_url);
    config.public_url = format!("http://{addr}");
    config.leptos.site_addr = addr;
    config.leptos.site_root = site_root.display().to_string().into();
    config.leptos.hash_files = false;
    configure(&mut config);
    let header_timeout = config.header_timeout;
    let state = AppState::new(pool.clone(), config).await.expect("state");
    tokio::spawn(copydesk::http::serve(listener, copydesk::http::site(state.clone()), header_timeout));
    // As `copydesk serve` does: the scheduler publishes what is due.
    tokio::spawn(copydesk::services::scheduling::run(pool.clone()));

    TestApp {
        base: format!("http://{addr}"),
        pool,
        state,
        database_url,
        client: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap(),
        dir,
    }
}

/// The URL of a new, empty database for one test (created when first opened): a SQLite file
/// in `dir`, or a database of its own on the server `COPYDESK_TEST_POSTGRES` names.
pub fn fresh_database(dir: &std::path::Path) -> String {
    match postgres_server() {
        Some(server) => {
            static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
            let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
            format!("{}/test_{}_{n}_{nanos}", server.trim_end_matches('/'), std::process::id())
        }
        None => format!("sqlite://{}", dir.join("test.db").display()),
    }
}

/// The PostgreSQL server the suite runs against, if any.
pub fn postgres_server() -> Option<String> {
    std::env::var("COPYDESK_TEST_POSTGRES").ok().filter(|url| !url.is_empty())
}

/// Parsed HTML, for assertions that do not depend on attribute order or whitespace.
pub struct Page(pub scraper::Html);

impl Page {
    pub fn parse(html: &str) -> Self {
        Self(scraper::Html::parse_document(html))
    }

    fn sel(selector: &str) -> scraper::Selector {
        scraper::Selector::parse(selector).unwrap_or_else(|e| panic!("bad selector {selector}: {e:?}"))
    }

    pub fn count(&self, selector: &str) -> usize {
        self.0.select(&Self::sel(selector)).count()
    }

    pub fn attr(&self, selector: &str, attr: &str) -> Option<String> {
        self.0.select(&Self::sel(selector)).next().and_then(|e| e.value().attr(attr)).map(str::to_owned)
    }

    /// `attr` of every element `selector` matches that has it, in document order.
    pub fn attr_all(&self, selector: &str, attr: &str) -> Vec<String> {
        self.0.select(&Self::sel(selector)).filter_map(|e| e.value().attr(attr)).map(str::to_owned).collect()
    }

    pub fn text(&self, selector: &str) -> Option<String> {
        self.0.select(&Self::sel(selector)).next().map(|e| e.text().collect::<String>())
    }

    pub fn texts(&self, selector: &str) -> Vec<String> {
        self.0.select(&Self::sel(selector)).map(|e| e.text().collect::<String>()).collect()
    }
}
