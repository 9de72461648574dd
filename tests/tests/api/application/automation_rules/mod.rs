//! `/api/v1/accounts/{account_id}/automation_rules`: CRUD in the upstream
//! shapes, validation, roles and tenancy ([`crud`]); execution from the log
//! ([`execution`]): conditions, actions, loop protection, inactive rules,
//! restarts.

mod crud;
mod execution;

use onelink_tests::seed::Tenant;
use onelink_tests::TestApp;
use serde_json::{json, Value};

/// "message_created, content contains `word` → add_label `label`".
pub fn label_rule(word: &str, label: &str) -> Value {
    json!({
        "name": format!("Label {word}"),
        "description": "tags messages",
        "event_name": "message_created",
        "conditions": [{"attribute_key": "content", "filter_operator": "contains", "values": [word], "query_operator": null}],
        "actions": [{"action_name": "add_label", "action_params": [label]}]
    })
}

pub async fn create_rule(app: &TestApp, t: &Tenant, body: Value) -> Value {
    let res = app.post(&t.path("/automation_rules"), &t.admin.token, body).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()
}
