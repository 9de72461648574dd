//! `POST /conversations/filter`: every conversation attribute key ×
//! operator, custom attributes, AND/OR precedence, counts, pages, roles,
//! tenancy and the upstream's validation errors.

use onelink_tests::seed::Tenant;
use onelink_tests::TestApp;
use serde_json::{json, Value};
use std::collections::BTreeMap;

fn cond(key: &str, op: &str, values: Value, query_operator: Value) -> Value {
    json!({"attribute_key": key, "filter_operator": op, "values": values, "query_operator": query_operator})
}

fn day(offset: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(offset)).to_string()
}

/// Display ids of a filter answer, sorted.
fn display_ids(body: &Value) -> Vec<i64> {
    let mut ids: Vec<i64> =
        body["payload"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
    ids.sort();
    ids
}

struct Seeded {
    /// "c1".."c5" → display id.
    ids: BTreeMap<&'static str, i64>,
    support: i64,
    sales: i64,
    team: i64,
}

impl Seeded {
    fn ids(&self, names: &[&str]) -> Vec<i64> {
        let mut ids: Vec<i64> = names.iter().map(|n| self.ids[n]).collect();
        ids.sort();
        ids
    }
}

/// Five conversations: c1–c3 in Support (the agent's inbox), c4–c5 in Sales.
/// (An assignee outside the conversation's team is dropped, so only c4 has
/// the — memberless — team.)
async fn seed(app: &TestApp, a: &Tenant) -> Seeded {
    let support = app.api_inbox(a, "Support").await["id"].as_i64().unwrap();
    let sales = app.api_inbox(a, "Sales").await["id"].as_i64().unwrap();
    app.inbox_members(a, support, &[a.agent.id]).await;
    let team = app.post(&a.path("/teams"), &a.admin.token, json!({"name": "billing"})).await.json()["id"]
        .as_i64()
        .unwrap();
    for (key, kind) in [("plan", "text"), ("seats", "number")] {
        let body = json!({"attribute_display_name": key, "attribute_key": key,
                          "attribute_display_type": kind, "attribute_model": "conversation_attribute"});
        let res = app.post(&a.path("/custom_attribute_definitions"), &a.admin.token, body).await;
        assert_eq!(res.status, 200, "{}", res.text);
    }
    let specs = [
        (
            "c1",
            support,
            json!({"assignee_id": a.agent.id,
                   "additional_attributes": {"browser_language": "en", "referer": "https://shop.example.com/cart", "mail_subject": "Refund please"},
                   "custom_attributes": {"plan": "Gold", "seats": 12}}),
            Some("high"),
            json!(["vip"]),
        ),
        (
            "c2",
            support,
            json!({"status": "resolved", "assignee_id": a.admin.id,
                   "additional_attributes": {"browser_language": "de", "referer": "https://blog.example.com"},
                   "custom_attributes": {"plan": "silver", "seats": 3}}),
            Some("low"),
            json!(["vip", "b2b"]),
        ),
        (
            "c3",
            support,
            json!({"status": "pending", "additional_attributes": {"browser_language": "EN"},
                   "custom_attributes": {"seats": "many"}}),
            None,
            json!([]),
        ),
        (
            "c4",
            sales,
            json!({"team_id": team, "additional_attributes": {"conversation_language": "fr"}}),
            Some("urgent"),
            json!(["B2B"]),
        ),
        ("c5", sales, json!({"status": "resolved", "assignee_id": a.agent.id}), None, json!([])),
    ];
    let mut ids = BTreeMap::new();
    for (name, inbox, extra, priority, labels) in specs {
        let id = app.conversation(a, inbox, extra).await["id"].as_i64().unwrap();
        if let Some(priority) = priority {
            let path = a.path(&format!("/conversations/{id}/toggle_priority"));
            let res = app.post(&path, &a.admin.token, json!({"priority": priority})).await;
            assert_eq!(res.status, 200, "{}", res.text);
        }
        let path = a.path(&format!("/conversations/{id}/labels"));
        assert_eq!(app.post(&path, &a.admin.token, json!({"labels": labels})).await.status, 200);
        ids.insert(name, id);
    }
    Seeded { ids, support, sales, team }
}

async fn filter(app: &TestApp, a: &Tenant, token: &str, payload: Value) -> onelink_tests::Response {
    app.post(&a.path("/conversations/filter"), token, json!({ "payload": payload })).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_attribute_and_operator_filters_as_upstream() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let s = seed(&app, &a).await;
    let all = ["c1", "c2", "c3", "c4", "c5"];
    let none: [&str; 0] = [];
    let (agent, admin, team, sales) = (a.agent.id, a.admin.id, s.team, s.sales);
    let c3 = s.ids["c3"];
    let cases: Vec<(&str, &str, Value, Vec<&str>)> = vec![
        ("status", "equal_to", json!(["open"]), vec!["c1", "c4"]),
        ("status", "equal_to", json!(["open", "pending"]), vec!["c1", "c3", "c4"]),
        ("status", "equal_to", json!("resolved"), vec!["c2", "c5"]),
        ("status", "not_equal_to", json!(["resolved"]), vec!["c1", "c3", "c4"]),
        ("status", "equal_to", json!(["all"]), all.to_vec()),
        ("assignee_id", "equal_to", json!([agent]), vec!["c1", "c5"]),
        ("assignee_id", "equal_to", json!([agent.to_string(), admin]), vec!["c1", "c2", "c5"]),
        ("assignee_id", "not_equal_to", json!([agent]), vec!["c2"]),
        ("assignee_id", "is_present", json!([]), vec!["c1", "c2", "c5"]),
        ("assignee_id", "is_not_present", Value::Null, vec!["c3", "c4"]),
        ("inbox_id", "equal_to", json!([sales]), vec!["c4", "c5"]),
        ("inbox_id", "not_equal_to", json!([sales]), vec!["c1", "c2", "c3"]),
        ("team_id", "equal_to", json!([team]), vec!["c4"]),
        ("team_id", "not_equal_to", json!([team]), none.to_vec()),
        ("team_id", "is_not_present", json!([]), vec!["c1", "c2", "c3", "c5"]),
        ("priority", "equal_to", json!(["high", "urgent"]), vec!["c1", "c4"]),
        ("priority", "not_equal_to", json!(["low"]), vec!["c1", "c4"]),
        ("display_id", "equal_to", json!([c3]), vec!["c3"]),
        ("display_id", "not_equal_to", json!([c3]), vec!["c1", "c2", "c4", "c5"]),
        ("display_id", "contains", json!([c3.to_string()]), vec!["c3"]),
        ("campaign_id", "is_present", json!([]), none.to_vec()),
        ("campaign_id", "is_not_present", json!([]), all.to_vec()),
        ("labels", "equal_to", json!(["vip"]), vec!["c1", "c2"]),
        ("labels", "equal_to", json!(["VIP", "b2b"]), vec!["c1", "c2", "c4"]),
        ("labels", "not_equal_to", json!(["vip"]), vec!["c3", "c4", "c5"]),
        ("labels", "is_present", json!([]), vec!["c1", "c2", "c4"]),
        ("labels", "is_not_present", json!([]), vec!["c3", "c5"]),
        ("browser_language", "equal_to", json!(["en"]), vec!["c1"]),
        ("browser_language", "not_equal_to", json!(["en"]), vec!["c2", "c3"]),
        ("conversation_language", "equal_to", json!(["fr"]), vec!["c4"]),
        ("referer", "contains", json!(["EXAMPLE.com"]), vec!["c1", "c2"]),
        ("referer", "does_not_contain", json!(["shop"]), vec!["c2"]),
        ("referer", "equal_to", json!(["https://blog.example.com"]), vec!["c2"]),
        ("mail_subject", "contains", json!(["REFUND"]), vec!["c1"]),
        ("created_at", "is_greater_than", json!([day(-1)]), all.to_vec()),
        ("created_at", "is_less_than", json!([day(-1)]), none.to_vec()),
        ("created_at", "is_less_than", json!([day(1)]), all.to_vec()),
        ("created_at", "days_before", json!([1]), none.to_vec()),
        ("last_activity_at", "is_greater_than", json!([day(1)]), none.to_vec()),
        ("last_activity_at", "days_before", json!(["-2"]), all.to_vec()),
        ("plan", "equal_to", json!(["GOLD"]), vec!["c1"]),
        ("plan", "contains", json!(["il"]), vec!["c2"]),
        ("plan", "not_equal_to", json!(["gold"]), vec!["c2", "c3", "c4", "c5"]),
        ("plan", "is_present", json!([]), vec!["c1", "c2"]),
        ("seats", "is_greater_than", json!([5]), vec!["c1"]),
        ("seats", "equal_to", json!(["3"]), vec!["c2"]),
        ("seats", "is_less_than", json!([100]), vec!["c1", "c2"]),
    ];
    let mut failures = Vec::new();
    for (key, op, values, expected) in cases {
        let res = filter(&app, &a, &a.admin.token, json!([cond(key, op, values.clone(), Value::Null)])).await;
        assert_eq!(res.status, 200, "{key} {op} {values}: {}", res.text);
        let got = display_ids(&res.json());
        if got != s.ids(&expected) {
            failures.push(format!("{key} {op} {values}: got {got:?}, expected {expected:?}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[tokio::test]
async fn and_binds_tighter_than_or_and_counts_cover_the_filtered_set() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let s = seed(&app, &a).await;
    // sales OR (vip AND the agent's) = c4, c5, c1 — not (sales OR vip) AND the agent's
    let payload = json!([
        cond("inbox_id", "equal_to", json!([s.sales]), json!("OR")),
        cond("labels", "equal_to", json!(["vip"]), json!("and")),
        cond("assignee_id", "equal_to", json!([a.agent.id]), Value::Null),
    ]);
    let res = filter(&app, &a, &a.admin.token, payload).await.json();
    assert_eq!(display_ids(&res), s.ids(&["c1", "c4", "c5"]));
    // (vip AND resolved) OR sales = c2, c4, c5 — not vip AND (resolved OR sales)
    let payload = json!([
        cond("labels", "equal_to", json!(["vip"]), json!("AND")),
        cond("status", "equal_to", json!(["resolved"]), json!("OR")),
        cond("inbox_id", "equal_to", json!([s.sales]), json!("")),
    ]);
    let res = filter(&app, &a, &a.admin.token, payload).await.json();
    assert_eq!(display_ids(&res), s.ids(&["c2", "c4", "c5"]));

    // counts: labelled c1 (agent), c2 (admin), c4 (nobody)
    let payload = json!([cond("labels", "is_present", json!([]), Value::Null)]);
    let res = filter(&app, &a, &a.admin.token, payload.clone()).await.json();
    assert_eq!(res["meta"], json!({"mine_count": 1, "unassigned_count": 1, "all_count": 3}));
    assert!(res.get("data").is_none(), "not wrapped in data");
    let first = &res["payload"][0];
    assert!(first["meta"]["sender"].is_object() && first["messages"].is_array(), "full conversation JSON");

    // an agent sees only the Support inbox: c1 (theirs), c2
    let res = filter(&app, &a, &a.agent.token, payload).await.json();
    assert_eq!(display_ids(&res), s.ids(&["c1", "c2"]));
    assert_eq!(res["meta"], json!({"mine_count": 1, "unassigned_count": 0, "all_count": 2}));
    let everything = json!([cond("status", "equal_to", json!(["all"]), Value::Null)]);
    let res = filter(&app, &a, &a.agent.token, everything).await.json();
    assert_eq!(display_ids(&res), s.ids(&["c1", "c2", "c3"]));
    let _ = s.support;
}

#[tokio::test]
async fn pages_hold_25_newest_activity_first() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let inbox = app.api_inbox(&a, "Support").await["id"].as_i64().unwrap();
    let mut created = Vec::new();
    for _ in 0..27 {
        created.push(app.conversation(&a, inbox, json!({})).await["id"].as_i64().unwrap());
    }
    let payload = json!([cond("status", "equal_to", json!(["open"]), Value::Null)]);
    let ids = |body: &Value| -> Vec<i64> {
        body["payload"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect()
    };
    let first = filter(&app, &a, &a.admin.token, payload.clone()).await.json();
    let newest_first: Vec<i64> = created.iter().rev().copied().collect();
    assert_eq!(ids(&first), newest_first[..25].to_vec());
    assert_eq!(first["meta"]["all_count"], 27);
    let body = json!({"payload": payload, "page": 2});
    let second = app.post(&a.path("/conversations/filter"), &a.admin.token, body).await.json();
    assert_eq!(ids(&second), newest_first[25..].to_vec());
    let by_query = app
        .post(&a.path("/conversations/filter?page=2"), &a.admin.token, json!({"payload": payload}))
        .await
        .json();
    assert_eq!(ids(&by_query), ids(&second));
    let far =
        app.post(&a.path("/conversations/filter"), &a.admin.token, json!({"payload": [], "page": "9"})).await;
    assert_eq!(far.status, 200);
    assert_eq!(ids(&far.json()), Vec::<i64>::new());
    assert_eq!(far.json()["meta"]["all_count"], 27, "an empty payload filters nothing");
}

#[tokio::test]
async fn bad_filters_get_the_upstreams_422_and_never_a_500() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let _ = app.api_inbox(&a, "Support").await;
    let token = &a.admin.token;
    let path = a.path("/conversations/filter");
    let (app, a) = (&app, &a);
    let error = |body: Value| async move {
        let res = app.post(&a.path("/conversations/filter"), &a.admin.token, body).await;
        (res.status, res.json()["error"].as_str().unwrap_or_default().to_owned())
    };
    let (status, msg) =
        error(json!({"payload": [cond("status", "contains", json!(["open"]), Value::Null)]})).await;
    assert_eq!(status, 422);
    assert_eq!(msg, "Invalid operator. The allowed operators for status are [equal_to,not_equal_to].");
    let (status, msg) = error(json!({"payload": [cond("status", "equal_to", json!([]), Value::Null)]})).await;
    assert_eq!((status, msg.as_str()), (422, "Invalid value. The values provided for status are invalid"));
    let (status, msg) =
        error(json!({"payload": [cond("colour", "equal_to", json!(["x"]), Value::Null)]})).await;
    assert_eq!(status, 422);
    assert!(msg.starts_with("Invalid attribute key - [colour]. The key should be one of [status,assignee_id,inbox_id,team_id,priority,display_id,campaign_id,labels,browser_language,conversation_language,referer,mail_subject,created_at,last_activity_at]"), "{msg}");
    let (status, msg) =
        error(json!({"payload": [cond("status", "equal_to", json!(["open"]), json!("XOR"))]})).await;
    assert_eq!((status, msg.as_str()), (422, "Query operator must be either \"AND\" or \"OR\"."));
    for bad in [
        json!({"payload": [cond("status", "equal_to", json!(["open"]), json!("AND"))]}),
        json!({"payload": [cond("status", "equal_to", json!(["open"]), Value::Null), cond("status", "equal_to", json!(["open"]), Value::Null)]}),
        json!({"payload": [cond("status", "equal_to", json!(["bogus"]), Value::Null)]}),
        json!({"payload": [cond("priority", "equal_to", json!(["none"]), Value::Null)]}),
        json!({"payload": [cond("assignee_id", "equal_to", json!(["abc"]), Value::Null)]}),
        json!({"payload": [cond("created_at", "is_greater_than", json!(["yesterday"]), Value::Null)]}),
        json!({"payload": [cond("created_at", "days_before", json!(["1e9"]), Value::Null)]}),
        json!({"payload": [cond("labels", "equal_to", json!([{"a": 1}]), Value::Null)]}),
        json!({"payload": [cond("referer", "equal_to", json!(["a\u{0}b"]), Value::Null)]}),
        json!({"payload": "status = open"}),
        json!({"payload": [42]}),
        json!({"payload": [{"attribute_key": 7, "filter_operator": [], "values": ["x"]}]}),
        json!({}),
        json!({"payload": null}),
    ] {
        let res = app.post(&path, token, bad.clone()).await;
        assert_eq!(res.status, 422, "{bad}: {}", res.text);
        assert!(res.json()["error"].is_string(), "{bad}: {}", res.text);
    }
    let huge: Vec<Value> = (0..101)
        .map(|i| cond("status", "equal_to", json!(["open"]), if i < 100 { json!("OR") } else { Value::Null }))
        .collect();
    assert_eq!(app.post(&path, token, json!({ "payload": huge })).await.status, 422);
    let not_json =
        app.raw(reqwest::Method::POST, &path, token, "application/json", b"{payload:".to_vec()).await;
    assert_eq!(not_json.status, 400);
    assert_eq!(app.post(&path, "not-a-token", json!({"payload": []})).await.status, 401);

    // injection attempts are values, never SQL
    for value in ["' OR 1=1 --", "%", "_", "\\", "x'); DROP TABLE conversations; --"] {
        for key in ["referer", "mail_subject", "browser_language"] {
            let op = if key == "browser_language" { "equal_to" } else { "contains" };
            let res = app
                .post(&path, token, json!({"payload": [cond(key, op, json!([value]), Value::Null)]}))
                .await;
            assert_eq!(res.status, 200, "{key} {value}: {}", res.text);
            assert_eq!(res.json()["meta"]["all_count"], 0, "{key} {value}");
        }
    }
    assert_eq!(
        app.get(&a.path("/conversations?status=all"), token).await.json()["data"]["meta"]["all_count"],
        0
    );
}

#[tokio::test]
async fn another_account_neither_reaches_nor_sees_the_conversations() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let s = seed(&app, &a).await;
    let events = app.event_count().await;
    let everything = json!([cond("status", "equal_to", json!(["all"]), Value::Null)]);
    let foreign = filter(&app, &a, &b.admin.token, everything.clone()).await;
    assert_eq!(foreign.status, 401);
    assert!(!foreign.text.contains("example.com"));
    // B naming A's inbox and A's custom attribute finds nothing / is unknown
    let res = app
        .post(
            &b.path("/conversations/filter"),
            &b.admin.token,
            json!({"payload": [cond("inbox_id", "equal_to", json!([s.sales]), Value::Null)]}),
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json()["meta"]["all_count"], 0);
    let res = app
        .post(
            &b.path("/conversations/filter"),
            &b.admin.token,
            json!({"payload": [cond("plan", "equal_to", json!(["gold"]), Value::Null)]}),
        )
        .await;
    assert_eq!(res.status, 422, "A's custom attribute is not B's: {}", res.text);
    let res =
        app.post(&b.path("/conversations/filter"), &b.admin.token, json!({"payload": everything})).await;
    assert_eq!(res.json()["meta"]["all_count"], 0);
    assert_eq!(app.event_count().await, events, "filtering writes nothing");
}
