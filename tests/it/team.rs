//! Staff on the web: admins manage the team at `/staff/team`; every member changes their
//! own password and ends their own sessions at `/staff/account`. Every change is audited;
//! the last admin can be neither demoted nor removed.

use copydesk::domain::staff::Role;

use crate::support::Page;
use crate::support::desk::{PASSWORD, app, get, post, sign_in};

async fn audit_actions(app: &crate::support::TestApp) -> Vec<String> {
    copydesk::db::query_scalar("SELECT action FROM audit_log ORDER BY id").fetch_all(&app.pool).await.unwrap()
}

async fn sign_in_as(app: &crate::support::TestApp, email: &str, password: &str) -> Option<String> {
    let response = app
        .client
        .post(app.url("/staff/login"))
        .form(&[("email", email), ("password", password), ("next", "/staff")])
        .send()
        .await
        .unwrap();
    (response.status() == 303)
        .then(|| response.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned())
}

#[tokio::test]
async fn admins_add_members_change_roles_and_remove_them() {
    let app = app().await;
    let admin = sign_in(&app, Role::Admin).await;

    let page = get(&app, "/staff/team", Some(&admin)).await;
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-store");
    let html = Page::parse(&page.text().await.unwrap());
    assert_eq!(html.count("tbody tr"), 3, "the three members");
    assert!(html.texts("tbody td").iter().any(|t| t == "Never"), "members who never signed in say so");

    // Bad input: a clear message, nothing stored, the password not written back.
    for (fields, message) in [
        (vec![("name", "Nadia Roy"), ("email", "nadia@desk.example"), ("role", "editor"), ("password", "short")], "12"),
        (vec![("name", "Nadia Roy"), ("email", "not an email"), ("role", "editor"), ("password", PASSWORD)], "email"),
        (
            vec![("name", "Nadia Roy"), ("email", "nadia@desk.example"), ("role", "owner"), ("password", PASSWORD)],
            "Choose a role",
        ),
        (
            vec![("name", "Someone"), ("email", "editor@desk.example"), ("role", "editor"), ("password", PASSWORD)],
            "exists already",
        ),
    ] {
        let refused = post(&app, "/staff/team", Some(&admin), &fields).await;
        assert_eq!(refused.status(), 422, "{fields:?}");
        let text = refused.text().await.unwrap();
        assert!(text.contains(message), "{message}: {fields:?}");
        assert!(!text.contains(PASSWORD), "the password is not echoed");
        let html = Page::parse(&text);
        assert_eq!(html.attr("#member-name", "value").as_deref(), Some(fields[0].1), "the form keeps its fields");
    }
    assert_eq!(copydesk::services::staff::accounts(&app.pool).await.unwrap().len(), 3);

    let added = post(
        &app,
        "/staff/team",
        Some(&admin),
        &[("name", "Nadia <Roy>"), ("email", "Nadia@Desk.Example"), ("role", "editor"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(added.status(), 303);
    assert_eq!(added.headers()["location"], "/staff/team?added=1");
    let nadia = sign_in_as(&app, "nadia@desk.example", PASSWORD).await.expect("the new member signs in");
    assert_eq!(get(&app, "/staff/articles", Some(&nadia)).await.status(), 200, "as an editor");
    let html = get(&app, "/staff/team", Some(&admin)).await.text().await.unwrap();
    assert!(html.contains("Nadia &lt;Roy&gt;"), "names are escaped");

    let demoted =
        post(&app, "/staff/team/role", Some(&admin), &[("email", "nadia@desk.example"), ("role", "moderator")]).await;
    assert_eq!(demoted.headers()["location"], "/staff/team?saved=1");
    assert_eq!(get(&app, "/staff/articles", Some(&nadia)).await.status(), 403, "a moderator now");

    let removed = post(&app, "/staff/team/remove", Some(&admin), &[("email", "nadia@desk.example")]).await;
    assert_eq!(removed.headers()["location"], "/staff/team?removed=1");
    assert_ne!(get(&app, "/staff", Some(&nadia)).await.status(), 200, "a removed member's session ends");

    let actions = audit_actions(&app).await;
    for action in ["added account", "changed role", "removed account"] {
        assert!(actions.iter().any(|a| a == action), "{action} is audited: {actions:?}");
    }
}

#[tokio::test]
async fn the_last_admin_is_neither_demoted_nor_removed() {
    let app = app().await;
    let admin = sign_in(&app, Role::Admin).await;
    for (path, fields) in [
        ("/staff/team/role", vec![("email", "admin@desk.example"), ("role", "editor")]),
        ("/staff/team/remove", vec![("email", "admin@desk.example")]),
    ] {
        let refused = post(&app, path, Some(&admin), &fields).await;
        assert_eq!(refused.headers()["location"], "/staff/team?refused=last-admin", "{path}");
    }
    let page = get(&app, "/staff/team?refused=last-admin", Some(&admin)).await.text().await.unwrap();
    assert!(page.contains("The site needs at least one admin"));
    let admins = copydesk::services::staff::accounts(&app.pool).await.unwrap();
    assert!(admins.iter().any(|m| m.email == "admin@desk.example" && m.role == Role::Admin));

    // With a second admin, the first may step down.
    post(&app, "/staff/team/role", Some(&admin), &[("email", "editor@desk.example"), ("role", "admin")]).await;
    let stepped =
        post(&app, "/staff/team/role", Some(&admin), &[("email", "admin@desk.example"), ("role", "editor")]).await;
    assert_eq!(stepped.headers()["location"], "/staff/team?saved=1");
    // The command line keeps the same rule.
    let refused = copydesk::services::staff::remove_account(&app.pool, None, "editor@desk.example").await;
    assert!(refused.unwrap_err().field("last_admin").is_some());
}

#[tokio::test]
async fn only_admins_manage_the_team_and_only_from_the_site() {
    let app = app().await;
    for role in [Role::Moderator, Role::Editor] {
        let cookie = sign_in(&app, role).await;
        assert_eq!(get(&app, "/staff/team", Some(&cookie)).await.status(), 403, "{role:?}");
        let refused =
            post(&app, "/staff/team/role", Some(&cookie), &[("email", "admin@desk.example"), ("role", "moderator")])
                .await;
        assert_eq!(refused.status(), 403, "{role:?}");
    }
    assert_eq!(get(&app, "/staff/team", None).await.status(), 302, "anonymous: to sign-in");
    let admin = sign_in(&app, Role::Admin).await;
    let forged = app
        .client
        .post(app.url("/staff/team/remove"))
        .header("cookie", &admin)
        .header("origin", "https://evil.example")
        .form(&[("email", "editor@desk.example")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert_eq!(copydesk::services::staff::accounts(&app.pool).await.unwrap().len(), 3);
}

#[tokio::test]
async fn members_change_their_own_password_and_end_their_other_sessions() {
    let app = app().await;
    let here = sign_in(&app, Role::Moderator).await;
    let elsewhere = sign_in(&app, Role::Moderator).await;

    let page = Page::parse(&get(&app, "/staff/account", Some(&here)).await.text().await.unwrap());
    assert_eq!(page.count("tbody tr"), 2, "both sessions are listed");
    assert_eq!(page.texts("tbody td span"), ["This browser"]);

    for (current, new, field_text) in [
        ("not my password at all", "a brand new password", "not your current password"),
        (PASSWORD, "short", "at least 12"),
    ] {
        let refused =
            post(&app, "/staff/account/password", Some(&here), &[("current_password", current), ("new_password", new)])
                .await;
        assert_eq!(refused.status(), 422);
        let text = refused.text().await.unwrap();
        assert!(text.contains(field_text), "{field_text}");
        assert!(!text.contains(current) && !text.contains(new), "no password is written back");
    }
    assert!(sign_in_as(&app, "moderator@desk.example", PASSWORD).await.is_some(), "nothing changed");
    let elsewhere_again = get(&app, "/staff", Some(&elsewhere)).await;
    assert_eq!(elsewhere_again.status(), 200);

    let changed = post(
        &app,
        "/staff/account/password",
        Some(&here),
        &[("current_password", PASSWORD), ("new_password", "a brand new password")],
    )
    .await;
    assert_eq!(changed.status(), 303);
    // The two from before and the one made by the check above end; this one stays.
    assert_eq!(changed.headers()["location"], "/staff/account?password=changed&ended=2");
    assert_eq!(get(&app, "/staff", Some(&here)).await.status(), 200, "this browser stays signed in");
    assert_eq!(get(&app, "/staff", Some(&elsewhere)).await.status(), 302, "the other is signed out");
    assert!(sign_in_as(&app, "moderator@desk.example", PASSWORD).await.is_none(), "the old password is gone");
    let third = sign_in_as(&app, "moderator@desk.example", "a brand new password").await.expect("the new one works");

    // Ending another session of one's own; never someone else's.
    let page = Page::parse(&get(&app, "/staff/account", Some(&here)).await.text().await.unwrap());
    let other = page.attr("input[name=session]", "value").expect("the other session has a Sign out button");
    let editor = sign_in(&app, Role::Editor).await;
    let not_theirs = post(&app, "/staff/account/sessions/end", Some(&editor), &[("session", other.as_str())]).await;
    assert_eq!(not_theirs.status(), 404);
    assert_eq!(get(&app, "/staff", Some(&third)).await.status(), 200);
    let ended = post(&app, "/staff/account/sessions/end", Some(&here), &[("session", other.as_str())]).await;
    assert_eq!(ended.headers()["location"], "/staff/account?ended=1");
    assert_eq!(get(&app, "/staff", Some(&third)).await.status(), 302);

    let actions = audit_actions(&app).await;
    assert!(actions.iter().any(|a| a == "changed own password") && actions.iter().any(|a| a == "ended a session"));
}

#[tokio::test]
async fn the_team_page_shows_when_each_member_last_signed_in() {
    let app = app().await;
    let admin = sign_in(&app, Role::Admin).await;
    let html = Page::parse(&get(&app, "/staff/team", Some(&admin)).await.text().await.unwrap());
    let rows = html.texts("tbody tr");
    let admin_row = rows.iter().find(|r| r.contains("admin@desk.example")).unwrap();
    assert!(!admin_row.contains("Never"), "{admin_row}");
    assert!(rows.iter().filter(|r| r.contains("Never")).count() == 2, "{rows:?}");
}

/// Role changes read the admins, then write: with readers' comments being written at the
/// same moment they still go through (SQLite: the write lock is taken before the read, so
/// a comment committed in between cannot make the change fail as busy).
#[tokio::test]
async fn role_changes_go_through_while_comments_are_written() {
    let app = app().await;
    let admin = sign_in(&app, Role::Admin).await;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (client, url, origin, stop) =
                (app.client.clone(), app.url("/articles/council/comments"), app.base.clone(), stop.clone());
            tokio::spawn(async move {
                let mut n = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    n += 1;
                    let body = format!("comment {w}-{n}");
                    let _ = client
                        .post(&url)
                        .header("origin", &origin)
                        .header("x-forwarded-for", format!("10.5.{w}.{}", n % 250))
                        .form(&[("name", "Reader"), ("body", body.as_str())])
                        .send()
                        .await;
                }
            })
        })
        .collect();
    for round in 0..30 {
        let role = if round % 2 == 0 { "editor" } else { "moderator" };
        let changed =
            post(&app, "/staff/team/role", Some(&admin), &[("email", "moderator@desk.example"), ("role", role)]).await;
        assert_eq!(changed.status(), 303, "round {round}");
        assert_eq!(changed.headers()["location"], "/staff/team?saved=1");
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for writer in writers {
        writer.await.unwrap();
    }
}
