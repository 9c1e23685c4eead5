//! Comments and reports through the plain forms and the comment box's server functions,
//! against the real server.

use crate::support::{Page, TestApp, article, spawn_app_with};
use copydesk::db::comments::{self as store};
use copydesk::domain::comment::Moderation;
use copydesk::domain::moderation::WordListName;
use serde_json::json;

const SLUG: &str = "council";
const OTHER: &str = "harbour";

async fn app() -> TestApp {
    let sources = [
        ("a.md", article(SLUG, "Council Meets", "2026-11-01T00:00:00Z", &["City Hall"], "The council met.")),
        ("b.md", article(OTHER, "Harbour Opens", "2026-11-02T00:00:00Z", &["Culture"], "The harbour opened.")),
    ];
    // Requests carry `X-Forwarded-For` from the loopback "proxy", so each test can act as
    // several readers.
    spawn_app_with(&sources, |config| config.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]).await
}

/// A reader: an address and, once they have posted, their cookie.
#[derive(Clone, Default)]
struct Reader {
    ip: &'static str,
    cookie: Option<String>,
}

impl Reader {
    fn at(ip: &'static str) -> Self {
        Self { ip, cookie: None }
    }

    fn request(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        let request = request.header("x-forwarded-for", self.ip);
        match &self.cookie {
            Some(cookie) => request.header("cookie", cookie),
            None => request,
        }
    }

    /// Posts the plain form and keeps any cookie the server sets.
    async fn post(&mut self, app: &TestApp, slug: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let response = self
            .request(app.client.post(app.url(&format!("/articles/{slug}/comments"))))
            .form(fields)
            .send()
            .await
            .unwrap();
        if let Some(set) = response.headers().get("set-cookie") {
            self.cookie = Some(set.to_str().unwrap().split(';').next().unwrap().to_owned());
        }
        response
    }

    async fn report(&self, app: &TestApp, slug: &str, id: i64, fields: &[(&str, &str)]) -> reqwest::Response {
        let url = app.url(&format!("/articles/{slug}/comments/{id}/report"));
        self.request(app.client.post(url)).form(fields).send().await.unwrap()
    }

    async fn page(&self, app: &TestApp, path: &str) -> (u16, String) {
        let response = self.request(app.client.get(app.url(path))).send().await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }
}

async fn stored(app: &TestApp) -> Vec<store::Stored> {
    store::all(&app.pool).await.unwrap()
}

fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}

async fn post_mode(app: &TestApp, slug: &str) {
    assert!(store::set_article_comments(&app.pool, slug, Some(Moderation::Post), false).await.unwrap());
}

fn comment_texts(html: &str) -> Vec<String> {
    Page::parse(html).texts("ol.comment-list > li.comment > article .comment-body")
}

#[tokio::test]
async fn pre_moderated_comments_wait_and_only_their_author_sees_them() {
    let app = app().await;
    let mut author = Reader::at("203.0.113.1");
    let stranger = Reader::at("203.0.113.2");
    let (_, before) = stranger.page(&app, "/articles/council").await;
    let page = Page::parse(&before);
    assert_eq!(page.text("#comments-title").as_deref(), Some("Comments (0)"));
    assert_eq!(page.text(".comments-empty").as_deref(), Some("Write the first comment for this!"));

    let response = author.post(&app, SLUG, &[("name", "Ada"), ("email", "ada@example.org"), ("body", "First!")]).await;
    assert_eq!(response.status(), 303);
    let id = stored(&app).await[0].id;
    assert_eq!(location(&response), format!("/articles/council?posted=pending#comment-{id}"));
    let cookie = response.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");

    let c = &stored(&app).await[0];
    assert_eq!((c.status.as_str(), c.held_for.as_deref()), ("pending", Some("premoderation")));
    assert_eq!(
        (c.author_name.as_str(), c.email.as_deref(), c.body.as_str()),
        ("Ada", Some("ada@example.org"), "First!")
    );
    assert_eq!(c.client_hash.len(), 32);
    assert!(!c.client_hash.contains("203.0.113"));

    let (_, theirs) = author.page(&app, "/articles/council?posted=pending").await;
    let page = Page::parse(&theirs);
    assert_eq!(comment_texts(&theirs), ["First!"]);
    assert_eq!(page.text(".comment-pending .badge-pending").as_deref(), Some("Awaiting moderation"));
    assert_eq!(page.text(".comment-box [role=status]").as_deref(), Some("Your comment is awaiting moderation."));
    assert_eq!(page.text("#comments-title").as_deref(), Some("Comments (0)"), "pending comments are not counted");
    assert_eq!(page.count(&format!("#comment-{id} .comment-actions")), 0, "no actions on a pending comment");

    let (_, others) = stranger.page(&app, "/articles/council").await;
    assert!(comment_texts(&others).is_empty());
    assert!(!others.contains("First!"));
    // A forged cookie shows nothing either.
    let forged = Reader { ip: "203.0.113.3", cookie: Some(format!("copydesk_reader={}", "0".repeat(32))) };
    assert!(!forged.page(&app, "/articles/council").await.1.contains("First!"));
}

