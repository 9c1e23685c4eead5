//! The corrections loop past the first decision: a moderator turns a comment that points
//! out an error into a suggestion and, once it is fixed, answers under the comment in one
//! click; a suggestion whose quote a later revision changed says which, with its diff, and
//! is closed as already fixed with its reporter told; notices of every kind reach the story,
//! its JSON-LD, `/corrections` and the feed.

use copydesk::db::{self, query_as, query_scalar};
use copydesk::domain::comment::Moderation;
use copydesk::domain::staff::Role;
use serde_json::json;

use crate::support::desk::{add_staff, get, post, sign_in};
use crate::support::{TestApp, article, spawn_app_with};

const BODY: &str = "The fair opened in Shanghai on Monday. Traders came from Shanghai and beyond.";

async fn app() -> TestApp {
    let sources = [("a.md", article("fair", "Trade Fair Opens", "2026-11-01T00:00:00Z", &["Trade"], BODY))];
    let app = spawn_app_with(&sources, |config| config.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]).await;
    add_staff(&app).await;
    db::comments::set_site_moderation(&app.pool, Moderation::Post).await.unwrap();
    app
}

async fn text(response: reqwest::Response) -> String {
    response.text().await.unwrap()
}

/// A reader's suggestion through the widget's server function.
async fn suggest(app: &TestApp, quote: &str, suggested: &str, email: &str) -> i64 {
    let form = json!({ "quote": quote, "kind": "factual", "suggested": suggested, "email": email });
    let response = app.call("/api/corrections/suggest", json!({ "slug": "fair", "form": form })).send().await.unwrap();
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
    query_scalar("SELECT id FROM correction_groups WHERE suggested_text = $1")
        .bind(suggested)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_comment_becomes_a_suggestion_and_its_fix_is_answered_under_it_once() {
    let app = app().await;
    let posted = app
        .client
        .post(app.url("/articles/fair/comments"))
        .header("x-forwarded-for", "203.0.113.9")
        .form(&[("name", "Ada"), ("email", "ada@example.org"), ("body", "It was Samarkand, not Shanghai!")])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 303);
    let comment: i64 = query_scalar("SELECT id FROM comments").fetch_one(&app.pool).await.unwrap();
    let moderator = sign_in(&app, Role::Moderator).await;
    let page_path = format!("/staff/comments/{comment}/correction");

    // The queue links to the page; the page shows the comment and the article's text.
    let queue = text(get(&app, "/staff/comments?queue=approved", Some(&moderator)).await).await;
    assert!(queue.contains(&format!("href=\"{page_path}\"")), "{queue}");
    let page = text(get(&app, &page_path, Some(&moderator)).await).await;
    assert!(page.contains("It was Samarkand, not Shanghai!") && page.contains("Traders came from Shanghai"), "{page}");
    assert!(get(&app, &page_path, None).await.status().is_redirection(), "staff only");

    // A quote that stands twice, or not at all, is refused with the words kept.
    let form = |quote: &'static str| {
        [("quote", quote), ("kind", "factual"), ("suggested", "opened in Samarkand"), ("note", "From Ada's comment")]
    };
    let twice = post(&app, &page_path, Some(&moderator), &form("Shanghai")).await;
    assert_eq!(twice.status(), 422);
    let twice = text(twice).await;
    assert!(twice.contains("These words stand 2 times in the article"), "{twice}");
    assert!(twice.contains("opened in Samarkand"), "what was typed is kept");
    let missing = text(post(&app, &page_path, Some(&moderator), &form("opened in Paris")).await).await;
    assert!(missing.contains(copydesk::services::from_comments::QUOTE_MISSING));
    let none: i64 = query_scalar("SELECT COUNT(*) FROM correction_groups").fetch_one(&app.pool).await.unwrap();
    assert_eq!(none, 0);

    let made = post(&app, &page_path, Some(&moderator), &form("opened in Shanghai")).await;
    assert_eq!(made.status(), 303);
    let location = made.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/staff/corrections?done=from-comment#group-"), "{location}");
    let (group, linked, email): (i64, Option<i64>, Option<String>) =
        query_as("SELECT group_id, comment_id, email FROM correction_reports").fetch_one(&app.pool).await.unwrap();
    assert_eq!((linked, email), (Some(comment), None), "linked to the comment; the address stays with the comment");

    // The desk links the comment; nothing can be answered before the fix is published.
    let editor = sign_in(&app, Role::Editor).await;
    let desk = text(get(&app, "/staff/corrections", Some(&editor)).await).await;
    assert!(desk.contains(&format!("href=\"/articles/fair#comment-{comment}\"")), "{desk}");
    assert!(desk.contains("a comment by Ada"));
    let answer_path = format!("/staff/corrections/{group}/answer");
    let early = post(&app, &answer_path, Some(&editor), &[("comment", &comment.to_string())]).await;
    assert_eq!(early.status(), 422);

    let note = "An earlier version said the fair opened in Shanghai. It opened in Samarkand.";
    let applied = post(
        &app,
        &format!("/staff/corrections/{group}/apply"),
        Some(&editor),
        &[("replacement", "opened in Samarkand"), ("notice_kind", "correction"), ("note", note)],
    )
    .await;
    assert_eq!(applied.headers()["location"], "/staff/corrections?done=applied");
    let accepted = text(get(&app, "/staff/corrections?status=accepted", Some(&editor)).await).await;
    assert!(accepted.contains("Reply \u{201c}Corrected: An earlier version said"), "{accepted}");

    // Only the comment the suggestion came from; moderators cannot post for the desk.
    let other = post(&app, &answer_path, Some(&editor), &[("comment", "999")]).await;
    assert_eq!(other.status(), 404);
    let as_moderator = post(&app, &answer_path, Some(&moderator), &[("comment", &comment.to_string())]).await;
    assert_eq!(as_moderator.status(), 403);

    let answered = post(&app, &answer_path, Some(&editor), &[("comment", &comment.to_string())]).await;
    let back = format!("/staff/corrections?status=accepted&done=answered#group-{group}");
    assert_eq!(answered.headers()["location"], back.as_str());
    let again = post(&app, &answer_path, Some(&editor), &[("comment", &comment.to_string())]).await;
    let back = format!("/staff/corrections?status=accepted&done=answered-before#group-{group}");
    assert_eq!(again.headers()["location"], back.as_str());
    let replies: Vec<(i64, String, String, bool)> =
        query_as("SELECT id, body, status, staff_id IS NOT NULL FROM comments WHERE parent_id = $1")
            .bind(comment)
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(replies.len(), 1, "one click, one reply: {replies:?}");
    let (reply, body, status, by_staff) = &replies[0];
    assert_eq!((body.as_str(), status.as_str(), *by_staff), (format!("Corrected: {note}").as_str(), "published", true));
    let story = text(app.get("/articles/fair").await).await;
    assert!(story.contains(&format!("Corrected: {note}")), "the reply is on the story");
    let desk = text(get(&app, "/staff/corrections?status=accepted", Some(&editor)).await).await;
    assert!(desk.contains(&format!("href=\"/articles/fair#comment-{reply}\"")), "{desk}");
}

