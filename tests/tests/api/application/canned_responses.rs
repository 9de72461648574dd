//! `/api/v1/accounts/{account_id}/canned_responses`: shape, search, short
//! code uniqueness, every member may write, tenancy, mass assignment and
//! bad input.

use super::keys;
use onelink_tests::seed::Tenant;
use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::{json, Value};

const KEYS: [&str; 6] = ["id", "account_id", "short_code", "content", "created_at", "updated_at"];

async fn create(app: &TestApp, t: &Tenant, token: &str, body: Value) -> Value {
    let res = app.post(&t.path("/canned_responses"), token, body).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()
}

fn short_codes(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|c| c["short_code"].as_str().unwrap().to_owned()).collect()
}

/// `2026-01-19T10:00:00.123Z`
fn assert_iso_millis(value: &Value) {
    let text = value.as_str().unwrap_or_else(|| panic!("not a string: {value}"));
    assert!(chrono::DateTime::parse_from_rfc3339(text).is_ok(), "{text}");
    assert!(text.ends_with('Z') && text.len() == 24, "{text}");
}

#[tokio::test]
async fn any_member_creates_lists_updates_and_deletes_canned_responses_in_the_upstream_shape() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let hello = create(
        &app,
        &a,
        &a.agent.token,
        json!({"canned_response": {"short_code": " hello ", "content": "Hi there!\nHow can I help?"}}),
    )
    .await;
    assert_eq!(keys(&hello), KEYS);
    assert_eq!(hello["short_code"], "hello", "short codes are trimmed");
    assert_eq!(hello["content"], "Hi there!\nHow can I help?");
    assert_eq!(hello["account_id"], a.account_id);
    assert_iso_millis(&hello["created_at"]);
    assert_eq!(hello["created_at"], hello["updated_at"]);
    let bye = create(&app, &a, &a.admin.token, json!({"short_code": "bye", "content": "Bye!"})).await;

    let list = app.get(&a.path("/canned_responses"), &a.agent.token).await;
    assert_eq!(list.status, 200);
    assert_eq!(list.json(), json!([hello, bye]));

    // the agent edits the administrator's and the other way round
    let bye_path = a.path(&format!("/canned_responses/{}", bye["id"]));
    let patched = app.patch(&bye_path, &a.agent.token, json!({"content": "See you!"})).await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    assert_eq!(patched.json()["content"], "See you!");
    assert_eq!(patched.json()["short_code"], "bye", "absent fields are kept");
    assert_ne!(patched.json()["updated_at"], bye["updated_at"]);
    let hello_path = a.path(&format!("/canned_responses/{}", hello["id"]));
    let put = app.put(&hello_path, &a.admin.token, json!({"canned_response": {"short_code": "hi"}})).await;
    assert_eq!(put.status, 200, "{}", put.text);
    assert_eq!(put.json()["short_code"], "hi");

    let deleted = app.delete(&hello_path, &a.agent.token).await;
    assert_eq!(deleted.status, 200);
    assert_eq!(deleted.text, "");
    assert_eq!(app.delete(&hello_path, &a.agent.token).await.status, 404);
    assert_eq!(short_codes(&app.get(&a.path("/canned_responses"), &a.admin.token).await.json()), ["bye"]);
    // a deleted response's short code is free again
    create(&app, &a, &a.agent.token, json!({"short_code": "hi", "content": "Again"})).await;
}

#[tokio::test]
async fn search_matches_short_code_or_content_and_ranks_short_code_prefixes_first() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    for (code, content) in [
        ("farewell", "Hello and goodbye"),
        ("say_hello", "Greeting"),
        ("hello", "Hi"),
        ("refund", "100% of the price"),
        ("other", "Nothing to see"),
    ] {
        create(&app, &a, &a.agent.token, json!({"short_code": code, "content": content})).await;
    }
    let search = |q: &str| {
        let (app, path, token) =
            (&app, a.path(&format!("/canned_responses?search={q}")), a.agent.token.clone());
        async move { short_codes(&app.get(&path, &token).await.json()) }
    };
    assert_eq!(search("HELLO").await, ["hello", "say_hello", "farewell"]);
    assert_eq!(search("ell").await, ["farewell", "say_hello", "hello"], "contained short codes by id");
    assert_eq!(search("%25").await, ["refund"], "% matches literally");
    assert_eq!(search("_").await, ["say_hello"], "_ matches literally");
    assert_eq!(search("nope").await, Vec::<String>::new());
    assert_eq!(search("").await.len(), 5, "an empty search is everything");
    assert_eq!(search("%00hello").await, ["hello", "say_hello", "farewell"], "NUL is dropped");
}

