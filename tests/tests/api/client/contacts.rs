//! Client API contacts: shapes, reuse of source ids, bad input.

use onelink_tests::client_api::public_path;
use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn a_contact_created_through_the_client_api_has_the_upstream_shape() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let inbox = app.api_inbox(&a, "Chat").await;
    let c = app.client_contact(&inbox, json!({"name": "Ann", "email": "ann@example.com"})).await;
    let keys: Vec<_> = c.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["source_id", "pubsub_token", "id", "name", "email", "phone_number"]);
    assert!(uuid::Uuid::parse_str(c["source_id"].as_str().unwrap()).is_ok());
    assert!(c["pubsub_token"].as_str().unwrap().len() >= 24);
    assert_eq!(c["name"], "Ann");

    let shown = app
        .public(
            Method::GET,
            &public_path(&inbox, &format!("/contacts/{}", c["source_id"].as_str().unwrap())),
            None,
        )
        .await;
    assert_eq!(shown.status, 200, "{}", shown.text);
    assert_eq!(shown.json(), c, "show answers the same ClientContact");

    let again = app.client_contact(&inbox, json!({"source_id": c["source_id"], "name": "Ignored"})).await;
    assert_eq!(again, c, "an existing source id is returned untouched");

    let same_email = app.client_contact(&inbox, json!({"email": "ANN@example.com"})).await;
    assert_eq!(same_email["id"], c["id"], "the account's contact with that e-mail is reused");
    assert_ne!(same_email["source_id"], c["source_id"]);
    assert_ne!(same_email["pubsub_token"], c["pubsub_token"], "each session has its own token");

    let anonymous = app.client_contact(&inbox, json!({})).await;
    let name = anonymous["name"].as_str().unwrap();
    assert_eq!(name.split('-').count(), 3, "a generated name like the upstream's: {name}");
}

#[tokio::test]
async fn updating_a_contact_answers_the_raw_record_and_ignores_blank_values() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let inbox = app.api_inbox(&a, "Chat").await;
    let c = app.client_contact(&inbox, json!({"name": "Ann", "email": "ann@example.com"})).await;
    let path = public_path(&inbox, &format!("/contacts/{}", c["source_id"].as_str().unwrap()));
    let res = app
        .public(
            Method::PATCH,
            &path,
            Some(json!({"name": "Ann B", "email": "", "custom_attributes": {"plan": "gold"}})),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let raw = res.json();
    assert_eq!(raw["name"], "Ann B");
    assert_eq!(raw["email"], "ann@example.com", "a blank value does not clear the field");
    assert_eq!(raw["custom_attributes"], json!({"plan": "gold"}));
    assert_eq!(raw["account_id"], a.account_id);
    assert!(raw.get("pubsub_token").is_none() && raw.get("source_id").is_none());
    for key in
        ["middle_name", "last_name", "location", "country_code", "contact_type", "blocked", "company_id"]
    {
        assert!(raw.get(key).is_some(), "ContactRaw has {key}");
    }
    let put = app.public(Method::PUT, &path, Some(json!({"phone_number": "+15550001111"}))).await;
    assert_eq!(put.status, 200, "{}", put.text);
    assert_eq!(put.json()["phone_number"], "+15550001111");
}

#[tokio::test]
async fn bad_input_is_a_json_4xx_never_a_500() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let inbox = app.api_inbox(&a, "Chat").await;
    let c = app.client_contact(&inbox, json!({"name": "Ann"})).await;
    let sid = c["source_id"].as_str().unwrap();

    let unknown_inbox =
        app.public(Method::POST, "/public/api/v1/inboxes/nope/contacts", Some(json!({}))).await;
    assert_eq!(unknown_inbox.status, 404);
    assert_eq!(unknown_inbox.json(), json!({"status": 404, "error": "Not Found"}));

    let unknown_contact =
        app.public(Method::GET, &public_path(&inbox, "/contacts/not-a-source-id"), None).await;
    assert_eq!(unknown_contact.status, 404);

    let website = app
        .post(
            &a.path("/inboxes"),
            &a.admin.token,
            json!({"name": "Site", "channel": {"type": "web_widget",
            "website_url": "https://example.com"}}),
        )
        .await;
    assert_eq!(website.status, 200, "{}", website.text);
    let token = website.json()["website_token"].as_str().unwrap().to_owned();
    let widget_inbox =
        app.public(Method::POST, &format!("/public/api/v1/inboxes/{token}/contacts"), Some(json!({}))).await;
    assert_eq!(widget_inbox.status, 404, "only API-channel inboxes are reachable");

    let cases = [
        (Method::POST, public_path(&inbox, "/contacts"), "{not json"),
        (Method::POST, public_path(&inbox, "/contacts"), r#"{"email": "not-an-email"}"#),
        (Method::POST, public_path(&inbox, "/contacts"), r#"{"name": 42}"#),
        (Method::POST, public_path(&inbox, "/contacts"), r#"{"phone_number": "12"}"#),
        (Method::PATCH, public_path(&inbox, &format!("/contacts/{sid}")), r#"{"custom_attributes": "x"}"#),
        (Method::POST, public_path(&inbox, &format!("/contacts/{sid}/conversations")), "[1,2]"),
        (Method::GET, public_path(&inbox, &format!("/contacts/{sid}/conversations/abc")), ""),
        (
            Method::POST,
            public_path(&inbox, &format!("/contacts/{sid}/conversations/99999999999999999999/messages")),
            "{}",
        ),
    ];
    for (method, path, body) in cases {
        let res = app
            .send(
                app.build(method.clone(), &path)
                    .header("content-type", "application/json")
                    .body(body.to_owned()),
            )
            .await;
        assert!((400..500).contains(&res.status), "{method} {path} {body}: {} {}", res.status, res.text);
        assert!(serde_json::from_str::<serde_json::Value>(&res.text).is_ok(), "JSON body: {}", res.text);
    }
}

#[tokio::test]
async fn the_client_api_is_rate_limited_per_ip() {
    let app = TestApp::spawn_with(|c| {
        c.settings.client_limits.per_ip =
            onelink_api::login::limiter::Limit { attempts: 3, period: std::time::Duration::from_secs(60) };
    })
    .await;
    let a = app.tenant("Alpha").await;
    let inbox = app.api_inbox(&a, "Chat").await;
    for _ in 0..3 {
        let res = app.public(Method::GET, &public_path(&inbox, "/contacts/unknown"), None).await;
        assert_eq!(res.status, 404);
    }
    let res = app.public(Method::GET, &public_path(&inbox, "/contacts/unknown"), None).await;
    assert_eq!(res.status, 429, "{}", res.text);
    assert_eq!(res.json(), json!({"error": "Too many requests"}));
    assert!(res.headers.get("retry-after").is_some());
}
