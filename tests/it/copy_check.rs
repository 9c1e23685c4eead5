//! The copy check on the desk: findings in the editor and its preview, ignoring one,
//! the house dictionary, the site's language, and `copydesk check` / `import` warnings.

use crate::support::desk::{add_staff, get, post, sign_in};
use crate::support::{Page, TestApp, article, spawn_app_with};
use copydesk::domain::staff::Role;

const BODY: &str = "Ana Garca said the council would recieve the plan.\n\nCouncillor Wierzbowska agreed (mostly.";

async fn app() -> TestApp {
    let sources = [
        (
            "garcia.md",
            article("garcia", "García Wins", "2026-11-01T00:00:00Z", &["City Hall"], "Ana García won the vote."),
        ),
        ("plan.md", article("plan", "The Plan", "2026-11-02T00:00:00Z", &["City Hall"], BODY)),
    ];
    let app = spawn_app_with(&sources, |config| config.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]).await;
    add_staff(&app).await;
    app
}

async fn editor_page(app: &TestApp, cookie: &str) -> Page {
    let response = get(app, "/staff/articles/plan/edit", Some(cookie)).await;
    assert_eq!(response.status(), 200);
    Page::parse(&response.text().await.unwrap())
}

fn flagged(page: &Page) -> Vec<String> {
    page.texts(".check-item .check-text")
}

#[tokio::test]
async fn the_editor_lists_and_marks_each_problem_with_suggestions() {
    let app = app().await;
    let editor = sign_in(&app, Role::Editor).await;
    let page = editor_page(&app, &editor).await;
    assert_eq!(flagged(&page), ["Garca", "recieve", "Wierzbowska", "("]);
    assert_eq!(page.text("#check-heading").as_deref(), Some("Copy check: 4 possible problems"));
    // A published name is suggested back for a dropped letter; the dictionary for a typo.
    let suggested = page.texts(".check-suggested");
    assert!(suggested[0].contains("García"), "{suggested:?}");
    assert!(suggested[1].contains("receive"), "{suggested:?}");
    // Marked in the preview, numbered as listed; the fix buttons wait for the script.
    assert_eq!(page.texts(".preview-body mark.check-flag"), ["Garca", "recieve", "Wierzbowska", "("]);
    assert_eq!(page.attr(".preview-body mark.check-flag", "data-problem").as_deref(), Some("1"));
    assert_eq!(page.attr(".check-fix", "data-replacement").as_deref(), Some("García"));
    assert_eq!(page.attr(".check-fix", "hidden").as_deref(), Some(""));
    // Saving says how many, and saves anyway.
    let fields =
        [("title", "The Plan"), ("byline", "Test Writer"), ("body", BODY), ("summary", "x"), ("base_revision", "1")];
    assert_eq!(post(&app, "/staff/articles/plan/edit", Some(&editor), &fields).await.status(), 303);
    let saved = get(&app, "/staff/articles/plan/edit?done=saved", Some(&editor)).await.text().await.unwrap();
    assert!(saved.contains("Saved as a new revision. Copy check: 4 possible problems"), "{saved}");
    // Publishing says it too, and never waits for the problems to go.
    assert_eq!(post(&app, "/staff/articles/plan/unpublish", Some(&editor), &[]).await.status(), 303);
    let published = post(&app, "/staff/articles/plan/publish", Some(&editor), &[]).await;
    assert_eq!(published.headers()["location"], "/staff/articles/plan/edit?done=published");
    let page = get(&app, "/staff/articles/plan/edit?done=published", Some(&editor)).await.text().await.unwrap();
    assert!(page.contains("Published: readers can see the article now. Copy check: 4 possible problems"), "{page}");
    assert_eq!(app.get("/articles/plan").await.status(), 200);
}