#[tokio::test]
async fn short_codes_are_required_and_unique_per_account_case_sensitively() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let blank = json!({"message": "Content can't be blank, Short code can't be blank",
                       "attributes": ["content", "short_code"]});
    for body in [
        json!({}),
        json!({"short_code": " ", "content": ""}),
        json!({"canned_response": {"short_code": null}}),
    ] {
        let res = app.post(&a.path("/canned_responses"), &a.agent.token, body.clone()).await;
        assert_eq!(res.status, 422, "{body}");
        assert_eq!(res.json(), blank, "{body}");
    }
    let hello = create(&app, &a, &a.agent.token, json!({"short_code": "hello", "content": "Hi"})).await;
    let taken = json!({"message": "Short code has already been taken", "attributes": ["short_code"]});
    for code in ["hello", " hello "] {
        let res = app
            .post(&a.path("/canned_responses"), &a.agent.token, json!({"short_code": code, "content": "x"}))
            .await;
        assert_eq!(res.status, 422, "{code}");
        assert_eq!(res.json(), taken);
    }
    create(&app, &a, &a.agent.token, json!({"short_code": "Hello", "content": "case matters"})).await;
    create(&app, &b, &b.agent.token, json!({"short_code": "hello", "content": "other account"})).await;

    let other = create(&app, &a, &a.agent.token, json!({"short_code": "other", "content": "x"})).await;
    let other_path = a.path(&format!("/canned_responses/{}", other["id"]));
    let rename = app.patch(&other_path, &a.agent.token, json!({"short_code": "hello"})).await;
    assert_eq!(rename.status, 422);
    assert_eq!(rename.json(), taken);
    let null = app.patch(&other_path, &a.agent.token, json!({"short_code": null})).await;
    assert_eq!(null.json(), json!({"message": "Short code can't be blank", "attributes": ["short_code"]}));

    // renaming frees the old short code
    let hello_path = a.path(&format!("/canned_responses/{}", hello["id"]));
    assert_eq!(app.patch(&hello_path, &a.agent.token, json!({"short_code": "hi"})).await.status, 200);
    create(&app, &a, &a.agent.token, json!({"short_code": "hello", "content": "reused"})).await;
    let same = app.patch(&hello_path, &a.agent.token, json!({"short_code": "hi", "content": "Hi"})).await;
    assert_eq!(same.status, 200, "an unchanged update is fine: {}", same.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_creates_with_one_short_code_have_exactly_one_winner() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let mut set = tokio::task::JoinSet::new();
    for i in 0..6 {
        let (http, url, token) = (
            app.http.clone(),
            format!("{}{}", app.base_url, a.path("/canned_responses")),
            a.agent.token.clone(),
        );
        set.spawn(async move {
            let body = json!({"short_code": "dup", "content": format!("try {i}")});
            let res = http.post(url).header("api_access_token", token).json(&body).send().await.unwrap();
            res.status().as_u16()
        });
    }
    let mut statuses = Vec::new();
    while let Some(done) = set.join_next().await {
        statuses.push(done.unwrap());
    }
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 422, 422, 422, 422, 422]);
    assert_eq!(
        app.get(&a.path("/canned_responses"), &a.agent.token).await.json().as_array().unwrap().len(),
        1
    );
}

