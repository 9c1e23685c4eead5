//! Photo files in an S3-compatible bucket (`COPYDESK_MEDIA_STORE=s3://…`), against a real
//! S3-protocol server: moto's (`moto_server`, from PyPI), which `./dev.sh test` installs and
//! names in `COPYDESK_TEST_S3_SERVER`. Uploads, imports, serving, deleting, and a bucket
//! that stops answering; on SQLite and PostgreSQL.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use object_store::ObjectStore;
use object_store::aws::AmazonS3Builder;
use object_store::path::Path;

use crate::support::process::{Server, free_port, run, serve_with, write_article};

const PASSWORD: &str = "a long enough password";
const BUCKET: &str = "newsroom-photos";
const PREFIX: &str = "copydesk";

/// A running moto server; stopped when dropped.
struct S3Server {
    child: Child,
    endpoint: String,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts moto on a free port with the test's bucket, or `None` (said on stderr) when the
/// suite was not given one.
async fn s3_server() -> Option<S3Server> {
    let Some(program) = std::env::var("COPYDESK_TEST_S3_SERVER").ok().filter(|p| !p.is_empty()) else {
        eprintln!("COPYDESK_TEST_S3_SERVER is not set: the bucket tests are skipped (./dev.sh test sets it)");
        return None;
    };
    let port = free_port();
    let child = Command::new(program)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("moto_server starts");
    let server = S3Server { child, endpoint: format!("http://127.0.0.1:{port}") };
    let client = reqwest::Client::new();
    let started = Instant::now();
    loop {
        // Creating the bucket is also the readiness check (moto does not check signatures).
        if let Ok(made) = client.put(format!("{}/{BUCKET}", server.endpoint)).send().await
            && made.status().is_success()
        {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "moto_server did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Some(server)
}

fn environment(s3: &S3Server) -> Vec<(&'static str, String)> {
    vec![
        ("COPYDESK_MEDIA_STORE", format!("s3://{BUCKET}/{PREFIX}")),
        ("AWS_ACCESS_KEY_ID", "copydesk-test".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", "copydesk-test-secret".to_owned()),
        ("AWS_REGION", "eu-west-1".to_owned()),
        ("AWS_ENDPOINT", s3.endpoint.clone()),
        ("AWS_ALLOW_HTTP", "true".to_owned()),
    ]
}

/// What the bucket holds under `name`, read with the S3 protocol as any client would.
async fn object(s3: &S3Server, name: &str) -> Option<Vec<u8>> {
    let store = AmazonS3Builder::new()
        .with_bucket_name(BUCKET)
        .with_region("eu-west-1")
        .with_access_key_id("copydesk-test")
        .with_secret_access_key("copydesk-test-secret")
        .with_endpoint(&s3.endpoint)
        .with_allow_http(true)
        .build()
        .unwrap();
    match store.get(&Path::from(format!("{PREFIX}/{name}"))).await {
        Ok(found) => Some(found.bytes().await.unwrap().to_vec()),
        Err(object_store::Error::NotFound { .. }) => None,
        Err(error) => panic!("{error}"),
    }
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 200) as u8, (y % 150) as u8, 90]))
        .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    bytes
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn sign_in(server: &Server) -> String {
    let response = client()
        .post(server.url("/staff/login"))
        .form(&[("email", "desk@example.org"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303, "signed in");
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    cookie.split(';').next().unwrap().to_owned()
}

async fn upload(server: &Server, cookie: &str, alt: &str) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(png(800, 600)).file_name("quay.png").mime_str("image/png").unwrap();
    client()
        .post(server.url("/staff/media"))
        .header("cookie", cookie)
        .header("origin", &server.base)
        .multipart(reqwest::multipart::Form::new().part("file", part).text("alt", alt.to_owned()))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn photo_files_live_in_the_bucket_and_leave_it_with_their_photo() {
    let Some(s3) = s3_server().await else { return };
    let env = environment(&s3);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let dir = tempfile::tempdir().unwrap();
    let url = crate::support::fresh_database(dir.path());
    run(dir.path(), &url, &["migrate"], &[]);
    run(
        dir.path(),
        &url,
        &["staff", "add", "--email", "desk@example.org", "--name", "Desk Editor", "--role", "admin"],
        &[("COPYDESK_PASSWORD", PASSWORD)],
    );
    // `copydesk import` puts a front matter image's files in the bucket too.
    std::fs::write(dir.path().join("harbour.png"), png(1000, 700)).unwrap();
    let story = write_article(dir.path(), "harbour", "Harbour Reopens", "The harbour reopened at dawn.");
    let text = std::fs::read_to_string(&story).unwrap().replacen(
        "---\n",
        "---\nimage: harbour.png\nimage_alt: The harbour at dawn\n",
        1,
    );
    std::fs::write(&story, text).unwrap();
    run(dir.path(), &url, &["import", story.to_str().unwrap()], &env);

    let server = serve_with(dir.path(), &url, "/", &env).await;
    let pool = copydesk::db::connect(&url).await.unwrap();
    let cookie = sign_in(&server).await;
    assert_eq!(upload(&server, &cookie, "Boats on the quay").await.status(), 303);

    // Every row names the bucket and keeps no bytes; every file is there, as served.
    let rows: Vec<(i64, String, String, String, i64)> = copydesk::db::query_as(
        "SELECT media_id, hash, format, stored, CAST(length(bytes) AS BIGINT) FROM media_variants ORDER BY media_id, kind, width",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(rows.iter().map(|r| r.0).collect::<std::collections::BTreeSet<_>>().len(), 2, "two photos");
    for (_, hash, format, stored, length) in &rows {
        assert_eq!((stored.as_str(), *length), ("bucket", 0), "{hash}");
        let extension = if format == "webp" { "webp" } else { "jpg" };
        let name = format!("{hash}.{extension}");
        let in_bucket = object(&s3, &name).await.unwrap_or_else(|| panic!("{name} is not in the bucket"));
        let served = client().get(server.url(&format!("/media/{name}"))).send().await.unwrap();
        assert_eq!(served.status(), 200, "{name}");
        assert_eq!(served.bytes().await.unwrap().to_vec(), in_bucket, "{name}: the bucket's bytes");
    }
    let page = client().get(server.url("/articles/harbour")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("alt=\"The harbour at dawn\""), "the imported story shows its lead image");

    // Deleting the photo removes its files from the bucket, and its addresses answer 404.
    let uploaded: i64 = copydesk::db::query_scalar("SELECT MAX(id) FROM media").fetch_one(&pool).await.unwrap();
    let its: Vec<&(i64, String, String, String, i64)> = rows.iter().filter(|r| r.0 == uploaded).collect();
    let deleted = client()
        .post(server.url(&format!("/staff/media/{uploaded}/delete")))
        .header("cookie", &cookie)
        .header("origin", &server.base)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 303);
    for (_, hash, format, ..) in its {
        let name = format!("{hash}.{}", if format == "webp" { "webp" } else { "jpg" });
        assert_eq!(object(&s3, &name).await, None, "{name} left the bucket");
        assert_eq!(client().get(server.url(&format!("/media/{name}"))).send().await.unwrap().status(), 404);
    }

    // The bucket stops answering: an upload is refused (503) and nothing is stored.
    let before: i64 = copydesk::db::query_scalar("SELECT COUNT(*) FROM media").fetch_one(&pool).await.unwrap();
    drop(s3);
    let refused = upload(&server, &cookie, "Boats again").await;
    assert_eq!(refused.status(), 503);
    let after: i64 = copydesk::db::query_scalar("SELECT COUNT(*) FROM media").fetch_one(&pool).await.unwrap();
    assert_eq!(after, before, "nothing stored without its files");
}
