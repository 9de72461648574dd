//! `POST /contacts/filter` with the account's contact attribute
//! definitions as keys: text, number, date, checkbox (and currency)
//! comparisons through lenient casts, and hostile strings in keys and values
//! that must stay bind parameters (the upstream's CVE-2026-44706 class).

use super::{cond, filter, name_set};
use onelink_tests::seed::Tenant;
use onelink_tests::TestApp;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

async fn define(app: &TestApp, t: &Tenant, key: &str, display_type: &str, model: &str) -> Value {
    let body = json!({"attribute_display_name": key, "attribute_key": key,
                      "attribute_display_type": display_type, "attribute_model": model});
    let res = app.post(&t.path("/custom_attribute_definitions"), &t.admin.token, body).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()
}

/// Definitions and four resolved contacts with custom attributes (some of
/// the wrong type, which must never match nor fail).
async fn seed(app: &TestApp, a: &Tenant) {
    for (key, display_type) in [
        ("plan", "text"),
        ("seats", "number"),
        ("renewal", "date"),
        ("vip_flag", "checkbox"),
        ("mrr", "currency"),
        ("acct.tier-v2", "list"),
    ] {
        define(app, a, key, display_type, "contact_attribute").await;
    }
    define(app, a, "channel_note", "text", "conversation_attribute").await;
    for (name, email, custom) in [
        (
            "Alice",
            "alice@example.com",
            json!({"plan": "Pro", "seats": 10, "renewal": "2026-03-01", "vip_flag": true, "mrr": 99.5,
                "acct.tier-v2": "gold", "channel_note": "x"}),
        ),
        (
            "Bob",
            "bob@example.com",
            json!({"plan": "O'Brien \"free\"", "seats": "7", "renewal": "not a date", "vip_flag": false, "mrr": "n/a"}),
        ),
        ("Carol", "carol@example.com", json!({"seats": 120.5, "renewal": "2025-12-31", "vip_flag": "maybe"})),
        ("Dan", "dan@example.com", json!({})),
    ] {
        app.contact(a, json!({"name": name, "email": email, "custom_attributes": custom})).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contact_attributes_of_the_account_filter_by_their_display_type() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    seed(&app, &a).await;
    let none: Vec<&str> = vec![];
    let cases: Vec<(&str, &str, Value, Vec<&str>)> = vec![
        // text: case-insensitive, first value; a contact without the key is "not equal"
        ("plan", "equal_to", json!(["pro"]), vec!["Alice"]),
        ("plan", "equal_to", json!(["o'brien \"FREE\""]), vec!["Bob"]),
        ("plan", "not_equal_to", json!(["PRO"]), vec!["Bob", "Carol", "Dan"]),
        ("plan", "contains", json!(["BRIEN"]), vec!["Bob"]),
        ("plan", "does_not_contain", json!(["pro"]), vec!["Bob"]),
        ("plan", "is_present", json!([]), vec!["Alice", "Bob"]),
        ("plan", "is_not_present", json!(null), vec!["Carol", "Dan"]),
        // number: numeric comparison; a numeric string counts, other strings never match
        ("seats", "equal_to", json!([10]), vec!["Alice"]),
        ("seats", "equal_to", json!(["7"]), vec!["Bob"]),
        ("seats", "is_greater_than", json!([9]), vec!["Alice", "Carol"]),
        ("seats", "is_greater_than", json!(["100.25"]), vec!["Carol"]),
        ("seats", "is_less_than", json!(["10"]), vec!["Bob"]),
        ("mrr", "is_greater_than", json!([0]), vec!["Alice"]),
        // date: calendar dates; "not a date" never matches
        ("renewal", "is_greater_than", json!(["2026-01-01"]), vec!["Alice"]),
        ("renewal", "is_less_than", json!(["2026-01-01"]), vec!["Carol"]),
        ("renewal", "equal_to", json!(["2025-12-31"]), vec!["Carol"]),
        ("renewal", "is_less_than", json!(["1990-01-01"]), none.clone()),
        // checkbox: booleans; "maybe" is neither
        ("vip_flag", "equal_to", json!([true]), vec!["Alice"]),
        ("vip_flag", "equal_to", json!(["false"]), vec!["Bob"]),
        ("vip_flag", "not_equal_to", json!([true]), vec!["Bob", "Dan"]),
        // keys with dots and dashes are fine (the key is a bind parameter)
        ("acct.tier-v2", "equal_to", json!(["GOLD"]), vec!["Alice"]),
    ];
    for (key, op, values, expected) in cases {
        let res = filter(&app, &a, json!([cond(key, op, values.clone(), Value::Null)])).await;
        assert_eq!(res.status, 200, "{key} {op} {values}: {}", res.text);
        assert_eq!(name_set(&res.json()), expected, "{key} {op} {values}");
    }
    // combined with standard attributes, AND binding tighter than OR
    let payload = json!([
        cond("seats", "is_greater_than", json!([5]), json!("AND")),
        cond("vip_flag", "equal_to", json!([false]), json!("OR")),
        cond("name", "equal_to", json!(["dan"]), Value::Null)
    ]);
    assert_eq!(name_set(&filter(&app, &a, payload).await.json()), ["Bob", "Dan"]);
}

#[tokio::test]
async fn only_the_accounts_live_contact_attribute_definitions_are_filter_keys() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    seed(&app, &a).await;
    define(&app, &b, "beta_only", "text", "contact_attribute").await;
    let unknown = |key: &str| {
        json!({"error": format!("Invalid attribute key - [{key}]. The key should be one of [name,phone_number,email,\
               identifier,country_code,city,company,labels,created_at,last_activity_at,blocked] or a custom \
               attribute defined in the account.")})
    };
    for key in ["channel_note", "beta_only", "Plan"] {
        let res = filter(&app, &a, json!([cond(key, "equal_to", json!(["x"]), Value::Null)])).await;
        assert_eq!(res.status, 422, "{key}");
        assert_eq!(res.json(), unknown(key), "{key}");
    }
    // a deleted definition stops being a key; its values stay on the contacts
    let list =
        app.get(&a.path("/custom_attribute_definitions?attribute_model=1"), &a.admin.token).await.json();
    let plan = list.as_array().unwrap().iter().find(|d| d["attribute_key"] == "plan").unwrap().clone();
    let path = a.path(&format!("/custom_attribute_definitions/{}", plan["id"]));
    assert_eq!(app.delete(&path, &a.admin.token).await.status, 204);
    let res = filter(&app, &a, json!([cond("plan", "equal_to", json!(["pro"]), Value::Null)])).await;
    assert_eq!(res.json(), unknown("plan"));
    // and a new definition of the key makes it one again, with its new type
    define(&app, &a, "plan", "number", "contact_attribute").await;
    let res = filter(&app, &a, json!([cond("plan", "equal_to", json!(["pro"]), Value::Null)])).await;
    assert_eq!(res.json(), json!({"error": "Invalid value. The values provided for plan are invalid"}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn injection_strings_in_custom_attribute_keys_and_values_stay_data() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    seed(&app, &a).await;
    let contacts_before: i64 =
        sqlx::query_scalar("SELECT count(*) FROM contacts").fetch_one(&app.db).await.unwrap();
    let events_before = app.event_count().await;
    let hostile = [
        "x' OR '1'='1",
        "1); SELECT pg_sleep(5); --",
        "2026-01-01'::date OR TRUE --",
        "true' OR 'a'='a",
        "'; DROP TABLE contacts; --",
        "$$ OR 1=1 $$",
        "\\' OR 1=1 --",
        "1 OR 1=1",
        "%' OR '%'='",
        "x\u{0}y",
        "ﾠ' OR 1=1 --",
    ];
    let invalid_value =
        |key: &str| json!({"error": format!("Invalid value. The values provided for {key} are invalid")});
    for value in hostile {
        // typed attributes refuse what is not a number / date / boolean
        for (key, op) in [
            ("seats", "is_greater_than"),
            ("seats", "is_less_than"),
            ("seats", "equal_to"),
            ("mrr", "is_less_than"),
            ("renewal", "is_greater_than"),
            ("renewal", "is_less_than"),
            ("vip_flag", "equal_to"),
        ] {
            let started = Instant::now();
            let res = filter(&app, &a, json!([cond(key, op, json!([value]), Value::Null)])).await;
            assert!(started.elapsed() < Duration::from_secs(2), "{key} {op} {value:?} was slow");
            assert_eq!(res.status, 422, "{key} {op} {value:?}: {}", res.text);
            assert_eq!(res.json(), invalid_value(key), "{key} {op} {value:?}");
        }
        // text attributes compare it as data: it matches nothing
        for op in ["equal_to", "contains"] {
            let started = Instant::now();
            let res = filter(&app, &a, json!([cond("plan", op, json!([value]), Value::Null)])).await;
            assert!(started.elapsed() < Duration::from_secs(2), "plan {op} {value:?} was slow");
            if value.contains('\u{0}') {
                assert_eq!(res.status, 422, "plan {op} {value:?}");
            } else {
                assert_eq!(res.status, 200, "plan {op} {value:?}: {}", res.text);
                assert_eq!(name_set(&res.json()), Vec::<String>::new(), "plan {op} {value:?}");
            }
        }
        let res = filter(&app, &a, json!([cond("plan", "not_equal_to", json!([value]), Value::Null)])).await;
        if !value.contains('\u{0}') {
            assert_eq!(name_set(&res.json()), ["Alice", "Bob", "Carol", "Dan"], "not_equal_to {value:?}");
        }
        // as a key it is simply unknown
        for key in [value.to_owned(), format!("seats{value}"), format!("plan') OR ('1'='1{value}")] {
            let res = filter(&app, &a, json!([cond(&key, "equal_to", json!(["1"]), Value::Null)])).await;
            assert_eq!(res.status, 422, "key {key:?}");
            assert!(
                res.json()["error"].as_str().unwrap().starts_with("Invalid attribute key"),
                "key {key:?}"
            );
        }
        // and no definition can be made with it
        let body = json!({"attribute_display_name": "X", "attribute_key": value, "attribute_model": 1});
        let res = app.post(&a.path("/custom_attribute_definitions"), &a.admin.token, body).await;
        assert_eq!(res.status, 422, "definition key {value:?}");
    }
    let res = filter(
        &app,
        &a,
        json!([
            cond("plan", "equal_to", json!(["pro"]), json!("AND 1=1")),
            cond("seats", "equal_to", json!([1]), Value::Null)
        ]),
    )
    .await;
    assert_eq!(res.json(), json!({"error": "Query operator must be either \"AND\" or \"OR\"."}));
    let contacts_after: i64 =
        sqlx::query_scalar("SELECT count(*) FROM contacts").fetch_one(&app.db).await.unwrap();
    assert_eq!(contacts_after, contacts_before);
    assert_eq!(app.event_count().await, events_before, "filtering writes nothing");
    let all = filter(&app, &a, json!([])).await.json();
    assert_eq!(name_set(&all), ["Alice", "Bob", "Carol", "Dan"]);
}
