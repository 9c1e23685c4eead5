//! The optional second sign-in step (TOTP, RFC 6238) with recovery codes, and the site's
//! rule that admins and editors must use it. Codes are computed here from the secret the
//! account page shows, as an authenticator app would.

use copydesk::domain::staff::Role;
use copydesk::domain::totp::code_at;

use crate::support::Page;
use crate::support::TestApp;
use crate::support::desk::{PASSWORD, app, get, post, sign_in};

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Turns the second step on for the signed-in member; returns the secret, the codes and
/// the time whose code turned it on.
async fn enable(app: &TestApp, cookie: &str) -> (String, Vec<String>, i64) {
    let page = Page::parse(&get(app, "/staff/account", Some(cookie)).await.text().await.unwrap());
    let secret = page.attr("input[name=secret]", "value").expect("a key to set up");
    assert_eq!(page.text(".totp-secret").as_deref(), Some(secret.as_str()));
    assert!(page.text(".totp-uri").unwrap().starts_with("otpauth://totp/Copydesk:"));

    let wrong = post(app, "/staff/account/two-step", Some(cookie), &[("secret", &secret), ("code", "000000")]).await;
    assert_eq!(wrong.status(), 422);
    let again = Page::parse(&wrong.text().await.unwrap());
    assert!(again.text("#totp-code-error").unwrap().contains("not right"));
    assert_eq!(again.attr("input[name=secret]", "value").as_deref(), Some(secret.as_str()), "the same key to retry");

    let at = now();
    let code = code_at(&secret, at).unwrap();
    let on = post(app, "/staff/account/two-step", Some(cookie), &[("secret", &secret), ("code", &code)]).await;
    assert_eq!(on.status(), 200);
    let codes = Page::parse(&on.text().await.unwrap()).texts(".recovery-codes li");
    assert_eq!(codes.len(), 10);
    (secret, codes, at)
}

