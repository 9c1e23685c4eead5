//! The real `copydesk` binary run as child processes, as a deployment runs it.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running server; killed when dropped, so a failing test leaves none behind.
pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// The password the process tests give the staff they add.
pub const PASSWORD: &str = "a long enough password";

/// A client that does not follow redirects, so tests see where a post leads.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// Signs in as the admin `staff add` made with `PASSWORD` as `desk@example.org`; the cookie.
pub async fn sign_in(server: &Server) -> String {
    let response = client()
        .post(server.url("/staff/login"))
        .form(&[("email", "desk@example.org"), ("password", PASSWORD), ("next", "/staff")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303, "signed in");
    let cookie = response.headers().get("set-cookie").unwrap().to_str().unwrap();
    cookie.split(';').next().unwrap().to_owned()
}

/// A same-origin form post with a staff cookie.
pub async fn staff_post(server: &Server, path: &str, cookie: &str, form: &[(&str, &str)]) -> reqwest::Response {
    client()
        .post(server.url(path))
        .header("cookie", cookie)
        .header("origin", &server.base)
        .form(form)
        .send()
        .await
        .unwrap()
}

/// A reader's suggestion on the `tide` story through the island's server function, from
/// `client_ip` (the servers trust a proxy at 127.0.0.1 for this).
pub async fn suggest(server: &Server, client_ip: &str, quote: &str, suggested: &str, email: &str) {
    let args = serde_json::json!({ "slug": "tide", "form": {
        "quote": quote, "prefix": "", "suffix": "", "kind": "factual", "suggested": suggested, "note": "", "email": email } });
    let response = client()
        .post(server.url("/api/corrections/suggest"))
        .header("content-type", "application/x-postcard")
        .header("x-forwarded-for", client_ip)
        .body(crate::support::server_fn_body("/api/corrections/suggest", args))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// `copydesk` on `database_url`, with a minimal built site in `dir`.
pub fn copydesk(dir: &Path, database_url: &str) -> Command {
    let site = dir.join("site");
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(site.join("pkg/copydesk.css"), "body{}").unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_copydesk"));
    command
        .env("DATABASE_URL", database_url)
        .env("COPYDESK_SITE_ROOT", &site)
        // Requests name their reader in X-Forwarded-For, as behind a load balancer.
        .env("COPYDESK_TRUSTED_PROXIES", "127.0.0.1")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// Runs a command of the CLI to completion; panics when it fails.
pub fn run(dir: &Path, database_url: &str, args: &[&str], env: &[(&str, &str)]) {
    let mut command = copydesk(dir, database_url);
    command.args(args).envs(env.iter().copied()).stderr(Stdio::inherit());
    assert!(command.status().unwrap().success(), "copydesk {args:?} failed");
}

/// Starts `copydesk serve` on a free port and waits until `ready` (a path) answers 200.
pub async fn serve(dir: &Path, database_url: &str, ready: &str) -> Server {
    serve_with(dir, database_url, ready, &[]).await
}

/// Like `serve`, with more environment variables set (and their output to `stderr` kept in
/// `dir/server.log` when `RUST_LOG` is among them).
pub async fn serve_with(dir: &Path, database_url: &str, ready: &str, env: &[(&str, &str)]) -> Server {
    let port = free_port();
    let mut command = copydesk(dir, database_url);
    command.arg("serve").env("COPYDESK_LISTEN", format!("127.0.0.1:{port}")).envs(env.iter().copied());
    if env.iter().any(|(k, _)| *k == "RUST_LOG") {
        command.stderr(std::fs::File::create(dir.join("server.log")).unwrap());
    }
    let child = command.spawn().unwrap();
    let server = Server { child, base: format!("http://127.0.0.1:{port}") };
    let client = reqwest::Client::new();
    for _ in 0..600 {
        if client.get(server.url(ready)).send().await.is_ok_and(|r| r.status() == 200) {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not start");
}

/// The article file the process tests import.
pub fn write_article(dir: &Path, slug: &str, title: &str, body: &str) -> std::path::PathBuf {
    let file = dir.join(format!("{slug}.md"));
    std::fs::write(
        &file,
        format!("---\ntitle: {title}\nslug: {slug}\nbyline: Test Desk\npublished: 2026-11-01T00:00:00Z\n---\n{body}\n"),
    )
    .unwrap();
    file
}

/// Asserts that each of `texts` is stored exactly once, counted by `count_sql` (one `$1`).
pub async fn assert_stored_once(url: &str, count_sql: &'static str, texts: &[String]) {
    let pool = copydesk::db::connect(url).await.unwrap();
    for text in texts {
        let copies: i64 = copydesk::db::query_scalar(count_sql).bind(text.as_str()).fetch_one(&pool).await.unwrap();
        assert_eq!(copies, 1, "acknowledged {text:?} stored {copies} times");
    }
}
