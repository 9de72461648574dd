//! What a rule may say: its events, condition keys and their operators,
//! actions and their parameters; parsing raw JSON into them with the
//! upstream's messages.

use super::RuleContext;
use crate::validation::Violations;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The events a rule can listen to.
pub const EVENTS: [&str; 5] = [
    "conversation_created",
    "conversation_updated",
    "conversation_opened",
    "conversation_resolved",
    "message_created",
];

/// Condition keys allowed at save (besides the account's custom attributes).
pub const CONDITION_KEYS: [&str; 17] = [
    "content",
    "email",
    "country_code",
    "status",
    "message_type",
    "browser_language",
    "assignee_id",
    "team_id",
    "referer",
    "city",
    "company",
    "inbox_id",
    "mail_subject",
    "phone_number",
    "priority",
    "conversation_language",
    "labels",
];

/// Actions OneLink executes.
pub const ACTIONS: [&str; 12] = [
    "assign_agent",
    "assign_team",
    "add_label",
    "remove_label",
    "send_message",
    "add_private_note",
    "change_status",
    "change_priority",
    "resolve_conversation",
    "snooze_conversation",
    "open_conversation",
    "send_webhook_event",
];

/// Upstream actions OneLink does not execute (yet): refused at save rather
/// than accepted and silently ignored.
pub const NOT_BUILT_ACTIONS: [&str; 5] =
    ["mute_conversation", "send_email_to_team", "send_email_transcript", "send_attachment", "add_sla"];

/// Keys `attribute_changed` can watch (the conversation columns a
/// `conversation_updated` event reports as changed).
pub const CHANGEABLE: [&str; 5] = ["status", "priority", "assignee_id", "team_id", "labels"];

const EQUALITY: &[&str] = &["equal_to", "not_equal_to"];
const PRESENCE: &[&str] = &["equal_to", "not_equal_to", "is_present", "is_not_present"];
const TEXT: &[&str] = &["equal_to", "not_equal_to", "contains", "does_not_contain"];
const PHONE: &[&str] = &["equal_to", "not_equal_to", "contains", "does_not_contain", "starts_with"];
const CUSTOM: &[&str] = &[
    "equal_to",
    "not_equal_to",
    "contains",
    "does_not_contain",
    "is_present",
    "is_not_present",
    "is_greater_than",
    "is_less_than",
];

/// The operators a condition key supports (`None`: not a standard key).
pub fn allowed_operators(key: &str) -> Option<&'static [&'static str]> {
    Some(match key {
        "status"
        | "priority"
        | "message_type"
        | "browser_language"
        | "conversation_language"
        | "country_code" => EQUALITY,
        "assignee_id" | "team_id" | "inbox_id" | "labels" => PRESENCE,
        "content" | "email" | "referer" | "mail_subject" | "city" | "company" => TEXT,
        "phone_number" => PHONE,
        _ => return None,
    })
}

/// One condition, as the upstream stores it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    pub attribute_key: String,
    pub filter_operator: String,
    /// A list of values; for `attribute_changed`, `{"from": [...], "to": [...]}`.
    pub values: Value,
    /// `AND` / `OR` (upper-cased), joining this condition to the next.
    pub query_operator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_attribute_type: Option<String>,
}

/// One action: its name and parameters (always an array).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Action {
    pub action_name: String,
    pub action_params: Vec<Value>,
}