#[tokio::test]
async fn post_moderated_comments_appear_at_once_and_change_the_count() {
    let app = app().await;
    post_mode(&app, SLUG).await;
    let mut reader = Reader::at("203.0.113.1");
    let response =
        reader.post(&app, SLUG, &[("name", "Ben"), ("body", "Line one\r\nLine two\r\n\r\nSecond paragraph")]).await;
    assert_eq!(response.status(), 303);
    assert!(location(&response).contains("posted=published"), "{}", location(&response));
    let c = &stored(&app).await[0];
    assert_eq!((c.status.as_str(), c.held_for.as_deref()), ("published", None));
    assert_eq!(c.body, "Line one\nLine two\n\nSecond paragraph");

    let (_, html) = Reader::at("198.51.100.9").page(&app, "/articles/council").await;
    let page = Page::parse(&html);
    assert_eq!(page.text("#comments-title").as_deref(), Some("Comments (1)"));
    assert_eq!(page.count(".comments-empty"), 0);
    assert_eq!(page.text(".comment-author").as_deref(), Some("Ben"));
    assert_eq!(page.count(".comment-body p"), 2);
    assert_eq!(page.count(".comment-body br"), 1);
    assert!(page.attr(".comment-when time", "datetime").is_some_and(|t| t.ends_with('Z')));
    assert_eq!(page.text(".comment-ago").as_deref(), Some("just now"));
    // The other article is untouched.
    let (_, other) = Reader::at("198.51.100.9").page(&app, "/articles/harbour").await;
    assert_eq!(Page::parse(&other).text("#comments-title").as_deref(), Some("Comments (0)"));
}

#[tokio::test]
async fn the_comment_box_endpoint_answers_with_the_comment_and_sets_the_cookie() {
    let app = app().await;
    let response = app
        .call("/api/comments/post", json!({ "slug": SLUG, "form": { "name": "Cy", "body": "Via the box" } }))
        .header("x-forwarded-for", "203.0.113.5")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers().get("set-cookie").is_some_and(|c| c.to_str().unwrap().contains("HttpOnly")));
    let posted: copydesk::domain::comment::Posted = crate::support::answer(response).await;
    assert_eq!((posted.author_name.as_str(), posted.pending), ("Cy", true));
    assert_eq!(posted.id, stored(&app).await[0].id);

    let invalid = app
        .call("/api/comments/post", json!({ "slug": SLUG, "form": { "name": "", "body": "  " } }))
        .send()
        .await
        .unwrap();
    assert_eq!(invalid.status(), 422);
    let copydesk::error::AppError::Invalid(problems) = crate::support::answer(invalid).await else {
        panic!("not invalid")
    };
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["name", "body"]);

    let malformed = app
        .client
        .post(app.url("/api/comments/post"))
        .header("content-type", "application/x-postcard")
        .body(&b"\x07council"[..])
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), 400);
    assert_eq!(stored(&app).await.len(), 1);
}

