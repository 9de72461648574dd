//! The upstream shapes conversation and message webhooks carry:
//! `ConversationPush` (`Conversations::EventDataPresenter#push_data`),
//! `message.webhook_data`, and the senders' `webhook_data` /
//! `push_event_data`.
//!
//! The conversation and the message come from the log (folded up to the
//! event); the names around them (contact, agent, bot, team, inbox) are
//! looked up in the read models when the message is built.

use super::iso;
use crate::contacts::query as contacts;
use crate::conversations::{status_from_code, ConversationRow, MessageRow};
use crate::platform::accounts::agent;
use crate::platform::agent_bots::find_many_for_account;
use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};
use sqlx::PgConnection;

const PRIORITIES: [&str; 4] = ["low", "medium", "high", "urgent"];
const MESSAGE_TYPES: [&str; 4] = ["incoming", "outgoing", "activity", "template"];

pub fn priority_name(rank: Option<i16>) -> Option<&'static str> {
    rank.and_then(|r| PRIORITIES.get(usize::try_from(r).ok()?).copied())
}

pub fn message_type_name(number: i16) -> &'static str {
    usize::try_from(number).ok().and_then(|n| MESSAGE_TYPES.get(n).copied()).unwrap_or("incoming")
}

/// Unix seconds, 0 for none (the upstream renders null timestamps as 0).
fn ts(at: Option<DateTime<Utc>>) -> i64 {
    at.map(|t| t.timestamp()).unwrap_or(0)
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// `ContactWebhook` of a contact read-model row (no `type` key).
pub fn contact_webhook(account: &Value, c: &contacts::ContactRow) -> Value {
    json!({
        "account": account,
        "additional_attributes": c.additional_attributes,
        "avatar": "",
        "custom_attributes": c.custom_attributes,
        "email": c.email,
        "id": c.id,
        "identifier": c.identifier,
        "name": c.name,
        "phone_number": c.phone_number,
        "thumbnail": "",
        "blocked": c.blocked,
    })
}

/// Who sent a message or is assigned, in one of the upstream's shapes.
pub enum Party {
    Contact(i64),
    User(i64),
    Bot(i64),
}

impl Party {
    pub fn of(kind: Option<&str>, id: Option<i64>) -> Option<Party> {
        let id = id?;
        match kind? {
            "Contact" => Some(Party::Contact(id)),
            "User" => Some(Party::User(id)),
            "AgentBot" => Some(Party::Bot(id)),
            _ => None,
        }
    }

    /// `webhook_data`: ContactWebhook, `{id, name, email, type:"user"}` or
    /// `{id, name, type:"agent_bot"}`; null when the record is gone.
    pub async fn webhook_data(
        &self,
        conn: &mut PgConnection,
        account: &Value,
        account_id: i64,
    ) -> anyhow::Result<Value> {
        Ok(match self {
            Party::Contact(id) => contacts::find(&mut *conn, account_id, *id)
                .await?
                .map(|c| contact_webhook(account, &c))
                .unwrap_or(Value::Null),
            Party::User(id) => agent(&mut *conn, account_id, *id)
                .await?
                .map(|u| json!({"id": u.id, "name": u.name, "email": u.email, "type": "user"}))
                .unwrap_or(Value::Null),
            Party::Bot(id) => find_many_for_account(&mut *conn, account_id, &[*id])
                .await?
                .into_iter()
                .next()
                .map(|b| json!({"id": b.id, "name": b.name, "type": "agent_bot"}))
                .unwrap_or(Value::Null),
        })
    }

    /// `push_event_data` (embedded in `meta` and pushed messages).
    pub async fn push_data(&self, conn: &mut PgConnection, account_id: i64) -> anyhow::Result<Value> {
        Ok(match self {
            Party::Contact(id) => contacts::find(&mut *conn, account_id, *id)
                .await?
                .map(|c| {
                    json!({
                        "additional_attributes": c.additional_attributes,
                        "custom_attributes": c.custom_attributes,
                        "email": c.email,
                        "id": c.id,
                        "identifier": c.identifier,
                        "name": c.name,
                        "phone_number": c.phone_number,
                        "thumbnail": "",
                        "blocked": c.blocked,
                        "type": "contact",
                    })
                })
                .unwrap_or(Value::Null),
            Party::User(id) => agent(&mut *conn, account_id, *id)
                .await?
                .map(|u| {
                    json!({
                        "id": u.id,
                        "name": u.name,
                        "available_name": u.display_name.clone().unwrap_or_else(|| u.name.clone()),
                        "avatar_url": "",
                        "type": "user",
                        "availability_status": u.availability,
                        "thumbnail": "",
                    })
                })
                .unwrap_or(Value::Null),
            Party::Bot(id) => find_many_for_account(&mut *conn, account_id, &[*id])
                .await?
                .into_iter()
                .next()
                .map(|b| json!({"id": b.id, "name": b.name, "avatar_url": "", "type": "agent_bot"}))
                .unwrap_or(Value::Null),
        })
    }
}

/// `Message#push_event_data` (the conversation's `messages` entry).
pub async fn message_push(
    conn: &mut PgConnection,
    m: &MessageRow,
    c: &ConversationRow,
) -> anyhow::Result<Value> {
    let mut out = object(json!({
        "id": m.id,
        "content": m.content,
        "account_id": m.account_id,
        "inbox_id": m.inbox_id,
        "conversation_id": m.display_id,
        "message_type": m.message_type,
        "created_at": m.created_at.timestamp(),
        "updated_at": iso(m.updated_at),
        "private": m.private,
        "status": m.status,
        "source_id": m.source_id,
        "content_type": m.content_type,
        "content_attributes": m.content_attributes,
        "sender_type": m.sender_type,
        "sender_id": m.sender_id,
        "external_source_ids": {},
        "additional_attributes": m.additional_attributes,
        "processed_message_content": m.content,
        "sentiment": {},
        "conversation": {
            "assignee_id": c.assignee_user_id,
            "unread_count": c.unread_count.min(10),
            "last_activity_at": c.last_activity_at.timestamp(),
            "contact_inbox": { "source_id": c.source_id },
        },
    }));
    if let Some(sender) = Party::of(m.sender_type.as_deref(), m.sender_id) {
        out.insert("sender".into(), sender.push_data(conn, m.account_id).await?);
    }
    Ok(Value::Object(out))
}

/// `ConversationPush`: the conversation as the log had it after the event;
/// `last_chat` is its latest public non-activity message, if any.
pub async fn conversation_push(
    conn: &mut PgConnection,
    c: &ConversationRow,
    last_chat: Option<&MessageRow>,
) -> anyhow::Result<Map<String, Value>> {
    let inbox = crate::inboxes::find(&mut *conn, c.account_id, c.inbox_id).await?;
    let assignee = match (c.assignee_user_id, c.assignee_bot_id) {
        (Some(user), _) => Party::User(user).push_data(conn, c.account_id).await?,
        (None, Some(bot)) => Party::Bot(bot).push_data(conn, c.account_id).await?,
        (None, None) => Value::Null,
    };
    let team = match c.team_id {
        Some(id) => crate::teams::query::find(&mut *conn, c.account_id, id)
            .await?
            .map(|t| json!({"id": t.id, "name": t.name}))
            .unwrap_or(Value::Null),
        None => Value::Null,
    };
    let sender = Party::Contact(c.contact_id).push_data(conn, c.account_id).await?;
    let messages = match last_chat {
        Some(m) => vec![message_push(conn, m, c).await?],
        None => vec![],
    };
    Ok(object(json!({
        "additional_attributes": c.additional_attributes,
        "can_reply": true,
        "channel": inbox.as_ref().map(|i| i.channel_type.clone()),
        "contact_inbox": { "source_id": c.source_id, "inbox_id": c.inbox_id, "contact_id": c.contact_id },
        "id": c.display_id,
        "inbox_id": c.inbox_id,
        "messages": messages,
        "labels": c.labels,
        "meta": { "sender": sender, "assignee": assignee, "team": team, "hmac_verified": false },
        "status": status_from_code(c.status).as_str(),
        "custom_attributes": c.custom_attributes,
        "snoozed_until": c.snoozed_until.map(iso),
        "unread_count": c.unread_count,
        "first_reply_created_at": c.first_reply_created_at.map(iso),
        "priority": priority_name(c.priority),
        "waiting_since": ts(c.waiting_since),
        "agent_last_seen_at": ts(c.agent_last_seen_at),
        "contact_last_seen_at": ts(c.contact_last_seen_at),
        "last_activity_at": c.last_activity_at.timestamp(),
        "timestamp": c.last_activity_at.timestamp(),
        "created_at": c.created_at.timestamp(),
        "updated_at": c.updated_at.timestamp_micros() as f64 / 1_000_000.0,
    })))
}

/// `message.webhook_data` (without `event`).
pub async fn message_webhook(
    conn: &mut PgConnection,
    account: &Value,
    m: &MessageRow,
    conversation: Map<String, Value>,
) -> anyhow::Result<Map<String, Value>> {
    let inbox = crate::inboxes::find(&mut *conn, m.account_id, m.inbox_id).await?;
    let sender = match Party::of(m.sender_type.as_deref(), m.sender_id) {
        Some(party) => party.webhook_data(conn, account, m.account_id).await?,
        None => Value::Null,
    };
    Ok(object(json!({
        "account": account,
        "additional_attributes": m.additional_attributes,
        "content_attributes": m.content_attributes,
        "content_type": m.content_type,
        "content": m.content,
        "conversation": conversation,
        "created_at": iso(m.created_at),
        "id": m.id,
        "inbox": { "id": m.inbox_id, "name": inbox.map(|i| i.name) },
        "message_type": message_type_name(m.message_type),
        "private": m.private,
        "sender": sender,
        "source_id": m.source_id,
    })))
}
