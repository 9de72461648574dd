//! Message attachments (issue 10): multipart uploads, signed expiring
//! download URLs, thumbnails, limits, tenancy, deletion and rebuild.

mod avatars;
mod downloads;
mod uploads;

use onelink_tests::seed::Tenant;
use onelink_tests::{Response, TestApp};
use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};
use std::io::Cursor;

/// A 600×300 PNG (solid colour), as an upload would carry it.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(width, height, image::Rgb([200, 40, 90]));
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
    out
}

pub const TEXT: &[u8] = b"minutes of the meeting\nline two\n";

/// A form with `fields` and files `(field, name, type, bytes)`.
pub fn form(fields: &[(&str, &str)], files: &[(&str, &str, &str, Vec<u8>)]) -> Form {
    let mut form = Form::new();
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    for (field, name, mime, bytes) in files {
        let part = Part::bytes(bytes.clone()).file_name(name.to_string()).mime_str(mime).unwrap();
        form = form.part(field.to_string(), part);
    }
    form
}

/// POSTs a multipart form as `token` (or without one for the Client API).
pub async fn post_form(app: &TestApp, path: &str, token: Option<&str>, form: Form) -> Response {
    let mut req = app.build(reqwest::Method::POST, path).multipart(form);
    if let Some(token) = token {
        req = req.header("api_access_token", token);
    }
    app.send(req).await
}

/// A GET of an absolute URL (no credentials): status, content type, bytes.
pub async fn fetch(app: &TestApp, url: &str) -> (u16, String, Vec<u8>) {
    let res = app.http.get(url).send().await.unwrap();
    let status = res.status().as_u16();
    let ct = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, ct, res.bytes().await.unwrap().to_vec())
}

/// A tenant with an API inbox and a conversation: `(tenant, inbox id,
/// messages path)`.
pub async fn setup(app: &TestApp) -> (Tenant, i64, String) {
    let tenant = app.tenant("Alpha").await;
    let inbox_id = app.api_inbox(&tenant, "Support").await["id"].as_i64().unwrap();
    let c = app.conversation(&tenant, inbox_id, json!({})).await;
    let path = tenant.path(&format!("/conversations/{}/messages", c["id"]));
    (tenant, inbox_id, path)
}

/// Uploads a PNG and a text file with `content`; returns the message.
pub async fn upload_two(app: &TestApp, path: &str, token: &str) -> Value {
    let files = [
        ("attachments[]", "photo.png", "image/png", png(600, 300)),
        ("attachments[]", "notes.txt", "text/plain", TEXT.to_vec()),
    ];
    let res = post_form(app, path, Some(token), form(&[("content", "see attached")], &files)).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()
}

/// Every regular file under the server's blob directory.
pub fn stored_files(app: &TestApp) -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&app.blob_dir, &mut out);
    out
}