#[tokio::test]
async fn ignoring_a_problem_and_adding_a_word_are_remembered() {
    let app = app().await;
    let editor = sign_in(&app, Role::Editor).await;
    let ignore = [("kind", "unbalanced"), ("text", "(")];
    assert_eq!(post(&app, "/staff/articles/plan/check/ignore", Some(&editor), &ignore).await.status(), 303);
    let add = [("word", "Wierzbowska"), ("back", "/staff/articles/plan/edit#copy-check")];
    let added = post(&app, "/staff/dictionary", Some(&editor), &add).await;
    assert_eq!(added.status(), 303);
    assert_eq!(added.headers()["location"], "/staff/articles/plan/edit#copy-check");
    let page = editor_page(&app, &editor).await;
    assert_eq!(flagged(&page), ["Garca", "recieve"]);
    assert!(page.text(".check-ignored").unwrap().contains("1 ignored"));
    let dictionary = get(&app, "/staff/dictionary", Some(&editor)).await.text().await.unwrap();
    assert!(Page::parse(&dictionary).texts("td").contains(&"Wierzbowska".to_owned()));

    // The island's way: the same through the server function.
    let call = serde_json::json!({ "action": "ignore", "slug": "plan", "kind": "spelling", "text": "recieve" });
    let mut request = app.call("/api/staff/check-action", call).header("origin", &app.base);
    request = request.header("cookie", &editor);
    assert_eq!(request.send().await.unwrap().status(), 200);
    assert_eq!(flagged(&editor_page(&app, &editor).await), ["Garca"]);
    // Shown again on request.
    assert_eq!(post(&app, "/staff/articles/plan/check/show-ignored", Some(&editor), &[]).await.status(), 303);
    assert_eq!(flagged(&editor_page(&app, &editor).await), ["Garca", "recieve", "("]);

    // Bad words are refused with a reason and store nothing; moderators cannot add.
    let refused = post(&app, "/staff/dictionary", Some(&editor), &[("word", "two words")]).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("One word"));
    let moderator = sign_in(&app, Role::Moderator).await;
    assert_eq!(post(&app, "/staff/dictionary", Some(&moderator), &[("word", "Zed")]).await.status(), 403);
    let words: i64 = copydesk::db::query_scalar("SELECT COUNT(*) FROM house_words").fetch_one(&app.pool).await.unwrap();
    assert_eq!(words, 1);
}

#[tokio::test]
async fn the_preview_checks_what_is_typed() {
    let app = app().await;
    let editor = sign_in(&app, Role::Editor).await;
    let fields = [("title", "A \u{421}ourt case"), ("body", "It was the the end."), ("slug", "plan")];
    let response = post(&app, "/api/staff/preview", Some(&editor), &fields).await;
    assert_eq!(response.status(), 200);
    let preview: copydesk::api::preview_article::Preview = crate::support::answer(response).await;
    let list = Page::parse(&preview.checks);
    assert_eq!(list.texts(".check-text"), ["\u{421}ourt", "the the"]);
    assert!(list.texts(".check-suggested")[0].contains("Court"));
    assert!(preview.body.contains("<mark class=\"check-flag\" data-problem=\"2\">the the</mark>"), "{}", preview.body);
}

#[tokio::test]
async fn the_site_language_sets_the_pages_lang_and_an_article_can_have_its_own() {
    let app = app().await;
    let editor = sign_in(&app, Role::Editor).await;
    assert_eq!(Page::parse(&app.text("/articles/plan").await.1).attr("html", "lang").as_deref(), Some("en-GB"));
    // Editors may not change it; admins may; a bad tag is refused.
    assert_eq!(post(&app, "/staff/dictionary/language", Some(&editor), &[("language", "en-US")]).await.status(), 403);
    let admin = sign_in(&app, Role::Admin).await;
    assert_eq!(post(&app, "/staff/dictionary/language", Some(&admin), &[("language", "english")]).await.status(), 422);
    assert_eq!(post(&app, "/staff/dictionary/language", Some(&admin), &[("language", "en_us")]).await.status(), 303);
    let page = Page::parse(&app.text("/articles/garcia").await.1);
    assert_eq!(page.attr("html", "lang").as_deref(), Some("en-US"));
    // An article in French says so; its words are not spelled as English.
    let fields = [
        ("title", "La Fête"),
        ("byline", "Test Writer"),
        ("lang", "fr"),
        ("body", "Bonjour à tous."),
        ("base_revision", "1"),
    ];
    assert_eq!(post(&app, "/staff/articles/plan/edit", Some(&editor), &fields).await.status(), 303);
    let page = Page::parse(&app.text("/articles/plan").await.1);
    assert_eq!(page.attr("html", "lang").as_deref(), Some("fr"));
    // Other pages keep the site's.
    assert_eq!(Page::parse(&app.text("/articles/garcia").await.1).attr("html", "lang").as_deref(), Some("en-US"));
    let json: serde_json::Value =
        serde_json::from_str(&page.text("script[type='application/ld+json']").unwrap()).unwrap();
    assert_eq!(json["inLanguage"], "fr");
    let checked = editor_page(&app, &editor).await;
    assert!(checked.text(".check-list .queue-meta").unwrap().contains("fr"), "{:?}", checked.text(".check-list"));
}

