//! `/api/v1/accounts/{account_id}/custom_attribute_definitions`: shape,
//! model filter, key rules, administrators-only writes (the upstream's
//! BFLA, PR #14392), tenancy, mass assignment and bad input.

use super::keys;
use onelink_tests::seed::Tenant;
use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::{json, Value};

const DENIED: &str = "You are not authorized to do this action";
const KEYS: [&str; 12] = [
    "id",
    "attribute_display_name",
    "attribute_display_type",
    "attribute_description",
    "attribute_key",
    "regex_pattern",
    "regex_cue",
    "attribute_values",
    "attribute_model",
    "default_value",
    "created_at",
    "updated_at",
];

pub async fn define(app: &TestApp, t: &Tenant, body: Value) -> Value {
    let res = app.post(&t.path("/custom_attribute_definitions"), &t.admin.token, body).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()
}

fn attribute_keys(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|d| d["attribute_key"].as_str().unwrap().to_owned()).collect()
}

fn invalid(message: &str, attribute: &str) -> Value {
    json!({"message": message, "attributes": [attribute]})
}

#[tokio::test]
async fn definitions_are_created_read_updated_and_deleted_in_the_upstream_shape() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let plan = define(
        &app,
        &a,
        json!({"custom_attribute_definition": {
            "attribute_display_name": " Plan ", "attribute_key": " plan ", "attribute_display_type": "list",
            "attribute_model": "contact_attribute", "attribute_description": "Subscription plan",
            "attribute_values": ["free", "pro"], "regex_pattern": "^[a-z]+$", "regex_cue": "lower case",
            "default_value": 1}}),
    )
    .await;
    assert_eq!(keys(&plan), KEYS);
    assert_eq!(plan["attribute_display_name"], "Plan");
    assert_eq!(plan["attribute_key"], "plan");
    assert_eq!(plan["attribute_display_type"], "list");
    assert_eq!(plan["attribute_model"], "contact_attribute");
    assert_eq!(plan["attribute_values"], json!(["free", "pro"]));
    assert_eq!(plan["regex_pattern"], "^[a-z]+$");
    assert_eq!(plan["regex_cue"], "lower case");
    assert_eq!(plan["default_value"], 1);

    // defaults: a text conversation attribute
    let minimal =
        define(&app, &a, json!({"attribute_display_name": "Order", "attribute_key": "order_id"})).await;
    assert_eq!(minimal["attribute_display_type"], "text");
    assert_eq!(minimal["attribute_model"], "conversation_attribute");
    assert_eq!(minimal["attribute_values"], json!([]));
    for key in ["attribute_description", "regex_pattern", "regex_cue", "default_value"] {
        assert_eq!(minimal[key], Value::Null, "{key}");
    }
    // the upstream's integer values, as numbers or strings
    let seats = define(
        &app,
        &a,
        json!({"attribute_display_name": "Seats", "attribute_key": "seats", "attribute_display_type": 1,
               "attribute_model": "1"}),
    )
    .await;
    assert_eq!(
        (seats["attribute_display_type"].as_str(), seats["attribute_model"].as_str()),
        (Some("number"), Some("contact_attribute"))
    );
    let flag = define(
        &app,
        &a,
        json!({"attribute_display_name": "VIP", "attribute_key": "vip", "attribute_display_type": "7",
               "attribute_model": 0, "default_value": "3"}),
    )
    .await;
    assert_eq!(flag["attribute_display_type"], "checkbox");
    assert_eq!(flag["default_value"], 3);

    let list = |query: &'static str| {
        let (app, path, token) =
            (&app, a.path(&format!("/custom_attribute_definitions{query}")), a.agent.token.clone());
        async move { attribute_keys(&app.get(&path, &token).await.json()) }
    };
    assert_eq!(list("").await, ["plan", "order_id", "seats", "vip"]);
    assert_eq!(list("?attribute_model=1").await, ["plan", "seats"]);
    assert_eq!(list("?attribute_model=contact_attribute").await, ["plan", "seats"]);
    assert_eq!(list("?attribute_model=0").await, ["order_id", "vip"]);
    assert_eq!(list("?attribute_model=conversation_attribute").await, ["order_id", "vip"]);
    assert_eq!(list("?attribute_model=").await.len(), 4, "a blank model is every model");
    assert_eq!(list("?attribute_model=company_attribute").await, Vec::<String>::new());

    let path = a.path(&format!("/custom_attribute_definitions/{}", plan["id"]));
    let shown = app.get(&path, &a.agent.token).await;
    assert_eq!(shown.status, 200);
    assert_eq!(shown.json(), plan);
    let patched = app
        .patch(
            &path,
            &a.admin.token,
            json!({"attribute_display_name": "Tier", "attribute_values": ["free", "pro", "max"],
                   "attribute_description": null, "default_value": null}),
        )
        .await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    let patched = patched.json();
    assert_eq!(patched["attribute_display_name"], "Tier");
    assert_eq!(patched["attribute_values"], json!(["free", "pro", "max"]));
    assert_eq!(patched["attribute_description"], Value::Null);
    assert_eq!(patched["default_value"], Value::Null);
    assert_eq!(patched["attribute_key"], "plan", "absent fields are kept");
    let put = app
        .put(&path, &a.admin.token, json!({"custom_attribute_definition": {"attribute_key": "tier"}}))
        .await;
    assert_eq!(put.status, 200, "{}", put.text);
    assert_eq!(put.json()["attribute_key"], "tier");

    let deleted = app.delete(&path, &a.admin.token).await;
    assert_eq!(deleted.status, 204);
    assert_eq!(deleted.text, "");
    assert_eq!(app.get(&path, &a.agent.token).await.status, 404);
    assert_eq!(app.delete(&path, &a.admin.token).await.status, 404);
    // the key of a deleted definition is free again
    define(
        &app,
        &a,
        json!({"attribute_display_name": "Tier", "attribute_key": "tier", "attribute_model": 1}),
    )
    .await;
}

