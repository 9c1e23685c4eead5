//! Photos: uploads to the media library (each bad case refused with its reason and nothing
//! stored), the files made of them (metadata gone, served by hash), body and lead images on
//! the article page and its card, and deleting only what no story shows; on SQLite and
//! PostgreSQL.

use crate::support::desk::{app, get, post, sign_in};
use crate::support::{Page, TestApp};
use copydesk::db;
use copydesk::domain::media::Format;
use copydesk::domain::staff::Role;

/// A camera-like JPEG, `width` × `height`, stored sideways with EXIF orientation 6 ("turn
/// 90° clockwise to view") and a description naming the camera and a GPS position.
fn camera_jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 251) as u8, (y % 241) as u8, 90]));
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90).encode_image(&image).unwrap();
    let secret = b"secret-camera GPS 51.5074N 0.1278W\0";
    let mut tiff = b"MM\0\x2a\0\0\0\x08\0\x02".to_vec();
    // ImageDescription (ASCII) at offset 38, then Orientation = 6.
    tiff.extend_from_slice(&[0x01, 0x0E, 0, 2]);
    tiff.extend_from_slice(&(secret.len() as u32).to_be_bytes());
    tiff.extend_from_slice(&38u32.to_be_bytes());
    tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    tiff.extend_from_slice(secret);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1];
    jpeg.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    jpeg.extend_from_slice(&app1);
    jpeg.extend_from_slice(&plain[2..]);
    jpeg
}

/// An upload as the library's form sends it (multipart, from the site's own page).
async fn upload(app: &TestApp, cookie: &str, file: (&str, &str, Vec<u8>), alt: &str) -> reqwest::Response {
    let (name, content_type, bytes) = file;
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()).mime_str(content_type).unwrap();
    let form = reqwest::multipart::Form::new()
        .part("file", part)
        .text("alt", alt.to_owned())
        .text("caption", "Boats in the harbour at dawn")
        .text("credit", "Ana García/Copydesk");
    app.client
        .post(app.url("/staff/media"))
        .header("origin", &app.base)
        .header("cookie", cookie)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn media_count(app: &TestApp) -> i64 {
    db::query_scalar("SELECT COUNT(*) FROM media").fetch_one(&app.pool).await.unwrap()
}