#[tokio::test]
async fn another_tenant_can_neither_see_nor_touch_a_canned_response() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let secret = create(&app, &a, &a.agent.token, json!({"short_code": "secret", "content": "CANARY"})).await;
    let id = secret["id"].as_i64().unwrap();
    let before = app.event_count().await;
    let body = Some(json!({"short_code": "pwned", "content": "pwned"}));
    for (method, rest, body) in [
        (Method::GET, "/canned_responses".to_owned(), None),
        (Method::POST, "/canned_responses".to_owned(), body.clone()),
        (Method::PATCH, format!("/canned_responses/{id}"), body.clone()),
        (Method::PUT, format!("/canned_responses/{id}"), body.clone()),
        (Method::DELETE, format!("/canned_responses/{id}"), None),
    ] {
        let theirs = a.path(&rest);
        let res = app.request(method.clone(), &theirs, Some(&b.admin.token), body.clone()).await;
        assert_eq!(res.status, 401, "{method} {theirs}");
        assert_eq!(res.json(), json!({"error": "You are not authorized to access this account"}));
        if rest != "/canned_responses" {
            let ours = b.path(&rest);
            let res = app.request(method.clone(), &ours, Some(&b.admin.token), body).await;
            assert_eq!(res.status, 404, "{method} {ours}");
            assert_eq!(res.json(), json!({"error": "Resource could not be found"}));
        }
    }
    assert_eq!(app.event_count().await, before, "refused requests write nothing");
    let list = app.get(&b.path("/canned_responses?search=CANARY"), &b.admin.token).await;
    assert_eq!(list.json(), json!([]));
    assert_eq!(app.get(&a.path("/canned_responses"), &a.admin.token).await.json(), json!([secret]));
}

#[tokio::test]
async fn ids_account_ids_and_timestamps_in_bodies_are_ignored() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let forged = json!({"short_code": "forged", "content": "x", "id": 999_999, "account_id": b.account_id,
                        "created_at": "2000-01-01T00:00:00.000Z", "updated_at": "2000-01-01T00:00:00.000Z"});
    let made = create(&app, &a, &a.agent.token, forged).await;
    assert_ne!(made["id"], 999_999);
    assert_eq!(made["account_id"], a.account_id);
    assert!(!made["created_at"].as_str().unwrap().starts_with("2000"));
    let path = a.path(&format!("/canned_responses/{}", made["id"]));
    let before = app.event_count().await;
    let res = app
        .patch(
            &path,
            &a.agent.token,
            json!({"account_id": b.account_id, "id": 1, "created_at": "2000-01-01"}),
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json(), made, "nothing changed");
    assert_eq!(app.event_count().await, before, "an update changing nothing records nothing");
    assert_eq!(app.get(&b.path("/canned_responses"), &b.admin.token).await.json(), json!([]));
}

#[tokio::test]
async fn bad_canned_response_input_is_a_clear_4xx() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let before = app.event_count().await;
    for (body, attribute) in [
        (json!({"short_code": 5, "content": "x"}), "short_code"),
        (json!({"short_code": "x", "content": ["a"]}), "content"),
        (json!({"short_code": "x", "content": {"a": 1}}), "content"),
        (json!({"short_code": "x".repeat(256), "content": "x"}), "short_code"),
        (json!({"short_code": "x", "content": "x".repeat(20_001)}), "content"),
        (json!({"short_code": "x", "content": "nul \u{0} inside"}), "content"),
    ] {
        let res = app.post(&a.path("/canned_responses"), &a.agent.token, body.clone()).await;
        assert_eq!(res.status, 422, "{body}: {}", res.text);
        assert_eq!(res.json()["attributes"], json!([attribute]), "{body}");
    }
    let malformed = app
        .raw(
            Method::POST,
            &a.path("/canned_responses"),
            &a.agent.token,
            "application/json",
            b"{\"short".to_vec(),
        )
        .await;
    assert_eq!(malformed.status, 400);
    assert!(malformed.json()["error"].is_string());
    for path in
        ["/canned_responses/999999", "/canned_responses/abc", "/canned_responses/1.5", "/canned_responses/-1"]
    {
        for method in [Method::PATCH, Method::PUT, Method::DELETE] {
            let body = (method != Method::DELETE).then(|| json!({"content": "x"}));
            let res = app.request(method.clone(), &a.path(path), Some(&a.agent.token), body).await;
            assert_eq!(res.status, 404, "{method} {path}");
            assert_eq!(res.json(), json!({"error": "Resource could not be found"}));
        }
    }
    assert_eq!(app.event_count().await, before);
}