#[tokio::test]
async fn agents_read_definitions_but_only_administrators_write_them() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let plan = define(&app, &a, json!({"attribute_display_name": "Plan", "attribute_key": "plan"})).await;
    let path = a.path(&format!("/custom_attribute_definitions/{}", plan["id"]));
    let body = json!({"attribute_display_name": "Mine", "attribute_key": "mine"});
    let before = app.event_count().await;
    for (method, path, body) in [
        (Method::POST, a.path("/custom_attribute_definitions"), Some(body.clone())),
        (Method::PATCH, path.clone(), Some(body.clone())),
        (Method::PUT, path.clone(), Some(body.clone())),
        (Method::DELETE, path.clone(), None),
        // the role comes first: unknown ids are 401 too
        (Method::PATCH, a.path("/custom_attribute_definitions/999999"), Some(body.clone())),
        (Method::DELETE, a.path("/custom_attribute_definitions/999999"), None),
    ] {
        let res = app.request(method.clone(), &path, Some(&a.agent.token), body).await;
        assert_eq!(res.status, 401, "{method} {path}");
        assert_eq!(res.json(), json!({"error": DENIED}));
    }
    assert_eq!(app.event_count().await, before, "refused requests write nothing");
    assert_eq!(app.get(&path, &a.agent.token).await.json(), plan);
    assert_eq!(app.get(&a.path("/custom_attribute_definitions"), &a.agent.token).await.json(), json!([plan]));
}

