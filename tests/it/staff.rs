//! The staff desk: sign-in, sessions, who may do what, and moderation as readers see it.

use crate::support::desk::{PASSWORD, app, get, post, sign_in};
use crate::support::{Page, TestApp};
use copydesk::db;
use copydesk::domain::comment::Moderation;
use copydesk::domain::staff::Role;

/// A reader's comment on the article; returns its id.
async fn reader_comment(app: &TestApp, ip: &str, body: &str) -> i64 {
    let response = app
        .client
        .post(app.url("/articles/council/comments"))
        .header("x-forwarded-for", ip)
        .form(&[("name", "Reader"), ("email", "reader@example.org"), ("body", body)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    db::comments::all(&app.pool).await.unwrap().last().unwrap().id
}

async fn reader_view(app: &TestApp) -> String {
    get(app, "/articles/council", None).await.text().await.unwrap()
}

#[tokio::test]
async fn every_staff_page_and_action_checks_the_session_and_role() {
    let app = app().await;
    let comment = reader_comment(&app, "203.0.113.1", "to moderate").await.to_string();
    let moderator = sign_in(&app, Role::Moderator).await;
    let editor = sign_in(&app, Role::Editor).await;
    let admin = sign_in(&app, Role::Admin).await;

    // (path, least role allowed)
    let pages = [
        ("/staff", Role::Moderator),
        ("/staff/comments", Role::Moderator),
        ("/staff/comments?queue=reported", Role::Moderator),
        ("/staff/audit", Role::Editor),
        ("/staff/corrections", Role::Editor),
        ("/staff/corrections?status=all", Role::Editor),
        ("/staff/settings", Role::Admin),
        ("/staff/comments/bans", Role::Moderator),
        ("/staff/articles", Role::Editor),
        ("/staff/articles?status=drafts", Role::Editor),
        ("/staff/articles/new", Role::Editor),
        ("/staff/articles/council/edit", Role::Editor),
        ("/staff/articles/council/revisions", Role::Editor),
        ("/staff/authors", Role::Editor),
        ("/staff/media", Role::Editor),
        ("/staff/media?q=boats", Role::Editor),
    ];
    for (path, least) in pages {
        let anonymous = get(&app, path, None).await;
        assert_eq!(anonymous.status(), 302, "{path} anonymous");
        let location = anonymous.headers().get("location").unwrap().to_str().unwrap();
        assert!(location.starts_with("/staff/login?next="), "{path}: {location}");
        for (role, cookie) in [(Role::Moderator, &moderator), (Role::Editor, &editor), (Role::Admin, &admin)] {
            let status = get(&app, path, Some(cookie)).await.status();
            let expected = if role.allows(least) { 200 } else { 403 };
            assert_eq!(status, expected, "{path} as {role:?}");
            assert!(
                get(&app, path, Some(cookie)).await.headers().get("cache-control").is_some_and(|v| v == "no-store")
            );
        }
    }

    let one = format!("approve:{comment}");
    // A time the schedule form accepts (within a year), so only the role decides.
    let tomorrow = copydesk::domain::dates::local_field(time::OffsetDateTime::now_utc() + time::Duration::days(1));
    type Fields<'a> = Vec<(&'a str, &'a str)>;
    // (path, form fields, least role allowed). Correction decisions on a suggestion that
    // does not exist answer 404 once allowed: the check comes first.
    let actions: Vec<(&str, Fields, Role)> = vec![
        ("/staff/comments/moderate", vec![("one", one.as_str())], Role::Moderator),
        ("/api/staff/queue-counts", vec![], Role::Moderator),
        ("/staff/corrections/999/dismiss", vec![("reason", "x")], Role::Editor),
        ("/staff/corrections/999/apply", vec![("replacement", "x"), ("note", "n")], Role::Editor),
        ("/staff/corrections/999/accept", vec![("note", "n")], Role::Editor),
        ("/staff/settings/moderation", vec![("mode", "pre")], Role::Admin),
        ("/staff/settings/words", vec![("suspect", ""), ("banned", "")], Role::Admin),
        ("/staff/settings/article", vec![("slug", "council"), ("mode", "site")], Role::Admin),
        ("/staff/comments/bans/999/lift", vec![], Role::Moderator),
        ("/api/staff/preview", vec![("body", "*hi*")], Role::Editor),
        ("/staff/articles/council/check/ignore", vec![("kind", "spelling"), ("text", "x")], Role::Editor),
        ("/staff/articles/council/check/show-ignored", vec![], Role::Editor),
        ("/staff/dictionary", vec![("word", "Zed")], Role::Editor),
        (
            "/api/staff/check-action",
            vec![("action", "show-ignored"), ("slug", "council"), ("kind", ""), ("text", "")],
            Role::Editor,
        ),
        ("/staff/dictionary/remove", vec![("word", "Zed")], Role::Editor),
        ("/staff/dictionary/language", vec![("language", "en-GB")], Role::Admin),
        ("/staff/articles", vec![("title", "T"), ("byline", "B"), ("body", "x")], Role::Editor),
        ("/staff/articles/council/edit", vec![("title", "T"), ("byline", "B"), ("body", "x")], Role::Editor),
        ("/staff/articles/council/unpublish", vec![], Role::Editor),
        ("/staff/articles/council/publish", vec![], Role::Editor),
        ("/staff/articles/council/schedule", vec![("publish_at", tomorrow.as_str())], Role::Editor),
        ("/staff/articles/council/unschedule", vec![], Role::Editor),
        ("/staff/account/author", vec![], Role::Moderator),
        ("/staff/media/999", vec![("alt", "x"), ("caption", ""), ("credit", "")], Role::Editor),
        ("/staff/media/999/delete", vec![], Role::Editor),
        ("/staff/articles/council/lead-image", vec![("media_id", "")], Role::Editor),
    ];
    for (path, fields, least) in &actions {
        assert_eq!(post(&app, path, None, fields).await.status(), 401, "{path} anonymous");
        let forged = format!("copydesk_staff={}", "0".repeat(64));
        assert_eq!(post(&app, path, Some(&forged), fields).await.status(), 401, "{path} with a made-up session");
        for (role, cookie) in [(Role::Moderator, &moderator), (Role::Editor, &editor), (Role::Admin, &admin)] {
            let status = post(&app, path, Some(cookie), fields).await.status().as_u16();
            if role.allows(*least) {
                assert!([200, 303, 404, 409].contains(&status), "{path} as {role:?}: {status}");
            } else {
                assert_eq!(status, 403, "{path} as {role:?}");
            }
        }
    }
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let app = app().await;
    let comment = reader_comment(&app, "203.0.113.1", "pending").await;
    let cookie = sign_in(&app, Role::Admin).await;
    let one = format!("approve:{comment}");
    for (header, value) in [("origin", "https://evil.example"), ("sec-fetch-site", "cross-site")] {
        let response = app
            .client
            .post(app.url("/staff/comments/moderate"))
            .header("cookie", &cookie)
            .header(header, value)
            .form(&[("one", one.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{header}: {value}");
    }
    assert_eq!(db::comments::all(&app.pool).await.unwrap()[0].status.as_str(), "pending");
    let login = app
        .client
        .post(app.url("/staff/login"))
        .header("origin", "https://evil.example")
        .form(&[("email", "admin@desk.example"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 403);
    // The same request from the site's own page is accepted.
    let same = app
        .client
        .post(app.url("/staff/comments/moderate"))
        .header("cookie", &cookie)
        .header("origin", &app.base)
        .form(&[("one", one.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), 303);
}

#[tokio::test]
async fn sessions_rotate_at_sign_in_expire_and_end_at_sign_out() {
    let app = app().await;
    let first = sign_in(&app, Role::Editor).await;
    // Signing in again from the same browser replaces the session.
    let response = app
        .client
        .post(app.url("/staff/login"))
        .header("origin", &app.base)
        .header("cookie", &first)
        .form(&[("email", "editor@desk.example"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let second = response.headers().get("set-cookie").unwrap().to_str().unwrap().split(';').next().unwrap().to_owned();
    assert_ne!(first, second);
    assert_eq!(get(&app, "/staff", Some(&first)).await.status(), 302, "the old session is gone");
    assert_eq!(get(&app, "/staff", Some(&second)).await.status(), 200);

    copydesk::db::query("UPDATE staff_sessions SET expires_at = '2000-01-01T00:00:00Z'")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(get(&app, "/staff", Some(&second)).await.status(), 302, "an expired session signs nobody in");

    let third = sign_in(&app, Role::Editor).await;
    // While the session lives, the database holds the SHA-256 of the cookie's id, never the id.
    let id = third.split_once('=').unwrap().1;
    let hashes: Vec<String> =
        copydesk::db::query_scalar("SELECT id_hash FROM staff_sessions").fetch_all(&app.pool).await.unwrap();
    assert!(hashes.contains(&copydesk::domain::tokens::sha256_hex(id)), "the hash is stored: {hashes:?}");
    assert!(!hashes.iter().any(|h| h == id), "the id itself is not");
    let out = post(&app, "/staff/logout", Some(&third), &[]).await;
    assert_eq!(out.status(), 303);
    assert!(out.headers().get("set-cookie").unwrap().to_str().unwrap().contains("Max-Age=0"));
    assert_eq!(get(&app, "/staff", Some(&third)).await.status(), 302);
    let left: i64 = copydesk::db::query_scalar("SELECT COUNT(*) FROM staff_sessions WHERE id_hash = $1")
        .bind(copydesk::domain::tokens::sha256_hex(id))
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(left, 0, "signing out ends the session");
}

#[tokio::test]
async fn failed_sign_ins_say_the_same_and_are_limited() {
    let app = app().await;
    let attempt = |email: &'static str, password: &'static str| {
        let app = &app;
        async move {
            app.client
                .post(app.url("/staff/login"))
                .header("x-forwarded-for", "198.51.100.77")
                .form(&[("email", email), ("password", password)])
                .send()
                .await
                .unwrap()
        }
    };
    let wrong = attempt("admin@desk.example", "not the password").await;
    assert_eq!(wrong.status(), 401);
    let wrong_text = Page::parse(&wrong.text().await.unwrap()).text("[role=alert]");
    let unknown = attempt("nobody@desk.example", "not the password").await;
    assert_eq!(unknown.status(), 401);
    assert_eq!(Page::parse(&unknown.text().await.unwrap()).text("[role=alert]"), wrong_text);
    assert_eq!(wrong_text.as_deref(), Some("The email or password is not right."));
    for _ in 2..10 {
        assert_eq!(attempt("admin@desk.example", "guess").await.status(), 401);
    }
    let limited = attempt("admin@desk.example", PASSWORD).await;
    assert_eq!(limited.status(), 429, "even the right password waits once the limit is reached");
    // Another client is not affected.
    let other = app
        .client
        .post(app.url("/staff/login"))
        .header("x-forwarded-for", "198.51.100.78")
        .form(&[("email", "admin@desk.example"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 303);
}

/// A burst of wrong passwords from one client, all sent at once: each attempt is recorded
/// before its password is checked, so no more are checked than the limit allows, and no
/// more run at once than the configured number of checks (each holds 19 MiB).
#[tokio::test]
async fn a_burst_of_wrong_passwords_is_checked_no_more_than_the_limit_and_a_few_at_a_time() {
    let app = crate::support::desk::app_with(|config| config.sign_in_checks = 2).await;
    let before = app.state.passwords.checked();
    let burst = (0..200).map(|i| {
        let app = &app;
        async move {
            app.client
                .post(app.url("/staff/login"))
                .header("x-forwarded-for", "198.51.100.90")
                .form(&[("email", "admin@desk.example"), ("password", format!("guess {i}").as_str())])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    });
    let statuses = futures_util::future::join_all(burst).await;
    let checked = app.state.passwords.checked() - before;
    let wrong = statuses.iter().filter(|&&s| s == 401).count();
    let refused = statuses.iter().filter(|&&s| s == 429 || s == 503).count();
    assert!(checked <= 10, "{checked} passwords checked for one client; the limit is 10");
    assert_eq!(wrong as u64, checked, "every check answered as a wrong password: {statuses:?}");
    assert_eq!(wrong + refused, 200, "the rest refused unchecked: {statuses:?}");
    assert!(app.state.passwords.peak() <= 2, "{} checks ran at once", app.state.passwords.peak());
}

/// Failures on one account from many addresses slow further attempts on it but never lock
/// it: the real editor still signs in.
#[tokio::test]
async fn an_account_under_attack_is_slowed_not_locked() {
    let app = app().await;
    let attempt = |client: String, password: &'static str| {
        let app = &app;
        async move {
            let started = std::time::Instant::now();
            let status = app
                .client
                .post(app.url("/staff/login"))
                .header("x-forwarded-for", client)
                .form(&[("email", "editor@desk.example"), ("password", password)])
                .send()
                .await
                .unwrap()
                .status();
            (status.as_u16(), started.elapsed())
        }
    };
    for i in 0..8 {
        let (status, _) = attempt(format!("203.0.113.{i}"), "a guess").await;
        assert_eq!(status, 401, "one guess from each of many addresses is answered, not refused");
    }
    let (status, took) = attempt("203.0.113.200".into(), "a guess").await;
    assert_eq!(status, 401);
    assert!(took >= std::time::Duration::from_millis(1_500), "attempts on the account are slowed: {took:?}");
    let (status, took) = attempt("192.0.2.1".into(), PASSWORD).await;
    assert_eq!(status, 303, "the editor signs in");
    assert!(took < std::time::Duration::from_secs(6), "within the longest delay: {took:?}");
}

#[tokio::test]
async fn approve_reject_feature_and_ban_change_what_readers_see() {
    let app = app().await;
    let first = reader_comment(&app, "203.0.113.1", "first pending").await;
    let second = reader_comment(&app, "203.0.113.2", "second pending").await;
    assert!(!reader_view(&app).await.contains("first pending"));
    let cookie = sign_in(&app, Role::Moderator).await;

    let queue = get(&app, "/staff/comments", Some(&cookie)).await.text().await.unwrap();
    let page = Page::parse(&queue);
    assert_eq!(page.count(".queue-item"), 2);
    assert_eq!(page.text(".queue-held").as_deref(), Some("Held: pre-moderation"));
    assert!(queue.contains("reader@example.org"), "moderators see the email");

    let done = post(
        &app,
        "/staff/comments/moderate",
        Some(&cookie),
        &[("act", "approve"), ("ids", &first.to_string()), ("queue", "pending")],
    )
    .await;
    assert_eq!(done.headers().get("location").unwrap(), "/staff/comments?queue=pending&done=approved-1");
    let html = reader_view(&app).await;
    assert!(html.contains("first pending") && !html.contains("second pending"));
    assert_eq!(Page::parse(&html).text("#comments-title").as_deref(), Some("Comments (1)"));

    let reject = format!("reject:{second}");
    let reason = format!("reason-{second}");
    post(&app, "/staff/comments/moderate", Some(&cookie), &[("one", &reject), (&reason, "Personal attack")]).await;
    let stored = db::comments::all(&app.pool).await.unwrap();
    assert_eq!(stored[1].status.as_str(), "rejected");

    let feature = format!("feature:{first}");
    post(&app, "/staff/comments/moderate", Some(&cookie), &[("one", &feature)]).await;
    let page = Page::parse(&reader_view(&app).await);
    assert_eq!(page.count(".comments-featured .comment"), 1);

    // Ban the first author, rejecting what they wrote; their next comment is refused.
    let ban = format!("ban:{first}");
    let all = format!("reject-all-{first}");
    let banned = post(&app, "/staff/comments/moderate", Some(&cookie), &[("one", &ban), (&all, "1")]).await;
    assert_eq!(banned.headers().get("location").unwrap(), "/staff/comments?queue=pending&done=banned-1");
    assert!(!reader_view(&app).await.contains("first pending"));
    let again = app
        .client
        .post(app.url("/articles/council/comments"))
        .header("x-forwarded-for", "203.0.113.1")
        .form(&[("name", "Reader"), ("body", "back again")])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 403);
    assert!(again.text().await.unwrap().contains("Comments from you are no longer accepted on this site."));

    // The ban is listed and can be lifted: the author may comment again.
    let bans = Page::parse(&get(&app, "/staff/comments/bans", Some(&cookie)).await.text().await.unwrap());
    assert!(bans.text("table.desk-table tbody td").unwrap().starts_with("reader@example.org, device "));
    let lift = bans.attr("table.desk-table form", "action").unwrap();
    let lifted = post(&app, &lift, Some(&cookie), &[]).await;
    assert_eq!(lifted.headers().get("location").unwrap(), "/staff/comments/bans?done=lifted");
    assert_eq!(post(&app, &lift, Some(&cookie), &[]).await.status(), 404, "already lifted");
    reader_comment(&app, "203.0.113.1", "back after the ban").await;

    // Every action is in the audit log, filterable by kind.
    let editor = sign_in(&app, Role::Editor).await;
    let audit = get(&app, "/staff/audit?kind=comment", Some(&editor)).await.text().await.unwrap();
    let actions = Page::parse(&audit).texts("table.audit tbody td:nth-child(4)");
    assert_eq!(actions, ["ban lifted", "banned", "featured", "rejected", "approved"]);
    let sign_ins = get(&app, "/staff/audit?kind=sign_in", Some(&editor)).await.text().await.unwrap();
    assert!(Page::parse(&sign_ins).count("table.audit tbody tr") >= 2);
}

#[tokio::test]
async fn reported_comments_leave_the_queue_once_reviewed() {
    let app = app().await;
    db::comments::set_article_comments(&app.pool, "council", Some(Moderation::Post), false).await.unwrap();
    let id = reader_comment(&app, "203.0.113.1", "reported one").await;
    let report = app
        .client
        .post(app.url(&format!("/articles/council/comments/{id}/report")))
        .header("x-forwarded-for", "203.0.113.9")
        .form(&[("reason", "other"), ("note", "Names a child")])
        .send()
        .await
        .unwrap();
    assert_eq!(report.status(), 303);
    let cookie = sign_in(&app, Role::Moderator).await;
    let html = get(&app, "/staff/comments?queue=reported", Some(&cookie)).await.text().await.unwrap();
    let page = Page::parse(&html);
    assert_eq!(page.count(".queue-item"), 1);
    assert!(page.text(".queue-reports").unwrap().contains("Something else ×1"));
    assert!(html.contains("Names a child"));
    post(&app, "/staff/comments/moderate", Some(&cookie), &[("one", &format!("approve:{id}")), ("queue", "reported")])
        .await;
    let html = get(&app, "/staff/comments?queue=reported", Some(&cookie)).await.text().await.unwrap();
    assert_eq!(Page::parse(&html).count(".queue-item"), 0);
}

#[tokio::test]
async fn queue_counts_kept_by_triggers_match_the_comments() {
    let app = app().await;
    let ids = comments_from_readers(&app, &["one", "two", "three", "four"]).await;
    let before = db::comments::queue_counts(&app.pool).await.unwrap();
    assert_eq!((before.pending, before.approved, before.rejected, before.all), (4, 0, 0, 4));
    let cookie = sign_in(&app, Role::Moderator).await;
    post(&app, "/staff/comments/moderate", Some(&cookie), &[("one", &format!("approve:{}", ids[0]))]).await;
    post(&app, "/staff/comments/moderate", Some(&cookie), &[("one", &format!("reject:{}", ids[1]))]).await;
    copydesk::db::query("DELETE FROM comments WHERE id = $1").bind(ids[2]).execute(&app.pool).await.unwrap();
    let report = app
        .client
        .post(app.url(&format!("/articles/council/comments/{}/report", ids[0])))
        .header("x-forwarded-for", "203.0.113.9")
        .form(&[("reason", "spam")])
        .send()
        .await
        .unwrap();
    assert_eq!(report.status(), 303);
    let counts = db::comments::queue_counts(&app.pool).await.unwrap();
    let direct: (i64, i64, i64, i64) = copydesk::db::query_as(
        "SELECT COUNT(*) FILTER (WHERE status = 'pending'), COUNT(*) FILTER (WHERE status = 'published'),
                COUNT(*) FILTER (WHERE status = 'rejected'),
                COUNT(*) FILTER (WHERE report_count > reviewed_reports AND status <> 'rejected') FROM comments",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((counts.pending, counts.approved, counts.rejected, counts.reported), direct);
    assert_eq!(direct, (1, 1, 1, 1));
    assert_eq!(counts.all, 3);
    assert!(counts.arrivals > before.arrivals, "a report is an arrival");
}

/// One pending comment per body, each from its own reader; returns their ids.
async fn comments_from_readers(app: &TestApp, bodies: &[&str]) -> Vec<i64> {
    let mut ids = Vec::new();
    for (i, body) in bodies.iter().enumerate() {
        ids.push(reader_comment(app, &format!("203.0.113.{}", 20 + i), body).await);
    }
    ids
}

#[tokio::test]
async fn staff_comments_are_published_at_once_with_a_badge() {
    let app = app().await;
    let cookie = sign_in(&app, Role::Moderator).await;
    let response = app
        .client
        .post(app.url("/articles/council/comments"))
        .header("origin", &app.base)
        .header("cookie", &cookie)
        .form(&[("name", "Anyone"), ("body", "The vote was 31 to 12; we have corrected the count.")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let page = Page::parse(&reader_view(&app).await);
    assert_eq!(page.text(".comment-list .comment-author").as_deref(), Some("The moderator"));
    assert_eq!(page.text(".comment-list .badge-staff").as_deref(), Some("Staff"));
}

/// A reader's suggestion through the widget's endpoint; returns the group id.
async fn suggest(app: &TestApp, quote: &str, prefix: &str, suggested: &str, kind: &str) -> i64 {
    let response = app
        .call("/api/corrections/suggest", serde_json::json!({ "slug": "council", "form": { "quote": quote, "prefix": prefix, "suffix": "", "kind": kind, "suggested": suggested, "note": "Seen at the meeting", "email": "r@example.org" } }))
        .header("x-forwarded-for", "203.0.113.50")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
    db::corrections::groups_for_article(&app.pool, 1).await.unwrap()[0].id
}

#[tokio::test]
async fn applying_a_correction_saves_a_revision_and_publishes_a_notice() {
    let app = app().await;
    let id = suggest(&app, "council met", "The ", "council met on Monday", "factual").await;
    let cookie = sign_in(&app, Role::Editor).await;
    let desk = get(&app, "/staff/corrections", Some(&cookie)).await.text().await.unwrap();
    let page = Page::parse(&desk);
    assert_eq!(page.text(".correction-group mark").as_deref(), Some("council met"));
    assert_eq!(page.text(".correction-diff ins").as_deref(), Some("on Monday"));
    assert!(desk.contains("Seen at the meeting") && desk.contains("r@example.org"));
    let note = page.text(&format!("#note-{id}")).unwrap();
    assert!(note.contains("corrected to"), "{note}");

    let response = post(
        &app,
        &format!("/staff/corrections/{id}/apply"),
        Some(&cookie),
        &[
            ("replacement", "council met on Monday"),
            ("notice_kind", "correction"),
            ("note", "An earlier version did not say when the council met."),
        ],
    )
    .await;
    assert_eq!(response.headers().get("location").unwrap(), "/staff/corrections?done=applied");

    let (status, html) = app.text("/articles/council").await;
    assert_eq!(status, 200);
    let page = Page::parse(&html);
    assert!(page.text(".article-body").unwrap().contains("The council met on Monday."));
    let notice = page.text(".correction-notice").unwrap();
    assert!(
        notice.starts_with("Correction, ")
            && notice.ends_with(": An earlier version did not say when the council met."),
        "{notice}"
    );
    assert!(page.text(".dateline").unwrap().contains("Updated"));
    let json: serde_json::Value =
        serde_json::from_str(&page.text("script[type='application/ld+json']").unwrap()).unwrap();
    assert_eq!(json["correction"][0]["@type"], "CorrectionComment");
    assert!(json["correction"][0]["text"].as_str().unwrap().contains("did not say when"));
    assert_ne!(json["dateModified"], json["datePublished"]);

    let revisions: Vec<(i64, Option<String>)> =
        copydesk::db::query_as("SELECT revision, saved_by FROM article_revisions ORDER BY revision")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(revisions, [(1, None), (2, Some("The editor".into()))]);
    let (_, list) = app.text("/corrections").await;
    assert!(list.contains("did not say when the council met"));
    let (_, feed) = app.text("/corrections.xml").await;
    assert!(roxmltree::Document::parse(&feed).is_ok() && feed.contains("did not say when"));
    // Decided once: a second decision changes nothing.
    let again = post(&app, &format!("/staff/corrections/{id}/dismiss"), Some(&cookie), &[("reason", "late")]).await;
    assert_eq!(again.headers().get("location").unwrap(), "/staff/corrections?done=taken");
}

#[tokio::test]
async fn dismissing_leaves_the_article_untouched_and_changed_text_is_flagged() {
    let app = app().await;
    let first = suggest(&app, "council", "The ", "City Council", "typo").await;
    let cookie = sign_in(&app, Role::Admin).await;
    let before = app.text("/articles/council").await.1;
    let response =
        post(&app, &format!("/staff/corrections/{first}/dismiss"), Some(&cookie), &[("reason", "House style")]).await;
    assert_eq!(response.headers().get("location").unwrap(), "/staff/corrections?done=dismissed");
    let after = app.text("/articles/council").await.1;
    let body = |html: &str| Page::parse(html).text(".article-body");
    assert_eq!(body(&before), body(&after));
    assert_eq!(Page::parse(&after).count(".correction-notice"), 0);
    let status: String = copydesk::db::query_scalar("SELECT status FROM correction_groups WHERE id = $1")
        .bind(first)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(status, "dismissed");

    // A suggestion whose text was since edited is marked, not re-anchored, and cannot be applied.
    let second = suggest(&app, "met", "council ", "gathered", "other").await;
    copydesk::db::query("UPDATE articles SET body_md = 'The council convened.'").execute(&app.pool).await.unwrap();
    let desk = get(&app, "/staff/corrections", Some(&cookie)).await.text().await.unwrap();
    assert!(desk.contains("Text has changed"));
    let refused = post(
        &app,
        &format!("/staff/corrections/{second}/apply"),
        Some(&cookie),
        &[("replacement", "gathered"), ("note", "n")],
    )
    .await;
    assert_eq!(refused.status(), 422);
    let body_md: String =
        copydesk::db::query_scalar("SELECT body_md FROM articles").fetch_one(&app.pool).await.unwrap();
    assert_eq!(body_md, "The council convened.");
}

#[tokio::test]
async fn admins_change_the_moderation_mode_word_lists_and_article_settings() {
    let app = app().await;
    let admin = sign_in(&app, Role::Admin).await;
    let page = get(&app, "/staff/settings", Some(&admin)).await.text().await.unwrap();
    assert_eq!(Page::parse(&page).attr("#mode-pre", "checked").as_deref(), Some(""));

    let saved = post(&app, "/staff/settings/moderation", Some(&admin), &[("mode", "post")]).await;
    assert_eq!(saved.headers().get("location").unwrap(), "/staff/settings?saved=1");
    reader_comment(&app, "203.0.113.1", "published at once").await;
    assert!(reader_view(&app).await.contains("published at once"));

    post(&app, "/staff/settings/words", Some(&admin), &[("suspect", "Crème brûlée\nmiracle"), ("banned", "scumbag")])
        .await;
    assert_eq!(
        db::comments::words(&app.pool, copydesk::domain::moderation::WordListName::Suspect).await.unwrap(),
        ["creme brulee", "miracle"]
    );
    let refused = app
        .client
        .post(app.url("/articles/council/comments"))
        .header("x-forwarded-for", "203.0.113.2")
        .form(&[("name", "R"), ("body", "what a scumbag")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    reader_comment(&app, "203.0.113.3", "a MIRACLE cure").await;
    assert_eq!(db::comments::all(&app.pool).await.unwrap().last().unwrap().held_for.as_deref(), Some("suspect_word"));

    post(&app, "/staff/settings/article", Some(&admin), &[("slug", "council"), ("mode", "pre"), ("closed", "1")]).await;
    let closed = app
        .client
        .post(app.url("/articles/council/comments"))
        .header("x-forwarded-for", "203.0.113.4")
        .form(&[("name", "R"), ("body", "too late")])
        .send()
        .await
        .unwrap();
    assert_eq!(closed.status(), 403);
    assert_eq!(
        post(&app, "/staff/settings/article", Some(&admin), &[("slug", "nope"), ("mode", "site")]).await.status(),
        404
    );
    assert_eq!(post(&app, "/staff/settings/moderation", Some(&admin), &[("mode", "sometimes")]).await.status(), 422);

    let audit = get(&app, "/staff/audit?kind=settings", Some(&admin)).await.text().await.unwrap();
    let actions = Page::parse(&audit).texts("table.audit tbody td:nth-child(4)");
    assert_eq!(actions, ["set article comments", "set word lists", "set site moderation"]);
}

#[tokio::test]
async fn long_queues_are_paged_oldest_first_for_pending() {
    let app = app().await;
    // Written straight to the database: 60 readers posting would meet the rate limit.
    for n in 1..=60 {
        copydesk::db::query(
            "INSERT INTO comments (article_id, depth, author_name, body, status, held_for, client_hash, author_token, created_at)
             VALUES (1, 0, 'Reader', $1, 'pending', 'premoderation', 'c', 't', $2)",
        )
        .bind(format!("waiting comment {n:02}"))
        .bind(time::macros::datetime!(2026-11-02 10:00 UTC) + time::Duration::minutes(n))
        .execute(&app.pool)
        .await
        .unwrap();
    }
    let cookie = sign_in(&app, Role::Moderator).await;
    let first = Page::parse(&get(&app, "/staff/comments?queue=pending", Some(&cookie)).await.text().await.unwrap());
    assert_eq!(first.count(".queue-item"), 50);
    assert!(first.text(".queue-item").unwrap().contains("waiting comment 01"), "the longest waiting first");
    assert_eq!(first.text("a[rel=next]").as_deref(), Some("Newer comments"));
    let next = first.attr("a[rel=next]", "href").unwrap();
    assert_eq!(next, "/staff/comments?queue=pending&page=2");
    let second = Page::parse(&get(&app, &next, Some(&cookie)).await.text().await.unwrap());
    assert_eq!(second.count(".queue-item"), 10);
    assert!(second.texts(".queue-item").last().unwrap().contains("waiting comment 60"));
    assert_eq!(second.count("a[rel=next]"), 0);
}

/// An editor's save between the desk showing a suggestion and another editor applying it is
/// not overwritten: the fix is refused with 409 and the desk says why.
#[tokio::test]
async fn applying_a_correction_to_an_article_saved_since_is_refused() {
    let app = app().await;
    let id = suggest(&app, "council met", "The ", "council met on Monday", "factual").await;
    let cookie = sign_in(&app, Role::Editor).await;
    let desk = get(&app, "/staff/corrections", Some(&cookie)).await.text().await.unwrap();
    let seen = Page::parse(&desk).attr(&format!("#group-{id} input[name=revision]"), "value").unwrap();
    assert_eq!(seen, "1");
    let fields = [
        ("title", "Council Meets"),
        ("dek", "Dek of council"),
        ("byline", "Test Writer"),
        ("topics", "City Hall"),
        ("body", "The council met. A colleague's careful edit."),
        ("summary", "Edited"),
        ("base_revision", "1"),
    ];
    assert_eq!(post(&app, "/staff/articles/council/edit", Some(&cookie), &fields).await.status(), 303);
    let apply = post(
        &app,
        &format!("/staff/corrections/{id}/apply"),
        Some(&cookie),
        &[
            ("replacement", "council met on Monday"),
            ("notice_kind", "correction"),
            ("note", "A note."),
            ("revision", &seen),
        ],
    )
    .await;
    assert_eq!(apply.status(), 409);
    let shown = apply.text().await.unwrap();
    assert!(shown.contains("saved by someone else in the meantime"), "the desk says so");
    let article = db::articles::published_by_slug(&app.pool, "council").await.unwrap().unwrap();
    assert_eq!(article.body_md, "The council met. A colleague's careful edit.", "the save is kept");
    assert_eq!(article.revision, 2);
    let status: String = db::query_scalar("SELECT status FROM correction_groups WHERE id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(status, "open", "the suggestion waits for a decision on the new text");
}

/// Counting rows hold no stable identifier: the client under a key that changes daily (not
/// the hash stored with comments and bans), the account as a hash, never the email.
#[tokio::test]
async fn sign_in_attempts_are_kept_under_a_daily_key_and_a_hashed_account() {
    let app = app().await;
    reader_comment(&app, "203.0.113.40", "A comment.").await;
    let wrong = app
        .client
        .post(app.url("/staff/login"))
        .header("x-forwarded-for", "203.0.113.40")
        .form(&[("email", "editor@desk.example"), ("password", "wrong")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let (counted, account): (String, String) =
        db::query_as("SELECT client_hash, account FROM sign_in_failures").fetch_one(&app.pool).await.unwrap();
    let stored = db::comments::all(&app.pool).await.unwrap()[0].client_hash.clone();
    assert_ne!(counted, stored, "attempts are counted under another key than what is stored");
    assert_eq!(account, copydesk::domain::tokens::sha256_hex("editor@desk.example"));
}
