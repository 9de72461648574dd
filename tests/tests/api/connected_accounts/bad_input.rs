//! Bad input on `/api/accounts`: 400 for broken JSON and unknown IRIs,
//! 415 for other media types, 422 ConstraintViolations naming each field.
//! Nothing is written.

use super::{call, connected, create, michael, patch, token};
use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::{json, Value};

fn violations(res: &onelink_tests::Response) -> Vec<(String, String)> {
    assert_eq!(res.status, 422, "{}", res.text);
    let body = res.json();
    assert_eq!(body["@type"], "ConstraintViolation");
    assert_eq!(body["title"], "An error occurred");
    body["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["propertyPath"].as_str().unwrap().to_owned(), v["message"].as_str().unwrap().to_owned()))
        .collect()
}

fn pair(path: &str, message: &str) -> (String, String) {
    (path.into(), message.into())
}

#[tokio::test]
async fn connected_account_bad_input_is_a_clear_4xx_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let jwt = token(&app, &a.admin).await;
    let before = app.event_count().await;

    let raw = |content_type: &'static str, body: &'static str| {
        let req = app
            .build(Method::POST, "/api/accounts")
            .bearer_auth(&jwt)
            .header("content-type", content_type)
            .body(body);
        app.send(req)
    };
    let syntax = raw("application/json", "{\"name\": ").await;
    assert_eq!(syntax.status, 400);
    assert_eq!(syntax.json()["detail"], "Syntax error");
    assert_eq!(raw("application/ld+json", "[1, 2]").await.status, 400);
    let form = raw("application/x-www-form-urlencoded", "name=x").await;
    assert_eq!(form.status, 415);
    assert_eq!(form.json()["@type"], "Error");
    let none = app.send(app.build(Method::POST, "/api/accounts").bearer_auth(&jwt).body("{}")).await;
    assert_eq!(none.status, 415);

    let unknown = create(&app, &jwt, json!({"integration": "/api/integrations/myspace", "name": "x"})).await;
    assert_eq!(unknown.status, 400);
    assert_eq!(unknown.json()["detail"], "Item not found for \"/api/integrations/myspace\".");
    let bad_inbox = create(
        &app,
        &jwt,
        json!({"integration": "/api/integrations/gmail", "name": "x",
        "credentials": {"k": "v"}, "inbox": "/api/v1/accounts/1/inboxes/abc"}),
    )
    .await;
    assert_eq!(bad_inbox.status, 400);

    let blank = create(&app, &jwt, json!({})).await;
    assert_eq!(
        violations(&blank),
        vec![
            pair("integration", "This value should not be blank."),
            pair("name", "This value should not be blank."),
            pair("credentials", "This value should not be blank.")
        ]
    );
    assert_eq!(
        blank.json()["detail"],
        "integration: This value should not be blank.\nname: This value should not be blank.\ncredentials: This value should not be blank."
    );
    assert_eq!(blank.json()["violations"][0]["code"], "c1051bb4-d103-4f74-8988-acbcafc7fdc3");

    let typed =
        create(&app, &jwt, json!({"integration": "/api/integrations/whatsapp", "name": 5, "config": []}))
            .await;
    assert_eq!(
        violations(&typed),
        vec![
            pair("name", "This value should be of type string."),
            pair("config", "This value should be of type object.")
        ]
    );
    let invalid = create(
        &app,
        &jwt,
        json!({"provider": "whatsapp", "name": "n".repeat(256),
        "avatarUrl": "ftp://example.com/a.png", "externalId": "555-1234", "credentials": {"t": "x"}}),
    )
    .await;
    assert_eq!(
        violations(&invalid),
        vec![
            pair("name", "This value is too long. It should have 255 characters or less."),
            pair("avatarUrl", "This value is not a valid URL."),
            pair("externalId", "This value is not a valid phone number."),
        ]
    );
    let creds =
        create(&app, &jwt, json!({"provider": "linkedin", "name": "x", "credentials": "li_at=abc"})).await;
    assert_eq!(violations(&creds), vec![pair("credentials", "This value should be of type object.")]);
    let choice =
        create(&app, &jwt, json!({"provider": "myspace", "name": "x", "credentials": {"a": 1}})).await;
    assert_eq!(violations(&choice), vec![pair("provider", "The value you selected is not a valid choice.")]);
    let huge = create(
        &app,
        &jwt,
        json!({"provider": "gmail", "name": "x", "credentials": {"a": "x".repeat(20_000)}}),
    )
    .await;
    assert_eq!(violations(&huge)[0].0, "credentials");
    assert_eq!(app.event_count().await, before, "bad input wrote events");
}

#[tokio::test]
async fn connected_account_patch_needs_merge_patch_and_keeps_the_provider() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let jwt = token(&app, &a.admin).await;
    let item = connected(&app, &jwt, michael("s")).await;
    let iri = item["@id"].as_str().unwrap();
    let before = app.event_count().await;

    let json_patch =
        call(&app, Method::PATCH, iri, Some(&jwt), Some(("application/json", json!({"name": "x"})))).await;
    assert_eq!(json_patch.status, 415);
    assert_eq!(
        json_patch.json()["detail"],
        "The content-type \"application/json\" is not supported. Supported MIME types are \"application/merge-patch+json\"."
    );
    let moved = patch(&app, iri, &jwt, json!({"integration": "/api/integrations/linkedin"})).await;
    assert_eq!(violations(&moved), vec![pair("integration", "This value cannot be changed.")]);
    let cleared = patch(&app, iri, &jwt, json!({"name": null, "credentials": {}})).await;
    assert_eq!(
        violations(&cleared),
        vec![pair("credentials", "This value should not be blank.")],
        "credentials are checked before sealing"
    );
    let blank_name = patch(&app, iri, &jwt, json!({"name": "  "})).await;
    assert_eq!(violations(&blank_name), vec![pair("name", "This value should not be blank.")]);
    let same =
        patch(&app, iri, &jwt, json!({"integration": "/api/integrations/whatsapp", "name": "Michael Scott"}))
            .await;
    assert_eq!(same.status, 200, "naming the current provider is fine");
    for path in ["/api/accounts/not-a-uuid", "/api/accounts/00000000-0000-0000-0000-000000000000"] {
        let res = patch(&app, path, &jwt, json!({"name": "x"})).await;
        assert_eq!(res.status, 404, "{path}");
    }
    assert_eq!(app.event_count().await, before, "refused or no-op patches wrote events");
    let _: Value = item;
}

#[tokio::test]
async fn connected_account_listing_rejects_bad_page_numbers() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let jwt = token(&app, &a.admin).await;
    for page in ["0", "-3", "abc"] {
        let res = super::get(&app, &format!("/api/accounts?page={page}"), &jwt).await;
        assert_eq!(res.status, 400, "{page}");
        assert_eq!(res.json()["detail"], "Page should not be less than 1");
    }
    assert_eq!(super::get(&app, "/api/accounts?account_id=abc", &jwt).await.status, 400);
}

#[tokio::test]
async fn connected_account_bodies_over_the_limit_are_a_json_413() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let jwt = token(&app, &a.admin).await;
    let big = format!("{{\"name\": \"{}\"}}", "x".repeat(2 * 1024 * 1024));
    let req =
        app.build(Method::POST, "/api/accounts").bearer_auth(&jwt).header("content-type", "application/json");
    let res = app.send(req.body(big)).await;
    assert_eq!(res.status, 413);
    assert_eq!(res.json()["@type"], "Error");
    assert_eq!(res.json()["status"], 413);
}