#[tokio::test]
async fn replies_attach_to_their_parent_and_nest_three_levels() {
    let app = app().await;
    post_mode(&app, SLUG).await;
    post_mode(&app, OTHER).await;
    let mut reader = Reader::at("203.0.113.1");
    reader.post(&app, SLUG, &[("name", "A"), ("body", "top")]).await;
    let top = stored(&app).await[0].id;
    let r = reader.post(&app, SLUG, &[("name", "B"), ("body", "level two"), ("parent", &top.to_string())]).await;
    assert_eq!(r.status(), 303);
    let second = stored(&app).await[1].id;
    reader.post(&app, SLUG, &[("name", "C"), ("body", "level three"), ("parent", &second.to_string())]).await;
    let third = stored(&app).await[2].id;
    let all = stored(&app).await;
    assert_eq!((all[1].parent_id, all[1].depth), (Some(top), 1));
    assert_eq!((all[2].parent_id, all[2].depth), (Some(second), 2));

    let (_, html) = reader.page(&app, "/articles/council").await;
    let page = Page::parse(&html);
    assert_eq!(
        page.count(&format!("#comment-{top} > ol.replies > #comment-{second} > ol.replies > #comment-{third}")),
        1
    );
    // No Reply at the third level; Report stays.
    assert_eq!(page.count(&format!("#comment-{third} #comment-{third}-reply")), 0);
    assert_eq!(page.count(&format!("#comment-{third} #comment-{third}-report")), 1);

    let mut other = Reader::at("203.0.113.2");
    let too_deep =
        other.post(&app, SLUG, &[("name", "D"), ("body", "level four"), ("parent", &third.to_string())]).await;
    assert_eq!(too_deep.status(), 422);
    assert!(too_deep.text().await.unwrap().contains("Replies nest three levels deep"));
    other.post(&app, OTHER, &[("name", "E"), ("body", "elsewhere")]).await;
    let elsewhere = stored(&app).await.last().unwrap().id;
    let cross =
        other.post(&app, SLUG, &[("name", "F"), ("body", "wrong thread"), ("parent", &elsewhere.to_string())]).await;
    assert_eq!(cross.status(), 422);
    let missing = other.post(&app, SLUG, &[("name", "F"), ("body", "nobody"), ("parent", "999999")]).await;
    assert_eq!(missing.status(), 422);
    assert_eq!(stored(&app).await.len(), 4, "no bad reply was stored");
}

#[tokio::test]
async fn nobody_can_reply_to_someone_elses_pending_comment() {
    let app = app().await;
    let mut author = Reader::at("203.0.113.1");
    author.post(&app, SLUG, &[("name", "A"), ("body", "waiting")]).await;
    let pending = stored(&app).await[0].id;
    let mut stranger = Reader::at("203.0.113.2");
    let r = stranger.post(&app, SLUG, &[("name", "B"), ("body", "hi"), ("parent", &pending.to_string())]).await;
    assert_eq!(r.status(), 422);
    // Its author may: the reply waits too, and both show to them alone.
    let own = author.post(&app, SLUG, &[("name", "A"), ("body", "and more"), ("parent", &pending.to_string())]).await;
    assert_eq!(own.status(), 303);
    assert_eq!(stored(&app).await.len(), 2);
    let (_, html) = author.page(&app, "/articles/council").await;
    assert_eq!(Page::parse(&html).count(".comment-pending"), 2);
}

#[tokio::test]
async fn bad_comments_get_a_clear_error_keep_the_text_and_store_nothing() {
    let app = app().await;
    let long = "x".repeat(5_001);
    let long_name = "n".repeat(81);
    type Fields<'a> = Vec<(&'a str, &'a str)>;
    let cases: Vec<(Fields, &str)> = vec![
        (vec![("name", "A"), ("body", "")], "Write a comment before posting."),
        (vec![("name", "A"), ("body", " \r\n\t ")], "Write a comment before posting."),
        (vec![("name", "A"), ("body", &long)], "Keep your comment to 5,000 characters or fewer."),
        (vec![("name", "A"), ("body", "bell \u{7} ring")], "Your comment contains characters we cannot accept."),
        (vec![("name", ""), ("body", "kept text")], "Enter your name."),
        (vec![("name", &long_name), ("body", "kept text")], "Keep your name to 80 characters or fewer."),
        (vec![("name", "A"), ("email", "not-an-email"), ("body", "kept text")], "Enter an email address"),
    ];
    // Each from a reader of its own: every attempt, refused or not, counts against the limit.
    let ips = ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4", "203.0.113.5", "203.0.113.6", "203.0.113.7"];
    for ((fields, message), ip) in cases.into_iter().zip(ips) {
        let mut reader = Reader::at(ip);
        let response = reader.post(&app, SLUG, &fields).await;
        assert_eq!(response.status(), 422, "{fields:?}");
        let html = response.text().await.unwrap();
        assert!(html.contains(message), "{message} for {fields:?}");
        let page = Page::parse(&html);
        assert_eq!(page.count(".comment-box [aria-invalid=true]"), 1, "{fields:?}");
        let body = fields.iter().find(|(k, _)| *k == "body").unwrap().1;
        if body == "kept text" {
            assert_eq!(page.text("#comment-body").as_deref(), Some("kept text"), "the comment is kept");
        }
    }
    assert!(stored(&app).await.is_empty());

    // Unknown and unpublished articles.
    let mut reader = Reader::at("203.0.113.8");
    assert_eq!(reader.post(&app, "no-such-article", &[("name", "A"), ("body", "b")]).await.status(), 404);
    assert_eq!(reader.post(&app, "Bad..Slug", &[("name", "A"), ("body", "b")]).await.status(), 404);
    copydesk::db::query("UPDATE articles SET status = 'draft' WHERE slug = $1")
        .bind(OTHER)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(reader.post(&app, OTHER, &[("name", "A"), ("body", "b")]).await.status(), 404);
    // An oversized body is refused before it is read.
    let mut reader = Reader::at("203.0.113.9");
    let huge = "y".repeat(100 * 1024);
    assert_eq!(reader.post(&app, SLUG, &[("name", "A"), ("body", &huge)]).await.status(), 413);
    // Not a form at all.
    let wrong_type = app.client.post(app.url("/articles/council/comments")).body("name=A&body=b").send().await.unwrap();
    assert!(wrong_type.status().is_client_error(), "{}", wrong_type.status());
    assert!(stored(&app).await.is_empty());
}

