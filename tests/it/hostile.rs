//! Malformed and hostile requests: each gets a clear 4xx, nothing is stored, and the server
//! keeps serving everyone else.

use std::time::{Duration, Instant};

use crate::support::{TestApp, article, spawn_app_with};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn app() -> TestApp {
    let sources =
        [("a.md", article("pier", "Pier Repairs", "2026-11-01T00:00:00Z", &["Harbour"], "The pier is shut."))];
    spawn_app_with(&sources, |config| config.header_timeout = Duration::from_secs(1)).await
}

async fn stored(app: &TestApp) -> (i64, i64) {
    let comments = copydesk::db::query_scalar("SELECT COUNT(*) FROM comments").fetch_one(&app.pool).await.unwrap();
    let reports =
        copydesk::db::query_scalar("SELECT COUNT(*) FROM correction_reports").fetch_one(&app.pool).await.unwrap();
    (comments, reports)
}

async fn raw_post(app: &TestApp, path: &str, content_type: &str, body: impl Into<reqwest::Body>) -> u16 {
    let response = app.client.post(app.url(path)).header("content-type", content_type).body(body).send().await.unwrap();
    response.status().as_u16()
}

#[tokio::test]
async fn malformed_requests_get_4xx_and_store_nothing() {
    let app = app().await;
    let comments = "/articles/pier/comments";
    let form = "application/x-www-form-urlencoded";
    let json = "application/json";
    // 30,000 levels deep in 60 KB: under the body limit, so it reaches the decoder.
    let nested = format!("{}1{}", "[".repeat(30_000), "]".repeat(30_000));
    assert!(nested.len() < copydesk::http::limits::MAX_BODY_BYTES);
    let cases: Vec<(&str, &str, Vec<u8>)> = vec![
        // Invalid UTF-8 in a form field.
        (comments, form, b"name=R&body=%FF%FE%FD".to_vec()),
        (comments, form, vec![b'n', b'a', b'm', b'e', b'=', 0xff, 0xfe]),
        // The wrong content type, and missing fields.
        (comments, "text/plain", b"name=R&body=hello".to_vec()),
        (comments, json, br#"{"name":"R","body":"hello"}"#.to_vec()),
        (comments, form, b"name=R".to_vec()),
        (comments, form, b"".to_vec()),
        ("/articles/pier/correction", form, b"kind=nonsense".to_vec()),
        ("/articles/pier/correction", "text/plain", b"suggested=x".to_vec()),
        // Server functions: undecodable, deeply nested and unknown.
        ("/api/comments/post", json, nested.clone().into_bytes()),
        ("/api/comments/post", form, b"slug=pier&form=%FF".to_vec()),
        ("/api/corrections/suggest", json, br#"{"slug":"pier","form":{"quote":5}}"#.to_vec()),
        ("/api/corrections/suggest", json, nested.into_bytes()),
        ("/api/no-such-function", form, b"x=1".to_vec()),
    ];
    for (path, content_type, body) in cases {
        let shown = String::from_utf8_lossy(&body).chars().take(40).collect::<String>();
        let status = raw_post(&app, path, content_type, body).await;
        assert!((400..500).contains(&status), "{path} {content_type} {shown:?}: {status}");
    }
    // One megabyte: refused before it is read.
    let big = format!("name=R&body={}", "a".repeat(1024 * 1024));
    assert_eq!(raw_post(&app, comments, form, big.clone()).await, 413);
    assert_eq!(raw_post(&app, "/api/comments/post", form, big).await, 413);
    // A megabyte sent in chunks, with no declared length, fails as it is read.
    assert_eq!(chunked_post(&app, comments, 1024 * 1024).await, 413);

    assert_eq!(stored(&app).await, (0, 0), "nothing was stored");
    assert_eq!(app.get("/articles/pier").await.status(), 200, "the server still serves");
}

/// Deep nesting under the body limit reaches the (postcard) decoder, which does not recurse
/// on it: it reads the bytes as the arguments they claim to be, and the request is refused
/// for what they say (no such article, or not decodable), never by the size limit.
#[tokio::test]
async fn deeply_nested_bodies_reach_the_decoder_and_are_refused() {
    let app = app().await;
    let nested = format!("{}1{}", "[".repeat(30_000), "]".repeat(30_000));
    for path in ["/api/comments/post", "/api/corrections/suggest"] {
        for content_type in ["application/x-postcard", "application/json"] {
            let status = raw_post(&app, path, content_type, nested.clone()).await;
            assert!((400..500).contains(&status) && status != 413, "{path} {content_type}: {status}");
        }
    }
    assert_eq!(stored(&app).await, (0, 0));
    assert_eq!(app.get("/articles/pier").await.status(), 200, "the server still serves");
}

/// A made-up staff cookie buys no larger body: the editor's allowance needs a live
/// session, found before the body is read. The refusals of the limit layers carry the
/// security headers every other response has.
#[tokio::test]
async fn only_a_real_editor_session_gets_the_larger_body_and_refusals_carry_security_headers() {
    let app = crate::support::desk::app().await;
    let body = format!("title=A+long+one&byline=B&topics=&dek=&summary=&body={}", "a".repeat(150_000));
    let send = |cookie: String| {
        let (app, body) = (&app, body.clone());
        async move {
            app.client
                .post(app.url("/staff/articles"))
                .header("cookie", cookie)
                .header("origin", &app.base)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .unwrap()
        }
    };
    let response = send(format!("copydesk_staff={}", "a".repeat(64))).await;
    assert_eq!(response.status(), 413, "a reader's cap for a made-up session");
    let editor = crate::support::desk::sign_in(&app, copydesk::domain::staff::Role::Editor).await;
    assert_eq!(send(editor).await.status(), 303, "an editor's long article is read and saved");
    let not_utf8 = app
        .client
        .post(app.url("/articles/council/comments"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(b"name=R&body=%FF".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(not_utf8.status(), 400);
    for refused in [&response, &not_utf8] {
        let headers = refused.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["x-frame-options"], "DENY");
        assert_eq!(headers["referrer-policy"], "strict-origin-when-cross-origin");
        assert!(headers.contains_key("permissions-policy"));
    }
}

/// Posts a form body of about `len` bytes with `Transfer-Encoding: chunked` (no length given
/// up front) over a raw connection; returns the response status.
async fn chunked_post(app: &TestApp, path: &str, len: usize) -> u16 {
    let mut stream = tokio::net::TcpStream::connect(app.base.trim_start_matches("http://")).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let piece = [b'a'; 8192];
    let mut sent = stream.write_all(b"c\r\nname=R&body=\r\n").await;
    for _ in 0..len / piece.len() {
        if sent.is_err() {
            break; // the server answered early and closed
        }
        sent = stream.write_all(b"2000\r\n").await;
        sent = sent.and(stream.write_all(&piece).await);
        sent = sent.and(stream.write_all(b"\r\n").await);
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut response = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut response)).await;
    let text = String::from_utf8_lossy(&response);
    text.split(' ').nth(1).and_then(|code| code.parse().ok()).unwrap_or(0)
}

#[tokio::test]
async fn a_client_trickling_its_headers_is_cut_off_and_others_are_served() {
    let app = app().await;
    let addr = app.base.trim_start_matches("http://").to_owned();
    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let started = Instant::now();
    let trickle = tokio::spawn(async move {
        // One byte of a never-ending header every 200 ms, until the server hangs up.
        for _ in 0..50 {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if slow.write_all(b"X").await.is_err() {
                return started.elapsed();
            }
            let mut buf = [0u8; 256];
            match tokio::time::timeout(Duration::from_millis(1), slow.read(&mut buf)).await {
                Ok(Ok(0) | Err(_)) => return started.elapsed(),
                Ok(Ok(_)) => return started.elapsed(), // an error response, then the close
                Err(_) => {}
            }
        }
        panic!("the slow client was never cut off");
    });
    // Meanwhile everyone else is served at once.
    for _ in 0..5 {
        assert_eq!(app.get("/articles/pier").await.status(), 200);
    }
    let cut_after = trickle.await.unwrap();
    assert!(cut_after < Duration::from_secs(5), "cut off after {cut_after:?}");
}
