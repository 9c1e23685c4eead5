//! Authors: bylines linked to profiles from front matter and the editor, `/authors/{slug}`
//! with the author's published stories, staff editing their own profile (editors, any),
//! on SQLite and PostgreSQL.

use crate::support::desk::{add_staff, get, post, sign_in};
use crate::support::{Page, TestApp, spawn_app};
use copydesk::db;
use copydesk::domain::staff::Role;

fn story(slug: &str, published: &str, authors: &str) -> String {
    format!(
        "---\ntitle: Story {slug}\nslug: {slug}\nbyline: Staff and agencies\n{authors}published: {published}\ntopics: [City Hall]\n---\nText of {slug}.\n"
    )
}

async fn site() -> TestApp {
    let mut sources = vec![
        ("two.md".to_owned(), story("two-authors", "2026-11-20T09:00:00Z", "authors: [Ana García, Rui Okafor]\n")),
        ("wire.md".to_owned(), story("wire", "2026-11-19T09:00:00Z", "")),
        ("later.md".to_owned(), story("later", "2099-01-01T09:00:00Z", "authors: [Ana García]\n")),
    ];
    for i in 0..13 {
        sources.push((
            format!("r{i}.md"),
            story(&format!("rui-{i}"), &format!("2026-10-{:02}T09:00:00Z", i + 1), "authors: [Rui Okafor]\n"),
        ));
    }
    let sources: Vec<(&str, String)> = sources.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
    let app = spawn_app(&sources).await;
    add_staff(&app).await;
    app
}

async fn page(app: &TestApp, path: &str) -> (u16, Page) {
    let (status, html) = app.text(path).await;
    (status, Page::parse(&html))
}

#[tokio::test]
async fn bylines_link_each_author_and_wire_copy_keeps_its_byline() {
    let app = site().await;
    let (_, article) = page(&app, "/articles/two-authors").await;
    assert_eq!(article.text(".byline").as_deref(), Some("By Ana García and Rui Okafor"));
    assert_eq!(article.attr_all(".byline a[rel=author]", "href"), ["/authors/ana-garcia", "/authors/rui-okafor"]);
    let json: serde_json::Value =
        serde_json::from_str(&article.text("script[type='application/ld+json']").unwrap()).unwrap();
    assert_eq!(json["author"][0]["@type"], "Person");
    assert_eq!(json["author"][0]["name"], "Ana García");
    assert_eq!(json["author"][0]["url"], format!("{}/authors/ana-garcia", app.base));
    assert_eq!(json["author"][1]["url"], format!("{}/authors/rui-okafor", app.base));

    let (_, wire) = page(&app, "/articles/wire").await;
    assert_eq!(wire.text(".byline").as_deref(), Some("By Staff and agencies"));
    assert_eq!(wire.count(".byline a"), 0);
    let json: serde_json::Value =
        serde_json::from_str(&wire.text("script[type='application/ld+json']").unwrap()).unwrap();
    assert_eq!(json["author"][0]["name"], "Staff and agencies");

    // Cards link the same names, on every list that shows them.
    for path in ["/", "/topics/city-hall", "/search?q=two", "/authors/ana-garcia"] {
        let (status, list) = page(&app, path).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(
            list.texts(".card .byline").first().map(String::as_str),
            Some("Ana García and Rui Okafor"),
            "{path}"
        );
        assert_eq!(
            list.attr_all(".card .byline a[rel=author]", "href")[..2],
            ["/authors/ana-garcia", "/authors/rui-okafor"],
            "{path}"
        );
    }
    let (_, front) = page(&app, "/").await;
    assert_eq!(front.texts(".card .byline")[1], "Staff and agencies", "wire copy's card keeps its byline");
}

