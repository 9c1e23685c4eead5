//! What an operator watches: request log lines (JSON for log shippers) and Prometheus
//! metrics on their own address, from the real binary.

use std::collections::HashMap;

use crate::support::process::{copydesk, free_port, run, serve_with, write_article};

/// One sample of the text exposition format: name, labels, value.
type Sample = (String, HashMap<String, String>, f64);

/// Parses Prometheus's text format strictly enough to catch a malformed line.
fn parse_exposition(text: &str) -> Vec<Sample> {
    let mut samples = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        if let Some(comment) = line.strip_prefix('#') {
            let words: Vec<&str> = comment.split_whitespace().collect();
            assert!(matches!(words.first(), Some(&"HELP" | &"TYPE")), "comment line: {line}");
            if words[0] == "TYPE" {
                assert!(["counter", "gauge", "histogram", "summary", "untyped"].contains(&words[2]), "{line}");
            }
            continue;
        }
        let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("no value: {line}"));
        let value: f64 = match value {
            "+Inf" => f64::INFINITY,
            v => v.parse().unwrap_or_else(|_| panic!("bad value: {line}")),
        };
        let (name, labels) = match series.split_once('{') {
            Some((name, rest)) => {
                let body = rest.strip_suffix('}').unwrap_or_else(|| panic!("unclosed labels: {line}"));
                let mut labels = HashMap::new();
                for pair in body.split("\",").filter(|p| !p.is_empty()) {
                    let (key, value) = pair.split_once("=\"").unwrap_or_else(|| panic!("bad label: {line}"));
                    labels.insert(key.to_owned(), value.trim_end_matches('"').to_owned());
                }
                (name, labels)
            }
            None => (series, HashMap::new()),
        };
        assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'), "metric name: {line}");
        samples.push((name.to_owned(), labels, value));
    }
    samples
}

fn value(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    samples
        .iter()
        .filter(|(n, l, _)| n == name && labels.iter().all(|(k, v)| l.get(*k).is_some_and(|x| x == v)))
        .map(|(_, _, v)| *v)
        .reduce(|a, b| a + b)
}

#[tokio::test]
async fn metrics_are_served_on_their_own_address_in_prometheus_format() {
    let dir = tempfile::tempdir().unwrap();
    let database = crate::support::fresh_database(dir.path());
    let article = write_article(dir.path(), "metered", "Metered Story", "Text of the metered story.");
    run(dir.path(), &database, &["import", article.to_str().unwrap()], &[]);
    run(dir.path(), &database, &["settings", "--moderation", "post"], &[]);
    let metrics_addr = format!("127.0.0.1:{}", free_port());
    let server = serve_with(dir.path(), &database, "/readyz", &[("COPYDESK_METRICS_ADDR", &metrics_addr)]).await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();

    for _ in 0..3 {
        assert_eq!(client.get(server.url("/articles/metered")).send().await.unwrap().status(), 200);
    }
    let posted = client
        .post(server.url("/articles/metered/comments"))
        .header("origin", &server.base)
        .header("x-forwarded-for", "192.0.2.40")
        .form(&[("name", "Ana"), ("body", "A comment to count.")])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 303);
    let refused = client
        .post(server.url("/staff/login"))
        .header("origin", &server.base)
        .header("x-forwarded-for", "192.0.2.41")
        .form(&[("email", "nobody@example.org"), ("password", "not the password")])
        .send()
        .await
        .unwrap();
    assert_ne!(refused.status(), 303);
    // Over the comment limit: refusals are counted.
    for n in 0..7 {
        let body = format!("Comment number {n} from one reader.");
        client
            .post(server.url("/articles/metered/comments"))
            .header("origin", &server.base)
            .header("x-forwarded-for", "192.0.2.42")
            .form(&[("name", "Ben"), ("body", body.as_str())])
            .send()
            .await
            .unwrap();
    }
    // The public port does not serve them.
    assert_eq!(client.get(server.url("/metrics")).send().await.unwrap().status(), 404);

    let scraped = client.get(format!("http://{metrics_addr}/metrics")).send().await.unwrap();
    assert_eq!(scraped.status(), 200);
    assert!(scraped.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let samples = parse_exposition(&scraped.text().await.unwrap());

    let article_200 =
        value(&samples, "http_requests_total", &[("route", "/articles/{slug}"), ("status", "200"), ("method", "GET")]);
    assert!(article_200.unwrap_or(0.0) >= 3.0, "{article_200:?}");
    assert!(
        value(&samples, "http_requests_total", &[("route", "/articles/{slug}/comments"), ("status", "303")])
            >= Some(1.0)
    );
    assert!(
        value(&samples, "http_request_duration_seconds_bucket", &[("route", "/articles/{slug}"), ("le", "+Inf")])
            >= Some(3.0)
    );
    assert!(value(&samples, "page_cache_requests_total", &[("outcome", "hit")]) >= Some(1.0));
    assert!(value(&samples, "page_cache_requests_total", &[("outcome", "miss")]) >= Some(1.0));
    assert!(value(&samples, "page_cache_bytes", &[]) > Some(0.0));
    assert!(value(&samples, "db_pool_connections", &[("state", "idle")]).is_some());
    assert!(value(&samples, "db_pool_connections", &[("state", "in_use")]).is_some());
    assert!(value(&samples, "db_pool_acquire_seconds_count", &[]) >= Some(1.0));
    assert!(value(&samples, "comment_writer_batch_size_count", &[]) >= Some(1.0));
    assert!(value(&samples, "comment_writer_commit_seconds_count", &[]) >= Some(1.0));
    assert_eq!(value(&samples, "comment_writer_running", &[]), Some(1.0));
    assert!(value(&samples, "rate_limit_refusals_total", &[("action", "comment")]) >= Some(1.0));
    assert_eq!(value(&samples, "sign_in_failures_total", &[]), Some(1.0));
    // Route templates only: no slug, query or address becomes a label.
    for (name, labels, _) in &samples {
        for value in labels.values() {
            assert!(!value.contains("metered") && !value.contains("192.0.2."), "{name} {labels:?}");
        }
    }
}

