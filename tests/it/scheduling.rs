//! Scheduled publication: a draft set to go live at a time appears then on every public
//! page and feed, not before; refused times say why; one server publishes each story when
//! several run; a time that passed while no server ran is published at the next start.

use std::time::{Duration, Instant};

use crate::support::desk::{app, get, post, sign_in};
use crate::support::{Page, TestApp, article, spawn_app};
use copydesk::db;
use copydesk::domain::dates::local_field;
use copydesk::domain::staff::Role;
use time::OffsetDateTime;

const NEW: &[(&str, &str)] = &[
    ("title", "Embargoed Budget Figures"),
    ("slug", ""),
    ("dek", "The figures go live at noon."),
    ("byline", "Rui Okafor"),
    ("topics", "City Hall"),
    ("body", "The embargoed figures show a surplus."),
];
const SLUG: &str = "embargoed-budget-figures";

/// Every public place a published story shows.
async fn public_places(app: &TestApp) -> [bool; 6] {
    let article = app.get(&format!("/articles/{SLUG}")).await.status() == 200;
    let front = app.text("/").await.1.contains("Embargoed Budget Figures");
    let topic = app.text("/topics/city-hall").await.1.contains("Embargoed Budget Figures");
    let feed = app.text("/feed.xml").await.1.contains(SLUG);
    let sitemap = app.text("/sitemaps/articles-1.xml").await.1.contains(SLUG);
    let search = app
        .client
        .get(app.url("/search?q=embargoed"))
        .header("x-forwarded-for", "203.0.113.90")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .contains(SLUG);
    [article, front, topic, feed, sitemap, search]
}