#[tokio::test]
async fn markup_is_stored_verbatim_and_shown_as_text() {
    let app = app().await;
    post_mode(&app, SLUG).await;
    let name = "<script>window.pwned=1</script>";
    let body = "<img src=x onerror=alert(1)> & </textarea><b>bold</b> javascript:alert(1)";
    let mut reader = Reader::at("203.0.113.1");
    assert_eq!(reader.post(&app, SLUG, &[("name", name), ("body", body)]).await.status(), 303);
    let c = &stored(&app).await[0];
    assert_eq!((c.author_name.as_str(), c.body.as_str()), (name, body));
    let (_, html) = reader.page(&app, "/articles/council").await;
    assert!(!html.contains("<script>window.pwned"));
    assert!(!html.contains("<img src=x"));
    assert!(!html.contains("<b>bold</b>"));
    let page = Page::parse(&html);
    assert_eq!(page.text(".comment-list .comment-author").as_deref(), Some(name));
    assert_eq!(page.text(".comment-list .comment-body").as_deref(), Some(body));
    assert_eq!(page.count(".comment-body a"), 0, "javascript: is not a link");

    // Shown again after an error, the text stays text inside the textarea.
    let rejected = reader.post(&app, SLUG, &[("name", ""), ("body", body)]).await;
    let html = rejected.text().await.unwrap();
    assert!(!html.contains("</textarea><b>bold"));
    assert_eq!(Page::parse(&html).text("#comment-body").as_deref(), Some(body));
}

#[tokio::test]
async fn bare_links_are_linked_without_passing_reputation() {
    let app = app().await;
    post_mode(&app, SLUG).await;
    let mut reader = Reader::at("203.0.113.1");
    reader.post(&app, SLUG, &[("name", "L"), ("body", "See https://example.org/report.")]).await;
    let (_, html) = reader.page(&app, "/articles/council").await;
    let page = Page::parse(&html);
    assert_eq!(page.attr(".comment-body a", "href").as_deref(), Some("https://example.org/report"));
    assert_eq!(page.attr(".comment-body a", "rel").as_deref(), Some("nofollow ugc noopener"));
}

#[tokio::test]
async fn links_and_suspect_words_hold_banned_words_refuse() {
    let app = app().await;
    post_mode(&app, SLUG).await;
    store::add_words(&app.pool, WordListName::Suspect, &["miracle cure".into()]).await.unwrap();
    store::add_words(&app.pool, WordListName::Banned, &["scumbag".into()]).await.unwrap();
    let mut reader = Reader::at("203.0.113.1");
    reader.post(&app, SLUG, &[("name", "A"), ("body", "Try this MIRACLE   Cure today")]).await;
    reader.post(&app, SLUG, &[("name", "B"), ("body", "http://a.example http://b.example www.c.example")]).await;
    reader.post(&app, SLUG, &[("name", "C"), ("body", "two http://a.example and http://b.example are fine")]).await;
    let all = stored(&app).await;
    let held: Vec<_> =
        all.iter().map(|c| (c.status.as_str(), c.held_for.as_deref(), c.held_detail.as_deref())).collect();
    assert_eq!(
        held,
        [
            ("pending", Some("suspect_word"), Some("miracle cure")),
            ("pending", Some("links"), Some("3 links")),
            ("published", None, None)
        ]
    );
    // Another reader: every attempt counts against a reader's limit of five a minute.
    let mut reader = Reader::at("203.0.113.2");
    let refused = reader.post(&app, SLUG, &[("name", "D"), ("body", "You SCUMBAG.")]).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("Please remove “scumbag”: it is not allowed in comments here."));
    let refused_name = reader.post(&app, SLUG, &[("name", "Scumbag"), ("body", "hello")]).await;
    assert_eq!(refused_name.status(), 422);
    // Whole words only.
    assert_eq!(reader.post(&app, SLUG, &[("name", "E"), ("body", "scumbags? no: scumbagging")]).await.status(), 303);
    assert_eq!(stored(&app).await.len(), 4);
}

