//! Conversation and message shapes (upstream `conversations/partials/
//! _conversation`, `models/_message`, `Message#push_event_data`), rendered
//! from read-model rows hydrated in a fixed number of queries per page.

use super::super::contacts::json::Contact;
use super::super::json::Agent;
use crate::error::ApiResult;
use crate::platform::iso;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use onelink_projections::contacts::{query as contact_rows, ContactRow};
use onelink_projections::conversations::query::messages_by_ids;
use onelink_projections::conversations::{status_from_code, ConversationRow, MessageRow};
use onelink_projections::inboxes::{self, InboxRow};
use onelink_projections::platform::accounts::{agents_among, AgentRow};
use onelink_projections::platform::agent_bots::{find_many_for_account, AgentBotRow};
use onelink_projections::teams::query::{find_many as teams_by_id, TeamRow};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};
use utoipa::ToSchema;

/// Unix seconds, 0 for none (the upstream renders null timestamps as 0).
fn ts(at: Option<DateTime<Utc>>) -> i64 {
    at.map(|t| t.timestamp()).unwrap_or(0)
}

const PRIORITIES: [&str; 4] = ["low", "medium", "high", "urgent"];

pub fn priority_name(rank: Option<i16>) -> Option<&'static str> {
    rank.and_then(|r| PRIORITIES.get(r as usize).copied())
}

/// Everything a page of conversations (and their latest messages) needs,
/// looked up in one query per kind.
#[derive(Default)]
pub struct Hydrated {
    contacts: HashMap<i64, ContactRow>,
    agents: HashMap<i64, AgentRow>,
    bots: HashMap<i64, AgentBotRow>,
    teams: HashMap<i64, TeamRow>,
    inboxes: HashMap<i64, InboxRow>,
    messages: HashMap<i64, MessageRow>,
    /// Teams the caller belongs to (Team JSON `is_member`).
    caller_teams: BTreeSet<i64>,
    /// Signs attachment URLs.
    urls: Option<std::sync::Arc<crate::blobs::BlobUrls>>,
}

impl Hydrated {
    pub async fn load(
        state: &AppState,
        account_id: i64,
        caller_id: Option<i64>,
        rows: &[ConversationRow],
        extra_messages: &[MessageRow],
    ) -> ApiResult<Hydrated> {
        let db = &state.pool;
        let ids = |f: &dyn Fn(&ConversationRow) -> Option<i64>| -> Vec<i64> {
            let set: BTreeSet<i64> = rows.iter().filter_map(f).collect();
            set.into_iter().collect()
        };
        let message_ids = ids(&|r| r.last_message_id)
            .into_iter()
            .chain(ids(&|r| r.last_non_activity_message_id))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>();
        let mut messages: HashMap<i64, MessageRow> =
            messages_by_ids(db, account_id, &message_ids).await?.into_iter().map(|m| (m.id, m)).collect();
        for m in extra_messages {
            messages.insert(m.id, m.clone());
        }
        let sender_ids = |kind: &str| -> Vec<i64> {
            messages
                .values()
                .filter(|m| m.sender_type.as_deref() == Some(kind))
                .filter_map(|m| m.sender_id)
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect()
        };
        let mut contact_ids = ids(&|r| Some(r.contact_id));
        contact_ids.extend(sender_ids("Contact"));
        let mut user_ids = ids(&|r| r.assignee_user_id);
        user_ids.extend(sender_ids("User"));
        let mut bot_ids = ids(&|r| r.assignee_bot_id);
        bot_ids.extend(sender_ids("AgentBot"));
        let caller_teams = match caller_id {
            Some(user) => onelink_projections::teams::query::team_ids_of_user(db, account_id, user)
                .await?
                .into_iter()
                .collect(),
            None => BTreeSet::new(),
        };
        Ok(Hydrated {
            contacts: contact_rows::find_many(db, account_id, &contact_ids)
                .await?
                .into_iter()
                .map(|c| (c.id, c))
                .collect(),
            agents: agents_among(db, account_id, &user_ids).await?.into_iter().map(|a| (a.id, a)).collect(),
            bots: find_many_for_account(db, account_id, &bot_ids)
                .await?
                .into_iter()
                .map(|b| (b.id, b))
                .collect(),
            teams: teams_by_id(db, account_id, &ids(&|r| r.team_id))
                .await?
                .into_iter()
                .map(|t| (t.id, t))
                .collect(),
            inboxes: inboxes::find_many(db, account_id, &ids(&|r| Some(r.inbox_id)))
                .await?
                .into_iter()
                .map(|i| (i.id, i))
                .collect(),
            messages,
            caller_teams,
            urls: Some(state.blob_urls.clone()),
        })
    }

