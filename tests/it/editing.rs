//! The article desk: drafts, saves as revisions, publication, history, and the editor opened
//! for a reader's suggestion.

use crate::support::Page;
use crate::support::desk::{app, get, post, sign_in};
use copydesk::domain::staff::Role;

const NEW: &[(&str, &str)] = &[
    ("title", "Ferry Timetable Changes"),
    ("slug", ""),
    ("dek", "Two crossings an hour from March."),
    ("byline", "Rui Okafor"),
    ("topics", "Transport, Harbour"),
    ("body", "The ferry will sail *twice* an hour.\r\n\r\nTickets stay the same price."),
];

async fn revision_rows(app: &crate::support::TestApp, slug: &str) -> Vec<(i64, Option<String>, Option<String>)> {
    copydesk::db::query_as(
        "SELECT r.revision, r.saved_by, r.summary FROM article_revisions r JOIN articles a ON a.id = r.article_id
         WHERE a.slug = $1 ORDER BY r.revision",
    )
    .bind(slug)
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_draft_is_written_published_edited_and_unpublished() {
    let app = app().await;
    let editor = sign_in(&app, Role::Editor).await;

    let created = post(&app, "/staff/articles", Some(&editor), NEW).await;
    assert_eq!(created.status(), 303);
    let edit_url = "/staff/articles/ferry-timetable-changes/edit";
    assert_eq!(created.headers().get("location").unwrap(), &format!("{edit_url}?done=created"));
    // A draft is the desk's alone.
    assert_eq!(app.get("/articles/ferry-timetable-changes").await.status(), 404);
    assert!(!app.text("/").await.1.contains("Ferry Timetable Changes"));
    let drafts = get(&app, "/staff/articles?status=drafts", Some(&editor)).await.text().await.unwrap();
    assert!(Page::parse(&drafts).texts(".desk-table td").contains(&"Draft".to_owned()), "{drafts}");

    let editor_page = get(&app, edit_url, Some(&editor)).await.text().await.unwrap();
    let page = Page::parse(&editor_page);
    assert_eq!(page.attr("#field-title", "value").as_deref(), Some("Ferry Timetable Changes"));
    assert_eq!(page.attr("#field-topics", "value").as_deref(), Some("Transport, Harbour"));
    assert_eq!(
        page.text("#field-body").as_deref(),
        Some("The ferry will sail *twice* an hour.\n\nTickets stay the same price.")
    );
    // The preview shows the rendered Markdown.
    assert_eq!(page.text(".preview-body em").as_deref(), Some("twice"));
    assert!(page.text(".queue-meta").unwrap().contains("Draft, never published"));

    let published = post(&app, "/staff/articles/ferry-timetable-changes/publish", Some(&editor), &[]).await;
    assert_eq!(published.headers().get("location").unwrap(), &format!("{edit_url}?done=published"));
    let (status, html) = app.text("/articles/ferry-timetable-changes").await;
    assert_eq!(status, 200);
    let article = Page::parse(&html);
    assert_eq!(article.text("h1").as_deref(), Some("Ferry Timetable Changes"));
    assert!(!article.text(".dateline").unwrap().contains("Updated"), "a first publication is not an update");
    assert!(app.text("/topics/harbour").await.1.contains("Ferry Timetable Changes"));
    let first_date: time::OffsetDateTime =
        copydesk::db::query_scalar("SELECT published_at FROM articles WHERE slug = 'ferry-timetable-changes'")
            .fetch_one(&app.pool)
            .await
            .unwrap();

    let mut fields = NEW.to_vec();
    fields.retain(|(name, _)| *name != "slug" && *name != "body" && *name != "topics");
    fields.extend([
        ("body", "The ferry will sail *three times* an hour.\n\nTickets stay the same price."),
        ("topics", "Transport"),
        ("summary", "Council raised the frequency"),
        ("base_revision", "1"),
    ]);
    let saved = post(&app, edit_url, Some(&editor), &fields).await;
    assert_eq!(saved.headers().get("location").unwrap(), &format!("{edit_url}?done=saved"));
    let html = app.text("/articles/ferry-timetable-changes").await.1;
    let article = Page::parse(&html);
    assert!(article.text(".article-body").unwrap().contains("three times"));
    assert!(article.text(".dateline").unwrap().contains("Updated"));
    assert!(!app.text("/topics/harbour").await.1.contains("Ferry Timetable Changes"));
    assert_eq!(
        revision_rows(&app, "ferry-timetable-changes").await,
        [
            (1, Some("The editor".into()), Some("Created".into())),
            (2, Some("The editor".into()), Some("Changed topics, text: Council raised the frequency".into())),
        ]
    );

    // The same text again adds nothing.
    let mut again = fields.clone();
    again.retain(|(name, _)| *name != "base_revision");
    again.push(("base_revision", "2"));
    let unchanged = post(&app, edit_url, Some(&editor), &again).await;
    assert_eq!(unchanged.headers().get("location").unwrap(), &format!("{edit_url}?done=unchanged"));
    assert_eq!(revision_rows(&app, "ferry-timetable-changes").await.len(), 2);

    // History: who, when, what, and the words that changed.
    let history = get(&app, "/staff/articles/ferry-timetable-changes/revisions", Some(&editor)).await;
    let history = Page::parse(&history.text().await.unwrap());
    assert_eq!(history.count(".revision"), 2);
    let (added, removed) = (history.texts("#revision-2 ins"), history.texts("#revision-2 del"));
    assert_eq!(added, ["Transport", "*three times* "], "the topics, then the Markdown");
    assert_eq!(removed, ["Transport, Harbour", "*twice* "]);
    assert!(history.text("#revision-2").unwrap().contains("by The editor"));

    let gone = post(&app, "/staff/articles/ferry-timetable-changes/unpublish", Some(&editor), &[]).await;
    assert_eq!(gone.headers().get("location").unwrap(), &format!("{edit_url}?done=unpublished"));
    assert_eq!(app.get("/articles/ferry-timetable-changes").await.status(), 404);
    post(&app, "/staff/articles/ferry-timetable-changes/publish", Some(&editor), &[]).await;
    let date: time::OffsetDateTime =
        copydesk::db::query_scalar("SELECT published_at FROM articles WHERE slug = 'ferry-timetable-changes'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(date, first_date, "publishing again keeps the first date");

    let audit: Vec<String> =
        copydesk::db::query_scalar("SELECT action FROM audit_log WHERE kind = 'article' ORDER BY id")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(audit, ["created", "published", "saved", "unpublished", "published"]);
}

#[tokio::test]
async fn bad_edits_are_refused_with_the_text_kept_and_nothing_stored() {
    let app = app().await;
    let editor = sign_in(&app, Role::Editor).await;
    let before = revision_rows(&app, "council").await;

    let payload = "</textarea><script>alert(1)</script>";
    let bad = [("title", " "), ("byline", "Someone"), ("body", payload), ("base_revision", "1")];
    let refused = post(&app, "/staff/articles/council/edit", Some(&editor), &bad).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    let page = Page::parse(&html);
    assert_eq!(page.text("#field-body").as_deref(), Some(payload), "typed text is kept, as text");
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert_eq!(page.text("#field-title-error").as_deref(), Some("Write a headline."));
    assert_eq!(revision_rows(&app, "council").await, before);

    // Two people editing: the later save from an old revision is not written.
    let good = |body: &'static str, base: &'static str| {
        [("title", "Council Meets"), ("byline", "Test Writer"), ("body", body), ("base_revision", base)]
    };
    let first = post(&app, "/staff/articles/council/edit", Some(&editor), &good("The council met twice.", "1")).await;
    assert_eq!(first.status(), 303);
    let admin = sign_in(&app, Role::Admin).await;
    let late = post(&app, "/staff/articles/council/edit", Some(&admin), &good("The council met at noon.", "1")).await;
    assert_eq!(late.status(), 409);
    let page = Page::parse(&late.text().await.unwrap());
    assert!(page.text("[role=alert]").unwrap().contains("Someone saved revision 2"));
    assert_eq!(page.text("#field-body").as_deref(), Some("The council met at noon."));
    assert_eq!(page.attr("input[name=base_revision]", "value").as_deref(), Some("2"));
    let body: String = copydesk::db::query_scalar("SELECT body_md FROM articles WHERE slug = 'council'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(body, "The council met twice.");

    // A new article may not take an existing address.
    let taken = post(
        &app,
        "/staff/articles",
        Some(&editor),
        &[("title", "Council"), ("slug", "council"), ("byline", "B"), ("body", "x")],
    )
    .await;
    assert_eq!(taken.status(), 409);
    assert!(taken.text().await.unwrap().contains("Another article already uses this address."));
    assert_eq!(app.get("/staff/articles/nope/edit").await.status(), 302);
    assert_eq!(get(&app, "/staff/articles/nope/edit", Some(&editor)).await.status(), 404);
}

#[tokio::test]
async fn the_preview_renders_safely_and_long_articles_fit_while_reader_posts_stay_small() {
    let app = app().await;
    let editor = sign_in(&app, Role::Editor).await;
    let preview = post(&app, "/api/staff/preview", Some(&editor), &[("body", "Hi <script>x()</script> *there*")]).await;
    assert_eq!(preview.status(), 200);
    let preview: copydesk::api::preview_article::Preview = crate::support::answer(preview).await;
    assert_eq!(preview.body, "<p>Hi &lt;script&gt;x()&lt;/script&gt; <em>there</em></p>\n");

    // A 150,000-character article is more than a reader's 64 KiB limit but fits the desk's.
    let long = "A sentence of the long read. ".repeat(5_000);
    let fields =
        [("title", "Council Meets"), ("byline", "Test Writer"), ("body", long.as_str()), ("base_revision", "1")];
    assert_eq!(post(&app, "/staff/articles/council/edit", Some(&editor), &fields).await.status(), 303);
    let comment = app
        .client
        .post(app.url("/articles/council/comments"))
        .form(&[("name", "R"), ("body", long.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(comment.status(), 413);
    // The desk's larger limit needs a staff session cookie: without one, the reader's applies.
    assert_eq!(post(&app, "/staff/articles/council/edit", None, &fields).await.status(), 413);
}

#[tokio::test]
async fn a_suggestion_across_formatting_opens_the_editor_at_its_paragraph() {
    let app = app().await;
    let editor = sign_in(&app, Role::Editor).await;
    let body = "The council met.\n\nMayor Ingrid *Halvorson* chaired it.\n\nIt ended late.";
    let fields = [("title", "Council Meets"), ("byline", "Test Writer"), ("body", body), ("base_revision", "1")];
    assert_eq!(post(&app, "/staff/articles/council/edit", Some(&editor), &fields).await.status(), 303);
    let suggestion = app
        .call("/api/corrections/suggest", serde_json::json!({ "slug": "council", "form": { "quote": "Ingrid Halvorson", "prefix": "Mayor ", "suffix": " chaired", "kind": "typo", "suggested": "Ingrid Halvorsen", "note": "", "email": "" } }))
        .header("x-forwarded-for", "203.0.113.9")
        .send()
        .await
        .unwrap();
    assert_eq!(suggestion.status(), 200, "{:?}", suggestion.text().await);

    let desk = get(&app, "/staff/corrections", Some(&editor)).await.text().await.unwrap();
    let page = Page::parse(&desk);
    let link = page.attr("a[href*='/edit?at=']", "href").expect("a link to the editor");
    let group: i64 = link.rsplit('=').next().unwrap().parse().unwrap();
    let opened = Page::parse(&get(&app, &link, Some(&editor)).await.text().await.unwrap());
    assert_eq!(opened.text(".editor-pointer").as_deref(), Some("Mayor Ingrid *Halvorson* chaired it."));
    assert_eq!(opened.attr("input[name=suggestion]", "value"), Some(group.to_string()));

    let fixed = "The council met.\n\nMayor Ingrid *Halvorsen* chaired it.\n\nIt ended late.";
    let fields = [
        ("title", "Council Meets"),
        ("byline", "Test Writer"),
        ("body", fixed),
        ("base_revision", "2"),
        ("suggestion", &group.to_string()),
    ];
    let saved = post(&app, "/staff/articles/council/edit", Some(&editor), &fields).await;
    assert_eq!(saved.headers().get("location").unwrap(), &format!("/staff/corrections?done=edited#group-{group}"));
    let desk = Page::parse(&get(&app, "/staff/corrections", Some(&editor)).await.text().await.unwrap());
    let form = desk.attr(&format!("#group-{group} form.correction-apply"), "action").unwrap();
    assert_eq!(form, format!("/staff/corrections/{group}/accept"), "now accepted with a note alone");
}
