//! Requests forged by other sites: every state-changing request, a reader's as much as a
//! staff member's, must come from the site's own pages; a staff session needs the site
//! named even from a browser that sends no `Origin`.

use copydesk::db;
use copydesk::domain::staff::Role;
use serde_json::json;

use crate::support::desk::{PASSWORD, app, app_with, get, sign_in};
use crate::support::{TestApp, server_fn_body};

const CROSS_SITE: [(&str, &str); 2] = [("sec-fetch-site", "cross-site"), ("origin", "https://evil.example")];

/// Comments, comment reports and correction reports stored.
async fn counts(app: &TestApp) -> (i64, i64, i64) {
    db::query_as(
        "SELECT (SELECT COUNT(*) FROM comments), (SELECT COUNT(*) FROM comment_reports),
                (SELECT COUNT(*) FROM correction_reports)",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn cross_site_reader_posts_and_calls_are_refused_and_store_nothing() {
    let app = app().await;
    // One published comment to report, from the site itself.
    let ok = app
        .client
        .post(app.url("/articles/council/comments"))
        .header("origin", &app.base)
        .form(&[("name", "Reader"), ("body", "A fair point.")])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 303);
    db::comments::set_article_comments(&app.pool, "council", Some(copydesk::domain::comment::Moderation::Post), false)
        .await
        .unwrap();
    let before = counts(&app).await;
    let id = db::comments::all(&app.pool).await.unwrap()[0].id;
    for (header, value) in CROSS_SITE {
        let forms = [
            ("/articles/council/comments".to_owned(), vec![("name", "Spam"), ("body", "Buy now")]),
            (format!("/articles/council/comments/{id}/report"), vec![("reason", "spam")]),
            ("/articles/council/correction".to_owned(), vec![("kind", "typo"), ("suggested", "x"), ("note", "n")]),
        ];
        for (path, fields) in forms {
            let response = app.client.post(app.url(&path)).header(header, value).form(&fields).send().await.unwrap();
            assert_eq!(response.status(), 403, "{path} with {header}: {value}");
        }
        let calls = [
            ("/api/comments/post", json!({ "slug": "council", "form": { "name": "Spam", "body": "Buy now" } })),
            ("/api/comments/report", json!({ "slug": "council", "comment": id, "form": { "reason": "spam" } })),
            (
                "/api/corrections/suggest",
                json!({ "slug": "council", "form": { "quote": "council", "kind": "typo", "suggested": "x" } }),
            ),
        ];
        for (path, args) in calls {
            let response = app
                .client
                .post(app.url(path))
                .header("content-type", "application/x-postcard")
                .header(header, value)
                .body(server_fn_body(path, args))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 403, "{path} with {header}: {value}");
        }
    }
    assert_eq!(counts(&app).await, before, "nothing stored");
}

#[tokio::test]
async fn a_signed_in_browser_without_origin_must_name_the_site() {
    let app = app().await;
    let cookie = sign_in(&app, Role::Moderator).await;
    let post = |referer: Option<&'static str>| {
        let app = &app;
        let cookie = cookie.clone();
        async move {
            let mut request = app
                .client
                .post(app.url("/articles/council/comments"))
                .header("cookie", cookie)
                .form(&[("name", "Desk"), ("body", "From the desk.")]);
            if let Some(referer) = referer {
                request = request.header("referer", referer);
            }
            request.send().await.unwrap().status().as_u16()
        }
    };
    assert_eq!(post(None).await, 403, "a staff session with neither Origin nor Referer");
    assert_eq!(post(Some("https://evil.example/page")).await, 403);
    assert!(db::comments::all(&app.pool).await.unwrap().is_empty(), "nothing stored as staff");
    let from_site: &'static str = Box::leak(format!("{}/articles/council", app.base).into_boxed_str());
    assert_eq!(post(Some(from_site)).await, 303, "the site's own page named in Referer");
    // Without a staff session, a request from no browser (a script, a feed reader) passes.
    let anonymous = app
        .client
        .post(app.url("/articles/council/comments"))
        .form(&[("name", "Reader"), ("body", "Plain.")])
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 303);
}

#[tokio::test]
async fn over_tls_the_staff_cookie_is_a_host_cookie() {
    let app = app_with(|config| config.public_url = "https://news.example".into()).await;
    let response = app
        .client
        .post(app.url("/staff/login"))
        .header("origin", "https://news.example")
        .form(&[("email", "editor@desk.example"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let set = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(set.starts_with("__Host-copydesk_staff="), "{set}");
    assert!(set.contains("; Path=/") && set.contains("; Secure") && !set.contains("Domain"), "{set}");
    let cookie = set.split(';').next().unwrap().to_owned();
    assert_eq!(get(&app, "/staff", Some(&cookie)).await.status(), 200);
    let unprefixed = cookie.replacen("__Host-", "", 1);
    assert_eq!(get(&app, "/staff", Some(&unprefixed)).await.status(), 302, "the plain name is not read over TLS");
}