    /// The message's `attachments` (`None` when it has none: the key is
    /// then omitted, as upstream), with freshly signed URLs.
    pub fn attachments(&self, m: &MessageRow) -> Option<Value> {
        let refs = m.attachment_refs();
        if refs.is_empty() {
            return None;
        }
        let urls = self.urls.as_ref()?;
        Some(Value::Array(refs.iter().map(|a| crate::blobs::json::attachment_json(urls, m, a)).collect()))
    }

    /// The push-data shape of a message's sender.
    pub fn sender(&self, m: &MessageRow) -> Option<Value> {
        let id = m.sender_id?;
        match m.sender_type.as_deref()? {
            "User" => self.agents.get(&id).map(user_push),
            "Contact" => self.contacts.get(&id).map(|c| self.with_avatar(contact_push(c), c)),
            "AgentBot" => self.bots.get(&id).map(bot_push),
            _ => None,
        }
    }

    pub fn message(&self, id: Option<i64>) -> Option<&MessageRow> {
        self.messages.get(&id?)
    }

    /// A contact's push data (`type: "contact"`), if loaded.
    pub fn contact_push(&self, id: i64) -> Option<Value> {
        self.contacts.get(&id).map(|c| self.with_avatar(contact_push(c), c))
    }

    /// Push data with the contact's signed avatar URL as `thumbnail`.
    fn with_avatar(&self, mut push: Value, c: &ContactRow) -> Value {
        let url = crate::blobs::json::avatar_url(self.urls.as_deref(), c.account_id, c.avatar().as_ref());
        if let Some(o) = push.as_object_mut() {
            o.insert("thumbnail".into(), json!(url));
        }
        push
    }

    /// A user's push data (`type: "user"`), if they are an agent of the account.
    pub fn user_push(&self, id: i64) -> Option<Value> {
        self.agents.get(&id).map(user_push)
    }
}

fn user_push(a: &AgentRow) -> Value {
    let agent = Agent::from(a.clone());
    json!({
        "id": agent.id,
        "name": agent.name,
        "available_name": agent.available_name,
        "avatar_url": "",
        "type": "user",
        "availability_status": agent.availability_status,
        "thumbnail": "",
    })
}

pub fn contact_push(c: &ContactRow) -> Value {
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
}

fn bot_push(b: &AgentBotRow) -> Value {
    json!({ "id": b.id, "name": b.name, "avatar_url": "", "type": "agent_bot" })
}

fn bot_slim(b: &AgentBotRow) -> Value {
    let mut slim = json!({
        "id": b.id,
        "name": b.name,
        "description": b.description,
        "thumbnail": "",
        "outgoing_url": b.outgoing_url,
        "bot_type": b.bot_type,
    });
    if b.account_id.is_none() {
        if let Some(o) = slim.as_object_mut() {
            o.remove("outgoing_url");
        }
    }
    slim
}

/// A message in the REST shape of the messages endpoints (upstream
/// `models/_message`, keys in its order; `echo_id` only when the message
/// has one, `sender` only when it is known).
pub fn message_json(m: &MessageRow, h: &Hydrated) -> Value {
    let mut out = serde_json::Map::new();
    out.insert("id".into(), json!(m.id));
    out.insert("content".into(), json!(m.content));
    out.insert("inbox_id".into(), json!(m.inbox_id));
    if let Some(echo) = &m.echo_id {
        out.insert("echo_id".into(), json!(echo));
    }
    out.insert("conversation_id".into(), json!(m.display_id));
    out.insert("message_type".into(), json!(m.message_type));
    out.insert("content_type".into(), json!(m.content_type));
    out.insert("status".into(), json!(m.status));
    out.insert("content_attributes".into(), m.content_attributes.clone());
    out.insert("created_at".into(), json!(m.created_at.timestamp()));
    out.insert("private".into(), json!(m.private));
    out.insert("source_id".into(), json!(m.source_id));
    if let Some(sender) = h.sender(m) {
        out.insert("sender".into(), sender);
    }
    if let Some(attachments) = h.attachments(m) {
        out.insert("attachments".into(), attachments);
    }
    Value::Object(out)
}

