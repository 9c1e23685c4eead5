//! Correction suggestions through the widget's endpoint and the plain form.

use crate::support::{Page, article, spawn_app, spawn_app_with};
use serde_json::json;

const BODY: &str = "The council met on Monday.\n\nLater the council voted. Then the council adjourned.\n\nCafé owners in Київ cheered 👋🏽 loudly.";

async fn app() -> crate::support::TestApp {
    spawn_app(&[("a.md", article("council", "Council Meets", "2026-11-01T00:00:00Z", &["City Hall"], BODY))]).await
}

async fn suggest(app: &crate::support::TestApp, slug: &str, form: serde_json::Value) -> reqwest::Response {
    app.call("/api/corrections/suggest", json!({ "slug": slug, "form": form })).send().await.unwrap()
}

async fn groups(app: &crate::support::TestApp) -> Vec<copydesk::db::corrections::Group> {
    copydesk::db::corrections::groups_for_article(&app.pool, 1).await.unwrap()
}

async fn reports(app: &crate::support::TestApp) -> i64 {
    copydesk::db::query_scalar("SELECT COUNT(*) FROM correction_reports").fetch_one(&app.pool).await.unwrap()
}

#[tokio::test]
async fn a_valid_suggestion_is_stored_with_code_point_offsets_and_context() {
    let app = app().await;
    let response = suggest(
        &app,
        "council",
        json!({ "quote": "the council", "prefix": "Then ", "suffix": " adjourned", "kind": "typo", "suggested": "the City Council", "note": "Capitals", "email": "r@example.org" }),
    )
    .await;
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
    let g = &groups(&app).await[0];
    // Plain text: "Council Meets\n\nDek of council\n\nThe council met on Monday.\n\nLater the council voted. Then the council adjourned..."
    let text = copydesk::content::markdown::article_plain_text("Council Meets", Some("Dek of council"), BODY);
    let expected_start = text.find("Then the council").unwrap() + "Then ".len(); // ASCII so far
    assert_eq!((g.start_offset, g.end_offset), (expected_start as i64, expected_start as i64 + 11));
    assert_eq!(g.quote, "the council");
    assert!(g.prefix.ends_with("voted. Then "), "{}", g.prefix);
    assert!(g.suffix.starts_with(" adjourned."), "{}", g.suffix);
    assert_eq!(
        (g.kind.as_str(), g.suggested_text.as_str(), g.revision, g.report_count),
        ("typo", "the City Council", 1, 1)
    );
}

#[tokio::test]
async fn non_latin_text_and_emoji_are_kept_exactly_and_offsets_count_code_points() {
    let app = app().await;
    let response = suggest(
        &app,
        "council",
        json!({ "quote": "Київ cheered 👋🏽", "kind": "other", "suggested": "Київ «cheered» 👋🏽 — loudly" }),
    )
    .await;
    assert_eq!(response.status(), 200);
    let g = &groups(&app).await[0];
    assert_eq!(g.quote, "Київ cheered 👋🏽");
    assert_eq!(g.suggested_text, "Київ «cheered» 👋🏽 — loudly");
    let text = copydesk::content::markdown::article_plain_text("Council Meets", Some("Dek of council"), BODY);
    let chars: Vec<char> = text.chars().collect();
    let quoted: String = chars[g.start_offset as usize..g.end_offset as usize].iter().collect();
    assert_eq!(quoted, "Київ cheered 👋🏽");
}

