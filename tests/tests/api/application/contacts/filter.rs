//! `POST /contacts/filter`: every contact attribute key × operator, AND/OR
//! precedence, and the upstream's validation errors.

use super::{cond, filter, name_set};
use onelink_tests::seed::Tenant;
use onelink_tests::TestApp;
use serde_json::{json, Value};

/// Four resolved contacts and one that is not (never listed).
async fn seed(app: &TestApp, a: &Tenant) {
    let contacts = [
        (
            json!({"name": "Alice Anders", "email": "alice@acme.io", "phone_number": "+15550001", "identifier": "ID-Alice",
                   "additional_attributes": {"city": "Paris", "country_code": "FR", "company": "Acme", "company_name": "Acme Inc"}}),
            json!(["vip"]),
        ),
        (
            json!({"name": "Bob Brown", "email": "bob@beta.io", "phone_number": "+15550002", "identifier": "id-bob",
                   "blocked": true, "additional_attributes": {"city": "Berlin", "country_code": "DE", "company": "Beta"}}),
            json!(["vip", "b2b"]),
        ),
        (
            json!({"name": "Carol", "email": "carol@acme.io", "additional_attributes": {"city": "Paris"}}),
            json!([]),
        ),
        (json!({"name": "Dan", "phone_number": "+4930000"}), json!(["b2b"])),
        (json!({"name": "Eve Unresolved", "additional_attributes": {"city": "Paris"}}), json!(["vip"])),
    ];
    for (body, labels) in contacts {
        let c = app.contact(a, body).await;
        let path = a.path(&format!("/contacts/{}/labels", c["id"]));
        assert_eq!(app.post(&path, &a.admin.token, json!({"labels": labels})).await.status, 200);
    }
}

fn day(offset: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(offset)).to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_attribute_and_operator_filters_as_upstream() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    seed(&app, &a).await;
    let all = ["Alice Anders", "Bob Brown", "Carol", "Dan"];
    let none: [&str; 0] = [];
    let cases: Vec<(&str, &str, Value, Vec<&str>)> = vec![
        ("name", "equal_to", json!(["alice anders"]), vec!["Alice Anders"]),
        ("name", "equal_to", json!(["ALICE ANDERS", "Bob Brown"]), vec!["Alice Anders"]),
        ("name", "not_equal_to", json!(["alice anders"]), vec!["Bob Brown", "Carol", "Dan"]),
        ("name", "contains", json!(["an"]), vec!["Alice Anders", "Dan"]),
        ("name", "contains", json!(["car", " bob "]), vec!["Bob Brown", "Carol"]),
        ("name", "does_not_contain", json!(["an"]), vec!["Bob Brown", "Carol"]),
        ("phone_number", "equal_to", json!(["15550001"]), vec!["Alice Anders"]),
        ("phone_number", "equal_to", json!("+15550002"), vec!["Bob Brown"]),
        ("phone_number", "not_equal_to", json!(["+15550001"]), vec!["Bob Brown", "Dan"]),
        ("phone_number", "contains", json!(["555"]), vec!["Alice Anders", "Bob Brown"]),
        ("phone_number", "does_not_contain", json!(["555"]), vec!["Dan"]),
        ("phone_number", "starts_with", json!(["+4930"]), vec!["Dan"]),
        ("phone_number", "starts_with", json!(["1555"]), vec!["Alice Anders", "Bob Brown"]),
        ("email", "equal_to", json!(["ALICE@acme.io"]), vec!["Alice Anders"]),
        ("email", "not_equal_to", json!(["alice@acme.io"]), vec!["Bob Brown", "Carol"]),
        ("email", "contains", json!(["ACME"]), vec!["Alice Anders", "Carol"]),
        ("email", "does_not_contain", json!(["acme"]), vec!["Bob Brown"]),
        ("identifier", "equal_to", json!(["id-alice"]), vec!["Alice Anders"]),
        ("identifier", "not_equal_to", json!(["ID-BOB"]), vec!["Alice Anders"]),
        ("country_code", "equal_to", json!(["fr"]), vec!["Alice Anders"]),
        ("country_code", "not_equal_to", json!(["FR"]), vec!["Bob Brown"]),
        ("city", "equal_to", json!(["paris"]), vec!["Alice Anders", "Carol"]),
        ("city", "not_equal_to", json!(["Paris"]), vec!["Bob Brown"]),
        ("city", "contains", json!(["ERL"]), vec!["Bob Brown"]),
        ("city", "does_not_contain", json!(["par"]), vec!["Bob Brown"]),
        ("company", "equal_to", json!(["acme"]), vec!["Alice Anders"]),
        ("company", "not_equal_to", json!(["acme"]), vec!["Bob Brown"]),
        ("company", "contains", json!(["ET"]), vec!["Bob Brown"]),
        ("company", "does_not_contain", json!(["acm"]), vec!["Bob Brown"]),
        ("labels", "equal_to", json!(["VIP"]), vec!["Alice Anders", "Bob Brown"]),
        ("labels", "equal_to", json!(["b2b", "vip"]), vec!["Bob Brown", "Dan"]),
        ("labels", "not_equal_to", json!(["vip"]), vec!["Carol", "Dan"]),
        ("labels", "is_present", json!([]), vec!["Alice Anders", "Bob Brown", "Dan"]),
        ("labels", "is_not_present", json!(null), vec!["Carol"]),
        ("created_at", "is_greater_than", json!([day(-1)]), all.to_vec()),
        ("created_at", "is_greater_than", json!([day(0)]), none.to_vec()),
        ("created_at", "is_less_than", json!([day(1)]), all.to_vec()),
        ("created_at", "is_less_than", json!([day(0)]), none.to_vec()),
        ("created_at", "days_before", json!([0]), none.to_vec()),
        ("created_at", "days_before", json!(["-1"]), all.to_vec()),
        ("last_activity_at", "is_greater_than", json!([day(-1)]), none.to_vec()),
        ("last_activity_at", "is_less_than", json!([day(1)]), none.to_vec()),
        ("last_activity_at", "days_before", json!([-1]), none.to_vec()),
        ("blocked", "equal_to", json!([true]), vec!["Bob Brown"]),
        ("blocked", "equal_to", json!(["false"]), vec!["Alice Anders", "Carol", "Dan"]),
        ("blocked", "not_equal_to", json!(["true"]), vec!["Alice Anders", "Carol", "Dan"]),
    ];
    for (key, op, values, expected) in cases {
        let res = filter(&app, &a, json!([cond(key, op, values.clone(), Value::Null)])).await;
        assert_eq!(res.status, 200, "{key} {op} {values}: {}", res.text);
        let body = res.json();
        assert_eq!(name_set(&body), expected, "{key} {op} {values}");
        assert_eq!(body["meta"]["count"], expected.len(), "{key} {op} {values}");
    }
}