/// The id an upload's redirect names (`/staff/media?done=uploaded#media-ID`).
fn uploaded_id(response: &reqwest::Response) -> i64 {
    let location = response.headers()["location"].to_str().unwrap();
    location.rsplit("#media-").next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn an_upload_is_made_into_every_size_without_its_metadata_and_served_by_hash() {
    let app = app().await;
    let editor = sign_in(&app, Role::Editor).await;
    let response =
        upload(&app, &editor, ("IMG_0042.JPG", "image/jpeg", camera_jpeg(1600, 1200)), "Boats at dawn").await;
    assert_eq!(response.status(), 303);
    let id = uploaded_id(&response);

    let (picture, name) = db::media::by_id(&app.pool, id).await.unwrap().unwrap();
    assert_eq!(name, "IMG_0042.JPG");
    assert_eq!((picture.width, picture.height), (1200, 1600), "turned upright by its EXIF orientation");
    let whole: Vec<(String, i64, i64)> =
        picture.variants.iter().filter(|v| v.kind == "w").map(|v| (v.format.clone(), v.width, v.height)).collect();
    for width in [320, 640, 960, 1200] {
        for format in ["jpeg", "webp"] {
            let height = i64::from(copydesk::domain::media::scaled_height(width as u32, 1200, 1600));
            assert!(whole.contains(&(format.to_owned(), width, height)), "{format} {width}: {whole:?}");
        }
    }
    let crops: Vec<(&str, i64, i64)> =
        picture.variants.iter().filter(|v| v.kind != "w").map(|v| (v.kind.as_str(), v.width, v.height)).collect();
    assert_eq!(crops, [("16x9", 1200, 675), ("1x1", 1200, 1200), ("4x3", 1200, 900)]);

    for variant in &picture.variants {
        let response = app.get(&variant.href()).await;
        assert_eq!(response.status(), 200, "{}", variant.href());
        let headers = response.headers().clone();
        assert_eq!(headers["cache-control"], "public, max-age=31536000, immutable");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        let bytes = response.bytes().await.unwrap();
        let format = Format::parse(&variant.format).unwrap();
        assert_eq!(headers["content-type"], format.mime());
        assert_eq!(Format::sniff(&bytes), Some(format), "the type is the bytes' own");
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("secret-camera") && !text.contains("Exif"), "no metadata in {}", variant.href());
    }
    // The address names the bytes: another extension, or a made-up hash, is not found.
    let jpeg = picture.variants.iter().find(|v| v.kind == "w" && v.format == "jpeg").unwrap();
    assert_eq!(app.get(&format!("/media/{}.png", jpeg.hash)).await.status(), 404);
    assert_eq!(app.get(&format!("/media/{}.jpg", "0".repeat(32))).await.status(), 404);
    assert_eq!(app.get("/media/..%2F..%2Fetc%2Fpasswd").await.status(), 404);

    // The library lists it with its thumbnail and the Markdown to use it.
    let library = Page::parse(&get(&app, "/staff/media", Some(&editor)).await.text().await.unwrap());
    assert_eq!(library.texts(".media-alt"), ["Boats at dawn"]);
    assert!(library.attr(".media-thumb img", "srcset").unwrap().contains(&jpeg.href()));
    assert_eq!(library.text(".media-code").unwrap(), format!("![Boats at dawn](media:{id})"));
    let found = Page::parse(&get(&app, "/staff/media?q=harbour", Some(&editor)).await.text().await.unwrap());
    assert_eq!(found.count(".media-tile"), 1, "search covers captions");
    let none = Page::parse(&get(&app, "/staff/media?q=zebra", Some(&editor)).await.text().await.unwrap());
    assert_eq!(none.count(".media-tile"), 0);
}