#[tokio::test]
async fn a_selection_spanning_two_paragraphs_is_accepted() {
    let app = app().await;
    let response = suggest(
        &app,
        "council",
        json!({ "quote": "on Monday.\nLater the", "kind": "clarification", "suggested": "x" }),
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(groups(&app).await[0].quote, "on Monday.\n\nLater the");
}

#[tokio::test]
async fn identical_suggestions_are_grouped_and_every_note_is_kept() {
    let app = app().await;
    for note in ["first reader", "second reader", ""] {
        let form = json!({ "quote": "Monday", "kind": "factual", "suggested": "Tuesday", "note": note });
        assert_eq!(suggest(&app, "council", form).await.status(), 200);
    }
    let other = json!({ "quote": "Monday", "kind": "factual", "suggested": "Wednesday" });
    assert_eq!(suggest(&app, "council", other).await.status(), 200);
    let groups = groups(&app).await;
    assert_eq!(groups.len(), 2);
    let tuesday = groups.iter().find(|g| g.suggested_text == "Tuesday").unwrap();
    assert_eq!(tuesday.report_count, 3);
    let notes = copydesk::db::corrections::notes(&app.pool, tuesday.id).await.unwrap();
    assert_eq!(notes, [Some("first reader".to_owned()), Some("second reader".to_owned()), None]);
}

#[tokio::test]
async fn bad_suggestions_are_rejected_with_a_clear_status_and_store_nothing() {
    let app = app().await;
    let cases = [
        (
            "council",
            json!({ "quote": "the governor", "kind": "typo", "suggested": "x" }),
            422,
            "could not find the selected text",
        ),
        (
            "council",
            json!({ "quote": "Monday", "kind": "typo", "suggested": "   " }),
            422,
            "Write what the text should say",
        ),
        ("council", json!({ "quote": "a".repeat(501), "kind": "typo", "suggested": "x" }), 422, "at most 500"),
        ("council", json!({ "quote": "Monday", "kind": "nonsense", "suggested": "x" }), 422, "type of problem"),
        (
            "council",
            json!({ "quote": "Monday", "kind": "typo", "suggested": "x", "email": "not-an-email" }),
            422,
            "email",
        ),
        ("no-such-article", json!({ "quote": "Monday", "kind": "typo", "suggested": "x" }), 404, ""),
    ];
    for (slug, form, status, message) in cases {
        let response = suggest(&app, slug, form.clone()).await;
        assert_eq!(response.status(), status, "{form}");
        let body = crate::support::refusal(response).await;
        assert!(body.contains(message), "{form}: {body}");
    }
    let malformed = app
        .client
        .post(app.url("/api/corrections/suggest"))
        .header("content-type", "application/x-postcard")
        .body("{not postcard")
        .send()
        .await
        .unwrap();
    assert!(malformed.status().is_client_error(), "{}", malformed.status());
    let huge = app
        .client
        .post(app.url("/api/corrections/suggest"))
        .header("content-type", "application/x-postcard")
        .body(vec![b' '; 1_000_000])
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), 413);
    assert_eq!(reports(&app).await, 0);
    assert_eq!(app.get("/").await.status(), 200, "still serving");
}

#[tokio::test]
async fn a_filled_honeypot_gets_a_normal_reply_and_stores_nothing() {
    let app = app().await;
    let form = json!({ "quote": "Monday", "kind": "typo", "suggested": "x", "website": "http://spam.example" });
    assert_eq!(suggest(&app, "council", form).await.status(), 200);
    assert_eq!(reports(&app).await, 0);
}

#[tokio::test]
async fn the_eleventh_suggestion_in_ten_minutes_is_refused_with_429() {
    let app = app().await;
    for i in 0..10 {
        let form = json!({ "quote": "Monday", "kind": "typo", "suggested": format!("day {i}") });
        assert_eq!(suggest(&app, "council", form).await.status(), 200);
    }
    let response =
        suggest(&app, "council", json!({ "quote": "Monday", "kind": "typo", "suggested": "one more" })).await;
    assert_eq!(response.status(), 429);
    assert_eq!(
        crate::support::answer::<copydesk::error::AppError>(response).await,
        copydesk::error::AppError::RateLimited
    );
    assert_eq!(reports(&app).await, 10);
}