#[tokio::test]
async fn and_binds_tighter_than_or() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    seed(&app, &a).await;
    let paris = |q: &str| cond("city", "equal_to", json!(["paris"]), json!(q));
    let vip = |q: &str| cond("labels", "equal_to", json!(["vip"]), json!(q));
    let blocked = || cond("blocked", "equal_to", json!([true]), Value::Null);
    // (paris AND vip) OR blocked = {Alice} ∪ {Bob}; grouped the other way: {Alice}
    let res = filter(&app, &a, json!([paris("AND"), vip("OR"), blocked()])).await.json();
    assert_eq!(name_set(&res), ["Alice Anders", "Bob Brown"]);
    // paris OR (vip AND blocked) = {Alice, Carol} ∪ {Bob}; left to right: {Bob}
    let res = filter(&app, &a, json!([paris("or"), vip("and"), blocked()])).await.json();
    assert_eq!(name_set(&res), ["Alice Anders", "Bob Brown", "Carol"]);
    // an empty payload is every resolved contact; pages and sort apply
    let res = app
        .post(&a.path("/contacts/filter?sort=-name"), &a.agent.token, json!({"payload": [], "page": 1}))
        .await
        .json();
    assert_eq!(super::names(&res), ["Dan", "Carol", "Bob Brown", "Alice Anders"]);
    assert_eq!(res["meta"], json!({"count": 4, "current_page": 1}));
}

#[tokio::test]
async fn filter_errors_are_422_with_the_upstream_messages() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let c = |key: &str, op: &str, values: Value| cond(key, op, values, Value::Null);
    let cases: Vec<(Value, &str)> = vec![
        (
            json!([cond("name", "equal_to", json!(["a"]), json!("XOR")), c("name", "equal_to", json!(["b"]))]),
            "Query operator must be either \"AND\" or \"OR\".",
        ),
        (
            json!([c("blocked", "contains", json!(["x"]))]),
            "Invalid operator. The allowed operators for blocked are [equal_to,not_equal_to].",
        ),
        (
            json!([c("labels", "starts_with", json!(["x"]))]),
            "Invalid operator. The allowed operators for labels are [equal_to,not_equal_to,is_present,is_not_present].",
        ),
        (json!([c("name", "equal_to", json!([]))]), "Invalid value. The values provided for name are invalid"),
        (json!([c("name", "equal_to", json!(""))]), "Invalid value. The values provided for name are invalid"),
        (
            json!([c("status", "equal_to", json!(["open"]))]),
            "Invalid attribute key - [status]. The key should be one of [name,phone_number,email,identifier,\
             country_code,city,company,labels,created_at,last_activity_at,blocked] or a custom attribute \
             defined in the account.",
        ),
        (
            json!([c("name", "equal_to", json!(["a"])), c("email", "equal_to", json!(["b"]))]),
            "Query operator must be either \"AND\" or \"OR\".",
        ),
        (json!([cond("name", "equal_to", json!(["a"]), json!("AND"))]), "Query operator must be either \"AND\" or \"OR\"."),
        (json!({"attribute_key": "name"}), "Invalid payload. The payload should be an array of filter conditions"),
        (json!(["name"]), "Invalid payload. The payload should be an array of filter conditions"),
    ];
    for (payload, message) in cases {
        let res = filter(&app, &a, payload.clone()).await;
        assert_eq!(res.status, 422, "{payload}: {}", res.text);
        assert_eq!(res.json(), json!({"error": message}), "{payload}");
    }
    let missing = app.post(&a.path("/contacts/filter"), &a.agent.token, json!({"page": 1})).await;
    assert_eq!(missing.status, 422);
    assert_eq!(missing.json(), json!({"error": "param is missing or the value is empty: payload"}));
    let huge: Vec<Value> = (0..10_000).map(|_| cond("name", "equal_to", json!(["a"]), json!("OR"))).collect();
    let res = filter(&app, &a, Value::Array(huge)).await;
    assert_eq!(res.status, 422);
    assert_eq!(res.json(), json!({"error": "Too many filter conditions (maximum is 100)"}));
}