#[tokio::test]
async fn the_correction_desk_says_the_check_saw_it_and_fixes_the_name_everywhere() {
    let mayor = |slug: &str, day: &str| {
        (format!("{slug}.md"), article(slug, "Mayor Speaks", day, &["City Hall"], "Mayor Ingrid Halvorsen spoke."))
    };
    let (a, b) = (mayor("one", "2026-11-01T00:00:00Z"), mayor("two", "2026-11-02T00:00:00Z"));
    let body = "Mayor Ingrid Halvorson opened the bridge.\n\nLater Halvorson cut the ribbon.";
    let sources = [
        (a.0.as_str(), a.1.clone()),
        (b.0.as_str(), b.1.clone()),
        ("bridge.md", article("bridge", "Bridge Opens", "2026-11-03T00:00:00Z", &["City Hall"], body)),
    ];
    let app = spawn_app_with(&sources, |config| config.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]).await;
    add_staff(&app).await;
    let form = serde_json::json!({ "slug": "bridge", "form": { "quote": "Halvorson", "prefix": "Mayor Ingrid ", "suffix": " opened", "kind": "typo", "suggested": "Halvorsen", "note": "", "email": "" } });
    let response =
        app.call("/api/corrections/suggest", form).header("x-forwarded-for", "203.0.113.9").send().await.unwrap();
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
    let editor = sign_in(&app, Role::Editor).await;
    let desk = Page::parse(&get(&app, "/staff/corrections", Some(&editor)).await.text().await.unwrap());
    let seen = desk.text(".check-seen").expect("the check's note");
    assert!(seen.contains("Halvorson") && seen.contains("Halvorsen"), "{seen}");
    let id: i64 = copydesk::db::query_scalar("SELECT id FROM correction_groups").fetch_one(&app.pool).await.unwrap();
    let label = desk.text(&format!("label[for=everywhere-{id}]")).expect("the offer to fix it elsewhere");
    assert_eq!(label, "Also replace the one other \u{201c}Halvorson\u{201d} in this story");

    let fields = [
        ("replacement", "Halvorsen"),
        ("notice_kind", "correction"),
        ("note", "An earlier version misspelled the mayor's name."),
        ("everywhere", "1"),
    ];
    let applied = post(&app, &format!("/staff/corrections/{id}/apply"), Some(&editor), &fields).await;
    assert_eq!(applied.headers()["location"], "/staff/corrections?done=applied");
    let stored: String = copydesk::db::query_scalar("SELECT body_md FROM articles WHERE slug = 'bridge'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, "Mayor Ingrid Halvorsen opened the bridge.\n\nLater Halvorsen cut the ribbon.");
}

/// The names kept in memory belong to one database: a second site in the same process, at
/// the same point of its history, does not suggest the first site's names.
#[tokio::test]
async fn published_names_are_kept_per_database() {
    let first = app().await;
    let second = spawn_app_with(
        &[
            ("a.md", article("a", "Ferry Times", "2026-11-01T00:00:00Z", &["Harbour"], "The ferry sails.")),
            ("b.md", article("plan", "The Plan", "2026-11-02T00:00:00Z", &["Harbour"], BODY)),
        ],
        |config| config.trusted_proxies = vec!["127.0.0.1".parse().unwrap()],
    )
    .await;
    add_staff(&second).await;
    let version = |app: &TestApp| {
        let pool = app.pool.clone();
        async move { copydesk::db::copy_check::published_version(&pool).await.unwrap() }
    };
    assert_eq!(version(&first).await, version(&second).await, "both sites at the same version");
    let on_first = editor_page(&first, &sign_in(&first, Role::Editor).await).await;
    assert!(on_first.texts(".check-suggested")[0].contains("García"));
    let on_second = editor_page(&second, &sign_in(&second, Role::Editor).await).await;
    let garca = on_second.texts(".check-item").into_iter().find(|t| t.contains("Garca")).expect("Garca flagged");
    assert!(!garca.contains("García"), "the other site's name was suggested: {garca}");
}