#[tokio::test]
async fn a_suggestion_whose_quote_a_later_revision_changed_is_closed_as_fixed_and_its_reporter_told() {
    let app = app().await;
    let changed = suggest(&app, "opened in Shanghai", "opened in Samarkand", "reader@example.org").await;
    let standing = suggest(&app, "Traders came", "Merchants came", "other@example.org").await;
    let editor = sign_in(&app, Role::Editor).await;
    let fixed_path = |group: i64| format!("/staff/corrections/{group}/fixed");

    // Nothing changed the quote yet: there is nothing to close as fixed.
    let early = post(&app, &fixed_path(changed), Some(&editor), &[]).await;
    assert_eq!(early.status(), 422);

    let body = BODY.replacen("opened in Shanghai", "opened in Samarkand", 1);
    let fields = [
        ("title", "Trade Fair Opens"),
        ("dek", "Dek of fair"),
        ("byline", "Test Writer"),
        ("topics", "Trade"),
        ("body", body.as_str()),
        ("summary", "The city"),
        ("base_revision", "1"),
    ];
    assert_eq!(post(&app, "/staff/articles/fair/edit", Some(&editor), &fields).await.status(), 303);

    let desk = text(get(&app, "/staff/corrections", Some(&editor)).await).await;
    assert!(desk.contains("Changed in revision 2"), "{desk}");
    assert!(desk.contains("by The editor"), "{desk}");
    assert!(
        desk.contains("<del>Shanghai</del>") && desk.contains("<ins>Samarkand</ins>"),
        "the revision's diff: {desk}"
    );
    assert!(desk.contains("Close as already fixed in revision 2"));
    assert_eq!(desk.matches("Changed in revision").count(), 1, "the other quote still stands");

    let closed = post(&app, &fixed_path(changed), Some(&editor), &[]).await;
    assert_eq!(closed.headers()["location"], "/staff/corrections?done=fixed");
    let (status, fixed, note): (String, Option<i64>, Option<String>) =
        query_as("SELECT status, fixed_revision, decision_note FROM correction_groups WHERE id = $1")
            .bind(changed)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((status.as_str(), fixed, note.as_deref()), ("accepted", Some(2), Some("Already fixed in revision 2.")));
    let told: Vec<(String, String)> =
        query_as("SELECT recipient, kind FROM outbox ORDER BY id").fetch_all(&app.pool).await.unwrap();
    assert_eq!(told, [("reader@example.org".to_owned(), "correction_already_fixed".to_owned())]);
    // Closing it twice does nothing more; the standing one cannot be closed as fixed.
    let twice = post(&app, &fixed_path(changed), Some(&editor), &[]).await;
    assert_eq!(twice.headers()["location"], "/staff/corrections?done=taken");
    assert_eq!(post(&app, &fixed_path(standing), Some(&editor), &[]).await.status(), 422);
    let notices: i64 = query_scalar("SELECT COUNT(*) FROM correction_notices").fetch_one(&app.pool).await.unwrap();
    assert_eq!(notices, 0, "closing as fixed publishes no notice");
}

