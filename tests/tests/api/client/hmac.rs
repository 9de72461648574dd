//! Identity validation (HMAC) on the Client API contacts endpoints.

use onelink_tests::client_api::{identifier_hash, public_path};
use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::{json, Value};

async fn inbox(app: &TestApp, a: &onelink_tests::seed::Tenant, mandatory: bool) -> Value {
    let body = json!({"name": "Backend", "channel": {"type": "api", "hmac_mandatory": mandatory}});
    let res = app.post(&a.path("/inboxes"), &a.admin.token, body).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()
}

const FAILED: &str = "HMAC failed: Invalid Identifier Hash Provided";

#[tokio::test]
async fn the_hmac_matrix_on_contact_create() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    for mandatory in [false, true] {
        let inbox = inbox(&app, &a, mandatory).await;
        let secret = inbox["hmac_token"].as_str().unwrap().to_owned();
        let id = format!("user-{mandatory}");
        let cases: [(&str, Option<String>, u16); 5] = [
            ("no hash", None, if mandatory { 401 } else { 200 }),
            ("empty hash", Some(String::new()), 401),
            ("wrong hash", Some("0".repeat(64)), 401),
            ("another identifier's hash", Some(identifier_hash(&secret, "someone-else")), 401),
            ("right hash", Some(identifier_hash(&secret, &id)), 200),
        ];
        for (what, hash, status) in cases {
            let mut body = json!({"identifier": id, "name": "Ann"});
            if let Some(hash) = hash {
                body["identifier_hash"] = json!(hash);
            }
            let res = app.public(Method::POST, &public_path(&inbox, "/contacts"), Some(body)).await;
            assert_eq!(res.status, status, "mandatory={mandatory}, {what}: {}", res.text);
            if status == 401 {
                assert_eq!(res.json(), json!({"error": FAILED}));
            }
        }
    }
}

#[tokio::test]
async fn a_mandatory_hmac_guards_show_and_update_against_the_stored_identifier() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let inbox = inbox(&app, &a, true).await;
    let secret = inbox["hmac_token"].as_str().unwrap().to_owned();
    let good = identifier_hash(&secret, "u-1");
    let c = app.client_contact(&inbox, json!({"identifier": "u-1", "identifier_hash": good})).await;
    let path = public_path(&inbox, &format!("/contacts/{}", c["source_id"].as_str().unwrap()));

    let bare = app.public(Method::GET, &path, None).await;
    assert_eq!(bare.status, 401, "GET needs the hash too: {}", bare.text);
    let shown = app.public(Method::GET, &format!("{path}?identifier=u-1&identifier_hash={good}"), None).await;
    assert_eq!(shown.status, 200, "{}", shown.text);

    let other = identifier_hash(&secret, "u-2");
    let spoof = app
        .public(
            Method::PATCH,
            &path,
            Some(json!({"identifier": "u-2", "identifier_hash": other, "name": "X"})),
        )
        .await;
    assert_eq!(spoof.status, 401, "checked against the stored identifier, not the request's");
    let ok = app.public(Method::PATCH, &path, Some(json!({"identifier_hash": good, "name": "Ann"}))).await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    assert_eq!(ok.json()["identifier"], "u-1", "the identifier is never written by the Client API");
}

#[tokio::test]
async fn a_verified_session_reaches_all_the_contacts_conversations_and_an_unverified_one_only_its_own() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let first = inbox(&app, &a, false).await;
    let second = inbox(&app, &a, false).await;
    let secret = second["hmac_token"].as_str().unwrap().to_owned();
    let c1 = app.client_contact(&first, json!({"identifier": "u-7", "name": "Ann"})).await;
    let conv = app.client_conversation(&first, &c1).await;
    let id = conv["id"].as_i64().unwrap();

    let c2 = app.client_contact(&second, json!({"identifier": "u-7"})).await;
    assert_eq!(c2["id"], c1["id"], "the same contact, another session");
    let sid = c2["source_id"].as_str().unwrap();
    let show = public_path(&second, &format!("/contacts/{sid}/conversations/{id}"));
    assert_eq!(app.public(Method::GET, &show, None).await.status, 404, "unverified: its own inbox only");

    let hash = identifier_hash(&secret, "u-7");
    let verified = app
        .public(Method::GET, &public_path(&second, &format!("/contacts/{sid}?identifier_hash={hash}")), None)
        .await;
    assert_eq!(verified.status, 200, "{}", verified.text);
    let res = app.public(Method::GET, &show, None).await;
    assert_eq!(res.status, 200, "verified: every conversation of the contact: {}", res.text);
    let list =
        app.public(Method::GET, &public_path(&second, &format!("/contacts/{sid}/conversations")), None).await;
    assert_eq!(list.json().as_array().unwrap().len(), 1);

    let stranger = app.client_contact(&second, json!({"identifier": "u-8"})).await;
    let sid = stranger["source_id"].as_str().unwrap();
    let hash = identifier_hash(&secret, "u-8");
    app.public(Method::GET, &public_path(&second, &format!("/contacts/{sid}?identifier_hash={hash}")), None)
        .await;
    let res = app
        .public(Method::GET, &public_path(&second, &format!("/contacts/{sid}/conversations/{id}")), None)
        .await;
    assert_eq!(res.status, 404, "another verified contact still reaches nothing of Ann's");
}
