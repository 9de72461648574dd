//! Contact avatars: multipart `avatar` files and `avatar_url`s behind the
//! SSRF guard.

use super::{fetch, form, png, setup};
use onelink_commands::ssrf::{EgressGuard, EgressPolicy};
use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

async fn patch_form(
    app: &TestApp,
    path: &str,
    token: &str,
    form: reqwest::multipart::Form,
) -> onelink_tests::Response {
    app.send(app.build(Method::PATCH, path).header("api_access_token", token).multipart(form)).await
}

#[tokio::test]
async fn an_avatar_image_becomes_the_contacts_thumbnail() {
    let app = TestApp::spawn().await;
    let (a, _, _) = setup(&app).await;
    let contact = app.contact(&a, json!({"name": "Ann"})).await;
    let path = a.path(&format!("/contacts/{}", contact["id"]));
    assert_eq!(app.get(&path, &a.admin.token).await.json()["payload"]["thumbnail"], "");
    let files = [("avatar", "me.png", "image/png", png(500, 500))];
    let res = patch_form(&app, &path, &a.admin.token, form(&[("name", "Ann B")], &files)).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let shown = res.json()["payload"].clone();
    assert_eq!(shown["name"], "Ann B", "the other fields of the form apply too");
    let url = shown["thumbnail"].as_str().unwrap().to_owned();
    assert!(url.contains(&format!("/blobs/{}/", a.account_id)), "{url}");
    let (status, ct, bytes) = fetch(&app, &url).await;
    assert_eq!((status, ct.as_str()), (200, "image/png"));
    let thumb = image::load_from_memory(&bytes).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (250, 250));
}

#[tokio::test]
async fn an_avatar_that_is_not_an_image_is_refused() {
    let app = TestApp::spawn().await;
    let (a, _, _) = setup(&app).await;
    let contact = app.contact(&a, json!({"name": "Ann"})).await;
    let path = a.path(&format!("/contacts/{}", contact["id"]));
    let before = app.event_count().await;
    for (name, mime, bytes) in [
        ("notes.txt", "text/plain", b"hello".to_vec()),
        ("fake.png", "image/png", b"not really a png".to_vec()),
        ("page.html", "text/html", b"<script>alert(1)</script>".to_vec()),
    ] {
        let files = [("avatar", name, mime, bytes)];
        let res = patch_form(&app, &path, &a.admin.token, form(&[("name", "Changed")], &files)).await;
        assert_eq!(res.status, 422, "{name}: {}", res.text);
        assert_eq!(res.json()["attributes"], json!(["avatar"]), "{}", res.text);
        assert!(res.text.contains("Avatar must be a PNG, JPEG or GIF image"), "{}", res.text);
    }
    assert_eq!(app.event_count().await, before, "nothing written, not even the name");
}

#[tokio::test]
async fn avatar_urls_to_private_or_loopback_addresses_are_refused() {
    // the default policy: public addresses only (the test default allows
    // 127.0.0.1 for local receivers)
    let app = TestApp::spawn_configured(onelink_tests::pg::fresh_database().await, |config, dns| {
        config.egress = Arc::new(EgressGuard::new(EgressPolicy::default(), dns.clone()));
    })
    .await;
    let (a, _, _) = setup(&app).await;
    let contact = app.contact(&a, json!({"name": "Ann"})).await;
    let path = a.path(&format!("/contacts/{}", contact["id"]));
    let before = app.event_count().await;
    for url in
        ["http://127.0.0.1/a.png", "http://10.0.0.1/a.png", "http://localhost:8080/a.png", "ftp://x/a.png"]
    {
        let res = app.patch(&path, &a.admin.token, json!({"avatar_url": url})).await;
        assert_eq!(res.status, 422, "{url}: {}", res.text);
        assert_eq!(res.json()["attributes"], json!(["avatar_url"]), "{}", res.text);
    }
    let res = app
        .post(
            &a.path("/contacts"),
            &a.admin.token,
            json!({"name": "Bo", "avatar_url": "http://10.1.2.3/x.png"}),
        )
        .await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert_eq!(app.event_count().await, before, "nothing written");
}

/// Serves `/a.png` (an image) and `/a.txt` (not one) on 127.0.0.1.
async fn image_server() -> String {
    let app = axum::Router::new()
        .route("/a.png", axum::routing::get(|| async { ([("content-type", "image/png")], png(300, 600)) }))
        .route("/a.txt", axum::routing::get(|| async { ([("content-type", "text/plain")], "hello") }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

#[tokio::test]
async fn an_avatar_url_is_fetched_in_the_background() {
    let app = TestApp::spawn().await;
    let (a, _, _) = setup(&app).await;
    let server = image_server().await;
    let res = app
        .post(
            &a.path("/contacts"),
            &a.admin.token,
            json!({"name": "Cy", "avatar_url": format!("{server}/a.txt")}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let not_image = res.json()["payload"]["contact"]["id"].clone();
    let contact = app.contact(&a, json!({"name": "Di"})).await;
    let path = a.path(&format!("/contacts/{}", contact["id"]));
    let res = app.patch(&path, &a.admin.token, json!({"avatar_url": format!("{server}/a.png")})).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let mut thumbnail = String::new();
    for _ in 0..200 {
        thumbnail =
            app.get(&path, &a.admin.token).await.json()["payload"]["thumbnail"].as_str().unwrap().to_owned();
        if !thumbnail.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(!thumbnail.is_empty(), "the avatar was fetched");
    let (status, _, bytes) = fetch(&app, &thumbnail).await;
    assert_eq!(status, 200);
    let thumb = image::load_from_memory(&bytes).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (125, 250));
    let other = app.get(&a.path(&format!("/contacts/{not_image}")), &a.admin.token).await.json();
    assert_eq!(other["payload"]["thumbnail"], "", "a non-image answer is not used");
}