#[tokio::test]
async fn the_honeypot_drops_a_post_silently() {
    let app = app().await;
    let mut bot = Reader::at("203.0.113.66");
    let response =
        bot.post(&app, SLUG, &[("name", "Bot"), ("body", "cheap pills"), ("website", "http://spam.example")]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/articles/council?posted=pending#comments");
    assert!(stored(&app).await.is_empty());
}

#[tokio::test]
async fn closed_articles_refuse_comments_but_keep_the_list() {
    let app = app().await;
    post_mode(&app, SLUG).await;
    let mut reader = Reader::at("203.0.113.1");
    reader.post(&app, SLUG, &[("name", "A"), ("body", "before closing")]).await;
    assert!(store::set_article_comments(&app.pool, SLUG, None, true).await.unwrap());
    let response = reader.post(&app, SLUG, &[("name", "A"), ("body", "after closing")]).await;
    assert_eq!(response.status(), 403);
    assert!(response.text().await.unwrap().contains("Comments are closed."));
    assert_eq!(stored(&app).await.len(), 1);
    let (_, html) = reader.page(&app, "/articles/council").await;
    let page = Page::parse(&html);
    assert_eq!(page.text(".comments-closed").as_deref(), Some("Comments are closed."));
    assert_eq!(page.count("form.comment-form"), 0);
    assert_eq!(comment_texts(&html), ["before closing"]);
    assert_eq!(page.count(".comment-actions a[id$=-reply]"), 0, "no replies on a closed article");
}

#[tokio::test]
async fn the_site_mode_applies_unless_the_article_overrides_it() {
    let app = app().await;
    store::set_site_moderation(&app.pool, Moderation::Post).await.unwrap();
    let mut reader = Reader::at("203.0.113.1");
    reader.post(&app, SLUG, &[("name", "A"), ("body", "site says post")]).await;
    store::set_article_comments(&app.pool, SLUG, Some(Moderation::Pre), false).await.unwrap();
    reader.post(&app, SLUG, &[("name", "A"), ("body", "article says pre")]).await;
    let statuses: Vec<String> = stored(&app).await.into_iter().map(|c| c.status.as_str().to_owned()).collect();
    assert_eq!(statuses, ["published", "pending"]);
}

#[tokio::test]
async fn a_sixth_comment_in_a_minute_is_refused_with_the_text_kept() {
    let app = app().await;
    let mut reader = Reader::at("203.0.113.1");
    for i in 0..5 {
        let body = format!("comment {i}");
        assert_eq!(reader.post(&app, SLUG, &[("name", "A"), ("body", &body)]).await.status(), 303);
    }
    let response = reader.post(&app, SLUG, &[("name", "A"), ("body", "one too many")]).await;
    assert_eq!(response.status(), 429);
    let html = response.text().await.unwrap();
    assert!(html.contains("Please wait a few minutes and try again."));
    assert_eq!(Page::parse(&html).text("#comment-body").as_deref(), Some("one too many"));
    assert_eq!(stored(&app).await.len(), 5);
    // Another reader is not affected.
    assert_eq!(Reader::at("203.0.113.2").post(&app, SLUG, &[("name", "B"), ("body", "mine")]).await.status(), 303);
}

#[tokio::test]
async fn a_report_counts_once_per_reader() {
    let app = app().await;
    post_mode(&app, SLUG).await;
    let mut author = Reader::at("203.0.113.1");
    author.post(&app, SLUG, &[("name", "A"), ("body", "controversial")]).await;
    let id = stored(&app).await[0].id;
    let reporter = Reader::at("203.0.113.2");
    let first = reporter.report(&app, SLUG, id, &[("reason", "abuse")]).await;
    assert_eq!(first.status(), 303);
    assert_eq!(location(&first), format!("/articles/council?reported={id}#comment-{id}"));
    let again = reporter.report(&app, SLUG, id, &[("reason", "spam")]).await;
    assert_eq!(location(&again), format!("/articles/council?reported={id}&again=1#comment-{id}"));
    Reader::at("203.0.113.3").report(&app, SLUG, id, &[("reason", "other"), ("note", "Names a private person")]).await;
    assert_eq!(stored(&app).await[0].report_count, 2);
    let reports: Vec<(String, Option<String>)> =
        copydesk::db::query_as("SELECT reason, note FROM comment_reports ORDER BY id")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(reports, [("abuse".into(), None), ("other".into(), Some("Names a private person".into()))]);

    let (_, html) = reporter.page(&app, &format!("/articles/council?reported={id}&again=1")).await;
    assert_eq!(
        Page::parse(&html).text(&format!("#comment-{id} [role=status]")).as_deref(),
        Some("You have already reported this comment.")
    );
}

#[tokio::test]
async fn bad_reports_are_refused() {
    let app = app().await;
    post_mode(&app, SLUG).await;
    let mut author = Reader::at("203.0.113.1");
    author.post(&app, SLUG, &[("name", "A"), ("body", "fine")]).await;
    let id = stored(&app).await[0].id;
    let reporter = Reader::at("203.0.113.2");
    let no_reason = reporter.report(&app, SLUG, id, &[("reason", "")]).await;
    assert_eq!(no_reason.status(), 422);
    assert!(no_reason.text().await.unwrap().contains("Choose a reason."));
    let other_without_words = reporter.report(&app, SLUG, id, &[("reason", "other"), ("note", " ")]).await;
    assert_eq!(other_without_words.status(), 422);
    // Every attempt counts against a reader's limit of three a minute: another reader.
    let reporter = Reader::at("203.0.113.3");
    assert_eq!(reporter.report(&app, SLUG, 424242, &[("reason", "spam")]).await.status(), 404);
    assert_eq!(reporter.report(&app, OTHER, id, &[("reason", "spam")]).await.status(), 404);
    // Pending comments cannot be reported: nobody else can see them.
    store::set_article_comments(&app.pool, SLUG, Some(Moderation::Pre), false).await.unwrap();
    author.post(&app, SLUG, &[("name", "A"), ("body", "waiting")]).await;
    let pending = stored(&app).await[1].id;
    assert_eq!(reporter.report(&app, SLUG, pending, &[("reason", "spam")]).await.status(), 404);
    let count: i64 =
        copydesk::db::query_scalar("SELECT COUNT(*) FROM comment_reports").fetch_one(&app.pool).await.unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn a_fourth_report_in_a_minute_is_refused() {
    let app = app().await;
    post_mode(&app, SLUG).await;
    for (i, ip) in ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"].into_iter().enumerate() {
        let body = format!("comment {i}");
        Reader::at(ip).post(&app, SLUG, &[("name", "A"), ("body", &body)]).await;
    }
    let ids: Vec<i64> = stored(&app).await.iter().map(|c| c.id).collect();
    let reporter = Reader::at("198.51.100.1");
    for id in &ids[..3] {
        assert_eq!(reporter.report(&app, SLUG, *id, &[("reason", "spam")]).await.status(), 303);
    }
    let refused = reporter.report(&app, SLUG, ids[3], &[("reason", "spam")]).await;
    assert_eq!(refused.status(), 429);
    let api = app
        .call("/api/comments/report", json!({ "slug": SLUG, "comment": ids[3], "form": { "reason": "spam" } }))
        .header("x-forwarded-for", "198.51.100.1")
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 429);
    let count: i64 =
        copydesk::db::query_scalar("SELECT COUNT(*) FROM comment_reports").fetch_one(&app.pool).await.unwrap();
    assert_eq!(count, 3);
}

