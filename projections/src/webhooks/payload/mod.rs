//! From log events to webhook messages: which webhook event names a log
//! event produces and the upstream payload of each (`event` merged in).
//!
//! A [`MessageSource`] per aggregate plugs in here. Today: contacts
//! (`contact_created`, `contact_updated`) and conversations with their
//! messages (`conversation_created`, `conversation_status_changed` +
//! `conversation_updated` for one status change, `message_created`,
//! `message_updated`). Typing, the widget (`conversation_typing_on/off`,
//! `webwidget_triggered`) and inboxes (`inbox_created`, `inbox_updated`)
//! add a source each, without touching fan-out, delivery or replay.
//!
//! Payloads are built from the log alone (the aggregate folded up to the
//! event), so a replay sends what the original delivery sent.

mod bot;
mod contact;
mod conversation;
mod conversation_json;

pub use bot::{bot_messages, BotMessages};
pub(crate) use conversation::fold;
pub use conversation_json::conversation_push;

use crate::log::RecordedEvent;
use async_trait::async_trait;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use uuid::Uuid;

/// One webhook message built from a log event.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub name: &'static str,
    /// `webhook-id`: the log event's id for its first message; a further
    /// message of the same event gets an id derived from both.
    pub message_id: Uuid,
    /// The exact JSON body.
    pub body: String,
}

/// Turns the log events of one aggregate into webhook messages.
#[async_trait]
pub trait MessageSource: Send + Sync {
    /// The webhook event names `event` can produce (no I/O: used to skip
    /// events nobody subscribed to before any payload is built).
    fn names(&self, event: &RecordedEvent) -> &'static [&'static str];

    /// The payloads, each with `event` already merged in.
    async fn build(
        &self,
        conn: &mut PgConnection,
        event: &RecordedEvent,
    ) -> anyhow::Result<Vec<(&'static str, Map<String, Value>)>>;
}

static SOURCES: &[&dyn MessageSource] = &[&contact::ContactMessages, &conversation::ConversationMessages];

/// Every webhook event name `event` may produce.
pub fn names(event: &RecordedEvent) -> Vec<&'static str> {
    SOURCES.iter().flat_map(|s| s.names(event).iter().copied()).collect()
}

/// The messages of `event`.
pub async fn messages(conn: &mut PgConnection, event: &RecordedEvent) -> anyhow::Result<Vec<Message>> {
    let mut out = Vec::new();
    for source in SOURCES {
        if source.names(event).is_empty() {
            continue;
        }
        for (name, payload) in source.build(conn, event).await? {
            let message_id = if out.is_empty() { event.event_id } else { derived_id(event.event_id, name) };
            out.push(Message { name, message_id, body: serde_json::to_string(&payload)? });
        }
    }
    Ok(out)
}

/// A stable id for a second message of one log event (UUIDv8 from
/// SHA-256 of the event id and the name).
fn derived_id(event_id: Uuid, name: &str) -> Uuid {
    let digest = Sha256::new().chain_update(event_id.as_bytes()).chain_update(name.as_bytes()).finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// `2026-01-19T10:00:00.000Z` (the upstream's ISO format).
pub fn iso(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// `{"id": …, "name": …}` of the account (upstream `account.webhook_data`).
pub async fn account_json(conn: &mut PgConnection, account_id: i64) -> anyhow::Result<Value> {
    let account = crate::platform::accounts::find(&mut *conn, account_id).await?;
    Ok(serde_json::json!({ "id": account_id, "name": account.map(|a| a.name) }))
}

/// `changed_attributes`: one single-key object per changed attribute,
/// `{"<attr>": {"previous_value": …, "current_value": …}}`.
pub fn changed_attributes(changes: Vec<(&str, Value, Value)>) -> Value {
    Value::Array(
        changes
            .into_iter()
            .filter(|(_, before, after)| before != after)
            .map(|(attr, before, after)| {
                serde_json::json!({ attr: { "previous_value": before, "current_value": after } })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_stable_and_distinct() {
        let id = Uuid::now_v7();
        assert_eq!(derived_id(id, "conversation_updated"), derived_id(id, "conversation_updated"));
        assert_ne!(derived_id(id, "conversation_updated"), derived_id(id, "conversation_status_changed"));
        assert_ne!(derived_id(id, "conversation_updated"), id);
    }

    #[test]
    fn unchanged_attributes_are_left_out() {
        let changes =
            changed_attributes(vec![("name", "a".into(), "b".into()), ("email", Value::Null, Value::Null)]);
        assert_eq!(changes, serde_json::json!([{"name": {"previous_value": "a", "current_value": "b"}}]));
    }
}