#[tokio::test]
async fn the_plain_form_works_without_javascript() {
    let app = app().await;
    let (status, html) = app.text("/articles/council/correction").await;
    assert_eq!(status, 200);
    let page = Page::parse(&html);
    assert_eq!(page.text("h1").as_deref(), Some("Suggest a correction"));
    assert_eq!(page.attr("form.stacked", "action").as_deref(), Some("/articles/council/correction"));
    for label in [
        "Phrase in question (optional)",
        "Type of problem",
        "Suggested text",
        "Note for the editors (optional)",
        "Email (optional)",
    ] {
        assert!(page.texts("label").iter().any(|l| l == label), "{label}");
    }

    let sent = app
        .client
        .post(app.url("/articles/council/correction"))
        .form(&[
            ("quote", "Monday"),
            ("kind", "factual"),
            ("suggested", "Tuesday"),
            ("note", ""),
            ("email", ""),
            ("website", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 303);
    assert_eq!(sent.headers()["location"], "/articles/council/correction?sent=1");
    let (_, thanks) = app.text("/articles/council/correction?sent=1").await;
    assert!(thanks.contains("Thank you. The editors will review your suggestion."));
    assert_eq!(reports(&app).await, 1);

    // Without a phrase the suggestion is still accepted.
    let no_phrase = app
        .client
        .post(app.url("/articles/council/correction"))
        .form(&[("kind", "other"), ("suggested", "Add the vote count")])
        .send()
        .await
        .unwrap();
    assert_eq!(no_phrase.status(), 303);
    assert_eq!(reports(&app).await, 2);
}

#[tokio::test]
async fn the_plain_form_shows_errors_and_keeps_what_was_typed() {
    let app = app().await;
    let response = app
        .client
        .post(app.url("/articles/council/correction"))
        .form(&[
            ("quote", "the governor"),
            ("kind", "typo"),
            ("suggested", "<script>alert(1)</script> kept"),
            ("note", "my note"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    let page = Page::parse(&html);
    assert!(page.text("#field-quote-error").unwrap().contains("could not find the selected text"));
    assert_eq!(page.attr("#field-quote", "aria-invalid").as_deref(), Some("true"));
    assert_eq!(page.text("#field-suggested").as_deref(), Some("<script>alert(1)</script> kept"));
    assert_eq!(page.text("#field-note").as_deref(), Some("my note"));
    assert!(!html.contains("<script>alert(1)"), "escaped: {html}");
    assert_eq!(reports(&app).await, 0);
}

#[tokio::test]
async fn the_plain_form_for_an_unknown_article_is_404() {
    let app = app().await;
    assert_eq!(app.text("/articles/nope/correction").await.0, 404);
    let response = app
        .client
        .post(app.url("/articles/nope/correction"))
        .form(&[("kind", "typo"), ("suggested", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_reader_has_their_own_limit() {
    let source = article("council", "Council Meets", "2026-11-01T00:00:00Z", &[], BODY);
    let app = spawn_app_with(&[("a.md", source)], |c| c.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]).await;
    let send = |reader: &'static str, i: usize| {
        let form = json!({ "slug": "council", "form": { "quote": "Monday", "kind": "typo", "suggested": format!("{reader} {i}") } });
        app.call("/api/corrections/suggest", form).header("x-forwarded-for", reader).send()
    };
    for i in 0..10 {
        assert_eq!(send("203.0.113.1", i).await.unwrap().status(), 200);
    }
    assert_eq!(send("203.0.113.1", 10).await.unwrap().status(), 429);
    assert_eq!(send("203.0.113.2", 0).await.unwrap().status(), 200, "another reader is not limited");
    // A forged left-most entry does not buy a fresh limit.
    assert_eq!(send("192.0.2.50, 203.0.113.1", 11).await.unwrap().status(), 429);
    // Nor does a forged header line of its own: the proxy's line comes last and counts.
    for i in 0..3 {
        let form =
            json!({ "slug": "council", "form": { "quote": "Monday", "kind": "typo", "suggested": format!("l{i}") } });
        let sent = app
            .call("/api/corrections/suggest", form)
            .header("x-forwarded-for", format!("192.0.2.{i}"))
            .header("x-forwarded-for", "203.0.113.1")
            .send();
        assert_eq!(sent.await.unwrap().status(), 429, "every X-Forwarded-For line is read");
    }
}

#[tokio::test]
async fn without_a_trusted_proxy_a_forwarded_header_is_ignored() {
    let app = app().await;
    for i in 0..10 {
        let form =
            json!({ "slug": "council", "form": { "quote": "Monday", "kind": "typo", "suggested": format!("s{i}") } });
        let sent =
            app.call("/api/corrections/suggest", form).header("x-forwarded-for", format!("198.51.100.{i}")).send();
        assert_eq!(sent.await.unwrap().status(), 200);
    }
    let form = json!({ "slug": "council", "form": { "quote": "Monday", "kind": "typo", "suggested": "again" } });
    let sent = app.call("/api/corrections/suggest", form).header("x-forwarded-for", "198.51.100.99").send();
    assert_eq!(sent.await.unwrap().status(), 429);
}

/// The limit is charged before the article is searched: suggestions whose quote is not in
/// the article cost as much work as good ones and count the same.
#[tokio::test]
async fn not_found_suggestions_count_against_the_limit() {
    let app = app().await;
    let mut statuses = Vec::new();
    for i in 0..60 {
        let form = json!({ "quote": format!("no such words {i}"), "kind": "typo", "suggested": "x" });
        statuses.push(suggest(&app, "council", form).await.status().as_u16());
    }
    assert_eq!(statuses[..10], [422; 10], "the first ten are searched and not found");
    assert!(statuses[10..].iter().all(|&s| s == 429), "then refused unsearched: {statuses:?}");
    let good = json!({ "quote": "Monday", "kind": "typo", "suggested": "Tuesday" });
    assert_eq!(suggest(&app, "council", good).await.status(), 429, "a good one waits too");
    assert_eq!(reports(&app).await, 0);
}