/// A published top-level comment by "Reader", stored directly.
fn comment(article_id: i64, body: String) -> store::Insert {
    store::Insert {
        article_id,
        parent: None,
        comment: copydesk::domain::comment::NewComment {
            name: "Reader".into(),
            email: None,
            body,
            parent: None,
            notify: false,
        },
        hold: None,
        client_hash: "test".into(),
        author_token: "test".into(),
        staff_id: None,
        confirm: None,
    }
}

#[tokio::test]
async fn comments_written_together_commit_together_and_one_bad_row_fails_alone() {
    let app = app().await;
    let article = store::article_settings(&app.pool, SLUG).await.unwrap().unwrap();
    let writer = store::CommentWriter::start(app.pool.clone());
    // 200 at once, one of them for an article that does not exist (a foreign key error).
    let tasks: Vec<_> = (0..200)
        .map(|i| {
            let writer = writer.clone();
            let new = comment(if i == 77 { 9_999 } else { article.article_id }, format!("together {i}"));
            tokio::spawn(async move { writer.insert(new).await })
        })
        .collect();
    let mut ids = Vec::new();
    for (i, task) in tasks.into_iter().enumerate() {
        match task.await.unwrap() {
            Ok((id, _)) => ids.push(id),
            Err(error) => assert_eq!(i, 77, "only the bad row fails: {error}"),
        }
    }
    assert_eq!(ids.len(), 199);
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 199, "every comment got its own id");
    let stored: i64 = copydesk::db::query_scalar("SELECT COUNT(*) FROM comments WHERE body LIKE 'together %'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, 199);
}

