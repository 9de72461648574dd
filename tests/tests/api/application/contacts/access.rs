//! Roles and tenancy: agents may do everything but delete; another
//! account's members get 401 on our paths and 404 for our ids on theirs;
//! no listing ever shows another account's contacts; refused requests
//! write nothing.

use super::cond;
use onelink_tests::seed::Tenant;
use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::{json, Value};

/// Every contact route for contact `id` (with a body where one is taken).
fn routes(t: &Tenant, id: &Value) -> Vec<(Method, String, Option<Value>)> {
    let one = t.path(&format!("/contacts/{id}"));
    vec![
        (Method::GET, t.path("/contacts"), None),
        (Method::POST, t.path("/contacts"), Some(json!({"name": "X", "email": "x@example.com"}))),
        (Method::GET, t.path("/contacts/search?q=CANARY"), None),
        (Method::POST, t.path("/contacts/filter"), Some(json!({"payload": []}))),
        (Method::GET, one.clone(), None),
        (Method::PATCH, one.clone(), Some(json!({"name": "Hijacked"}))),
        (Method::PUT, one.clone(), Some(json!({"name": "Hijacked"}))),
        (Method::DELETE, one.clone(), None),
        (Method::GET, format!("{one}/labels"), None),
        (Method::POST, format!("{one}/labels"), Some(json!({"labels": ["pwned"]}))),
        (Method::POST, format!("{one}/destroy_custom_attributes"), Some(json!({"custom_attributes": ["k"]}))),
    ]
}

#[tokio::test]
async fn agents_may_do_everything_but_delete() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let c = app
        .contact(&a, json!({"name": "Ada", "email": "ada@example.com", "custom_attributes": {"k": 1}}))
        .await;
    let before = app.event_count().await;
    let denied = app.delete(&a.path(&format!("/contacts/{}", c["id"])), &a.agent.token).await;
    assert_eq!(denied.status, 401);
    assert_eq!(denied.json(), json!({"error": "You are not authorized to do this action"}));
    // the role is checked before the contact is looked up (as upstream)
    for id in ["999999", "abc"] {
        let res = app.delete(&a.path(&format!("/contacts/{id}")), &a.agent.token).await;
        assert_eq!(res.status, 401, "{id}");
    }
    assert_eq!(app.event_count().await, before);
    for (method, path, body) in routes(&a, &c["id"]) {
        if method == Method::DELETE {
            continue;
        }
        let res = app.request(method.clone(), &path, Some(&a.agent.token), body).await;
        assert_eq!(res.status, 200, "{method} {path}: {}", res.text);
    }
}

#[tokio::test]
async fn bots_and_anonymous_callers_are_refused() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let c = app.contact(&a, json!({"name": "Ada", "email": "ada@example.com"})).await;
    let bot = app
        .post(
            "/platform/api/v1/agent_bots",
            &a.platform_token,
            json!({"name": "Bot", "account_id": a.account_id}),
        )
        .await
        .json();
    let bot_token = bot["access_token"].as_str().unwrap().to_owned();
    for (method, path, body) in routes(&a, &c["id"]) {
        let res = app.request(method.clone(), &path, Some(&bot_token), body.clone()).await;
        assert_eq!(res.status, 401, "{method} {path}");
        assert_eq!(res.json(), json!({"error": "Access to this endpoint is not authorized for bots"}));
        let res = app.request(method.clone(), &path, None, body).await;
        assert_eq!(res.status, 401, "{method} {path}");
        assert_eq!(res.json(), json!({"errors": ["You need to sign in or sign up before continuing."]}));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_account_can_neither_see_nor_touch_our_contacts() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let canary_a = format!("CANARY-A-{}", uuid::Uuid::new_v4().simple());
    let canary_b = format!("CANARY-B-{}", uuid::Uuid::new_v4().simple());
    let mut a_ids = Vec::new();
    for (t, canary, mut ids) in [(&a, &canary_a, Some(&mut a_ids)), (&b, &canary_b, None)] {
        for i in 0..3 {
            let c = app
                .contact(
                    t,
                    json!({"name": format!("{canary} {i}"), "email": format!("{canary}-{i}@example.com"),
                           "identifier": format!("{canary}-{i}"), "additional_attributes": {"city": canary},
                           "custom_attributes": {"k": canary}}),
                )
                .await;
            let labels = t.path(&format!("/contacts/{}/labels", c["id"]));
            app.post(&labels, &t.admin.token, json!({"labels": ["shared"]})).await;
            if let Some(ids) = ids.as_deref_mut() {
                ids.push(c["id"].clone());
            }
        }
    }
    let before = app.event_count().await;
    // B's admin on A's paths: not a member
    for (method, path, body) in routes(&a, &a_ids[0]) {
        let res = app.request(method.clone(), &path, Some(&b.admin.token), body).await;
        assert_eq!(res.status, 401, "{method} {path}");
        assert_eq!(res.json(), json!({"error": "You are not authorized to access this account"}));
    }
    // B's admin with A's contact ids on B's own paths: not found
    for id in &a_ids {
        for (method, path, body) in routes(&b, id).into_iter().skip(4) {
            let res = app.request(method.clone(), &path, Some(&b.admin.token), body).await;
            assert_eq!(res.status, 404, "{method} {path}: {}", res.text);
            assert_eq!(res.json(), json!({"error": "Resource could not be found"}));
        }
    }
    assert_eq!(app.event_count().await, before, "refused requests write nothing");

    // B's listings, searches and filters only ever show B's contacts
    let shared = |t: &Tenant| {
        vec![
            t.path("/contacts"),
            t.path("/contacts?labels[]=shared"),
            t.path("/contacts/search?q=CANARY"),
            t.path("/contacts/search?q=example.com"),
            t.path(&format!("/contacts/search?q={canary_a}")),
        ]
    };
    for path in shared(&b) {
        let res = app.get(&path, &b.agent.token).await;
        assert_eq!(res.status, 200);
        assert!(!res.text.contains(&canary_a), "{path} leaks A's contacts");
    }
    for payload in [
        json!([]),
        json!([cond("name", "contains", json!(["CANARY"]), Value::Null)]),
        json!([cond("city", "equal_to", json!([canary_a]), Value::Null)]),
        json!([cond("labels", "equal_to", json!(["shared"]), Value::Null)]),
        json!([
            cond("email", "contains", json!(["canary"]), json!("OR")),
            cond("labels", "is_present", json!([]), Value::Null)
        ]),
    ] {
        let res = super::filter(&app, &b, payload.clone()).await;
        assert_eq!(res.status, 200, "{payload}");
        assert!(!res.text.contains(&canary_a), "{payload} leaks A's contacts");
        assert!(res.json()["meta"]["count"].as_i64().unwrap() <= 3);
    }
    let a_list = app.get(&a.path("/contacts/search?q=CANARY"), &a.agent.token).await;
    assert!(!a_list.text.contains(&canary_b));
    assert_eq!(a_list.json()["meta"]["count"], 3);
}
