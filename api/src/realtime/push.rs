//! Realtime payloads (upstream `Conversations::EventDataPresenter`,
//! `Message#push_event_data`), rendered from the read models at send time
//! like the upstream's broadcast job. `contact_inbox.pubsub_token` is
//! only ever put in the payload its own contact receives.

use crate::application::conversations::json::{contact_push, conversation_json, message_push, Hydrated};
use crate::error::ApiResult;
use crate::platform::iso;
use crate::state::AppState;
use onelink_projections::contact_inboxes::{self, ContactInboxRow};
use onelink_projections::contacts::query as contact_rows;
use onelink_projections::conversations::{ConversationRow, MessageRow};
use serde_json::{json, Value};

/// One rendered conversation, for agents and for its contact.
pub struct ConversationPush {
    pub agents: Value,
    pub contact: Value,
}

fn with_account(mut data: Value, account_id: i64) -> Value {
    if let Some(o) = data.as_object_mut() {
        o.insert("account_id".into(), json!(account_id));
    }
    data
}

fn contact_inbox_raw(ci: &ContactInboxRow, token: Option<String>) -> Value {
    let mut raw = json!({
        "id": ci.id,
        "contact_id": ci.contact_id,
        "inbox_id": ci.inbox_id,
        "source_id": ci.source_id,
        "created_at": iso(ci.created_at),
        "updated_at": iso(ci.created_at),
        "hmac_verified": ci.hmac_verified,
    });
    if let (Some(o), Some(token)) = (raw.as_object_mut(), token) {
        o.insert("pubsub_token".into(), json!(token));
    }
    raw
}

pub async fn contact_inbox_of(state: &AppState, c: &ConversationRow) -> ApiResult<Option<ContactInboxRow>> {
    let Some(source_id) = c.source_id.as_deref() else { return Ok(None) };
    Ok(contact_inboxes::find(&state.pool, c.account_id, c.inbox_id, source_id).await?)
}

/// The conversation push data (agents' and contact's variants).
pub async fn conversation(state: &AppState, c: &ConversationRow) -> ApiResult<ConversationPush> {
    let h = Hydrated::load(state, c.account_id, None, std::slice::from_ref(c), &[]).await?;
    let mut base = conversation_json(c, &h).0;
    let ci = contact_inbox_of(state, c).await?;
    if let Some(o) = base.as_object_mut() {
        for key in ["uuid", "muted", "account_id", "assignee_last_seen_at", "last_non_activity_message"] {
            o.remove(key);
        }
        let channel = o.get_mut("meta").and_then(|m| m.as_object_mut()).and_then(|m| m.remove("channel"));
        o.insert("channel".into(), channel.unwrap_or(Value::Null));
        o.insert("first_reply_created_at".into(), json!(c.first_reply_created_at.map(iso)));
        o.insert(
            "contact_inbox".into(),
            ci.as_ref().map(|ci| contact_inbox_raw(ci, None)).unwrap_or(Value::Null),
        );
    }
    let mut contact = base.clone();
    if let (Some(o), Some(ci)) = (contact.as_object_mut(), &ci) {
        let token = state.reveal(&ci.pubsub_token_sealed);
        o.insert("contact_inbox".into(), contact_inbox_raw(ci, Some(token)));
    }
    Ok(ConversationPush {
        agents: with_account(base, c.account_id),
        contact: with_account(contact, c.account_id),
    })
}

/// A message's push data.
pub async fn message(state: &AppState, c: &ConversationRow, m: &MessageRow) -> ApiResult<Value> {
    let h =
        Hydrated::load(state, c.account_id, None, std::slice::from_ref(c), std::slice::from_ref(m)).await?;
    Ok(with_account(message_push(m, c, &h), c.account_id))
}

/// A typing notice of the conversation's contact (to agents).
pub async fn contact_typing(state: &AppState, c: &ConversationRow) -> ApiResult<Option<Value>> {
    let Some(contact) = contact_rows::find(&state.pool, c.account_id, c.contact_id).await? else {
        return Ok(None);
    };
    let push = conversation(state, c).await?;
    Ok(Some(json!({
        "conversation": push.agents,
        "user": contact_push(&contact),
        "is_private": false,
        "account_id": c.account_id,
    })))
}