#[tokio::test]
async fn long_threads_are_paged_fifty_at_a_time_in_either_order() {
    let app = app().await;
    let article = store::article_settings(&app.pool, SLUG).await.unwrap().unwrap();
    for i in 1..=55 {
        store::insert(&app.pool, &comment(article.article_id, format!("comment {i}"))).await.unwrap();
    }
    let reader = Reader::at("203.0.113.1");
    let (_, first) = reader.page(&app, "/articles/council").await;
    let texts = comment_texts(&first);
    assert_eq!((texts.len(), texts[0].as_str(), texts[49].as_str()), (50, "comment 1", "comment 50"));
    let page = Page::parse(&first);
    assert_eq!(page.text("#comments-title").as_deref(), Some("Comments (55)"));
    assert_eq!(
        page.attr("nav[aria-label='More comments'] a[rel=next]", "href").as_deref(),
        Some("/articles/council?cpage=2#comments")
    );
    let (_, second) = reader.page(&app, "/articles/council?cpage=2").await;
    assert_eq!(comment_texts(&second), ["comment 51", "comment 52", "comment 53", "comment 54", "comment 55"]);

    let (_, newest) = reader.page(&app, "/articles/council?order=newest").await;
    let texts = comment_texts(&newest);
    assert_eq!((texts[0].as_str(), texts[49].as_str()), ("comment 55", "comment 6"));
    assert_eq!(
        Page::parse(&newest).attr(".comment-order a[aria-current=true]", "href").as_deref(),
        Some("/articles/council?order=newest#comments")
    );
    assert_eq!(reader.page(&app, "/articles/council?cpage=9").await.0, 404);
    assert_eq!(reader.page(&app, "/articles/council?cpage=zero").await.0, 404);
}

#[tokio::test]
async fn the_reply_and_report_links_open_their_forms_without_javascript() {
    let app = app().await;
    post_mode(&app, SLUG).await;
    let mut reader = Reader::at("203.0.113.1");
    reader.post(&app, SLUG, &[("name", "A"), ("body", "top")]).await;
    let id = stored(&app).await[0].id;
    let (_, html) = reader.page(&app, "/articles/council").await;
    let page = Page::parse(&html);
    let reply = page.attr(&format!("#comment-{id}-reply"), "href").unwrap();
    assert_eq!(reply, format!("/articles/council?reply={id}#comment-{id}"));
    let (_, open) = reader.page(&app, &reply).await;
    let page = Page::parse(&open);
    assert_eq!(
        page.attr(&format!("#comment-{id} form.comment-form input[name=parent]"), "value"),
        Some(id.to_string())
    );
    assert_eq!(page.attr(&format!("#comment-{id} form.comment-form"), "aria-label").as_deref(), Some("Reply to A"));
    let (_, report) = reader.page(&app, &format!("/articles/council?report={id}")).await;
    let page = Page::parse(&report);
    assert_eq!(
        page.attr(&format!("#comment-{id} form.report-form"), "action"),
        Some(format!("/articles/council/comments/{id}/report"))
    );
    assert_eq!(page.count(&format!("#comment-{id} form.report-form input[type=radio][name=reason]")), 4);
}
