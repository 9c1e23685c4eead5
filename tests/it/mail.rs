//! Mail through a real SMTP server: Python's aiosmtpd (from PyPI), which `./dev.sh test`
//! installs and names in `COPYDESK_TEST_SMTP_PYTHON`. Reporters of a suggestion are told of
//! the decision once each, with two app servers sending; a refused message is tried again;
//! the one-click unsubscribe works and later mail to that address is not queued. Without an
//! SMTP server, messages wait in the outbox and staff read them there.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::process::{
    PASSWORD, client, free_port, run, serve_with, sign_in, staff_post, suggest, write_article,
};

const ARTICLE: &str = "/articles/tide";

/// A running aiosmtpd; stopped when dropped. Each message it took is a file in `out`.
struct SmtpServer {
    child: Child,
    port: u16,
    out: PathBuf,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl SmtpServer {
    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The messages taken so far, oldest first.
    fn messages(&self) -> Vec<String> {
        let mut names: Vec<_> = std::fs::read_dir(&self.out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        names.sort();
        names.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect()
    }

    /// Waits until `n` messages have arrived, then a little longer to see that no more do.
    async fn exactly(&self, n: usize) -> Vec<String> {
        let started = Instant::now();
        while self.messages().len() < n {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "only {} of {n} messages arrived",
                self.messages().len()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        tokio::time::sleep(Duration::from_millis(2500)).await;
        let messages = self.messages();
        assert_eq!(messages.len(), n, "no message is sent twice: {messages:#?}");
        messages
    }
}

/// Starts aiosmtpd on a free port, refusing the first `refuse_first` messages, or `None`
/// (said on stderr) when the suite was not given it.
fn smtp_server(dir: &Path, refuse_first: u32) -> Option<SmtpServer> {
    let Some(python) = std::env::var("COPYDESK_TEST_SMTP_PYTHON").ok().filter(|p| !p.is_empty()) else {
        eprintln!("COPYDESK_TEST_SMTP_PYTHON is not set: the SMTP tests are skipped (./dev.sh test sets it)");
        return None;
    };
    let out = dir.join("mail");
    std::fs::create_dir_all(&out).unwrap();
    let port = free_port();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/support/smtp_sink.py");
    let mut child = Command::new(python)
        .arg(script)
        .args(["--port", &port.to_string(), "--out", out.to_str().unwrap()])
        .args(["--refuse-first", &refuse_first.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the SMTP test server starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "ready", "aiosmtpd started");
    Some(SmtpServer { child, port, out })
}

/// A database with one article and one admin, made with the CLI.
fn site(dir: &Path) -> String {
    let url = crate::support::fresh_database(dir);
    let file = write_article(dir, "tide", "Tide Tables Printed", "The harbour office printed tide tables.");
    run(dir, &url, &["import", file.to_str().unwrap()], &[]);
    run(
        dir,
        &url,
        &["staff", "add", "--email", "desk@example.org", "--name", "Desk Editor", "--role", "admin"],
        &[("COPYDESK_PASSWORD", PASSWORD)],
    );
    url
}

async fn group_of(pool: &copydesk::db::Pool, suggested: &str) -> i64 {
    copydesk::db::query_scalar("SELECT id FROM correction_groups WHERE suggested_text = $1")
        .bind(suggested)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// The header `name` of a raw message (unfolded).
fn header(message: &str, name: &str) -> Option<String> {
    let head = message.split("\r\n\r\n").next().unwrap_or_default().replace("\r\n ", " ").replace("\r\n\t", " ");
    head.lines().find_map(|l| l.strip_prefix(&format!("{name}: ")).map(str::to_owned))
}

#[tokio::test]
async fn reporters_are_told_once_each_with_two_servers_and_a_refusal_is_tried_again() {
    let dir = tempfile::tempdir().unwrap();
    // The server refuses the first message it is given: that one is sent at the next attempt.
    let Some(smtp) = smtp_server(dir.path(), 1) else { return };
    let url = site(dir.path());
    let env = [
        ("COPYDESK_SMTP_URL", smtp.url()),
        ("COPYDESK_MAIL_FROM", "Tide Desk <desk@news.example>".to_owned()),
        ("COPYDESK_MAIL_RETRY_SECS", "1".to_owned()),
        ("COPYDESK_PUBLIC_URL", "http://news.example".to_owned()),
        ("COPYDESK_TRUSTED_PROXIES", "127.0.0.1".to_owned()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (a, b) = (serve_with(dir.path(), &url, ARTICLE, &env).await, serve_with(dir.path(), &url, ARTICLE, &env).await);
    let pool = copydesk::db::connect(&url).await.unwrap();

    // Three readers report the same thing (one twice, once in capitals), one without an address.
    suggest(&a, "203.0.113.1", "harbour office", "harbour authority", "first@example.org").await;
    suggest(&b, "203.0.113.2", "harbour office", "harbour authority", "second@example.org").await;
    suggest(&a, "203.0.113.3", "harbour office", "harbour authority", "First@Example.org").await;
    suggest(&b, "203.0.113.4", "harbour office", "harbour authority", "").await;
    let group = group_of(&pool, "harbour authority").await;

    let cookie = sign_in(&a).await;
    let apply = staff_post(
        &a,
        &format!("/staff/corrections/{group}/apply"),
        &cookie,
        &[
            ("replacement", "harbour authority"),
            ("notice_kind", "correction"),
            ("note", "An earlier version named the wrong office."),
        ],
    )
    .await;
    assert_eq!(apply.headers().get("location").unwrap(), "/staff/corrections?done=applied");
    // Written with the decision, before any sender ran.
    let queued: i64 = copydesk::db::query_scalar("SELECT COUNT(*) FROM outbox").fetch_one(&pool).await.unwrap();
    assert_eq!(queued, 2, "one message for each address, however often it reported");

    let messages = smtp.exactly(2).await;
    let mut to: Vec<String> = messages.iter().map(|m| header(m, "X-Envelope-To").unwrap()).collect();
    to.sort();
    assert_eq!(to, ["first@example.org", "second@example.org"]);
    for message in &messages {
        assert_eq!(header(message, "From").as_deref(), Some("\"Tide Desk\" <desk@news.example>"));
        assert_eq!(header(message, "Subject").as_deref(), Some("Your correction was published: Tide Tables Printed"));
        assert_eq!(header(message, "List-Unsubscribe-Post").as_deref(), Some("List-Unsubscribe=One-Click"));
        let unsubscribe = header(message, "List-Unsubscribe").unwrap();
        assert!(unsubscribe.starts_with("<http://news.example/mail/unsubscribe?to="), "{unsubscribe}");
        assert!(header(message, "Content-Type").unwrap().starts_with("multipart/alternative"), "text and HTML");
        assert!(message.contains("An earlier version named the wrong office."));
        assert!(message.contains("http://news.example/articles/tide#corrections"));
        assert!(message.contains("text/html"));
        assert!(!message.contains("<img"), "no tracking pixels");
    }
    let rows: Vec<(String, i64)> =
        copydesk::db::query_as("SELECT status, attempts FROM outbox ORDER BY attempts").fetch_all(&pool).await.unwrap();
    assert_eq!(rows, [("sent".to_owned(), 1), ("sent".to_owned(), 2)], "the refused one went at its second attempt");

    // The one-click unsubscribe of RFC 8058, as a mail program sends it: no page, no cookie.
    let first = messages.iter().find(|m| header(m, "X-Envelope-To").as_deref() == Some("first@example.org")).unwrap();
    let link = header(first, "List-Unsubscribe").unwrap();
    let link = link.trim_matches(['<', '>']).replace("http://news.example", &a.base);
    let forged = reqwest::Client::new()
        .post(link.replace("to=first", "to=other"))
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 422, "a link for one address does not unsubscribe another");
    let done = reqwest::Client::new()
        .post(&link)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 200);
    // Opening the link changes nothing by itself; it offers the button.
    let page = client().get(&link).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Stop sending news of the corrections you suggest to first@example.org?"), "{page}");

    // Both report again; the desk dismisses: only the one still subscribed is told.
    suggest(&b, "203.0.113.5", "tide tables", "tidal tables", "first@example.org").await;
    suggest(&b, "203.0.113.6", "tide tables", "tidal tables", "second@example.org").await;
    let other = group_of(&pool, "tidal tables").await;
    let dismissed =
        staff_post(&b, &format!("/staff/corrections/{other}/dismiss"), &cookie, &[("reason", "Tide tables is right.")])
            .await;
    assert_eq!(dismissed.status(), 303);
    let messages = smtp.exactly(3).await;
    let last = messages.last().unwrap();
    assert_eq!(header(last, "X-Envelope-To").as_deref(), Some("second@example.org"));
    assert!(last.contains("Their reason: Tide tables is right."), "{last}");
}

#[tokio::test]
async fn without_an_smtp_server_messages_wait_in_the_outbox_for_staff_to_read() {
    let dir = tempfile::tempdir().unwrap();
    let url = site(dir.path());
    let server = serve_with(dir.path(), &url, ARTICLE, &[("COPYDESK_TRUSTED_PROXIES", "127.0.0.1")]).await;
    let pool = copydesk::db::connect(&url).await.unwrap();
    suggest(&server, "203.0.113.1", "harbour office", "harbour authority", "reader@example.org").await;
    let group = group_of(&pool, "harbour authority").await;
    let cookie = sign_in(&server).await;
    let accepted = staff_post(
        &server,
        &format!("/staff/corrections/{group}/accept"),
        &cookie,
        &[("notice_kind", "clarification"), ("note", "The office is the harbour authority's.")],
    )
    .await;
    assert_eq!(accepted.headers().get("location").unwrap(), "/staff/corrections?done=accepted");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let outbox = client().get(server.url("/staff/outbox")).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(outbox.status(), 200);
    let html = outbox.text().await.unwrap();
    assert!(html.contains("Mail is not sent (no COPYDESK_SMTP_URL)"), "{html}");
    assert!(html.contains("To reader@example.org · Waiting"), "{html}");
    assert!(html.contains("Your correction was published: Tide Tables Printed"));
    assert!(
        html.contains("Clarification: The office is the harbour authority&#x27;s.")
            || html.contains("Clarification: The office is the harbour authority's.")
    );
    assert!(html.contains("Waiting (1)"));
    // Readers' addresses are for staff: the outbox is not open to readers.
    let anonymous = client().get(server.url("/staff/outbox")).send().await.unwrap();
    assert!(anonymous.status().is_redirection(), "sent to sign in");
    // The story's page names no reporter's address.
    let story = client().get(server.url(ARTICLE)).send().await.unwrap().text().await.unwrap();
    assert!(!story.contains("reader@example.org"));
}
