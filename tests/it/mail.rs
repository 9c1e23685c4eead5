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
    // The desk says how long the fix took from the first report.
    let desk = client().get(server.url("/staff/corrections?status=accepted")).header("cookie", &cookie).send().await;
    let desk = desk.unwrap().text().await.unwrap();
    assert!(desk.contains("Fixed under a minute after the first report"), "{desk}");
    // Readers' addresses are for staff: the outbox is not open to readers.
    let anonymous = client().get(server.url("/staff/outbox")).send().await.unwrap();
    assert!(anonymous.status().is_redirection(), "sent to sign in");
    // The story's page names no reporter's address.
    let story = client().get(server.url(ARTICLE)).send().await.unwrap().text().await.unwrap();
    assert!(!story.contains("reader@example.org"));
}

/// Reply notifications, in the outbox as the sender will find them (sending itself is the
/// test above): double opt-in, one message per comment an hour with later replies batched,
/// no mail about one's own replies, and unsubscribing.
mod replies {
    use copydesk::db::{self, query_as, query_scalar};
    use copydesk::domain::comment::Moderation;
    use copydesk::domain::mail::Message;

    use crate::support::TestApp;
    use crate::support::desk::app;

    /// A comment posted through the plain form from its own address; its id.
    async fn comment(app: &TestApp, ip: &str, fields: &[(&str, &str)]) -> i64 {
        let mut form = vec![("name", "A Reader")];
        form.extend_from_slice(fields);
        let response = app
            .client
            .post(app.url("/articles/council/comments"))
            .header("x-forwarded-for", ip)
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "{:?}", response.text().await);
        let body = fields.iter().find(|(k, _)| *k == "body").unwrap().1;
        query_scalar("SELECT id FROM comments WHERE body = $1").bind(body).fetch_one(&app.pool).await.unwrap()
    }

    /// The outbox as (recipient, kind, status, payload), oldest first.
    async fn outbox(app: &TestApp) -> Vec<(String, String, String, String)> {
        query_as("SELECT recipient, kind, status, payload FROM outbox ORDER BY id").fetch_all(&app.pool).await.unwrap()
    }

    fn replies_in(payload: &str) -> Vec<String> {
        match Message::from_json(payload) {
            Some(Message::Replies { replies, .. }) => replies.into_iter().map(|r| r.excerpt).collect(),
            other => panic!("not a reply notification: {other:?}"),
        }
    }

    #[tokio::test]
    async fn replies_are_mailed_only_after_confirmation_batched_an_hour_and_stop_on_unsubscribe() {
        let app = app().await;
        db::comments::set_site_moderation(&app.pool, Moderation::Post).await.unwrap();
        let ada = "ada@example.org";
        let first =
            comment(&app, "203.0.113.1", &[("email", "Ada@Example.org"), ("body", "First!"), ("notify", "yes")]).await;
        // Asking twice in a day sends one confirmation.
        comment(&app, "203.0.113.1", &[("email", ada), ("body", "Second thought."), ("notify", "yes")]).await;
        let rows = outbox(&app).await;
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!((rows[0].0.as_str(), rows[0].1.as_str()), (ada, "confirm_replies"));
        let Some(Message::ConfirmReplies { confirm_url, headline }) = Message::from_json(&rows[0].3) else {
            panic!("{rows:?}")
        };
        assert_eq!(headline, "Council Meets");

        // Not confirmed yet: a reply mails nothing.
        comment(&app, "203.0.113.2", &[("body", "A reply before confirming."), ("parent", &first.to_string())]).await;
        assert_eq!(outbox(&app).await.len(), 1);

        // Following the link shows a button; the button confirms.
        let path = confirm_url.strip_prefix(&app.base).expect("the link names the site");
        let page = app.client.get(app.url(path)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Email ada@example.org when someone replies"), "{page}");
        let forged = app.client.post(app.url(&path.replace("ada%40", "eve%40"))).send().await.unwrap();
        assert_eq!(forged.status(), 422, "a link for one address does not confirm another");
        let confirmed = app.client.post(app.url(path)).form(&[("from", "page")]).send().await.unwrap();
        assert_eq!(confirmed.status(), 303);
        let done = app.client.get(app.url(confirmed.headers()["location"].to_str().unwrap())).send().await.unwrap();
        assert!(done.text().await.unwrap().contains("Reply notifications are on"));

        // Two replies while the first message waits: one message with both.
        comment(&app, "203.0.113.2", &[("body", "Ben replies."), ("parent", &first.to_string())]).await;
        comment(&app, "203.0.113.3", &[("body", "Cat replies too."), ("parent", &first.to_string())]).await;
        // Ada answering her own thread is no news to her.
        comment(&app, "203.0.113.1", &[("email", ada), ("body", "Thanks both."), ("parent", &first.to_string())]).await;
        let rows = outbox(&app).await;
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!(rows[1].1, "replies");
        assert_eq!(replies_in(&rows[1].3), ["Ben replies.", "Cat replies too."]);
        let rendered = copydesk::services::mail::rendered(&app.state.mail_links, ada, "replies", &rows[1].3).unwrap();
        assert_eq!(rendered.subject, "2 new replies to your comment: Council Meets");
        assert!(rendered.text.contains("On \u{201c}Council Meets\u{201d}, you wrote: \u{201c}First!\u{201d}"));

        // Once it is sent, the next reply waits an hour after it.
        db::query("UPDATE outbox SET status = 'sent', sent_at = $1 WHERE kind = 'replies'")
            .bind(db::now())
            .execute(&app.pool)
            .await
            .unwrap();
        comment(&app, "203.0.113.2", &[("body", "Ben again."), ("parent", &first.to_string())]).await;
        let (due, sent): (time::OffsetDateTime, time::OffsetDateTime) = query_as(
            "SELECT n.next_attempt_at, s.sent_at FROM outbox n, outbox s
             WHERE n.status = 'queued' AND n.kind = 'replies' AND s.status = 'sent'",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap();
        assert_eq!(due - sent, time::Duration::hours(1));

        // A reply held for moderation is news when it is published, not before.
        db::comments::set_site_moderation(&app.pool, Moderation::Pre).await.unwrap();
        let held = comment(&app, "203.0.113.4", &[("body", "Dan, held."), ("parent", &first.to_string())]).await;
        assert_eq!(replies_in(&outbox(&app).await[2].3), ["Ben again."]);
        db::comments::moderate(&app.pool, &[held], true, None).await.unwrap();
        assert_eq!(replies_in(&outbox(&app).await[2].3), ["Ben again.", "Dan, held."]);

        // Unsubscribing drops what waits and stops what would come.
        let link = app.state.mail_links.unsubscribe_url(ada, copydesk::domain::mail::List::Replies);
        let path = link.strip_prefix(&app.base).unwrap();
        let gone = app.client.post(app.url(path)).body("List-Unsubscribe=One-Click").send().await.unwrap();
        assert_eq!(gone.status(), 200);
        assert_eq!(outbox(&app).await[2].2, "dropped");
        db::comments::set_site_moderation(&app.pool, Moderation::Post).await.unwrap();
        comment(&app, "203.0.113.2", &[("body", "Ben, unheard."), ("parent", &first.to_string())]).await;
        assert_eq!(outbox(&app).await.len(), 3, "nothing queued after unsubscribing");
    }

    #[tokio::test]
    async fn asking_for_replies_without_an_address_is_refused_with_the_words_kept() {
        let app = app().await;
        let response = app
            .client
            .post(app.url("/articles/council/comments"))
            .form(&[("name", "Ada"), ("body", "Tell me of replies."), ("notify", "yes")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422);
        let html = response.text().await.unwrap();
        assert!(html.contains(copydesk::domain::comment::NOTIFY_NEEDS_EMAIL), "{html}");
        assert!(html.contains("Tell me of replies."), "the words are kept");
        let stored: i64 = query_scalar("SELECT COUNT(*) FROM comments").fetch_one(&app.pool).await.unwrap();
        assert_eq!(stored, 0);
    }
}

/// The staff digest: each member turns it on or off on their account page; it says what
/// waits, once an interval, and nothing when nothing waits; moderators hear of no corrections.
mod digest {
    use std::time::Duration;

    use copydesk::db::{query_as, query_scalar};
    use copydesk::domain::mail::Message;
    use copydesk::domain::staff::Role;
    use copydesk::services::mail::queue_digests;

    use crate::support::desk::{app, get, post, sign_in};

    #[tokio::test]
    async fn members_who_turn_it_on_get_what_waits_once_an_interval() {
        let app = app().await;
        let day = Duration::from_secs(24 * 3600);
        let (editor, moderator) = (sign_in(&app, Role::Editor).await, sign_in(&app, Role::Moderator).await);
        for cookie in [&editor, &moderator] {
            let on = post(&app, "/staff/account/digest", Some(cookie), &[("on", "yes")]).await;
            assert_eq!(on.headers()["location"], "/staff/account?digest=saved#digest-title");
        }
        let page = get(&app, "/staff/account", Some(&editor)).await.text().await.unwrap();
        assert!(page.contains("On: what waits in the inbox is mailed to editor@desk.example every 24 hours"), "{page}");

        // Nothing waits: nothing is sent, and the round counts as done.
        assert_eq!(queue_digests(&app.pool, &app.base, day).await.unwrap(), 0);
        let held = app
            .client
            .post(app.url("/articles/council/comments"))
            .header("x-forwarded-for", "203.0.113.9")
            .form(&[("name", "Ada"), ("body", "Held for moderation.")])
            .send()
            .await
            .unwrap();
        assert_eq!(held.status(), 303);
        assert_eq!(queue_digests(&app.pool, &app.base, day).await.unwrap(), 0, "not due again within the day");
        // A day later (the last round moved back), both are told; the next round again waits.
        copydesk::db::query("UPDATE staff SET digest_sent_at = $1")
            .bind(copydesk::db::now() - time::Duration::hours(25))
            .execute(&app.pool)
            .await
            .unwrap();
        assert_eq!(queue_digests(&app.pool, &app.base, day).await.unwrap(), 2);
        assert_eq!(queue_digests(&app.pool, &app.base, day).await.unwrap(), 0);
        let rows: Vec<(String, String)> =
            query_as("SELECT recipient, payload FROM outbox ORDER BY recipient").fetch_all(&app.pool).await.unwrap();
        assert_eq!(
            rows.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
            ["editor@desk.example", "moderator@desk.example"]
        );
        let Some(Message::Digest { comments, desk_url, .. }) = Message::from_json(&rows[0].1) else {
            panic!("{rows:?}")
        };
        assert_eq!((comments, desk_url), (1, format!("{}/staff/inbox", app.base)));
        let text = copydesk::services::mail::rendered(&app.state.mail_links, &rows[0].0, "digest", &rows[0].1).unwrap();
        assert_eq!(text.subject, "Waiting on the desk: 1 comment, 0 reports, 0 corrections");

        // Turned off: no more.
        let off = post(&app, "/staff/account/digest", Some(&editor), &[("on", "")]).await;
        assert_eq!(off.status(), 303);
        copydesk::db::query("UPDATE staff SET digest_sent_at = NULL").execute(&app.pool).await.unwrap();
        assert_eq!(queue_digests(&app.pool, &app.base, day).await.unwrap(), 1, "the moderator's only");
        let editor_mail: i64 = query_scalar("SELECT COUNT(*) FROM outbox WHERE recipient = 'editor@desk.example'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
        assert_eq!(editor_mail, 1);
    }
}

/// Readers can be shown how long each correction took (an admin's setting, off by default).
#[tokio::test]
async fn the_corrections_page_shows_the_time_to_fix_when_the_site_says_so() {
    use copydesk::domain::staff::Role;

    use crate::support::desk::{app, get, post, sign_in};
    let app = app().await;
    let suggested = app
        .call(
            "/api/corrections/suggest",
            serde_json::json!({ "slug": "council", "form": { "quote": "council", "prefix": "The ", "suffix": " met",
                     "kind": "typo", "suggested": "City Council", "note": "", "email": "" } }),
        )
        .header("x-forwarded-for", "203.0.113.7")
        .send()
        .await
        .unwrap();
    assert_eq!(suggested.status(), 200);
    let group: i64 = copydesk::db::query_scalar("SELECT id FROM correction_groups").fetch_one(&app.pool).await.unwrap();
    let editor = sign_in(&app, Role::Editor).await;
    let applied = post(
        &app,
        &format!("/staff/corrections/{group}/apply"),
        Some(&editor),
        &[("replacement", "City Council"), ("notice_kind", "correction"), ("note", "The name is the City Council.")],
    )
    .await;
    assert_eq!(applied.headers()["location"], "/staff/corrections?done=applied");
    let shown = |page: String| page.contains("Fixed under a minute after a reader first reported it.");
    assert!(!shown(get(&app, "/corrections", None).await.text().await.unwrap()), "off by default");
    let admin = sign_in(&app, Role::Admin).await;
    let saved = post(&app, "/staff/settings/corrections", Some(&admin), &[("show", "1")]).await;
    assert_eq!(saved.status(), 303);
    // The kept page notices the setting (its key moved) within a moment.
    let started = std::time::Instant::now();
    while !shown(get(&app, "/corrections", None).await.text().await.unwrap()) {
        assert!(started.elapsed() < Duration::from_secs(5), "the corrections page never showed the time to fix");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let refused = post(&app, "/staff/settings/corrections", Some(&editor), &[("show", "")]).await;
    assert_eq!(refused.status(), 403, "admins only");
}
