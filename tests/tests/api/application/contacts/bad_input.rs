//! Bad input is a clear 4xx (or a harmless 2xx), never a 500, and fast:
//! wrong types, unknown and non-numeric ids, malformed bodies, and
//! SQL-injection strings in every parameter the listings read.

use super::{cond, filter};
use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const NASTY: [&str; 12] = [
    "'; DROP TABLE contacts; --",
    "' OR '1'='1",
    "1' OR 1=1 --",
    "x'); SELECT pg_sleep(5); --",
    "pg_sleep(5)",
    "\"quoted\"",
    "back\\slash\\",
    "nul\u{0}byte",
    "ünïcødé ✓ 🚀 \u{202e}rtl",
    "%_%",
    "$1",
    "CANARY') OR TRUE OR ('",
];

fn enc(value: &str) -> String {
    value.bytes().map(|b| format!("%{b:02X}")).collect()
}

#[tokio::test]
async fn wrong_types_are_422_naming_the_attribute() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    for (body, attribute) in [
        (json!({"email": 5}), "email"),
        (json!({"name": ["a"]}), "name"),
        (json!({"blocked": "maybe"}), "blocked"),
        (json!({"blocked": 2}), "blocked"),
        (json!({"custom_attributes": "plan=pro"}), "custom_attributes"),
        (json!({"additional_attributes": [1, 2]}), "additional_attributes"),
        (json!({"name": "nul\u{0}"}), "name"),
        (json!({"custom_attributes": {"k\u{0}": 1}}), "custom_attributes"),
    ] {
        let res = app.post(&a.path("/contacts"), &a.agent.token, body.clone()).await;
        assert_eq!(res.status, 422, "{body}: {}", res.text);
        assert_eq!(res.json()["attributes"], json!([attribute]), "{body}");
    }
    let res = app
        .raw(Method::POST, &a.path("/contacts"), &a.agent.token, "application/json", b"{\"name\":".to_vec())
        .await;
    assert_eq!(res.status, 400);
    assert!(res.json()["error"].is_string());
    let res = app
        .raw(Method::POST, &a.path("/contacts/filter"), &a.agent.token, "application/json", b"[]".to_vec())
        .await;
    assert_eq!(res.status, 400);
}

#[tokio::test]
async fn unknown_and_non_numeric_ids_are_404() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let before = app.event_count().await;
    for id in [
        "999999",
        "0",
        "-1",
        "abc",
        "1%3BDROP%20TABLE%20contacts",
        "1%20OR%201%3D1",
        "99999999999999999999999",
    ] {
        let one = a.path(&format!("/contacts/{id}"));
        for (method, path, body) in [
            (Method::GET, one.clone(), None),
            (Method::PATCH, one.clone(), Some(json!({"name": "x"}))),
            (Method::DELETE, one.clone(), None),
            (Method::GET, format!("{one}/labels"), None),
            (Method::POST, format!("{one}/labels"), Some(json!({"labels": ["a"]}))),
            (
                Method::POST,
                format!("{one}/destroy_custom_attributes"),
                Some(json!({"custom_attributes": ["a"]})),
            ),
        ] {
            let res = app.request(method.clone(), &path, Some(&a.admin.token), body).await;
            assert_eq!(res.status, 404, "{method} {path}: {}", res.text);
            assert_eq!(res.json(), json!({"error": "Resource could not be found"}));
        }
    }
    assert_eq!(app.event_count().await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn injection_strings_never_break_out_or_leak() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    app.contact(&a, json!({"name": "Only One", "email": "one@example.com"})).await;
    let slow = Duration::from_secs(1);
    let check = |what: String, status: u16, text: &str, took: Duration| {
        assert!(status < 500, "{what} -> {status}: {text}");
        assert!(took < slow, "{what} took {took:?}");
        assert!(
            !text.to_lowercase().contains("syntax error") && !text.contains("SQLSTATE"),
            "{what}: {text}"
        );
    };
    for nasty in NASTY {
        for path in [
            format!("/contacts/search?q={}", enc(nasty)),
            format!("/contacts?sort={}", enc(nasty)),
            format!("/contacts?page={}", enc(nasty)),
            format!("/contacts?labels[]={}", enc(nasty)),
            format!("/contacts/search?q=one&sort=-{}&page={}", enc(nasty), enc(nasty)),
        ] {
            let started = Instant::now();
            let res = app.get(&a.path(&path), &a.agent.token).await;
            check(path.clone(), res.status, &res.text, started.elapsed());
            if path.starts_with("/contacts/search?q=%") && res.status == 200 {
                assert_eq!(res.json()["meta"]["count"], 0, "{path} matched something: {}", res.text);
            }
        }
        let payloads = [
            json!([cond(nasty, "equal_to", json!(["x"]), Value::Null)]),
            json!([cond("name", nasty, json!(["x"]), Value::Null)]),
            json!([
                cond("name", "equal_to", json!(["x"]), json!(nasty)),
                cond("name", "equal_to", json!(["y"]), Value::Null)
            ]),
            json!([cond("name", "equal_to", json!([nasty]), Value::Null)]),
            json!([cond("name", "contains", json!([nasty, nasty]), Value::Null)]),
            json!([
                cond("email", "not_equal_to", json!(nasty), json!("or")),
                cond("labels", "equal_to", json!([nasty]), Value::Null)
            ]),
            json!([cond("created_at", "is_greater_than", json!([nasty]), Value::Null)]),
            json!([cond("created_at", "days_before", json!([nasty]), Value::Null)]),
            json!([cond("blocked", "equal_to", json!([nasty]), Value::Null)]),
            json!([cond("phone_number", "starts_with", json!([nasty]), Value::Null)]),
        ];
        for payload in payloads {
            let started = Instant::now();
            let res = filter(&app, &a, payload.clone()).await;
            check(payload.to_string(), res.status, &res.text, started.elapsed());
            assert!(res.status == 200 || res.status == 422, "{payload}: {}", res.status);
            if res.status == 200 {
                assert!(res.json()["meta"]["count"].as_i64().unwrap() <= 1, "{payload}");
                if !matches!(
                    payload[0]["filter_operator"].as_str(),
                    Some("not_equal_to" | "does_not_contain")
                ) {
                    assert_eq!(res.json()["meta"]["count"], 0, "{payload} matched: {}", res.text);
                }
            } else {
                assert!(res.json()["error"].is_string(), "{payload}");
            }
        }
    }
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM contacts").fetch_one(&app.db).await.unwrap();
    assert_eq!(count, 1, "the contacts table is intact");
}

#[tokio::test]
async fn odd_pages_and_sorts_fall_back_gracefully() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    app.contact(&a, json!({"name": "Only One", "email": "one@example.com"})).await;
    for (query, current_page, count) in [
        ("page=abc", json!("abc"), 1),
        ("page=-3", json!("-3"), 1),
        ("page=99999999999999999999", json!("99999999999999999999"), 0),
        ("page=1.5", json!("1.5"), 1),
        ("sort=,,,-,--name,", json!(1), 1),
    ] {
        let res = app.get(&a.path(&format!("/contacts?{query}")), &a.agent.token).await;
        assert_eq!(res.status, 200, "{query}: {}", res.text);
        assert_eq!(res.json()["meta"]["current_page"], current_page, "{query}");
        assert_eq!(res.json()["payload"].as_array().unwrap().len(), count, "{query}");
    }
    let res = app
        .post(
            &a.path("/contacts/filter"),
            &a.agent.token,
            json!({"payload": [], "page": {"x": 1}, "sort": 5}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
}
