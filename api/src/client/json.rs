//! Client API shapes (upstream `public/api/v1/models/*`), which differ
//! from the Application API's: integer message types, the raw contact
//! record, no private notes or activity messages.

use crate::application::conversations::json::Hydrated;
use crate::platform::iso;
use onelink_projections::contacts::ContactRow;
use onelink_projections::conversations::{status_from_code, ConversationRow, MessageRow};
use serde_json::{json, Value};

/// `ClientContact`: what contact create/show answer.
pub fn client_contact(c: &ContactRow, source_id: &str, pubsub_token: &str) -> Value {
    json!({
        "source_id": source_id,
        "pubsub_token": pubsub_token,
        "id": c.id,
        "name": c.name,
        "email": c.email,
        "phone_number": c.phone_number,
    })
}

/// `ContactRaw`: every contacts column (contact update, conversation
/// `contact`).
pub fn contact_raw(c: &ContactRow) -> Value {
    json!({
        "id": c.id,
        "name": c.name,
        "email": c.email,
        "phone_number": c.phone_number,
        "account_id": c.account_id,
        "created_at": iso(c.created_at),
        "updated_at": iso(c.updated_at),
        "additional_attributes": c.additional_attributes,
        "identifier": c.identifier,
        "custom_attributes": c.custom_attributes,
        "last_activity_at": c.last_activity_at.map(iso),
        "contact_type": c.contact_type,
        "middle_name": "",
        "last_name": "",
        "location": "",
        "country_code": "",
        "blocked": c.blocked,
        "company_id": null,
    })
}

/// `ClientMessage`.
pub fn client_message(m: &MessageRow, h: &Hydrated) -> Value {
    let mut out = json!({
        "id": m.id,
        "content": m.content,
        "message_type": m.message_type,
        "content_type": m.content_type,
        "content_attributes": m.content_attributes,
        "created_at": m.created_at.timestamp(),
        "conversation_id": m.display_id,
    });
    if let Some(o) = out.as_object_mut() {
        if let Some(sender) = h.sender(m) {
            o.insert("sender".into(), sender);
        }
        if let Some(attachments) = h.attachments(m) {
            o.insert("attachments".into(), attachments);
        }
    }
    out
}

/// `ClientConversation`: with all its public messages, oldest first.
pub fn client_conversation(
    c: &ConversationRow,
    messages: &[MessageRow],
    contact: &ContactRow,
    h: &Hydrated,
) -> Value {
    let ts = |at: Option<chrono::DateTime<chrono::Utc>>| at.map(|t| t.timestamp()).unwrap_or(0);
    json!({
        "id": c.display_id,
        "uuid": c.uuid,
        "inbox_id": c.inbox_id,
        "contact_last_seen_at": ts(c.contact_last_seen_at),
        "status": status_from_code(c.status).as_str(),
        "agent_last_seen_at": ts(c.agent_last_seen_at),
        "messages": messages.iter().map(|m| client_message(m, h)).collect::<Vec<_>>(),
        "contact": contact_raw(contact),
    })
}