#[tokio::test]
async fn keys_have_the_upstream_format_are_not_standard_attributes_and_are_unique_per_model() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let post = |body: Value| {
        let (app, path, token) = (&app, a.path("/custom_attribute_definitions"), a.admin.token.clone());
        async move { app.post(&path, &token, body).await }
    };
    let blank = post(json!({"attribute_key": " "})).await;
    assert_eq!(blank.status, 422);
    assert_eq!(
        blank.json(),
        json!({"message": "Attribute display name can't be blank, Attribute key can't be blank, \
                           Attribute key must only contain letters, numbers, underscores, hyphens, and dots",
               "attributes": ["attribute_display_name", "attribute_key"]})
    );
    let format = "Attribute key must only contain letters, numbers, underscores, hyphens, and dots";
    for key in ["two words", "x'; DROP TABLE contacts; --", "a\"b", "a/b", "${x}", "k\u{0}"] {
        let res = post(json!({"attribute_display_name": "X", "attribute_key": key})).await;
        assert_eq!(res.status, 422, "{key:?}");
        assert_eq!(res.json(), invalid(format, "attribute_key"), "{key:?}");
    }
    let conflict =
        "Attribute key The provided key is not allowed as it might conflict with default attributes.";
    for (model, key) in [(0, "status"), (0, "labels"), (1, "email"), (1, "company"), (1, "blocked")] {
        let res =
            post(json!({"attribute_display_name": "X", "attribute_key": key, "attribute_model": model}))
                .await;
        assert_eq!(res.status, 422, "{model} {key}");
        assert_eq!(res.json(), invalid(conflict, "attribute_key"));
    }
    define(&app, &a, json!({"attribute_display_name": "Email", "attribute_key": "email"})).await; // a conversation key
    define(
        &app,
        &a,
        json!({"attribute_display_name": "Größe", "attribute_key": "größe.v-2", "attribute_model": 1}),
    )
    .await;

    let taken = invalid("Attribute key has already been taken", "attribute_key");
    let plan = define(&app, &a, json!({"attribute_display_name": "Plan", "attribute_key": "plan"})).await;
    let again = post(json!({"attribute_display_name": "Plan 2", "attribute_key": " plan "})).await;
    assert_eq!(again.status, 422);
    assert_eq!(again.json(), taken);
    let contact_plan = define(
        &app,
        &a,
        json!({"attribute_display_name": "Plan", "attribute_key": "plan", "attribute_model": 1}),
    )
    .await;
    define(&app, &a, json!({"attribute_display_name": "Plan", "attribute_key": "Plan"})).await; // case matters
    define(&app, &b, json!({"attribute_display_name": "Plan", "attribute_key": "plan"})).await;

    // moving into a taken (model, key) is refused; moving frees the old one
    let contact_path = a.path(&format!("/custom_attribute_definitions/{}", contact_plan["id"]));
    let moved =
        app.patch(&contact_path, &a.admin.token, json!({"attribute_model": "conversation_attribute"})).await;
    assert_eq!(moved.status, 422);
    assert_eq!(moved.json(), taken);
    let reserved = app.patch(&contact_path, &a.admin.token, json!({"attribute_key": "phone_number"})).await;
    assert_eq!(reserved.json(), invalid(conflict, "attribute_key"));
    let plan_path = a.path(&format!("/custom_attribute_definitions/{}", plan["id"]));
    assert_eq!(app.patch(&plan_path, &a.admin.token, json!({"attribute_key": "tier"})).await.status, 200);
    let moved = app.patch(&contact_path, &a.admin.token, json!({"attribute_model": 0})).await;
    assert_eq!(moved.status, 200, "{}", moved.text);
    define(
        &app,
        &a,
        json!({"attribute_display_name": "Plan", "attribute_key": "plan", "attribute_model": 1}),
    )
    .await;
}

#[tokio::test]
async fn another_tenant_can_neither_see_nor_touch_a_definition() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let secret =
        define(&app, &a, json!({"attribute_display_name": "CANARY", "attribute_key": "canary"})).await;
    let id = secret["id"].as_i64().unwrap();
    let before = app.event_count().await;
    let body = json!({"attribute_display_name": "pwned", "attribute_key": "pwned"});
    for method in [Method::GET, Method::PATCH, Method::PUT, Method::DELETE] {
        let body = matches!(method, Method::PATCH | Method::PUT).then(|| body.clone());
        let rest = format!("/custom_attribute_definitions/{id}");
        let res = app.request(method.clone(), &a.path(&rest), Some(&b.admin.token), body.clone()).await;
        assert_eq!(res.status, 401, "{method} A's path");
        assert_eq!(res.json(), json!({"error": "You are not authorized to access this account"}));
        let res = app.request(method.clone(), &b.path(&rest), Some(&b.admin.token), body).await;
        assert_eq!(res.status, 404, "{method} B's path");
        assert_eq!(res.json(), json!({"error": "Resource could not be found"}));
    }
    for method in [Method::GET, Method::POST] {
        let body = (method == Method::POST).then(|| body.clone());
        let res = app
            .request(method.clone(), &a.path("/custom_attribute_definitions"), Some(&b.admin.token), body)
            .await;
        assert_eq!(res.status, 401, "{method} list");
    }
    assert_eq!(app.event_count().await, before);
    assert_eq!(app.get(&b.path("/custom_attribute_definitions"), &b.admin.token).await.json(), json!([]));
    // the same key is free in B
    define(&app, &b, json!({"attribute_display_name": "Canary", "attribute_key": "canary"})).await;
}

