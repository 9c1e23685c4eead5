//! A site with one article and one staff member of each role, and requests as them.

use copydesk::db;
use copydesk::domain::staff::Role;

use super::{TestApp, article, spawn_app_with};

pub const PASSWORD: &str = "a long enough password";

pub async fn app() -> TestApp {
    app_with(|_| {}).await
}

/// Like `app`, with a chance to change the configuration first.
pub async fn app_with(configure: impl FnOnce(&mut copydesk::config::Config)) -> TestApp {
    let sources =
        [("a.md", article("council", "Council Meets", "2026-11-01T00:00:00Z", &["City Hall"], "The council met."))];
    let app = spawn_app_with(&sources, |config| {
        config.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
        configure(config);
    })
    .await;
    add_staff(&app).await;
    app
}

/// One staff member of each role, `ROLE@desk.example` with `PASSWORD`.
pub async fn add_staff(app: &TestApp) {
    let hash = copydesk::services::staff::hash_password(PASSWORD).unwrap();
    for role in Role::ALL {
        let email = format!("{}@desk.example", role.as_str());
        db::staff::create(&app.pool, &email, &format!("The {}", role.as_str()), role, &hash).await.unwrap().unwrap();
    }
}

/// Signs in and returns the session cookie (`name=value`).
pub async fn sign_in(app: &TestApp, role: Role) -> String {
    let response = app
        .client
        .post(app.url("/staff/login"))
        .form(&[
            ("email", format!("{}@desk.example", role.as_str()).as_str()),
            ("password", PASSWORD),
            ("next", "/staff"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303, "sign-in as {role:?}");
    let cookie = response.headers().get("set-cookie").unwrap().to_str().unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    cookie.split(';').next().unwrap().to_owned()
}

pub async fn get(app: &TestApp, path: &str, cookie: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

pub async fn post(app: &TestApp, path: &str, cookie: Option<&str>, fields: &[(&str, &str)]) -> reqwest::Response {
    let mut request = if path.starts_with("/api/") {
        let args: serde_json::Map<String, serde_json::Value> =
            fields.iter().map(|(k, v)| (k.to_string(), serde_json::Value::from(*v))).collect();
        app.call(path, args.into())
    } else {
        app.client.post(app.url(path)).form(fields)
    };
    // As a browser sends it from the site's own page.
    request = request.header("origin", &app.base);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}
