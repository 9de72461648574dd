//! Automation rule CRUD: shapes, validation table, roles, tenancy, rebuild.

use super::super::keys;
use super::{create_rule, label_rule};
use onelink_tests::TestApp;
use serde_json::{json, Value};

const KEYS: [&str; 10] = [
    "id",
    "account_id",
    "name",
    "description",
    "event_name",
    "conditions",
    "actions",
    "created_on",
    "active",
    "files",
];

#[tokio::test]
async fn administrators_create_list_show_update_clone_and_delete_rules_in_the_upstream_shape() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let rule = create_rule(&app, &a, json!({"automation_rule": label_rule("refund", "billing")})).await;
    assert_eq!(keys(&rule), KEYS, "create answers the bare rule");
    assert_eq!(rule["account_id"], a.account_id);
    assert_eq!(rule["active"], true, "active by default");
    assert!(rule["created_on"].is_i64(), "created_on is unix seconds: {}", rule["created_on"]);
    assert_eq!(rule["files"], json!([]));
    assert_eq!(
        rule["conditions"],
        json!([{"attribute_key": "content", "filter_operator": "contains", "values": ["refund"], "query_operator": null}])
    );
    assert_eq!(rule["actions"], json!([{"action_name": "add_label", "action_params": ["billing"]}]));

    let path = a.path(&format!("/automation_rules/{}", rule["id"]));
    let shown = app.get(&path, &a.admin.token).await;
    assert_eq!(shown.status, 200);
    assert_eq!(shown.json(), json!({"payload": rule}));

    let patched = app.patch(&path, &a.admin.token, json!({"name": "Refunds", "active": false})).await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    let patched = patched.json()["payload"].clone();
    assert_eq!(patched["name"], "Refunds");
    assert_eq!(patched["active"], false);
    assert_eq!(patched["event_name"], "message_created", "absent fields are kept");
    let put = app.put(&path, &a.admin.token, json!({"event_name": "conversation_created"})).await;
    assert_eq!(put.status, 200, "{}", put.text);
    assert_eq!(put.json()["payload"]["event_name"], "conversation_created");

    let cloned = app.post(&format!("{path}/clone"), &a.admin.token, json!({})).await;
    assert_eq!(cloned.status, 200, "{}", cloned.text);
    let copy = cloned.json()["payload"].clone();
    assert_ne!(copy["id"], rule["id"]);
    assert_eq!(copy["name"], "Refunds");
    assert_eq!(copy["active"], false, "a clone keeps the active flag");
    assert_eq!(copy["conditions"], rule["conditions"]);

    let list = app.get(&a.path("/automation_rules"), &a.admin.token).await;
    assert_eq!(list.status, 200);
    let ids: Vec<Value> =
        list.json()["payload"].as_array().unwrap().iter().map(|r| r["id"].clone()).collect();
    assert_eq!(ids, vec![rule["id"].clone(), copy["id"].clone()]);

    let deleted = app.delete(&path, &a.admin.token).await;
    assert_eq!(deleted.status, 200);
    assert_eq!(deleted.text, "");
    assert_eq!(app.get(&path, &a.admin.token).await.status, 404);
    assert_eq!(app.delete(&path, &a.admin.token).await.status, 404);
    let list = app.get(&a.path("/automation_rules"), &a.admin.token).await.json();
    assert_eq!(list["payload"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn invalid_rules_get_the_upstreams_field_errors() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let attribute = json!({"attribute_display_name": "Plan", "attribute_key": "plan", "attribute_display_type": "text",
        "attribute_model": "conversation_attribute"});
    let res = app.post(&a.path("/custom_attribute_definitions"), &a.admin.token, attribute).await;
    assert_eq!(res.status, 200, "{}", res.text);

    let with = |patch: Value| {
        let mut body = label_rule("refund", "billing");
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let cond = |key: &str, op: &str, query: Value| json!({"attribute_key": key, "filter_operator": op, "values": ["x"], "query_operator": query});
    let table: Vec<(Value, Value)> = vec![
        (
            with(json!({"conditions": [cond("shoe_size", "equal_to", Value::Null)]})),
            json!({"conditions": ["Automation conditions shoe_size not supported."]}),
        ),
        (
            with(json!({"actions": [{"action_name": "launch_rocket", "action_params": []}]})),
            json!({"actions": ["Automation actions launch_rocket not supported."]}),
        ),
        (
            with(
                json!({"conditions": [cond("content", "contains", Value::Null), cond("status", "equal_to", Value::Null)]}),
            ),
            json!({"conditions": ["Automation conditions should have query operator."]}),
        ),
        (
            with(
                json!({"conditions": [cond("content", "contains", json!("XOR")), cond("status", "equal_to", Value::Null)]}),
            ),
            json!({"conditions": ["Query operator must be either \"AND\" or \"OR\""]}),
        ),
        (
            with(json!({"conditions": [cond("status", "contains", Value::Null)]})),
            json!({"conditions": ["Automation conditions status filter operator contains not supported."]}),
        ),
        (
            with(json!({"event_name": "contact_created"})),
            json!({"event_name": ["Automation event contact_created not supported."]}),
        ),
        (with(json!({"name": ""})), json!({"name": ["can't be blank"]})),
        (
            with(json!({"actions": [{"action_name": "mute_conversation", "action_params": []}]})),
            json!({"actions": ["Automation actions mute_conversation not supported by OneLink yet."]}),
        ),
        (
            with(json!({"actions": [{"action_name": "change_status", "action_params": ["closed"]}]})),
            json!({"actions": ["Automation actions change_status has invalid params."]}),
        ),
        (
            with(
                json!({"actions": [{"action_name": "send_webhook_event", "action_params": ["http://10.0.0.1/hook"]}]}),
            ),
            Value::Null,
        ),
        (
            with(json!({"conditions": "content"})),
            json!({"conditions": ["Automation conditions should be an array."]}),
        ),
        (
            with(json!({"conditions": [{"attribute_key": "status", "filter_operator": "attribute_changed",
                "values": {"from": ["open"], "to": ["resolved"]}, "query_operator": null}]})),
            json!({"conditions": ["Automation conditions attribute_changed is only supported on conversation_updated."]}),
        ),
        (
            with(json!({"event_name": "conversation_updated", "conditions": [{"attribute_key": "status",
                "filter_operator": "attribute_changed", "values": ["resolved"], "query_operator": null}]})),
            json!({"conditions": ["Automation conditions status values should be {\"from\": [...], \"to\": [...]}."]}),
        ),
    ];
    let before = app.event_count().await;
    for (body, expected) in table {
        let res = app.post(&a.path("/automation_rules"), &a.admin.token, body.clone()).await;
        assert_eq!(res.status, 422, "{body} -> {}", res.text);
        let error = res.json()["error"].clone();
        if expected.is_null() {
            let message = error["actions"][0].as_str().unwrap_or_default();
            assert!(message.starts_with("Automation actions send_webhook_event url"), "{error}");
        } else {
            assert_eq!(error, expected, "{body}");
        }
    }
    assert_eq!(app.event_count().await, before, "refused rules write nothing");

    // the account's custom attributes are valid keys, query operators are case-insensitive
    let ok = with(
        json!({"conditions": [cond("plan", "equal_to", json!("or")), cond("content", "contains", Value::Null)]}),
    );
    let rule = create_rule(&app, &a, ok).await;
    assert_eq!(rule["conditions"][0]["query_operator"], "OR");

    // malformed JSON is a 400, never a 500
    let res = app
        .send(
            app.build(reqwest::Method::POST, &a.path("/automation_rules"))
                .header("api_access_token", &a.admin.token)
                .header("content-type", "application/json")
                .body("{"),
        )
        .await;
    assert_eq!(res.status, 400, "{}", res.text);
}

#[tokio::test]
async fn agents_get_401_and_other_accounts_find_nothing() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let rule = create_rule(&app, &a, label_rule("refund", "billing")).await;
    let path = a.path(&format!("/automation_rules/{}", rule["id"]));
    let agent = &a.agent.token;
    assert_eq!(app.get(&a.path("/automation_rules"), agent).await.status, 401);
    assert_eq!(app.post(&a.path("/automation_rules"), agent, label_rule("x", "y")).await.status, 401);
    assert_eq!(app.get(&path, agent).await.status, 401);
    assert_eq!(app.patch(&path, agent, json!({"name": "mine"})).await.status, 401);
    assert_eq!(app.delete(&path, agent).await.status, 401);
    assert_eq!(app.post(&format!("{path}/clone"), agent, json!({})).await.status, 401);

    // B's administrator: not a member of A (401); A's rule id under B's account: 404
    assert_eq!(app.get(&path, &b.admin.token).await.status, 401);
    let under_b = b.path(&format!("/automation_rules/{}", rule["id"]));
    assert_eq!(app.get(&under_b, &b.admin.token).await.status, 404);
    assert_eq!(app.patch(&under_b, &b.admin.token, json!({"name": "stolen"})).await.status, 404);
    assert_eq!(app.post(&format!("{under_b}/clone"), &b.admin.token, json!({})).await.status, 404);
    assert_eq!(app.delete(&under_b, &b.admin.token).await.status, 404);
    let list = app.get(&b.path("/automation_rules"), &b.admin.token).await.json();
    assert_eq!(list, json!({"payload": []}));
    let unchanged = app.get(&path, &a.admin.token).await.json();
    assert_eq!(unchanged["payload"]["name"], rule["name"]);
}

#[tokio::test]
async fn a_rebuilt_automation_rules_read_model_equals_the_live_one() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let first = create_rule(&app, &a, label_rule("refund", "billing")).await;
    let second = create_rule(&app, &a, label_rule("invoice", "billing")).await;
    let path = a.path(&format!("/automation_rules/{}", first["id"]));
    assert_eq!(app.patch(&path, &a.admin.token, json!({"active": false, "name": "Old"})).await.status, 200);
    assert_eq!(app.post(&format!("{path}/clone"), &a.admin.token, json!({})).await.status, 200);
    let second_path = a.path(&format!("/automation_rules/{}", second["id"]));
    assert_eq!(app.delete(&second_path, &a.admin.token).await.status, 200);

    let dump = || async {
        let rows: Value = sqlx::query_scalar(
            "SELECT COALESCE(jsonb_agg(to_jsonb(t) ORDER BY t.id), '[]'::jsonb) FROM automation_rules t",
        )
        .fetch_one(&app.db)
        .await
        .unwrap();
        rows
    };
    let live = dump().await;
    assert_eq!(live.as_array().unwrap().len(), 2);
    let projection = onelink_projections::registry::find_projection("automation_rules").unwrap();
    onelink_projections::rebuild::rebuild(&app.db, projection.as_ref()).await.unwrap();
    assert_eq!(dump().await, live);
}