#[tokio::test]
async fn an_authors_page_lists_their_published_stories_in_pages() {
    let app = site().await;
    let (status, ana) = page(&app, "/authors/ana-garcia").await;
    assert_eq!(status, 200);
    assert_eq!(ana.text("h1").as_deref(), Some("Ana García"));
    assert_eq!(ana.text(".author-initials").as_deref(), Some("AG"));
    // The scheduled story is not listed before its time.
    assert_eq!(ana.attr_all(".card-title a", "href"), ["/articles/two-authors"]);
    let json: serde_json::Value =
        serde_json::from_str(&ana.text("script[type='application/ld+json']").unwrap()).unwrap();
    assert_eq!(json["@type"], "ProfilePage");
    assert_eq!(json["mainEntity"]["name"], "Ana García");

    let (_, rui) = page(&app, "/authors/rui-okafor").await;
    assert_eq!(rui.count(".card"), 12, "a page of twelve");
    assert_eq!(rui.attr(".card-title a", "href").as_deref(), Some("/articles/two-authors"), "newest first");
    assert_eq!(rui.attr("a[rel=next]", "href").as_deref(), Some("/authors/rui-okafor?page=2"));
    let (_, second) = page(&app, "/authors/rui-okafor?page=2").await;
    assert_eq!(second.count(".card"), 2);
    assert_eq!(app.get("/authors/rui-okafor?page=3").await.status(), 404);
    assert_eq!(app.get("/authors/nobody").await.status(), 404);
    assert_eq!(app.get("/authors/NOT%20A%20SLUG").await.status(), 404);
}

#[tokio::test]
async fn the_editor_names_authors_and_a_new_name_gets_a_profile() {
    let app = site().await;
    let editor = sign_in(&app, Role::Editor).await;
    let fields = [
        ("title", "Council Votes"),
        ("slug", ""),
        ("byline", "Desk"),
        ("authors", "Rui Okafor,  Zoë   Quill "),
        ("topics", ""),
        ("body", "The council voted."),
    ];
    assert_eq!(post(&app, "/staff/articles", Some(&editor), &fields).await.status(), 303);
    assert_eq!(post(&app, "/staff/articles/council-votes/publish", Some(&editor), &[]).await.status(), 303);
    let (_, article) = page(&app, "/articles/council-votes").await;
    assert_eq!(article.attr_all(".byline a", "href"), ["/authors/rui-okafor", "/authors/zoe-quill"]);
    assert_eq!(article.text(".byline").as_deref(), Some("By Rui Okafor and Zoë Quill"));
    // The editor shows them as typed names, and a change of authors is a revision.
    let edit = Page::parse(&get(&app, "/staff/articles/council-votes/edit", Some(&editor)).await.text().await.unwrap());
    assert_eq!(edit.attr("#field-authors", "value").as_deref(), Some("Rui Okafor, Zoë Quill"));
    let mut changed = fields.to_vec();
    changed.retain(|(k, _)| *k != "authors" && *k != "slug");
    changed.extend([("authors", "Zoë Quill"), ("base_revision", "1")]);
    let saved = post(&app, "/staff/articles/council-votes/edit", Some(&editor), &changed).await;
    assert_eq!(saved.headers()["location"], "/staff/articles/council-votes/edit?done=saved");
    let summary: String = db::query_scalar("SELECT summary FROM article_revisions WHERE revision = 2")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(summary, "Changed authors");
    let (_, article) = page(&app, "/articles/council-votes").await;
    assert_eq!(article.text(".byline").as_deref(), Some("By Zoë Quill"));
    // A name without letters is refused with the field.
    let mut bad = changed.clone();
    bad.retain(|(k, _)| *k != "authors" && *k != "base_revision");
    bad.extend([("authors", "--"), ("base_revision", "2")]);
    let refused = post(&app, "/staff/articles/council-votes/edit", Some(&editor), &bad).await;
    assert_eq!(refused.status(), 422);
    let refused = Page::parse(&refused.text().await.unwrap());
    assert!(refused.text("#field-authors-error").unwrap().contains("needs letters or digits"));
}

