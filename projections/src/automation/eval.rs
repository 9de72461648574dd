//! Evaluating a rule's conditions in memory against the conversation, its
//! contact and the candidate messages, with the upstream's precedence:
//! conditions joined in order by their own `query_operator`, AND binding
//! tighter than OR, no parentheses; the rule matches when any candidate
//! row (one per message, as the upstream's join) satisfies the whole
//! expression. Missing values behave like SQL NULLs: no comparison holds.

use crate::conversations::{status_from_code, ConversationRow, MessageRow};
use onelink_domain::automation_rule::Condition;
use onelink_domain::conversation::Priority;
use serde_json::Value;

/// The contact attributes conditions can name.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct ContactFacts {
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub additional_attributes: Value,
    pub custom_attributes: Value,
}

pub struct Facts<'a> {
    pub conversation: &'a ConversationRow,
    /// conversation_updated: the conversation right before and right after
    /// the triggering event (for `attribute_changed`).
    pub change: Option<(&'a ConversationRow, &'a ConversationRow)>,
    pub contact: Option<&'a ContactFacts>,
    /// message_created: the triggering message; conversation events: all
    /// the conversation's messages.
    pub messages: &'a [MessageRow],
}

enum Attr {
    One(Option<String>),
    Many(Vec<String>),
}

fn json_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn message_type_name(code: i16) -> &'static str {
    match code {
        0 => "incoming",
        1 => "outgoing",
        2 => "activity",
        _ => "template",
    }
}

fn attribute(c: &Condition, f: &Facts, conv: &ConversationRow, m: Option<&MessageRow>) -> Attr {
    let contact_attr = |k: &str| f.contact.and_then(|ct| json_text(ct.additional_attributes.get(k)));
    Attr::One(match c.attribute_key.as_str() {
        "status" => Some(status_from_code(conv.status).as_str().to_owned()),
        "priority" => conv
            .priority
            .and_then(|r| Priority::ALL.into_iter().find(|p| p.rank() == r))
            .map(|p| p.as_str().to_owned()),
        "assignee_id" => conv.assignee_user_id.map(|v| v.to_string()),
        "team_id" => conv.team_id.map(|v| v.to_string()),
        "inbox_id" => Some(conv.inbox_id.to_string()),
        "labels" => return Attr::Many(conv.labels.clone()),
        "browser_language" | "conversation_language" | "referer" | "mail_subject" => {
            json_text(conv.additional_attributes.get(&c.attribute_key))
        }
        "email" => f.contact.and_then(|ct| ct.email.clone()),
        "phone_number" => f.contact.and_then(|ct| ct.phone_number.clone()),
        "country_code" | "city" | "company" => contact_attr(&c.attribute_key),
        "content" => m.and_then(|m| m.content.as_ref()).map(|s| s.to_lowercase()),
        "message_type" => m.map(|m| message_type_name(m.message_type).to_owned()),
        key if c.custom_attribute_type.as_deref() == Some("contact_attribute") => {
            f.contact.and_then(|ct| json_text(ct.custom_attributes.get(key)))
        }
        key => json_text(conv.custom_attributes.get(key)),
    })
}

/// A condition value as text (`{"id": …}` objects from the upstream UI
/// count as their id).
fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::Object(o) => o.get("id").and_then(|id| json_text(Some(id))),
        other => json_text(Some(other)),
    }
}

fn texts(values: Option<&Value>) -> Vec<String> {
    values.and_then(Value::as_array).map(|vs| vs.iter().filter_map(value_text).collect()).unwrap_or_default()
}

/// `attribute_changed`: the attribute moved from one of `from` to one of
/// `to` in the triggering event.
fn changed(c: &Condition, f: &Facts) -> bool {
    let Some((before, after)) = f.change else { return false };
    let (from, to) = (texts(c.values.get("from")), texts(c.values.get("to")));
    match (attribute(c, f, before, None), attribute(c, f, after, None)) {
        (Attr::One(old), Attr::One(new)) => {
            old != new && old.is_some_and(|o| from.contains(&o)) && new.is_some_and(|n| to.contains(&n))
        }
        (Attr::Many(old), Attr::Many(new)) => {
            old != new
                && (from.is_empty() || old.iter().any(|l| from.contains(l)))
                && new.iter().any(|l| to.contains(l))
        }
        _ => false,
    }
}

fn holds(c: &Condition, f: &Facts, m: Option<&MessageRow>) -> bool {
    if c.filter_operator == "attribute_changed" {
        return changed(c, f);
    }
    let mut values: Vec<String> = texts(Some(&c.values));
    if c.attribute_key == "content" {
        values = values.iter().map(|v| v.to_lowercase()).collect();
    }
    let contains = |s: &str| {
        let s = s.to_lowercase();
        values.iter().any(|v| s.contains(&v.to_lowercase()))
    };
    let number = |s: &str| s.trim().parse::<f64>().ok();
    match (attribute(c, f, f.conversation, m), c.filter_operator.as_str()) {
        (_, "equal_to") if c.attribute_key == "status" && values.iter().any(|v| v == "all") => true,
        (Attr::Many(list), "equal_to") => list.iter().any(|l| values.contains(l)),
        (Attr::Many(list), "not_equal_to") => !list.iter().any(|l| values.contains(l)),
        (Attr::Many(list), "is_present") => !list.is_empty(),
        (Attr::Many(list), "is_not_present") => list.is_empty(),
        (Attr::Many(_), _) => false,
        (Attr::One(v), "is_present") => v.is_some_and(|v| !v.is_empty()),
        (Attr::One(v), "is_not_present") => v.is_none_or(|v| v.is_empty()),
        (Attr::One(None), _) => false,
        (Attr::One(Some(v)), "equal_to") => values.contains(&v),
        (Attr::One(Some(v)), "not_equal_to") => !values.contains(&v),
        (Attr::One(Some(v)), "contains") => contains(&v),
        (Attr::One(Some(v)), "does_not_contain") => !contains(&v),
        (Attr::One(Some(v)), "starts_with") => values.iter().any(|x| v.starts_with(x.as_str())),
        (Attr::One(Some(v)), op @ ("is_greater_than" | "is_less_than")) => {
            match (number(&v), values.first().and_then(|x| number(x))) {
                (Some(a), Some(b)) if op == "is_greater_than" => a > b,
                (Some(a), Some(b)) => a < b,
                _ => false,
            }
        }
        _ => false,
    }
}

fn holds_for_row(conditions: &[Condition], f: &Facts, m: Option<&MessageRow>) -> bool {
    let mut any = false;
    let mut group = true;
    for (i, c) in conditions.iter().enumerate() {
        group = group && holds(c, f, m);
        let last = i + 1 == conditions.len();
        if last || c.query_operator.as_deref() == Some("OR") {
            any = any || group;
            group = true;
        }
    }
    any
}

/// Whether the conditions hold (no conditions: always).
pub fn matches(conditions: &[Condition], f: &Facts) -> bool {
    if conditions.is_empty() {
        return true;
    }
    if f.messages.is_empty() {
        return holds_for_row(conditions, f, None);
    }
    f.messages.iter().any(|m| holds_for_row(conditions, f, Some(m)))
}
