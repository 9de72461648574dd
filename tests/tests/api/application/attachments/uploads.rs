//! Uploading files with a message (Application and Client API), the
//! limits, tenancy, deletion and rebuild.

use super::{fetch, form, png, post_form, setup, stored_files, upload_two, TEXT};
use onelink_tests::client_api::public_path;
use onelink_tests::readmodels::{dump, rebuild_all};
use onelink_tests::TestApp;
use serde_json::{json, Value};

#[tokio::test]
async fn an_attachment_upload_renders_working_urls_and_a_thumbnail() {
    let app = TestApp::spawn().await;
    let (a, _, path) = setup(&app).await;
    let m = upload_two(&app, &path, &a.admin.token).await;
    assert_eq!(m["content"], "see attached");
    let list = m["attachments"].as_array().unwrap();
    assert_eq!(list.len(), 2, "{m}");
    let (image, text) = (&list[0], &list[1]);
    let keys: Vec<_> = image.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        [
            "id",
            "message_id",
            "file_type",
            "account_id",
            "extension",
            "data_url",
            "thumb_url",
            "file_size",
            "width",
            "height"
        ]
    );
    assert!(image["id"].is_i64() && text["id"].is_i64() && image["id"] != text["id"]);
    assert_eq!(image["message_id"], m["id"]);
    assert_eq!(image["account_id"], a.account_id);
    assert_eq!((image["file_type"].as_str(), image["extension"].as_str()), (Some("image"), Some("png")));
    assert_eq!((image["width"].as_i64(), image["height"].as_i64()), (Some(600), Some(300)));
    let original = png(600, 300);
    assert_eq!(image["file_size"], original.len());

    let (status, ct, bytes) = fetch(&app, image["data_url"].as_str().unwrap()).await;
    assert_eq!((status, ct.as_str()), (200, "image/png"));
    assert_eq!(bytes, original, "the download is the upload, byte for byte");
    let (status, ct, thumb) = fetch(&app, image["thumb_url"].as_str().unwrap()).await;
    assert_eq!((status, ct.as_str()), (200, "image/png"));
    let thumb = image::load_from_memory(&thumb).expect("the thumbnail is an image");
    assert_eq!((thumb.width(), thumb.height()), (250, 125), "bounded by 250px, aspect kept");

    assert_eq!((text["file_type"].as_str(), text["extension"].as_str()), (Some("file"), Some("txt")));
    assert_eq!(text["thumb_url"], "", "no thumbnail for a non-image");
    assert!(text.get("width").is_none());
    let (status, _, bytes) = fetch(&app, text["data_url"].as_str().unwrap()).await;
    assert_eq!((status, bytes.as_slice()), (200, TEXT));

    // the listing renders them too; a message without files has no key
    let plain = app.post(&path, &a.admin.token, json!({"content": "no files"})).await.json();
    assert!(plain.get("attachments").is_none(), "{plain}");
    let listed = app.get(&path, &a.admin.token).await.json();
    let first = &listed["payload"][0];
    assert_eq!(first["id"], m["id"]);
    assert_eq!(first["attachments"][1]["file_size"], TEXT.len());
    assert!(listed["payload"][1].get("attachments").is_none());
}

#[tokio::test]
async fn files_alone_make_a_message_but_nothing_at_all_does_not() {
    let app = TestApp::spawn().await;
    let (a, _, path) = setup(&app).await;
    let files = [("attachments[]", "a.txt", "text/plain", TEXT.to_vec())];
    let res = post_form(&app, &path, Some(&a.admin.token), form(&[("private", "true")], &files)).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let m = res.json();
    assert_eq!((m["content"].clone(), m["private"].clone()), (Value::Null, json!(true)));
    assert_eq!(m["attachments"].as_array().unwrap().len(), 1);
    let empty = post_form(&app, &path, Some(&a.admin.token), form(&[("private", "true")], &[])).await;
    assert_eq!(empty.status, 422, "{}", empty.text);
    assert_eq!(empty.json(), json!({"error": "Validation failed: Content can't be blank"}));
}

#[tokio::test]
async fn an_oversized_file_is_refused_and_nothing_is_stored() {
    let app = TestApp::spawn_with(|c| c.blobs.max_file_bytes = 1000).await;
    let (a, _, path) = setup(&app).await;
    let before = app.event_count().await;
    let files = [
        ("attachments[]", "small.txt", "text/plain", TEXT.to_vec()),
        ("attachments[]", "big.txt", "text/plain", vec![b'x'; 1001]),
    ];
    let res = post_form(&app, &path, Some(&a.admin.token), form(&[("content", "hi")], &files)).await;
    assert_eq!(res.status, 413, "{}", res.text);
    assert_eq!(res.json(), json!({"error": "File big.txt is too large (maximum is 1000 bytes)"}));
    assert_eq!(app.event_count().await, before, "no event");
    assert_eq!(app.get(&path, &a.admin.token).await.json()["payload"], json!([]), "no message");
    assert_eq!(stored_files(&app), Vec::<std::path::PathBuf>::new(), "no blob");
    // exactly at the cap is fine
    let files = [("attachments[]", "edge.txt", "text/plain", vec![b'x'; 1000])];
    let res = post_form(&app, &path, Some(&a.admin.token), form(&[], &files)).await;
    assert_eq!(res.status, 200, "{}", res.text);
}

#[tokio::test]
async fn at_most_fifteen_attachments() {
    let app = TestApp::spawn().await;
    let (a, _, path) = setup(&app).await;
    let files: Vec<_> =
        (0..16).map(|i| ("attachments[]", "f.txt", "text/plain", format!("file {i}").into_bytes())).collect();
    let res = post_form(&app, &path, Some(&a.admin.token), form(&[], &files)).await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert_eq!(res.json(), json!({"error": "Too many attachments (maximum is 15)"}));
    assert!(stored_files(&app).is_empty());
    let res = post_form(&app, &path, Some(&a.admin.token), form(&[], &files[..15])).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json()["attachments"].as_array().unwrap().len(), 15);
}