#[tokio::test]
async fn staff_make_and_edit_their_own_profile_and_editors_any() {
    let app = site().await;
    let moderator = sign_in(&app, Role::Moderator).await;
    let account = Page::parse(&get(&app, "/staff/account", Some(&moderator)).await.text().await.unwrap());
    assert_eq!(account.attr("form[action='/staff/account/author'] button", "type").as_deref(), Some("submit"));
    let made = post(&app, "/staff/account/author", Some(&moderator), &[]).await;
    assert_eq!(made.headers()["location"], "/staff/authors/the-moderator?done=created");
    // Made once: asking again lands on the same profile.
    let again = post(&app, "/staff/account/author", Some(&moderator), &[]).await;
    assert_eq!(again.headers()["location"], "/staff/authors/the-moderator?done=created");

    let fields = [
        ("name", "The Moderator"),
        ("bio", "Keeps the conversation civil.\r\n\r\n<script>alert(1)</script>"),
        ("links", "https://example.org/mod\r\nhttps://social.example/@mod"),
    ];
    let saved = post(&app, "/staff/authors/the-moderator", Some(&moderator), &fields).await;
    assert_eq!(saved.headers()["location"], "/staff/authors/the-moderator?done=saved");
    let (html_status, public) = app.text("/authors/the-moderator").await;
    assert_eq!(html_status, 200);
    assert!(!public.contains("<script>alert(1)</script>"), "the biography is text, not markup");
    let public = Page::parse(&public);
    assert_eq!(public.texts(".author-bio"), ["Keeps the conversation civil.", "<script>alert(1)</script>"]);
    assert_eq!(public.attr_all(".author-links a", "href"), ["https://example.org/mod", "https://social.example/@mod"]);
    assert_eq!(public.texts(".author-links a"), ["example.org/mod", "social.example/@mod"]);

    // A bad link is refused, the text kept, nothing saved.
    let bad = [("name", "The Moderator"), ("bio", "Changed"), ("links", "javascript:alert(1)")];
    let refused = post(&app, "/staff/authors/the-moderator", Some(&moderator), &bad).await;
    assert_eq!(refused.status(), 422);
    let refused = Page::parse(&refused.text().await.unwrap());
    assert!(refused.text("#field-links-error").unwrap().contains("is not a web address"));
    assert_eq!(refused.text("#field-bio").as_deref(), Some("Changed"));
    assert_eq!(
        db::authors::by_slug(&app.pool, "the-moderator").await.unwrap().unwrap().bio.lines().next(),
        Some("Keeps the conversation civil.")
    );

    // Another member's profile, or one of no member, is not a moderator's to edit; an
    // editor's it is.
    assert_eq!(post(&app, "/staff/authors/rui-okafor", Some(&moderator), &fields).await.status(), 403);
    assert_eq!(get(&app, "/staff/authors/rui-okafor", Some(&moderator)).await.status(), 403);
    let editor = sign_in(&app, Role::Editor).await;
    // Kept pages that show the name (the front page's and the topic's cards) change too.
    let (_, front) = page(&app, "/").await;
    assert_eq!(front.texts(".card .byline")[0], "Ana García and Rui Okafor");
    let renamed = [("name", "Rui Okafor-Lind"), ("bio", ""), ("links", "")];
    assert_eq!(post(&app, "/staff/authors/rui-okafor", Some(&editor), &renamed).await.status(), 303);
    let (_, article) = page(&app, "/articles/two-authors").await;
    assert_eq!(
        article.text(".byline").as_deref(),
        Some("By Ana García and Rui Okafor-Lind"),
        "bylines follow the profile"
    );
    for path in ["/", "/topics/city-hall"] {
        let (_, list) = page(&app, path).await;
        assert_eq!(list.texts(".card .byline")[0], "Ana García and Rui Okafor-Lind", "{path}");
    }
    let desk = Page::parse(&get(&app, "/staff/authors", Some(&editor)).await.text().await.unwrap());
    assert!(desk.texts(".desk-table tbody td:first-child a").contains(&"Rui Okafor-Lind".to_owned()));
    assert_eq!(get(&app, "/staff/authors", Some(&moderator)).await.status(), 403);
    assert_eq!(post(&app, "/staff/authors/the-moderator", None, &fields).await.status(), 401);
}