#[tokio::test]
async fn ids_account_ids_and_timestamps_in_bodies_are_ignored() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let made = define(
        &app,
        &a,
        json!({"attribute_display_name": "Plan", "attribute_key": "plan", "id": 999_999, "account_id": b.account_id,
               "created_at": "2000-01-01T00:00:00.000Z", "position": 1}),
    )
    .await;
    assert_ne!(made["id"], 999_999);
    assert!(!made["created_at"].as_str().unwrap().starts_with("2000"));
    let path = a.path(&format!("/custom_attribute_definitions/{}", made["id"]));
    let before = app.event_count().await;
    let res = app
        .patch(
            &path,
            &a.admin.token,
            json!({"account_id": b.account_id, "id": 1, "updated_at": "2000-01-01"}),
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json(), made);
    assert_eq!(app.event_count().await, before);
    assert_eq!(app.get(&b.path("/custom_attribute_definitions"), &b.admin.token).await.json(), json!([]));
}

#[tokio::test]
async fn bad_definition_input_is_a_clear_4xx() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let base = json!({"attribute_display_name": "X", "attribute_key": "x"});
    let with = |field: &str, value: Value| {
        let mut body = base.clone();
        body[field] = value;
        body
    };
    let before = app.event_count().await;
    let not_in_list =
        |label: &str, attribute: &str| invalid(&format!("{label} is not included in the list"), attribute);
    let exact = [
        (
            with("attribute_display_type", json!("rainbow")),
            not_in_list("Attribute display type", "attribute_display_type"),
        ),
        (
            with("attribute_display_type", json!(8)),
            not_in_list("Attribute display type", "attribute_display_type"),
        ),
        (
            with("attribute_display_type", json!("Text")),
            not_in_list("Attribute display type", "attribute_display_type"),
        ),
        (
            with("attribute_display_type", json!(null)),
            invalid("Attribute display type can't be blank", "attribute_display_type"),
        ),
        (
            with("attribute_model", json!("company_attribute")),
            not_in_list("Attribute model", "attribute_model"),
        ),
        (with("attribute_model", json!(2)), not_in_list("Attribute model", "attribute_model")),
        (with("attribute_model", json!(true)), not_in_list("Attribute model", "attribute_model")),
        (with("attribute_model", json!("")), invalid("Attribute model can't be blank", "attribute_model")),
    ];
    for (body, expected) in exact {
        let res = app.post(&a.path("/custom_attribute_definitions"), &a.admin.token, body.clone()).await;
        assert_eq!(res.status, 422, "{body}");
        assert_eq!(res.json(), expected, "{body}");
    }
    for (body, attribute) in [
        (with("attribute_display_name", json!(5)), "attribute_display_name"),
        (with("attribute_key", json!(["x"])), "attribute_key"),
        (with("attribute_values", json!("free,pro")), "attribute_values"),
        (with("attribute_values", json!([1, 2])), "attribute_values"),
        (with("attribute_values", json!(["x".repeat(256)])), "attribute_values"),
        (with("default_value", json!("abc")), "default_value"),
        (with("default_value", json!(1.5)), "default_value"),
        (with("regex_pattern", json!({"a": 1})), "regex_pattern"),
        (with("regex_cue", json!("x".repeat(256))), "regex_cue"),
        (with("attribute_description", json!("x".repeat(20_001))), "attribute_description"),
        (with("attribute_key", json!("x".repeat(256))), "attribute_key"),
    ] {
        let res = app.post(&a.path("/custom_attribute_definitions"), &a.admin.token, body.clone()).await;
        assert_eq!(res.status, 422, "{body}: {}", res.text);
        assert_eq!(res.json()["attributes"], json!([attribute]), "{body}");
    }
    let malformed = app
        .raw(
            Method::POST,
            &a.path("/custom_attribute_definitions"),
            &a.admin.token,
            "application/json",
            b"[1,".to_vec(),
        )
        .await;
    assert_eq!(malformed.status, 400);
    assert_eq!(app.event_count().await, before);
    for id in ["999999", "abc", "1.5", "-1"] {
        for method in [Method::GET, Method::PATCH, Method::DELETE] {
            let path = a.path(&format!("/custom_attribute_definitions/{id}"));
            let body = (method == Method::PATCH).then(|| base.clone());
            let res = app.request(method.clone(), &path, Some(&a.admin.token), body).await;
            assert_eq!(res.status, 404, "{method} {path}");
            assert_eq!(res.json(), json!({"error": "Resource could not be found"}));
        }
    }
}