fn text(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// Parses and validates the conditions; violations go to `v`.
pub(super) fn conditions(raw: &Value, context: &RuleContext, v: &mut Violations) -> Vec<Condition> {
    let Some(items) = raw.as_array() else {
        v.add("conditions", "Automation conditions should be an array.");
        return vec![];
    };
    let mut out = Vec::new();
    for item in items {
        let Some(map) = item.as_object() else {
            v.add("conditions", "Automation conditions should be objects.");
            continue;
        };
        let key = text(map, "attribute_key").unwrap_or_default();
        let operator = text(map, "filter_operator").unwrap_or_default();
        let custom = context.custom_attribute_keys.contains(&key);
        let operators = match allowed_operators(&key) {
            Some(ops) => ops,
            None if custom => CUSTOM,
            None => {
                v.add("conditions", format!("Automation conditions {key} not supported."));
                continue;
            }
        };
        if operator == "attribute_changed" {
            if !CHANGEABLE.contains(&key.as_str()) {
                v.add(
                    "conditions",
                    format!("Automation conditions {key} filter operator {operator} not supported."),
                );
                continue;
            }
            let list = |k: &str| map.get("values").and_then(|vs| vs.get(k)).is_some_and(Value::is_array);
            if !(list("from") && list("to")) {
                v.add(
                    "conditions",
                    format!(
                        r#"Automation conditions {key} values should be {{"from": [...], "to": [...]}}."#
                    ),
                );
                continue;
            }
        } else if !operators.contains(&operator.as_str()) {
            v.add(
                "conditions",
                format!("Automation conditions {key} filter operator {operator} not supported."),
            );
            continue;
        }
        let values = match map.get("values") {
            Some(changed) if operator == "attribute_changed" => changed.clone(),
            None | Some(Value::Null) => Value::Array(vec![]),
            Some(Value::Array(values)) => Value::Array(values.clone()),
            Some(scalar @ (Value::String(_) | Value::Number(_) | Value::Bool(_))) => {
                Value::Array(vec![scalar.clone()])
            }
            Some(_) => {
                v.add("conditions", format!("Automation conditions {key} values should be an array."));
                continue;
            }
        };
        let query_operator = match map.get("query_operator") {
            None | Some(Value::Null) => None,
            Some(Value::String(op)) if op.trim().is_empty() => None,
            Some(Value::String(op)) if ["AND", "OR"].contains(&op.to_uppercase().as_str()) => {
                Some(op.to_uppercase())
            }
            Some(_) => {
                v.add("conditions", r#"Query operator must be either "AND" or "OR""#);
                continue;
            }
        };
        let custom_attribute_type = text(map, "custom_attribute_type");
        out.push(Condition {
            attribute_key: key,
            filter_operator: operator,
            values,
            query_operator,
            custom_attribute_type,
        });
    }
    if out.iter().filter(|c| c.query_operator.is_none()).count() > 1 {
        v.add("conditions", "Automation conditions should have query operator.");
    }
    out
}

fn param_text(params: &[Value]) -> Option<&str> {
    params.first().and_then(Value::as_str).filter(|s| !s.trim().is_empty())
}

fn is_id_or_nil(p: Option<&Value>) -> bool {
    match p {
        None => true,
        Some(Value::Number(n)) => n.as_i64().is_some(),
        Some(Value::String(s)) => s == "nil" || s.trim().parse::<i64>().is_ok(),
        Some(Value::Null) => true,
        _ => false,
    }
}

/// Whether `params` suit `action` (`None`: they do; else why not).
fn params_problem(action: &str, params: &[Value]) -> Option<&'static str> {
    let ok = match action {
        "assign_agent" | "assign_team" => is_id_or_nil(params.first()),
        "add_label" | "remove_label" => {
            !params.is_empty() && params.iter().all(|p| p.as_str().is_some_and(|s| !s.trim().is_empty()))
        }
        "send_message" | "add_private_note" | "send_webhook_event" => param_text(params).is_some(),
        "change_status" => params
            .first()
            .and_then(Value::as_str)
            .is_some_and(|s| crate::conversation::Status::parse(s).is_some()),
        "change_priority" => params
            .first()
            .and_then(Value::as_str)
            .is_some_and(|s| s == "nil" || crate::conversation::Priority::parse(s).is_some()),
        _ => true,
    };
    (!ok).then_some("has invalid params")
}

/// Parses and validates the actions; violations go to `v`.
pub(super) fn actions(raw: &Value, context: &RuleContext, v: &mut Violations) -> Vec<Action> {
    let Some(items) = raw.as_array() else {
        v.add("actions", "Automation actions should be an array.");
        return vec![];
    };
    let mut out = Vec::new();
    for item in items {
        let Some(map) = item.as_object() else {
            v.add("actions", "Automation actions should be objects.");
            continue;
        };
        let name = text(map, "action_name").unwrap_or_default();
        if NOT_BUILT_ACTIONS.contains(&name.as_str()) {
            v.add("actions", format!("Automation actions {name} not supported by OneLink yet."));
            continue;
        }
        if !ACTIONS.contains(&name.as_str()) {
            v.add("actions", format!("Automation actions {name} not supported."));
            continue;
        }
        let params = match map.get("action_params") {
            None | Some(Value::Null) => vec![],
            Some(Value::Array(p)) => p.clone(),
            Some(scalar) => vec![scalar.clone()],
        };
        if let Some(problem) = params_problem(&name, &params) {
            v.add("actions", format!("Automation actions {name} {problem}."));
            continue;
        }
        if name == "send_webhook_event" {
            let url = param_text(&params).unwrap_or_default();
            if let Some((_, why)) = context.refused_urls.iter().find(|(u, _)| u == url) {
                v.add("actions", format!("Automation actions send_webhook_event url {why}"));
                continue;
            }
        }
        out.push(Action { action_name: name, action_params: params });
    }
    out
}
