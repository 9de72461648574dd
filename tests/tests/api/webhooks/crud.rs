//! Webhook CRUD in the upstream shapes, validation, roles and tenancy.

use super::create_webhook;
use crate::application::keys;
use onelink_tests::TestApp;
use serde_json::{json, Value};

const DENIED: &str = "You are not authorized to do this action";

#[tokio::test]
async fn webhooks_are_created_listed_updated_and_deleted_in_the_upstream_shape() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let res = app
        .post(
            &a.path("/webhooks"),
            &a.admin.token,
            json!({"webhook": {"url": "https://hooks.example.com/orders", "name": " Orders ",
                               "subscriptions": ["contact_created", "message_created", "contact_created"]}}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let body = res.json();
    assert_eq!(keys(&body), ["payload"]);
    assert_eq!(keys(&body["payload"]), ["webhook"]);
    let hook = body["payload"]["webhook"].clone();
    assert_eq!(
        keys(&hook),
        ["id", "name", "url", "account_id", "subscriptions", "secret", "enabled", "disabled_reason"]
    );
    assert_eq!(hook["name"], "Orders");
    assert_eq!(hook["url"], "https://hooks.example.com/orders");
    assert_eq!(hook["account_id"], a.account_id);
    assert_eq!(hook["subscriptions"], json!(["contact_created", "message_created"]));
    let secret = hook["secret"].as_str().unwrap();
    assert!(secret.starts_with("whsec_") && secret.len() >= 40, "{secret}");
    assert_eq!(hook["enabled"], true);

    // flat body, default subscriptions (the upstream's eight)
    let flat =
        app.post(&a.path("/webhooks"), &a.admin.token, json!({"url": "https://hooks.example.com/b"})).await;
    assert_eq!(flat.status, 200, "{}", flat.text);
    let flat = flat.json()["payload"]["webhook"].clone();
    assert_eq!(flat["subscriptions"].as_array().unwrap().len(), 8);
    assert_eq!(flat["name"], Value::Null);
    assert_ne!(flat["secret"], hook["secret"], "a secret per webhook");

    let list = app.get(&a.path("/webhooks"), &a.admin.token).await;
    assert_eq!(list.status, 200);
    assert_eq!(list.json(), json!({"payload": {"webhooks": [hook.clone(), flat.clone()]}}));

    let path = a.path(&format!("/webhooks/{}", hook["id"]));
    let patched = app
        .patch(
            &path,
            &a.admin.token,
            json!({"webhook": {"subscriptions": ["conversation_created"], "name": null}}),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    let patched = patched.json()["payload"]["webhook"].clone();
    assert_eq!(patched["subscriptions"], json!(["conversation_created"]));
    assert_eq!(patched["name"], Value::Null);
    assert_eq!(patched["url"], hook["url"], "absent fields are kept");
    assert_eq!(patched["secret"], hook["secret"], "the secret is stable");

    let inbox = app
        .post(&a.path("/inboxes"), &a.admin.token, json!({"name": "Api", "channel": {"type": "api"}}))
        .await;
    assert_eq!(inbox.status, 200, "{}", inbox.text);
    let inbox_id = inbox.json()["id"].clone();
    let put = app.put(&path, &a.admin.token, json!({"inbox_id": inbox_id, "enabled": false})).await;
    assert_eq!(put.status, 200, "{}", put.text);
    let put = put.json()["payload"]["webhook"].clone();
    assert_eq!(put["inbox"], json!({"id": inbox_id, "name": "Api"}));
    assert_eq!(put["enabled"], false);
    assert_eq!(put["disabled_reason"], "disabled by an administrator");
    let enabled = app.patch(&path, &a.admin.token, json!({"enabled": "true"})).await;
    assert_eq!(enabled.json()["payload"]["webhook"]["enabled"], true);

    let deleted = app.delete(&path, &a.admin.token).await;
    assert_eq!(deleted.status, 200);
    assert_eq!(deleted.text, "");
    let list = app.get(&a.path("/webhooks"), &a.admin.token).await.json();
    assert_eq!(list["payload"]["webhooks"].as_array().unwrap().len(), 1);
    assert_eq!(app.delete(&path, &a.admin.token).await.status, 404);
    // the URL is free again
    create_webhook(&app, &a, "https://hooks.example.com/orders", &["contact_created"]).await;
}

#[tokio::test]
async fn bad_webhooks_are_422_in_the_upstream_shape_and_write_nothing() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    create_webhook(&app, &a, "https://hooks.example.com/taken", &["contact_created"]).await;
    let before = app.event_count().await;
    let cases = [
        (json!({"subscriptions": ["contact_created"]}), "Url is invalid", vec!["url"]),
        (json!({"url": "https://hooks.example.com/taken"}), "Url has already been taken", vec!["url"]),
        (
            json!({"url": "https://hooks.example.com/x", "subscriptions": []}),
            "Subscriptions Invalid events",
            vec!["subscriptions"],
        ),
        (
            json!({"url": "https://hooks.example.com/x", "subscriptions": ["nope"]}),
            "Subscriptions Invalid events",
            vec!["subscriptions"],
        ),
        (
            json!({"url": "https://hooks.example.com/x", "subscriptions": "contact_created"}),
            "Subscriptions Invalid events",
            vec!["subscriptions"],
        ),
        (
            json!({"url": "https://hooks.example.com/x", "subscriptions": null}),
            "Subscriptions Invalid events",
            vec!["subscriptions"],
        ),
        (
            json!({"url": "ftp://hooks.example.com/x", "subscriptions": ["x"]}),
            "Url must use http or https, Subscriptions Invalid events",
            vec!["url", "subscriptions"],
        ),
        (
            json!({"url": "https://hooks.example.com/x", "inbox_id": 999999}),
            "Inbox must exist",
            vec!["inbox"],
        ),
        (
            json!({"url": "https://hooks.example.com/x", "name": "n".repeat(256)}),
            "Name is too long (maximum is 255 characters)",
            vec!["name"],
        ),
    ];
    for (body, message, attributes) in cases {
        let res = app.post(&a.path("/webhooks"), &a.admin.token, body.clone()).await;
        assert_eq!(res.status, 422, "{body}: {}", res.text);
        assert_eq!(res.json(), json!({"message": message, "attributes": attributes}), "{body}");
    }
    let res = app.post(&a.path("/webhooks"), &a.admin.token, json!({"url": 5})).await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert_eq!(res.json()["attributes"], json!(["url"]));
    let res = app
        .raw(reqwest::Method::POST, &a.path("/webhooks"), &a.admin.token, "application/json", b"{".to_vec())
        .await;
    assert_eq!(res.status, 400);
    assert!(res.json()["error"].is_string());
    assert_eq!(app.event_count().await, before, "nothing was written");

    let hook = create_webhook(&app, &a, "https://hooks.example.com/y", &["contact_created"]).await;
    let path = a.path(&format!("/webhooks/{}", hook["id"]));
    let res = app.patch(&path, &a.admin.token, json!({"url": "https://hooks.example.com/taken"})).await;
    assert_eq!(res.json(), json!({"message": "Url has already been taken", "attributes": ["url"]}));
    let res = app.patch(&path, &a.admin.token, json!({"subscriptions": ["contact_created", 3]})).await;
    assert_eq!(res.status, 422);
    assert_eq!(app.patch(&a.path("/webhooks/abc"), &a.admin.token, json!({})).await.status, 404);
}

#[tokio::test]
async fn only_administrators_of_the_account_reach_webhooks() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let hook = create_webhook(&app, &a, "https://hooks.example.com/a", &["contact_created"]).await;
    let id = hook["id"].clone();
    let before = app.event_count().await;
    let routes = |t: &onelink_tests::seed::Tenant| {
        vec![
            (reqwest::Method::GET, t.path("/webhooks"), None),
            (reqwest::Method::POST, t.path("/webhooks"), Some(json!({"url": "https://hooks.example.com/z"}))),
            (reqwest::Method::PATCH, t.path(&format!("/webhooks/{id}")), Some(json!({"name": "x"}))),
            (reqwest::Method::PUT, t.path(&format!("/webhooks/{id}")), Some(json!({"name": "x"}))),
            (reqwest::Method::DELETE, t.path(&format!("/webhooks/{id}")), None),
            (reqwest::Method::GET, t.path(&format!("/webhooks/{id}/deliveries")), None),
            (
                reqwest::Method::POST,
                t.path(&format!("/webhooks/{id}/replay")),
                Some(json!({"from_position": 0})),
            ),
        ]
    };
    for (method, path, body) in routes(&a) {
        // an agent of the account: 401 before any lookup
        let res = app.request(method.clone(), &path, Some(&a.agent.token), body.clone()).await;
        assert_eq!(res.status, 401, "agent {method} {path}: {}", res.text);
        assert_eq!(res.json(), json!({"error": DENIED}));
        // another tenant's administrator on this account's paths
        let res = app.request(method.clone(), &path, Some(&b.admin.token), body.clone()).await;
        assert_eq!(res.status, 401, "foreign admin {method} {path}: {}", res.text);
        assert!(!res.text.contains(hook["secret"].as_str().unwrap()));
        // no token at all
        assert_eq!(app.request(method.clone(), &path, None, body.clone()).await.status, 401);
    }
    for (method, path, body) in routes(&b).into_iter().skip(2) {
        // the other tenant's own paths with this account's webhook id
        let res = app.request(method.clone(), &path, Some(&b.admin.token), body).await;
        assert_eq!(res.status, 404, "{method} {path}: {}", res.text);
    }
    let theirs = app.get(&b.path("/webhooks"), &b.admin.token).await;
    assert_eq!(theirs.json(), json!({"payload": {"webhooks": []}}));
    assert_eq!(app.event_count().await, before, "nothing was written");
}
