//! Nothing a page shows grows without bound: long lists are paged or capped, so one busy
//! article, suggestion or history cannot make a page unbounded in size or time.

use copydesk::db;
use copydesk::domain::staff::Role;

use crate::support::Page;
use crate::support::desk::{app, get, post, sign_in};

#[tokio::test]
async fn an_articles_history_is_paged() {
    let app = app().await;
    let cookie = sign_in(&app, Role::Editor).await;
    for revision in 1..=24 {
        let body = format!("The council met. Edit number {revision}.");
        let base = revision.to_string();
        let fields = [
            ("title", "Council Meets"),
            ("dek", "Dek of council"),
            ("byline", "Test Writer"),
            ("topics", "City Hall"),
            ("body", body.as_str()),
            ("summary", "An edit"),
            ("base_revision", base.as_str()),
        ];
        let saved = post(&app, "/staff/articles/council/edit", Some(&cookie), &fields).await;
        assert_eq!(saved.status(), 303, "save {revision}");
    }
    let page = |n: u32| {
        let (app, cookie) = (&app, &cookie);
        async move { get(app, &format!("/staff/articles/council/revisions?page={n}"), Some(cookie)).await }
    };
    let first = Page::parse(&page(1).await.text().await.unwrap());
    assert_eq!(first.count("li.revision"), 20, "25 revisions: 20 on the first page");
    assert_eq!(first.text("li.revision strong").as_deref(), Some("Revision 25"));
    let second = page(2).await.text().await.unwrap();
    let second = Page::parse(&second);
    assert_eq!(second.count("li.revision"), 5);
    assert!(second.text("li.revision:last-child").unwrap().contains("First version"));
    assert!(
        first.text("li.revision:last-child .revision-diff").is_some(),
        "the oldest on a page is still compared with the one before it"
    );
    assert_eq!(page(3).await.status(), 404);
}

#[tokio::test]
async fn the_bans_list_is_paged() {
    let app = app().await;
    for i in 0..105 {
        db::query("INSERT INTO banned_authors (email, reason, created_at) VALUES ($1, 'spam', $2)")
            .bind(format!("spammer{i}@example.org"))
            .bind(db::now())
            .execute(&app.pool)
            .await
            .unwrap();
    }
    let cookie = sign_in(&app, Role::Moderator).await;
    let first = get(&app, "/staff/comments/bans", Some(&cookie)).await.text().await.unwrap();
    assert_eq!(Page::parse(&first).count("tbody tr"), 100);
    let second = get(&app, "/staff/comments/bans?page=2", Some(&cookie)).await.text().await.unwrap();
    assert_eq!(Page::parse(&second).count("tbody tr"), 5);
}

#[tokio::test]
async fn a_suggestion_shows_at_most_fifty_reports_and_says_how_many_there_are() {
    let app = app().await;
    for i in 0..60 {
        let form = serde_json::json!({ "slug": "council", "form": {
            "quote": "council met", "prefix": "The ", "suffix": "", "kind": "typo", "suggested": "council meets",
            "note": format!("report {i}") } });
        // Ten suggestions per reader in ten minutes: six readers.
        let reader = format!("203.0.113.{}", i / 10);
        let sent = app.call("/api/corrections/suggest", form).header("x-forwarded-for", reader).send().await.unwrap();
        assert_eq!(sent.status(), 200);
    }
    let cookie = sign_in(&app, Role::Editor).await;
    let desk = get(&app, "/staff/corrections", Some(&cookie)).await.text().await.unwrap();
    let page = Page::parse(&desk);
    assert_eq!(page.count(".correction-reports li"), 50);
    assert!(desk.contains("60 reports"), "the count is whole");
}

#[tokio::test]
async fn a_thread_shows_at_most_two_hundred_replies() {
    let app = app().await;
    db::comments::set_article_comments(&app.pool, "council", Some(copydesk::domain::comment::Moderation::Post), false)
        .await
        .unwrap();
    let settings = db::comments::article_settings(&app.pool, "council").await.unwrap().unwrap();
    let insert = |parent: Option<db::comments::Parent>, body: String| db::comments::Insert {
        article_id: settings.article_id,
        comment: copydesk::domain::comment::NewComment {
            name: "Reader".into(),
            email: None,
            body,
            parent: parent.as_ref().map(|p| p.id),
            notify: false,
        },
        parent,
        hold: None,
        client_hash: "test".into(),
        author_token: "test".into(),
        staff_id: None,
        confirm: None,
    };
    let (root, _) = db::comments::insert(&app.pool, &insert(None, "The first word.".into())).await.unwrap();
    let parent = db::comments::parent(&app.pool, root).await.unwrap();
    for i in 0..205 {
        db::comments::insert(&app.pool, &insert(parent.clone(), format!("Reply {i}"))).await.unwrap();
    }
    let html = get(&app, "/articles/council", None).await.text().await.unwrap();
    let page = Page::parse(&html);
    assert_eq!(page.count(".replies > .comment"), 200, "the oldest 200 replies");
    assert!(html.contains("Reply 199") && !html.contains("Reply 200"));
}