async fn stored_schedule(app: &TestApp) -> (String, Option<OffsetDateTime>, OffsetDateTime) {
    db::query_as("SELECT status, scheduled_at, published_at FROM articles WHERE slug = $1")
        .bind(SLUG)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// A time `seconds` from now, to the second, as the form sends it.
fn from_now(seconds: i64) -> (OffsetDateTime, String) {
    let at = (OffsetDateTime::now_utc() + time::Duration::seconds(seconds)).replace_nanosecond(0).unwrap();
    let text = format!("{}:{:02}", local_field(at), at.second());
    (at, text)
}

#[tokio::test]
async fn a_scheduled_story_appears_everywhere_at_its_time_and_not_before() {
    let app = app().await;
    let editor = sign_in(&app, Role::Editor).await;
    assert_eq!(post(&app, "/staff/articles", Some(&editor), NEW).await.status(), 303);
    let edit = format!("/staff/articles/{SLUG}/edit");
    let page = Page::parse(&get(&app, &edit, Some(&editor)).await.text().await.unwrap());
    assert_eq!(page.attr("#field-publish_at", "type").as_deref(), Some("datetime-local"));
    assert_eq!(page.text("label[for=field-publish_at]").as_deref(), Some("Publish at (UTC)"));

    let (at, typed) = from_now(3);
    let scheduled =
        post(&app, &format!("/staff/articles/{SLUG}/schedule"), Some(&editor), &[("publish_at", &typed)]).await;
    assert_eq!(scheduled.headers()["location"], format!("{edit}?done=scheduled").as_str());
    assert_eq!(stored_schedule(&app).await.1, Some(at));
    let page = Page::parse(&get(&app, &edit, Some(&editor)).await.text().await.unwrap());
    assert!(page.text(".queue-meta").unwrap().starts_with("Scheduled for"), "{:?}", page.text(".queue-meta"));
    assert_eq!(page.attr("#field-publish_at", "value").as_deref(), Some(local_field(at).as_str()));
    assert_eq!(page.count("form[action$='/unschedule']"), 1);
    let desk = get(&app, "/staff/articles?status=drafts", Some(&editor)).await.text().await.unwrap();
    assert!(Page::parse(&desk).text(".desk-table tbody").unwrap().contains("Scheduled for"));

    // Before its time it is nowhere a reader looks.
    assert_eq!(public_places(&app).await, [false; 6]);
    let started = Instant::now();
    while public_places(&app).await != [true; 6] {
        assert!(started.elapsed() < Duration::from_secs(10), "never published: {:?}", public_places(&app).await);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(OffsetDateTime::now_utc() >= at, "appeared before its time");
    let (status, scheduled_at, published_at) = stored_schedule(&app).await;
    assert_eq!((status.as_str(), scheduled_at, published_at), ("published", None, at), "dated at its time");
    let audit: Vec<(String, String)> =
        db::query_as("SELECT staff_name, action FROM audit_log WHERE kind = 'article' AND subject = $1 ORDER BY id")
            .bind(SLUG)
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        audit,
        [
            ("The editor".to_owned(), "created".to_owned()),
            ("The editor".to_owned(), "scheduled".to_owned()),
            (db::editing::SCHEDULER.to_owned(), "published".to_owned()),
        ]
    );
}

#[tokio::test]
async fn refused_times_say_why_and_schedule_nothing() {
    let app = app().await;
    let editor = sign_in(&app, Role::Editor).await;
    assert_eq!(post(&app, "/staff/articles", Some(&editor), NEW).await.status(), 303);
    let url = format!("/staff/articles/{SLUG}/schedule");
    let (_, past) = from_now(-60);
    let (_, far) = from_now(400 * 86_400);
    for (typed, message) in [
        ("", "Enter the date and time to publish at."),
        ("next tuesday", "That is not a date and time"),
        (past.as_str(), "That time has passed"),
        (far.as_str(), "at most a year ahead"),
    ] {
        let response = post(&app, &url, Some(&editor), &[("publish_at", typed)]).await;
        assert_eq!(response.status(), 422, "{typed:?}");
        let page = Page::parse(&response.text().await.unwrap());
        assert!(page.text("#field-publish_at-error").unwrap().contains(message), "{typed:?}");
        assert_eq!(page.attr("#field-publish_at", "value").as_deref(), Some(typed), "what was typed is kept");
        assert!(page.text("[role=alert]").unwrap().contains("The article was not scheduled"));
        assert_eq!(stored_schedule(&app).await.1, None);
    }
    // Moderators cannot schedule.
    let moderator = sign_in(&app, Role::Moderator).await;
    let (_, soon) = from_now(600);
    assert_eq!(post(&app, &url, Some(&moderator), &[("publish_at", &soon)]).await.status(), 403);
    assert_eq!(stored_schedule(&app).await.1, None);
}

#[tokio::test]
async fn a_cancelled_schedule_leaves_a_draft() {
    let app = app().await;
    let editor = sign_in(&app, Role::Editor).await;
    assert_eq!(post(&app, "/staff/articles", Some(&editor), NEW).await.status(), 303);
    let (_, typed) = from_now(2);
    post(&app, &format!("/staff/articles/{SLUG}/schedule"), Some(&editor), &[("publish_at", &typed)]).await;
    let cancelled = post(&app, &format!("/staff/articles/{SLUG}/unschedule"), Some(&editor), &[]).await;
    assert_eq!(cancelled.headers()["location"], format!("/staff/articles/{SLUG}/edit?done=unscheduled").as_str());
    tokio::time::sleep(Duration::from_millis(3_000)).await;
    let (status, scheduled_at, _) = stored_schedule(&app).await;
    assert_eq!((status.as_str(), scheduled_at), ("draft", None));
    assert_eq!(app.get(&format!("/articles/{SLUG}")).await.status(), 404);
}

#[tokio::test]
async fn with_several_servers_each_due_story_is_published_once() {
    let app = app().await;
    let editor = sign_in(&app, Role::Editor).await;
    let mut ids = Vec::new();
    for i in 0..20 {
        let title = format!("Story {i}");
        let fields = [("title", title.as_str()), ("slug", ""), ("byline", "Desk"), ("topics", ""), ("body", "Text.")];
        assert_eq!(post(&app, "/staff/articles", Some(&editor), &fields).await.status(), 303);
        let id: i64 = db::query_scalar("SELECT id FROM articles WHERE title = $1")
            .bind(title.as_str())
            .fetch_one(&app.pool)
            .await
            .unwrap();
        ids.push(id);
    }
    // Due a moment ago, as after a pause; four "servers" (pools of their own) race for them.
    let due = OffsetDateTime::now_utc() - time::Duration::seconds(1);
    for &id in &ids {
        assert!(db::editing::schedule(&app.pool, id, Some(due)).await.unwrap());
    }
    let mut servers = Vec::new();
    for _ in 0..4 {
        let pool = db::connect(&app.database_url).await.unwrap();
        servers.push(tokio::spawn(async move {
            let mut published = 0;
            for _ in 0..5 {
                published += copydesk::services::scheduling::publish_due(&pool).await.unwrap();
            }
            published
        }));
    }
    let mut total = 0;
    for server in servers {
        total += server.await.unwrap();
    }
    // The test server's own scheduler may have taken some too.
    let logged: i64 = db::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'published' AND staff_name = $1")
        .bind(db::editing::SCHEDULER)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(logged, 20, "each story published once");
    assert!(total <= 20);
    let live: i64 =
        db::query_scalar("SELECT COUNT(*) FROM articles WHERE status = 'published' AND title LIKE 'Story %'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(live, 20);
}

#[tokio::test]
async fn a_story_due_while_no_server_ran_is_published_at_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let url = crate::support::fresh_database(dir.path());
    {
        // The site before the restart: a scheduled story, then every server stops.
        let pool = db::connect(&url).await.unwrap();
        let future = "2099-01-01T00:00:00Z";
        let source = article("overnight", "Overnight Story", future, &[], "Written before the restart.");
        let reports = copydesk::import::import_sources(
            &pool,
            &copydesk::media_store::MediaStore::Database,
            [("o.md".to_owned(), source.as_str())],
        )
        .await;
        assert_eq!(reports[0].result.as_ref().unwrap().0, db::articles::Upserted::Scheduled);
        let id: i64 = db::query_scalar("SELECT id FROM articles").fetch_one(&pool).await.unwrap();
        let passed = OffsetDateTime::now_utc() - time::Duration::minutes(5);
        assert!(db::editing::schedule(&pool, id, Some(passed)).await.unwrap());
        pool.close().await;
    }
    let app = crate::support::spawn_on(dir, &url).await;
    let started = Instant::now();
    while app.get("/articles/overnight").await.status() != 200 {
        assert!(started.elapsed() < Duration::from_secs(5), "the missed story was not published at start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn front_matter_with_a_future_date_schedules_the_story() {
    let soon = OffsetDateTime::now_utc() + time::Duration::seconds(2);
    let soon = soon.replace_nanosecond(0).unwrap().format(&time::format_description::well_known::Rfc3339).unwrap();
    let later = article("later", "Later Story", "2099-06-01T09:00:00Z", &[], "Not yet.");
    let sources = [("soon.md", article("soon", "Soon Story", &soon, &[], "In a moment.")), ("later.md", later)];
    let app = spawn_app(&sources).await;
    assert_eq!(app.get("/articles/soon").await.status(), 404);
    assert_eq!(app.get("/articles/later").await.status(), 404);
    let started = Instant::now();
    while app.get("/articles/soon").await.status() != 200 {
        assert!(started.elapsed() < Duration::from_secs(8), "the story never appeared");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(app.get("/articles/later").await.status(), 404, "2099 is still to come");
}