/// A message in the push shape embedded in conversations (and sent over
/// websockets and webhooks).
pub fn message_push(m: &MessageRow, c: &ConversationRow, h: &Hydrated) -> Value {
    let mut out = json!({
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
    });
    if let Some(o) = out.as_object_mut() {
        if let Some(echo) = &m.echo_id {
            o.insert("echo_id".into(), json!(echo));
        }
        if let Some(sender) = h.sender(m) {
            o.insert("sender".into(), sender);
        }
        if let Some(attachments) = h.attachments(m) {
            o.insert("attachments".into(), attachments);
        }
    }
    out
}

/// A conversation as the upstream's `_conversation` partial renders it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(value_type = Object)]
pub struct ConversationJson(pub Value);

pub fn conversation_json(c: &ConversationRow, h: &Hydrated) -> ConversationJson {
    let mut meta = serde_json::Map::new();
    if let Some(contact) = h.contacts.get(&c.contact_id) {
        meta.insert("sender".into(), json!(Contact::render(contact.clone(), None, h.urls.as_deref())));
    }
    meta.insert("channel".into(), json!(h.inboxes.get(&c.inbox_id).map(|i| i.channel_type.clone())));
    if let Some(agent) = c.assignee_user_id.and_then(|id| h.agents.get(&id)) {
        meta.insert("assignee".into(), json!(Agent::from(agent.clone())));
        meta.insert("assignee_type".into(), json!("User"));
    } else if let Some(bot) = c.assignee_bot_id.and_then(|id| h.bots.get(&id)) {
        meta.insert("assignee".into(), bot_slim(bot));
        meta.insert("assignee_type".into(), json!("AgentBot"));
    }
    if let Some(team) = c.team_id.and_then(|id| h.teams.get(&id)) {
        meta.insert(
            "team".into(),
            json!({
                "id": team.id,
                "name": team.name,
                "description": team.description,
                "allow_auto_assign": team.allow_auto_assign,
                "account_id": team.account_id,
                "is_member": h.caller_teams.contains(&team.id),
            }),
        );
    }
    meta.insert("hmac_verified".into(), json!(false));
    let messages: Vec<Value> =
        h.message(c.last_message_id).map(|m| message_push(m, c, h)).into_iter().collect();
    let last_non_activity = h.message(c.last_non_activity_message_id).map(|m| message_push(m, c, h));
    let updated_at = c.updated_at.timestamp_micros() as f64 / 1_000_000.0;
    ConversationJson(json!({
        "meta": meta,
        "id": c.display_id,
        "messages": messages,
        "account_id": c.account_id,
        "uuid": c.uuid,
        "additional_attributes": c.additional_attributes,
        "agent_last_seen_at": ts(c.agent_last_seen_at),
        "assignee_last_seen_at": ts(c.assignee_last_seen_at),
        "can_reply": true,
        "contact_last_seen_at": ts(c.contact_last_seen_at),
        "custom_attributes": c.custom_attributes,
        "inbox_id": c.inbox_id,
        "labels": c.labels,
        "muted": c.muted,
        "snoozed_until": c.snoozed_until.map(iso),
        "status": status_from_code(c.status).as_str(),
        "created_at": c.created_at.timestamp(),
        "updated_at": updated_at,
        "timestamp": c.last_activity_at.timestamp(),
        "first_reply_created_at": ts(c.first_reply_created_at),
        "unread_count": c.unread_count.min(10),
        "last_non_activity_message": last_non_activity,
        "last_activity_at": c.last_activity_at.timestamp(),
        "priority": priority_name(c.priority),
        "waiting_since": ts(c.waiting_since),
        "sla_policy_id": null,
    }))
}

/// Renders a page of conversations.
pub async fn render_many(
    state: &AppState,
    account_id: i64,
    caller_id: Option<i64>,
    rows: &[ConversationRow],
) -> ApiResult<Vec<ConversationJson>> {
    let h = Hydrated::load(state, account_id, caller_id, rows, &[]).await?;
    Ok(rows.iter().map(|c| conversation_json(c, &h)).collect())
}
