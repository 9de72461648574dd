//! Conversation and message webhooks: `conversation_created`,
//! `conversation_status_changed` + `conversation_updated` (one status
//! change is both), `conversation_updated` for priority, assignee, team,
//! labels and custom attributes, `message_created`, `message_updated`
//! (status changes and deletions; incoming, outgoing and template messages
//! only, private notes included, like the upstream).
//!
//! The conversation is folded from its stream up to the event with the
//! conversations projection's own fold, so the payload is the conversation
//! as it was right after that event, whatever the read model holds now.
//! The fold reads the whole stream up to the event: its cost grows with
//! the conversation's length (see docs/ARCHITECTURE.md).

use super::conversation_json::{conversation_push, message_webhook, priority_name};
use super::{account_json, changed_attributes, iso, MessageSource};
use crate::conversations::fold::Batch;
use crate::conversations::{status_from_code, ConversationRow, MessageRow};
use crate::log::{RecordedEvent, EVENT_COLUMNS};
use async_trait::async_trait;
use cqrs_es::Aggregate;
use onelink_domain::conversation::{Conversation, ConversationEvent};
use serde_json::{json, Map, Value};
use sqlx::PgConnection;

pub struct ConversationMessages;

/// The conversation right before and right after `event`, its latest
/// public chat message, and the event's message (message events).
pub(crate) struct Folded {
    pub before: Option<ConversationRow>,
    pub after: Option<ConversationRow>,
    pub last_chat: Option<MessageRow>,
    pub message: Option<MessageRow>,
}

fn is_chat(m: &MessageRow) -> bool {
    // upstream `messages.chat`: not activity, not private
    m.message_type != 2 && !m.private && !m.deleted
}

pub(crate) async fn fold(
    conn: &mut PgConnection,
    event: &RecordedEvent,
    message_id: Option<i64>,
) -> anyhow::Result<Folded> {
    let events: Vec<RecordedEvent> = sqlx::query_as(&format!(
        "SELECT {EVENT_COLUMNS} FROM events \
         WHERE aggregate_type = $1 AND aggregate_id = $2 AND sequence <= $3 ORDER BY sequence"
    ))
    .bind(Conversation::TYPE)
    .bind(&event.aggregate_id)
    .bind(event.sequence)
    .fetch_all(&mut *conn)
    .await?;
    let id = event.numeric_id()?;
    let mut batch = Batch::default();
    let mut before = None;
    let last = events.len().saturating_sub(1);
    for (i, e) in events.iter().enumerate() {
        if i == last {
            before = batch.rows.get(&id).cloned().flatten();
        }
        batch.fold(e)?;
    }
    let after = batch.rows.get(&id).cloned().flatten();
    let last_chat = batch.new_messages.iter().rev().find(|m| is_chat(m)).cloned();
    let message = message_id.and_then(|mid| batch.new_messages.iter().find(|m| m.id == mid).cloned());
    Ok(Folded { before, after, last_chat, message })
}

/// `changed_attributes` of a conversation change, with the upstream's
/// column names and value shapes.
fn changes(b: &ConversationRow, a: &ConversationRow) -> Value {
    let status = |c: &ConversationRow| json!(status_from_code(c.status).as_str());
    changed_attributes(vec![
        ("status", status(b), status(a)),
        ("snoozed_until", json!(b.snoozed_until.map(iso)), json!(a.snoozed_until.map(iso))),
        ("priority", json!(priority_name(b.priority)), json!(priority_name(a.priority))),
        ("assignee_id", json!(b.assignee_user_id), json!(a.assignee_user_id)),
        ("assignee_agent_bot_id", json!(b.assignee_bot_id), json!(a.assignee_bot_id)),
        ("team_id", json!(b.team_id), json!(a.team_id)),
        ("label_list", json!(b.labels), json!(a.labels)),
        ("custom_attributes", b.custom_attributes.clone(), a.custom_attributes.clone()),
        ("waiting_since", json!(b.waiting_since.map(iso)), json!(a.waiting_since.map(iso))),
        ("updated_at", json!(iso(b.updated_at)), json!(iso(a.updated_at))),
    ])
}

fn visible(changed: &Value) -> bool {
    changed.as_array().is_some_and(|c| c.iter().any(|c| c.get("updated_at").is_none()))
}

pub(super) fn with_event(mut payload: Map<String, Value>, name: &str) -> Map<String, Value> {
    payload.insert("event".into(), Value::String(name.into()));
    payload
}

#[async_trait]
impl MessageSource for ConversationMessages {
    fn names(&self, event: &RecordedEvent) -> &'static [&'static str] {
        if !event.is(Conversation::TYPE) {
            return &[];
        }
        match event.event_type.as_str() {
            "ConversationCreated" => &["conversation_created"],
            "ConversationStatusChanged" => &["conversation_status_changed", "conversation_updated"],
            "ConversationPriorityChanged"
            | "ConversationAssigneeChanged"
            | "ConversationTeamChanged"
            | "ConversationLabelsChanged"
            | "ConversationCustomAttributesChanged" => &["conversation_updated"],
            "MessageCreated" => &["message_created"],
            "MessageStatusChanged" | "MessageDeleted" => &["message_updated"],
            // deletions have no webhook event upstream
            _ => &[],
        }
    }

    async fn build(
        &self,
        conn: &mut PgConnection,
        event: &RecordedEvent,
    ) -> anyhow::Result<Vec<(&'static str, Map<String, Value>)>> {
        let names = self.names(event);
        if names.is_empty() {
            return Ok(vec![]);
        }
        let message_id = match event.decode::<ConversationEvent>()? {
            ConversationEvent::MessageCreated(m) => Some(m.id.0),
            ConversationEvent::MessageStatusChanged { message_id, .. }
            | ConversationEvent::MessageDeleted { message_id } => Some(message_id.0),
            _ => None,
        };
        let folded = fold(conn, event, message_id).await?;
        let Some(after) = folded.after else { return Ok(vec![]) };
        let push = conversation_push(conn, &after, folded.last_chat.as_ref()).await?;
        if message_id.is_some() {
            // activity messages have no webhook (message_type 2)
            let Some(message) = folded.message.filter(|m| m.message_type != 2) else { return Ok(vec![]) };
            let account = account_json(conn, after.account_id).await?;
            let payload = message_webhook(conn, &account, &message, push).await?;
            return Ok(names.iter().map(|name| (*name, with_event(payload.clone(), name))).collect());
        }
        if event.event_type == "ConversationCreated" {
            return Ok(vec![("conversation_created", with_event(push, "conversation_created"))]);
        }
        let Some(before) = folded.before else { return Ok(vec![]) };
        let changed = changes(&before, &after);
        if !visible(&changed) {
            return Ok(vec![]);
        }
        Ok(names
            .iter()
            .map(|name| {
                let mut payload = with_event(push.clone(), name);
                payload.insert("changed_attributes".into(), changed.clone());
                (*name, payload)
            })
            .collect())
    }
}