/// Posts email and password; returns the pending token of the code form.
async fn password_step(app: &TestApp, email: &str) -> String {
    let response = app
        .client
        .post(app.url("/staff/login"))
        .form(&[("email", email), ("password", PASSWORD), ("next", "/staff/articles")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "the code form, not a session");
    assert!(response.headers().get("set-cookie").is_none());
    let page = Page::parse(&response.text().await.unwrap());
    page.attr("input[name=token]", "value").expect("the code form carries a token")
}

async fn code_step(app: &TestApp, token: &str, code: &str) -> reqwest::Response {
    app.client
        .post(app.url("/staff/login/code"))
        .form(&[("token", token), ("code", code), ("next", "/staff/articles")])
        .send()
        .await
        .unwrap()
}

fn cookie_of(response: &reqwest::Response) -> String {
    response.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned()
}

#[tokio::test]
async fn a_member_with_the_second_step_signs_in_with_a_code_or_a_recovery_code() {
    let app = app().await;
    let cookie = sign_in(&app, Role::Editor).await;
    let (secret, codes, at) = enable(&app, &cookie).await;
    let account = Page::parse(&get(&app, "/staff/account", Some(&cookie)).await.text().await.unwrap());
    assert!(account.texts("p").iter().any(|p| p.contains("10 recovery codes left")));

    // The code used to turn it on is not accepted again; the next step's is.
    let token = password_step(&app, "editor@desk.example").await;
    let refused = code_step(&app, &token, &code_at(&secret, at).unwrap()).await;
    assert_eq!(refused.status(), 401);
    assert!(refused.text().await.unwrap().contains("That code is not right"));
    let next = code_at(&secret, at + 30).unwrap();
    let signed_in = code_step(&app, &token, &next).await;
    assert_eq!(signed_in.status(), 303);
    assert_eq!(signed_in.headers()["location"], "/staff/articles");
    assert_eq!(get(&app, "/staff/articles", Some(&cookie_of(&signed_in))).await.status(), 200);
    // The token is spent, and so is that code.
    assert!(code_step(&app, &token, &next).await.text().await.unwrap().contains("expired"));
    let token = password_step(&app, "editor@desk.example").await;
    assert_eq!(code_step(&app, &token, &next).await.status(), 401, "a code works once");

    // A recovery code, typed loosely, works once.
    let loose = codes[0].to_uppercase().replace('-', " ");
    let recovered = code_step(&app, &token, &loose).await;
    assert_eq!(recovered.status(), 303);
    let token = password_step(&app, "editor@desk.example").await;
    assert_eq!(code_step(&app, &token, &codes[0]).await.status(), 401);

    // Guessing ends the pending sign-in: the password must be given again.
    for _ in 0..5 {
        assert_eq!(code_step(&app, &token, "123456").await.status(), 401);
    }
    let ended = code_step(&app, &token, &codes[1]).await;
    assert!(ended.text().await.unwrap().contains("expired"), "the sixth try is refused whatever the code");
    let bogus = code_step(&app, "not-a-token", &codes[1]).await;
    assert!(bogus.text().await.unwrap().contains("expired"));

    let actions: Vec<String> =
        copydesk::db::query_scalar("SELECT detail FROM audit_log WHERE action = 'signed in' ORDER BY id")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert!(actions.iter().any(|d| d == "with a code") && actions.iter().any(|d| d == "with a recovery code"));
}

#[tokio::test]
async fn turning_the_second_step_off_needs_the_password() {
    let app = app().await;
    let cookie = sign_in(&app, Role::Moderator).await;
    enable(&app, &cookie).await;
    let wrong = post(&app, "/staff/account/two-step/off", Some(&cookie), &[("off_password", "not my password")]).await;
    assert_eq!(wrong.status(), 422);
    assert!(wrong.text().await.unwrap().contains("not your current password"));
    let off = post(&app, "/staff/account/two-step/off", Some(&cookie), &[("off_password", PASSWORD)]).await;
    assert_eq!(off.headers()["location"], "/staff/account?two_step=off");
    sign_in(&app, Role::Moderator).await; // the password alone again
}

#[tokio::test]
async fn when_the_site_requires_it_admins_and_editors_set_it_up_before_anything_else() {
    let app = app().await;
    let admin = sign_in(&app, Role::Admin).await;
    let editor = sign_in(&app, Role::Editor).await;
    let moderator = sign_in(&app, Role::Moderator).await;
    let set = post(&app, "/staff/settings/two-step", Some(&admin), &[("required", "1")]).await;
    assert_eq!(set.status(), 303);

    let sent = get(&app, "/staff/articles", Some(&editor)).await;
    assert_eq!(sent.status(), 302);
    assert_eq!(sent.headers()["location"], "/staff/account?setup=required#two-step");
    let blocked = post(&app, "/staff/articles/council/unpublish", Some(&editor), &[]).await;
    assert_eq!(blocked.status(), 403, "no desk action either");
    assert_eq!(get(&app, "/staff/account?setup=required", Some(&editor)).await.status(), 200);
    assert_eq!(get(&app, "/staff/comments", Some(&moderator)).await.status(), 200, "moderators are not asked");
    assert_eq!(get(&app, "/staff/settings", Some(&admin)).await.status(), 302, "nor is the admin spared");

    enable(&app, &editor).await;
    assert_eq!(get(&app, "/staff/articles", Some(&editor)).await.status(), 200);
    let kept = post(&app, "/staff/account/two-step/off", Some(&editor), &[("off_password", PASSWORD)]).await;
    assert_eq!(kept.status(), 422);
    assert!(kept.text().await.unwrap().contains("requires the second step"));

    enable(&app, &admin).await;
    let page = Page::parse(&get(&app, "/staff/settings", Some(&admin)).await.text().await.unwrap());
    assert!(page.attr("#require-two-step", "checked").is_some());
    let actions: Vec<String> =
        copydesk::db::query_scalar("SELECT action FROM audit_log ORDER BY id").fetch_all(&app.pool).await.unwrap();
    assert!(actions.iter().any(|a| a == "required a second sign-in step"));
    assert!(actions.iter().any(|a| a == "turned on the second sign-in step"));
}