#[tokio::test]
async fn bad_uploads_say_why_and_store_nothing() {
    let app = app().await;
    let editor = sign_in(&app, Role::Editor).await;
    let png = {
        let mut bytes = Vec::new();
        image::RgbImage::new(40, 30).write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
        bytes
    };
    let jpeg = camera_jpeg(300, 200);
    // (file, alt text, what the refusal says)
    type Case<'a> = ((&'a str, &'a str, Vec<u8>), &'a str, &'a str);
    let cases: Vec<Case> = vec![
        (("notes.txt", "text/plain", b"Just some text".to_vec()), "x", "is not a JPEG, PNG or WebP image"),
        (("chart.jpg", "image/jpeg", png.clone()), "x", "The file is a PNG image but its name or type says JPEG"),
        (("photo.jpg", "image/png", jpeg.clone()), "x", "The file is a JPEG image but its name or type says PNG"),
        (("photo.gif", "image/gif", jpeg.clone()), "x", "says another kind of file"),
        (("bomb.png", "image/png", bomb_png()), "x", "60000 × 60000 pixels; the largest accepted is 50 megapixels"),
        (("cut.jpg", "image/jpeg", jpeg[..120].to_vec()), "x", "damaged or cut short"),
        (("photo.jpg", "image/jpeg", jpeg.clone()), "  ", "Describe the photo"),
        (("empty.jpg", "image/jpeg", Vec::new()), "x", "Choose a photo to upload"),
    ];
    for (file, alt, reason) in cases {
        let name = file.0;
        let response = upload(&app, &editor, file, alt).await;
        assert_eq!(response.status(), 422, "{name}");
        let page = Page::parse(&response.text().await.unwrap());
        let said = page.text(".notice-error").unwrap_or_default();
        assert!(said.contains(reason), "{name}: {said}");
        assert_eq!(
            page.attr("#field-caption", "value").or(page.text("#field-caption")).as_deref(),
            Some("Boats in the harbour at dawn"),
            "{name}: words kept"
        );
    }
    assert_eq!(media_count(&app).await, 0, "nothing stored");

    // Over the size limit, saying the limit: a body sent in chunks is refused as it is read
    // (the form shown again), one whose declared length is over it (as browsers send
    // forms) before it is read.
    let big = vec![0xFFu8; copydesk::domain::media::MAX_UPLOAD_BYTES + 1024];
    let response = upload(&app, &editor, ("huge.jpg", "image/jpeg", big), "x").await;
    assert_eq!(response.status(), 422);
    let said = response.text().await.unwrap();
    assert!(
        said.contains("larger than 25 MB, the largest upload accepted"),
        "{}",
        said.split("<main").nth(1).unwrap_or(&said).chars().take(1500).collect::<String>()
    );
    let declared = app
        .client
        .post(app.url("/staff/media"))
        .header("origin", &app.base)
        .header("cookie", &editor)
        .header("content-type", "multipart/form-data; boundary=x")
        .body(vec![0u8; copydesk::domain::media::MAX_UPLOAD_BYTES + 100 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(declared.status(), 413);
    assert!(declared.text().await.unwrap().contains("larger than 25 MB"));
    assert_eq!(media_count(&app).await, 0);

    // Only editors upload; and only from the site's own pages.
    let moderator = sign_in(&app, Role::Moderator).await;
    assert_eq!(upload(&app, &moderator, ("photo.jpg", "image/jpeg", jpeg.clone()), "x").await.status(), 403);
    assert_eq!(get(&app, "/staff/media", Some(&moderator)).await.status(), 403);
    let part = reqwest::multipart::Part::bytes(jpeg).file_name("photo.jpg").mime_str("image/jpeg").unwrap();
    let forged = app
        .client
        .post(app.url("/staff/media"))
        .header("origin", "https://evil.example")
        .header("cookie", &editor)
        .multipart(reqwest::multipart::Form::new().part("file", part).text("alt", "x"))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert_eq!(media_count(&app).await, 0);
}

/// A PNG of a few dozen bytes claiming 60,000 × 60,000 pixels.
fn bomb_png() -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let body = [kind, data].concat();
        out.extend_from_slice(&body);
        let mut crc = 0xFFFF_FFFFu32;
        for &byte in &body {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        out.extend_from_slice(&(!crc).to_be_bytes());
    }
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&60_000u32.to_be_bytes());
    ihdr.extend_from_slice(&60_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
    chunk(&mut png, b"IEND", &[]);
    png
}

#[tokio::test]
async fn stories_show_their_lead_and_body_images_and_an_image_in_use_is_not_deleted() {
    let app = app().await;
    let editor = sign_in(&app, Role::Editor).await;
    let lead =
        uploaded_id(&upload(&app, &editor, ("lead.jpg", "image/jpeg", camera_jpeg(1600, 1200)), "Boats at dawn").await);
    let body =
        uploaded_id(&upload(&app, &editor, ("chart.jpg", "image/jpeg", camera_jpeg(800, 600)), "Budget chart").await);

    // The body names the library image; a number not in the library is refused, text kept.
    let text =
        format!("The council met.\n\n![The budget, by department](media:{body} \"Where the money goes\")\n\nIt voted.");
    fn fields(body: &str) -> Vec<(&'static str, &str)> {
        vec![
            ("title", "Council Meets"),
            ("byline", "Staff"),
            ("body", body),
            ("base_revision", "1"),
            ("topics", "City Hall"),
        ]
    }
    let wrong = "The council met.\n\n![x](media:9999)";
    let refused = post(&app, "/staff/articles/council/edit", Some(&editor), &fields(wrong)).await;
    assert_eq!(refused.status(), 422);
    let page = Page::parse(&refused.text().await.unwrap());
    assert!(page.text(".notice-error").unwrap().contains("No image media:9999 in the library"));
    assert_eq!(page.text("#field-body").as_deref(), Some(wrong));
    assert_eq!(post(&app, "/staff/articles/council/edit", Some(&editor), &fields(&text)).await.status(), 303);

    // The lead image, with the story's own caption (the library's alt text and credit).
    let lead_id = lead.to_string();
    let lead_form =
        [("media_id", lead_id.as_str()), ("alt", ""), ("caption", "The harbour this morning"), ("credit", "")];
    let response = post(&app, "/staff/articles/council/lead-image", Some(&editor), &lead_form).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/staff/articles/council/edit?done=lead-set");
    let moderator = sign_in(&app, Role::Moderator).await;
    assert_eq!(post(&app, "/staff/articles/council/lead-image", Some(&moderator), &lead_form).await.status(), 403);

    let (status, html) = app.text("/articles/council").await;
    assert_eq!(status, 200);
    let article = Page::parse(&html);
    assert_eq!(article.count(".lead-figure figure.photo picture source[type='image/webp']"), 1);
    assert_eq!(article.attr(".lead-figure img", "alt").as_deref(), Some("Boats at dawn"));
    assert_eq!(article.attr(".lead-figure img", "fetchpriority").as_deref(), Some("high"));
    assert_eq!(article.attr(".lead-figure img", "loading"), None, "the lead is not lazy");
    assert_eq!(article.attr(".lead-figure img", "width").as_deref(), Some("1200"));
    assert_eq!(article.attr(".lead-figure img", "height").as_deref(), Some("1600"));
    assert_eq!(
        article.text(".lead-figure figcaption").as_deref(),
        Some("The harbour this morning Ana García/Copydesk")
    );
    assert_eq!(article.count(".article-body figure.photo"), 1);
    assert_eq!(article.attr(".article-body figure img", "alt").as_deref(), Some("The budget, by department"));
    assert_eq!(article.attr(".article-body figure img", "loading").as_deref(), Some("lazy"));
    assert_eq!(article.text(".article-body figcaption").as_deref(), Some("Where the money goes Ana García/Copydesk"));
    // Shared links and search engines get the crops.
    let og = article.attr("meta[property='og:image']", "content").unwrap();
    assert!(og.starts_with(&app.base) && og.ends_with(".jpg"), "{og}");
    assert_eq!(article.attr("meta[property='og:image:width']", "content").as_deref(), Some("1200"));
    assert_eq!(article.attr("meta[property='og:image:height']", "content").as_deref(), Some("675"));
    assert_eq!(article.attr("meta[property='og:image:alt']", "content").as_deref(), Some("Boats at dawn"));
    assert_eq!(article.attr("meta[name='twitter:card']", "content").as_deref(), Some("summary_large_image"));
    let json: serde_json::Value =
        serde_json::from_str(&article.text("script[type='application/ld+json']").unwrap()).unwrap();
    assert_eq!(json["image"].as_array().unwrap().len(), 3, "16:9, 4:3 and 1:1");
    assert_eq!(json["image"][0], og);
    assert_eq!(json["publisher"]["name"], "Copydesk");
    assert_eq!(json["publisher"]["logo"]["url"], format!("{}/logo.png", app.base));
    assert_eq!(app.get("/logo.png").await.status(), 200);
    for src in article.attr_all("img", "src") {
        assert_eq!(app.get(&src).await.status(), 200, "{src}");
    }

    // The card on the front and topic pages shows a thumbnail.
    for path in ["/", "/topics/city-hall"] {
        let list = Page::parse(&app.text(path).await.1);
        assert_eq!(list.count(".card-with-image .card-media img.card-thumb[alt='']"), 1, "{path}");
        assert_eq!(list.attr(".card-thumb", "sizes").as_deref(), Some("7rem"));
    }

    // New words in the library reach the body image (which uses them); the lead keeps its own caption.
    let words = [("alt", "Budget chart"), ("caption", "Where it goes"), ("credit", "Rui Okafor")];
    assert_eq!(post(&app, &format!("/staff/media/{body}"), Some(&editor), &words).await.status(), 303);
    let article = Page::parse(&app.text("/articles/council").await.1);
    assert_eq!(article.text(".article-body figcaption").as_deref(), Some("Where the money goes Rui Okafor"));
    assert_eq!(
        article.text(".lead-figure figcaption").as_deref(),
        Some("The harbour this morning Ana García/Copydesk")
    );

    // In use: not deleted, and the stories are named.
    let refused = post(&app, &format!("/staff/media/{lead}/delete"), Some(&editor), &[]).await;
    assert_eq!(refused.status(), 409);
    assert!(Page::parse(&refused.text().await.unwrap()).text(".notice-error").unwrap().contains("“Council Meets”"));
    let item = Page::parse(&get(&app, &format!("/staff/media/{lead}"), Some(&editor)).await.text().await.unwrap());
    assert_eq!(item.texts("main li a, .staff li a").iter().filter(|t| *t == "Council Meets").count(), 1);

    // Out of the story, it can go; its files then are not found.
    let none = [("media_id", ""), ("alt", ""), ("caption", ""), ("credit", "")];
    assert_eq!(post(&app, "/staff/articles/council/lead-image", Some(&editor), &none).await.status(), 303);
    let (picture, _) = db::media::by_id(&app.pool, lead).await.unwrap().unwrap();
    assert_eq!(post(&app, &format!("/staff/media/{lead}/delete"), Some(&editor), &[]).await.status(), 303);
    assert_eq!(app.get(&picture.variants[0].href()).await.status(), 404);
    assert!(db::media::by_id(&app.pool, lead).await.unwrap().is_none());
    let article = Page::parse(&app.text("/articles/council").await.1);
    assert_eq!(article.count(".lead-figure"), 0);
    assert_eq!(article.attr("meta[name='twitter:card']", "content").as_deref(), Some("summary"));
    assert_eq!(article.count(".article-body figure"), 1, "the body image stays");
}

#[tokio::test]
async fn front_matter_names_a_lead_image_file_which_is_imported_once() {
    let app = app().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("photos")).unwrap();
    std::fs::write(dir.path().join("photos/quay.jpg"), camera_jpeg(900, 600)).unwrap();
    std::fs::write(dir.path().join("photos/fake.jpg"), b"not a photo at all").unwrap();
    let story = |image: &str| {
        format!(
            "---\ntitle: Lanterns on the Quay\nbyline: Staff\npublished: 2026-11-20T09:00:00Z\n{image}---\nThe festival began.\n"
        )
    };
    let name = dir.path().join("quay.md").display().to_string();
    let with_image = story(
        "image: photos/quay.jpg\nimage_alt: Lanterns over the quay\nimage_caption: The first night\nimage_credit: Rui Okafor\n",
    );

    for round in 0..2 {
        let reports = copydesk::import::import_sources(
            &app.pool,
            &copydesk::media_store::MediaStore::Database,
            [(name.clone(), with_image.as_str())],
        )
        .await;
        assert!(reports[0].result.is_ok(), "round {round}: {:?}", reports[0].result);
        assert_eq!(media_count(&app).await, 1, "round {round}: the same file is one library image");
    }
    let page = Page::parse(&app.text("/articles/lanterns-on-the-quay").await.1);
    assert_eq!(page.attr(".lead-figure img", "alt").as_deref(), Some("Lanterns over the quay"));
    assert_eq!(page.attr(".lead-figure img", "height").as_deref(), Some("900"), "upright: 600 × 900");
    assert_eq!(page.text(".lead-figure figcaption").as_deref(), Some("The first night Rui Okafor"));

    // A file that is not an image, one that is missing, an image without alt text: the
    // article is not stored either.
    let other = dir.path().join("other.md").display().to_string();
    for (image, reason) in [
        ("image: photos/fake.jpg\nimage_alt: x\n", "is not a JPEG, PNG or WebP image"),
        ("image: photos/missing.jpg\nimage_alt: x\n", "cannot read the file"),
        ("image: photos/quay.jpg\n", "image_alt"),
    ] {
        let text = story(image).replace("Lanterns on the Quay", "Another Story");
        let reports = copydesk::import::import_sources(
            &app.pool,
            &copydesk::media_store::MediaStore::Database,
            [(other.clone(), text.as_str())],
        )
        .await;
        let problem = reports[0].result.as_ref().unwrap_err();
        assert!(problem.contains(reason), "{image}: {problem}");
        assert_eq!(app.get("/articles/another-story").await.status(), 404, "{image}");
    }
    assert_eq!(media_count(&app).await, 1);
}