#[tokio::test]
async fn every_notice_kind_reaches_the_story_its_json_ld_the_corrections_page_and_the_feed() {
    let app = app().await;
    let editor = sign_in(&app, Role::Editor).await;
    for (quote, kind, note) in [
        ("opened in Shanghai", "editors_note", "This story was written with the organisers' help."),
        ("Traders came", "update", "Attendance figures were added on Tuesday."),
    ] {
        let group = suggest(&app, quote, &format!("{quote}!"), "").await;
        let accepted = post(
            &app,
            &format!("/staff/corrections/{group}/accept"),
            Some(&editor),
            &[("notice_kind", kind), ("note", note)],
        )
        .await;
        assert_eq!(accepted.headers()["location"], "/staff/corrections?done=accepted");
    }
    let story = text(app.get("/articles/fair").await).await;
    assert!(story.contains("Editor\u{2019}s note, ") && story.contains("Update, "), "{story}");
    assert!(story.contains("\"name\":\"Editor\u{2019}s note\"") && story.contains("\"name\":\"Update\""), "{story}");
    let list = text(app.get("/corrections").await).await;
    assert!(list.contains("Editor\u{2019}s note, ") && list.contains("Update, "), "{list}");
    let feed = text(app.get("/corrections.xml").await).await;
    assert!(feed.contains("<category term=\"editors_note\" label=\"Editor\u{2019}s note\"/>"), "{feed}");
    assert!(feed.contains("<title>Update: Trade Fair Opens</title>"), "{feed}");
}

/// A comment posted through the plain form (published at once on this site); its id.
async fn comment(app: &TestApp, body: &str, parent: Option<i64>) -> i64 {
    let parent = parent.map(|p| p.to_string()).unwrap_or_default();
    let posted = app
        .client
        .post(app.url("/articles/fair/comments"))
        .header("x-forwarded-for", "203.0.113.10")
        .form(&[("name", "Ben"), ("body", body), ("parent", &parent)])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 303, "{:?}", posted.text().await);
    query_scalar("SELECT id FROM comments WHERE body = $1").bind(body).fetch_one(&app.pool).await.unwrap()
}

#[tokio::test]
async fn the_answer_joins_the_thread_top_under_the_deepest_reply_and_never_goes_under_a_hidden_comment() {
    let app = app().await;
    let root = comment(&app, "Great fair.", None).await;
    let middle = comment(&app, "Was it, though?", Some(root)).await;
    let deepest = comment(&app, "It was in Samarkand, in fact.", Some(middle)).await;
    let hidden = comment(&app, "Not Shanghai at all.", None).await;
    let (moderator, editor) = (sign_in(&app, Role::Moderator).await, sign_in(&app, Role::Editor).await);
    for (id, quote) in [(deepest, "opened in Shanghai"), (hidden, "Traders came from Shanghai")] {
        let form = [("quote", quote), ("kind", "factual"), ("suggested", "Samarkand")];
        let made = post(&app, &format!("/staff/comments/{id}/correction"), Some(&moderator), &form).await;
        assert_eq!(made.status(), 303);
    }
    let rejected =
        post(&app, "/staff/comments/moderate", Some(&moderator), &[("one", &format!("reject:{hidden}"))]).await;
    assert_eq!(rejected.status(), 303);
    let groups: Vec<(i64, i64)> =
        query_as("SELECT group_id, comment_id FROM correction_reports ORDER BY id").fetch_all(&app.pool).await.unwrap();
    for (group, _) in &groups {
        let accept = [("notice_kind", "correction"), ("note", "The fair opened in Samarkand.")];
        post(&app, &format!("/staff/corrections/{group}/accept"), Some(&editor), &accept).await;
    }
    let answer = |group: i64, comment: i64| {
        let (app, editor) = (&app, &editor);
        async move {
            post(app, &format!("/staff/corrections/{group}/answer"), Some(editor), &[("comment", &comment.to_string())])
                .await
        }
    };
    assert_eq!(answer(groups[0].0, deepest).await.status(), 303);
    let parent: Option<i64> = query_scalar("SELECT parent_id FROM comments WHERE body LIKE 'Corrected:%'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(parent, Some(root), "replies nest three levels: the answer joins the thread's top");
    let refused = answer(groups[1].0, hidden).await;
    assert_eq!(refused.status(), 422, "a rejected comment gets no visible answer");
    let answers: i64 =
        query_scalar("SELECT COUNT(*) FROM comments WHERE body LIKE 'Corrected:%'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(answers, 1);
}