/// `COPYDESK_LOG_FORMAT=json`: every line one JSON object; a request line has the method,
/// route template, status, time and page cache outcome, and nothing personal (no query
/// string, cookie or address). An unknown format stops start-up, naming the variable.
#[tokio::test]
async fn request_lines_name_the_route_not_what_the_reader_sent() {
    let dir = tempfile::tempdir().unwrap();
    let database = crate::support::fresh_database(dir.path());
    let article = write_article(dir.path(), "logged", "Logged Story", "Text of the logged story.");
    run(dir.path(), &database, &["import", article.to_str().unwrap()], &[]);
    let server =
        serve_with(dir.path(), &database, "/healthz", &[("RUST_LOG", "info"), ("COPYDESK_LOG_FORMAT", "json")]).await;
    let client = reqwest::Client::new();
    for _ in 0..2 {
        let response = client
            .get(server.url("/articles/logged?utm_source=reader%40example.org"))
            .header("cookie", "copydesk_reader=secretcookievalue")
            .header("x-forwarded-for", "198.51.100.7")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    }
    // Lines are written by the server's log thread, a moment after the response.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    drop(server);
    let text = std::fs::read_to_string(dir.path().join("server.log")).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let requests: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| l["fields"]["message"] == "request" && l["fields"]["route"] == "/articles/{slug}")
        .collect();
    assert_eq!(requests.len(), 2, "two request lines for the article in {text}");
    for line in &requests {
        assert_eq!(line["level"], "INFO");
        assert_eq!(line["fields"]["method"], "GET");
        assert_eq!(line["fields"]["status"], 200);
        assert!(line["fields"]["ms"].as_f64().is_some());
    }
    // A reader with a cookie gets their own render; the cache still says what it did.
    assert!(requests.iter().all(|l| l["fields"]["cache"].is_string()));
    for secret in [
        "reader%40example.org",
        "reader@example.org",
        "utm_source",
        "secretcookievalue",
        "198.51.100.7",
        "/articles/logged",
    ] {
        assert!(!text.contains(secret), "the log holds {secret:?}:\n{text}");
    }

    let refused = copydesk(dir.path(), &database)
        .arg("migrate")
        .env("COPYDESK_LOG_FORMAT", "xml")
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("COPYDESK_LOG_FORMAT must be"));
}