/// The editor's own upload form: the photo goes into the library and becomes the story's
/// lead image; a refused one shows the editor again with its reason, and stores nothing.
#[tokio::test]
async fn a_photo_uploaded_in_the_editor_becomes_the_lead_image() {
    let app = app().await;
    let editor = sign_in(&app, Role::Editor).await;
    let send = |file: Vec<u8>, alt: &str, lead_for: &str| {
        let part = reqwest::multipart::Part::bytes(file).file_name("harbour.jpg").mime_str("image/jpeg").unwrap();
        let form = reqwest::multipart::Form::new()
            .part("file", part)
            .text("alt", alt.to_owned())
            .text("caption", "The harbour at dawn")
            .text("lead_for", lead_for.to_owned());
        app.client
            .post(app.url("/staff/media"))
            .header("origin", &app.base)
            .header("cookie", &editor)
            .multipart(form)
            .send()
    };
    let refused = send(camera_jpeg(640, 480), "  ", "council").await.unwrap();
    assert_eq!(refused.status(), 422);
    let page = Page::parse(&refused.text().await.unwrap());
    assert_eq!(page.text("h1").as_deref(), Some("Edit: Council Meets"), "the editor, shown again");
    assert!(page.text(".lead-image .notice-error").unwrap().contains("alt text"), "{:?}", page.text(".lead-image"));
    assert_eq!(page.text("#upload-caption").as_deref(), Some("The harbour at dawn"), "words kept");
    assert_eq!(media_count(&app).await, 0);
    assert_eq!(send(camera_jpeg(640, 480), "Boats", "no-such-story").await.unwrap().status(), 404);
    assert_eq!(media_count(&app).await, 0, "an unknown story: nothing made or stored");

    let done = send(camera_jpeg(640, 480), "Boats in the harbour", "council").await.unwrap();
    assert_eq!(done.status(), 303);
    assert_eq!(done.headers()["location"], "/staff/articles/council/edit?done=lead-set#lead-heading");
    let article = Page::parse(&app.text("/articles/council").await.1);
    assert_eq!(article.attr(".lead-figure img", "alt").as_deref(), Some("Boats in the harbour"));
    assert_eq!(article.text(".lead-figure figcaption").as_deref(), Some("The harbour at dawn"));
}

/// The same photo uploaded twice makes the same files (named by their bytes): the second
/// upload is refused, naming the library photo it already is.
#[tokio::test]
async fn a_photo_already_in_the_library_is_named_not_stored_twice() {
    let app = app().await;
    let editor = sign_in(&app, Role::Editor).await;
    let photo = camera_jpeg(800, 600);
    let first = upload(&app, &editor, ("quay.jpg", "image/jpeg", photo.clone()), "Boats at dawn").await;
    assert_eq!(first.status(), 303);
    let id = uploaded_id(&first);
    let again = upload(&app, &editor, ("copy.jpg", "image/jpeg", photo), "The same boats").await;
    assert_eq!(again.status(), 422);
    let page = Page::parse(&again.text().await.unwrap());
    let message = page.text(".notice-error").unwrap();
    assert!(message.contains(&format!("already in the library (number {id}, “Boats at dawn”, quay.jpg)")), "{message}");
    assert_eq!(page.attr("#field-alt", "value").as_deref(), Some("The same boats"), "words kept");
    assert_eq!(media_count(&app).await, 1);
}