#[tokio::test]
async fn another_accounts_token_cannot_attach_or_read() {
    let app = TestApp::spawn().await;
    let (a, _, path) = setup(&app).await;
    let b = app.tenant("Beta").await;
    upload_two(&app, &path, &a.admin.token).await;
    let stored = stored_files(&app).len();
    let before = app.event_count().await;
    let files = [("attachments[]", "x.txt", "text/plain", TEXT.to_vec())];
    let res = post_form(&app, &path, Some(&b.admin.token), form(&[("content", "hi")], &files)).await;
    assert_eq!(res.status, 401, "{}", res.text);
    assert_eq!(app.event_count().await, before);
    assert_eq!(stored_files(&app).len(), stored, "nothing stored for a refused caller");
    let into_own_account =
        path.replace(&format!("/accounts/{}/", a.account_id), &format!("/accounts/{}/", b.account_id));
    let res =
        post_form(&app, &into_own_account, Some(&b.admin.token), form(&[("content", "hi")], &files)).await;
    assert_eq!(res.status, 404, "{}", res.text);
    assert_eq!(app.get(&path, &b.admin.token).await.status, 401);
}

#[tokio::test]
async fn deleting_a_message_drops_its_attachments_but_keeps_the_blob() {
    let app = TestApp::spawn().await;
    let (a, _, path) = setup(&app).await;
    let m = upload_two(&app, &path, &a.admin.token).await;
    let url = m["attachments"][1]["data_url"].as_str().unwrap().to_owned();
    let deleted = app.delete(&format!("{path}/{}", m["id"]), &a.admin.token).await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    assert!(deleted.json().get("attachments").is_none(), "{}", deleted.text);
    let listed = app.get(&path, &a.admin.token).await.json();
    assert!(listed["payload"][0].get("attachments").is_none());
    let (status, _, bytes) = fetch(&app, &url).await;
    assert_eq!((status, bytes.as_slice()), (200, TEXT), "the blob stays (audit trail)");
}

#[tokio::test]
async fn a_rebuild_of_the_read_models_keeps_attachments() {
    let app = TestApp::spawn().await;
    let (a, _, path) = setup(&app).await;
    let m = upload_two(&app, &path, &a.admin.token).await;
    let gone = upload_two(&app, &path, &a.admin.token).await;
    assert_eq!(app.delete(&format!("{path}/{}", gone["id"]), &a.admin.token).await.status, 200);
    let before = dump(&app.db).await;
    rebuild_all(&app.db).await;
    assert_eq!(dump(&app.db).await, before, "the rebuilt read models equal the live ones");
    let listed = app.get(&path, &a.admin.token).await.json();
    let first = &listed["payload"][0];
    let strip = |v: &Value| {
        v["attachments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| (x["id"].clone(), x["file_size"].clone(), x["file_type"].clone(), x["width"].clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(first), strip(&m));
    assert!(listed["payload"][1].get("attachments").is_none());
    let (status, _, bytes) = fetch(&app, first["attachments"][0]["data_url"].as_str().unwrap()).await;
    assert_eq!((status, bytes), (200, png(600, 300)));
}

#[tokio::test]
async fn a_contact_attaches_files_through_the_client_api() {
    let app = TestApp::spawn().await;
    let (a, _, _) = setup(&app).await;
    let inbox = app.api_inbox(&a, "Public").await;
    let contact = app.client_contact(&inbox, json!({"name": "Ann"})).await;
    let c = app.client_conversation(&inbox, &contact).await;
    let path = public_path(
        &inbox,
        &format!("/contacts/{}/conversations/{}/messages", contact["source_id"].as_str().unwrap(), c["id"]),
    );
    let files = [("attachments[]", "receipt.png", "image/png", png(40, 20))];
    let res = post_form(&app, &path, None, form(&[("content", "my receipt")], &files)).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let m = res.json();
    assert_eq!(m["message_type"], 0);
    let attachment = &m["attachments"][0];
    assert_eq!(attachment["file_type"], "image");
    let (status, _, bytes) = fetch(&app, attachment["data_url"].as_str().unwrap()).await;
    assert_eq!((status, bytes), (200, png(40, 20)));
    // the agents see the same files
    let agent_path = a.path(&format!("/conversations/{}/messages", c["id"]));
    let listed = app.get(&agent_path, &a.admin.token).await.json();
    assert_eq!(listed["payload"][0]["attachments"][0]["id"], attachment["id"]);
    // more than 15 files are refused here too
    let many: Vec<_> = (0..16).map(|_| ("attachments[]", "f.txt", "text/plain", TEXT.to_vec())).collect();
    let res = post_form(&app, &path, None, form(&[], &many)).await;
    assert_eq!(res.status, 422, "{}", res.text);
}

#[tokio::test]
async fn form_text_fields_cannot_use_the_files_allowance() {
    let app = TestApp::spawn().await;
    let (a, _, path) = setup(&app).await;
    let huge = "x".repeat(1024 * 1024 + 1);
    let res = post_form(&app, &path, Some(&a.admin.token), form(&[("content", &huge)], &[])).await;
    assert_eq!(res.status, 413, "{}", &res.text[..res.text.len().min(200)]);
    assert_eq!(res.json(), json!({"error": "Request body is too large"}));
    assert_eq!(app.get(&path, &a.admin.token).await.json()["payload"], json!([]));
}
