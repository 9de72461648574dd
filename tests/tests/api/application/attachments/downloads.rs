//! Signed download URLs: expired, tampered and cross-account URLs are 403.

use super::{fetch, setup, upload_two};
use onelink_api::blobs::urls::BlobGrant;
use onelink_api::blobs::BlobUrls;
use onelink_tests::TestApp;
use serde_json::{json, Value};
use std::time::Duration;

async fn forbidden(app: &TestApp, url: &str) -> Value {
    let (status, ct, body) = fetch(app, url).await;
    assert_eq!(status, 403, "{url}: {}", String::from_utf8_lossy(&body));
    assert!(ct.starts_with("application/json"), "{ct}");
    serde_json::from_slice(&body).unwrap()
}

fn set_query(url: &str, key: &str, value: &str) -> String {
    let mut u = url::Url::parse(url).unwrap();
    let pairs: Vec<(String, String)> = u
        .query_pairs()
        .map(|(k, v)| (k.to_string(), if k == key { value.to_owned() } else { v.to_string() }))
        .collect();
    u.query_pairs_mut().clear().extend_pairs(pairs);
    u.to_string()
}

#[tokio::test]
async fn tampered_or_foreign_attachment_urls_are_refused() {
    let app = TestApp::spawn().await;
    let (a, _, path) = setup(&app).await;
    let b = app.tenant("Beta").await;
    let m = upload_two(&app, &path, &a.admin.token).await;
    let image = m["attachments"][0]["data_url"].as_str().unwrap().to_owned();
    let text = m["attachments"][1]["data_url"].as_str().unwrap().to_owned();
    assert_eq!(fetch(&app, &image).await.0, 200);
    let invalid = json!({"error": "This link is invalid"});

    let exp: i64 = url::Url::parse(&image)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "exp")
        .map(|(_, v)| v.parse().unwrap())
        .unwrap();
    assert_eq!(forbidden(&app, &set_query(&image, "exp", &(exp + 3600).to_string())).await, invalid);
    assert_eq!(forbidden(&app, &set_query(&image, "sig", &"0".repeat(64))).await, invalid);
    assert_eq!(forbidden(&app, &set_query(&image, "ct", "text/html")).await, invalid);
    let unsigned = image.split('?').next().unwrap().to_owned();
    assert_eq!(forbidden(&app, &unsigned).await, invalid);

    // the same signature does not open the blob for another account …
    let foreign = image.replace(&format!("/blobs/{}/", a.account_id), &format!("/blobs/{}/", b.account_id));
    assert_ne!(foreign, image);
    assert_eq!(forbidden(&app, &foreign).await, invalid);
    // … nor another blob
    let hash = |u: &str| u.split('/').nth(5).unwrap().to_owned();
    let other_blob = image.replace(&hash(&image), &hash(&text));
    assert_eq!(forbidden(&app, &other_blob).await, invalid);
}

#[tokio::test]
async fn an_expired_url_is_refused() {
    let app = TestApp::spawn().await;
    let (a, _, path) = setup(&app).await;
    let m = upload_two(&app, &path, &a.admin.token).await;
    let url = url::Url::parse(m["attachments"][1]["data_url"].as_str().unwrap()).unwrap();
    let segments: Vec<_> = url.path_segments().unwrap().map(str::to_owned).collect();
    // the server's own signer, with an expiry in the past
    let urls = BlobUrls::new(&app.secret_key, &app.base_url, Duration::from_secs(60));
    let past = chrono::Utc::now().timestamp() - 10;
    let grant = BlobGrant {
        account_id: a.account_id,
        sha256: &segments[2],
        file_name: "notes.txt",
        content_type: "text/plain",
    };
    let expired = urls.sign_until(&grant, past);
    assert_eq!(forbidden(&app, &expired).await, json!({"error": "This link has expired"}));
    let fresh = urls.sign_until(&grant, past + 3600);
    assert_eq!(fetch(&app, &fresh).await.0, 200, "the same grant, not expired, works");
}

#[tokio::test]
async fn urls_live_as_long_as_configured() {
    let app = TestApp::spawn_with(|c| c.blobs.url_ttl = Duration::from_secs(120)).await;
    let (a, _, path) = setup(&app).await;
    let m = upload_two(&app, &path, &a.admin.token).await;
    let url = url::Url::parse(m["attachments"][0]["data_url"].as_str().unwrap()).unwrap();
    let exp: i64 = url.query_pairs().find(|(k, _)| k == "exp").unwrap().1.parse().unwrap();
    let left = exp - chrono::Utc::now().timestamp();
    assert!((100..=121).contains(&left), "{left}");
}
