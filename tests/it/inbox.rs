//! The staff inbox: comments waiting, reported comments and correction suggestions together,
//! by story (newest first), with how long each waited; filters by kind; the desk's front
//! page and the live count cover all three; moderators do not see suggestions.

use copydesk::db::{self, query_scalar};
use copydesk::domain::comment::Moderation;
use copydesk::domain::staff::Role;
use serde_json::json;

use crate::support::desk::{add_staff, get, sign_in};
use crate::support::{Page, TestApp, article, spawn_app_with};

async fn site() -> TestApp {
    let sources = [
        ("a.md", article("council", "Council Meets", "2026-11-01T00:00:00Z", &[], "The council met on Monday.")),
        ("b.md", article("harbour", "Harbour Opens", "2026-11-02T00:00:00Z", &[], "The harbour opened in May.")),
    ];
    let app = spawn_app_with(&sources, |c| c.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]).await;
    add_staff(&app).await;
    app
}

async fn comment(app: &TestApp, slug: &str, ip: &str, body: &str) -> i64 {
    let response = app
        .client
        .post(app.url(&format!("/articles/{slug}/comments")))
        .header("x-forwarded-for", ip)
        .form(&[("name", "A Reader"), ("body", body)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    query_scalar("SELECT id FROM comments WHERE body = $1").bind(body).fetch_one(&app.pool).await.unwrap()
}

async fn inbox(app: &TestApp, cookie: &str, query: &str) -> Page {
    let response = get(app, &format!("/staff/inbox{query}"), Some(cookie)).await;
    assert_eq!(response.status(), 200);
    Page::parse(&response.text().await.unwrap())
}

#[tokio::test]
async fn every_kind_of_waiting_work_is_listed_by_story_newest_first() {
    let app = site().await;
    // One published comment that readers report, then two held for moderation.
    db::comments::set_site_moderation(&app.pool, Moderation::Post).await.unwrap();
    let reported = comment(&app, "council", "203.0.113.1", "Buy cheap watches here.").await;
    db::comments::set_site_moderation(&app.pool, Moderation::Pre).await.unwrap();
    let held = comment(&app, "council", "203.0.113.2", "It was Tuesday, not Monday.").await;
    let early = comment(&app, "harbour", "203.0.113.3", "Lovely harbour.").await;
    // Posted an hour ago (stored times have whole seconds: the rest of the test runs in one).
    db::query("UPDATE comments SET created_at = $1 WHERE id = $2")
        .bind(db::now() - time::Duration::hours(1))
        .bind(early)
        .execute(&app.pool)
        .await
        .unwrap();
    let report = app
        .client
        .post(app.url(&format!("/articles/council/comments/{reported}/report")))
        .header("x-forwarded-for", "203.0.113.4")
        .form(&[("reason", "spam")])
        .send()
        .await
        .unwrap();
    assert_eq!(report.status(), 303);
    let suggested = app
        .call(
            "/api/corrections/suggest",
            json!({ "slug": "harbour", "form": { "quote": "May", "prefix": "opened in ", "suffix": ".", "kind": "factual",
                     "suggested": "June", "note": "", "email": "" } }),
        )
        .header("x-forwarded-for", "203.0.113.5")
        .send()
        .await
        .unwrap();
    assert_eq!(suggested.status(), 200);

    let editor = sign_in(&app, Role::Editor).await;
    let page = inbox(&app, &editor, "").await;
    // The newer story first; each story's items, longest waiting first.
    assert_eq!(page.texts(".inbox-story h2 a"), ["Harbour Opens", "Council Meets"]);
    assert_eq!(page.attr_all(".inbox-item", "data-kind"), ["comment", "suggestion", "report", "comment"]);
    let texts = page.texts(".inbox-item");
    assert!(texts[1].contains("\u{201c}May\u{201d} \u{2192} \u{201c}June\u{201d}"), "{texts:?}");
    assert!(texts[2].contains("Buy cheap watches here. (reported as spam)"), "{texts:?}");
    assert!(texts[0].contains("waited 1 hour"), "{texts:?}");
    assert!(texts[1..].iter().all(|t| t.contains("waited under a minute")), "{texts:?}");
    assert_eq!(
        page.attr_all(".inbox-item a", "href")[3],
        format!("/staff/comments?queue=pending#item-{held}"),
        "each item links to where it is decided"
    );
    assert!(
        page.text("main")
            .unwrap()
            .contains("Waiting: 2 comments waiting, 1 reported comments, 1 correction suggestions.")
    );
    assert_eq!(page.attr(".queue-changed", "data-count").as_deref(), Some("4"), "the live count covers all three");

    // One kind at a time.
    let only = inbox(&app, &editor, "?kind=suggestion").await;
    assert_eq!(only.attr_all(".inbox-item", "data-kind"), ["suggestion"]);

    // Moderators decide on comments, not corrections: they see no suggestions.
    let moderator = sign_in(&app, Role::Moderator).await;
    let theirs = inbox(&app, &moderator, "").await;
    assert_eq!(theirs.attr_all(".inbox-item", "data-kind"), ["comment", "report", "comment"]);

    // The desk's front page says what waits across the inbox.
    let desk = Page::parse(&get(&app, "/staff", Some(&editor)).await.text().await.unwrap());
    assert_eq!(
        desk.texts(".desk-list li"),
        ["Comments waiting: 2", "Reported comments: 1", "Correction suggestions: 1"]
    );
    assert!(desk.text("main").unwrap().contains("The longest has waited 1 hour."));

    // The queue's server function counts suggestions too (the inbox's live count polls it).
    let counts = copydesk::db::comments::queue_counts(&app.pool).await.unwrap();
    assert_eq!((counts.pending, counts.reported, counts.suggestions, counts.waiting()), (2, 1, 1, 4));

    // Readers are sent to sign in.
    let anonymous = get(&app, "/staff/inbox", None).await;
    assert!(anonymous.status().is_redirection());
}
