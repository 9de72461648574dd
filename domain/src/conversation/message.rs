//! Messages as recorded on the conversation stream, and the upstream's
//! validations of their content.

use super::attachment::AttachmentRef;
use crate::ids::{AgentBotId, ContactId, MessageId, UserId};
use crate::validation::Violations;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Upstream limit on a message's content, in characters.
pub const CONTENT_MAX: usize = 150_000;
/// Upstream limit on the files of one message.
pub const MAX_ATTACHMENTS: usize = 15;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageType {
    Incoming,
    Outgoing,
    Activity,
    Template,
}

impl MessageType {
    pub fn parse(value: &str) -> Option<MessageType> {
        match value {
            "incoming" => Some(MessageType::Incoming),
            "outgoing" => Some(MessageType::Outgoing),
            "activity" => Some(MessageType::Activity),
            "template" => Some(MessageType::Template),
            _ => None,
        }
    }

    /// The upstream's integer (0 incoming, 1 outgoing, 2 activity, 3 template).
    pub fn number(self) -> i16 {
        self as i16
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum MessageStatus {
    #[default]
    Sent,
    Delivered,
    Read,
    Failed,
}

impl MessageStatus {
    pub fn parse(value: &str) -> Option<MessageStatus> {
        match value {
            "sent" => Some(MessageStatus::Sent),
            "delivered" => Some(MessageStatus::Delivered),
            "read" => Some(MessageStatus::Read),
            "failed" => Some(MessageStatus::Failed),
            _ => None,
        }
    }

    /// Whether a message in status `self` may change to `next`: every
    /// change is allowed except a late "delivered" after "read" (receipts
    /// arrive out of order; upstream `Messages::StatusUpdateService`).
    pub fn may_become(self, next: MessageStatus) -> bool {
        !(self == MessageStatus::Read && next == MessageStatus::Delivered)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MessageStatus::Sent => "sent",
            MessageStatus::Delivered => "delivered",
            MessageStatus::Read => "read",
            MessageStatus::Failed => "failed",
        }
    }
}

/// Content types the upstream accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ContentType {
    #[default]
    Text,
    InputText,
    InputTextarea,
    InputEmail,
    InputSelect,
    Cards,
    Form,
    Article,
    IncomingEmail,
    InputCsat,
    Integrations,
    Sticker,
    VoiceCall,
}

impl ContentType {
    pub fn parse(value: &str) -> Option<ContentType> {
        serde_json::from_value(Value::String(value.to_owned())).ok()
    }

    pub fn as_str(self) -> String {
        serde_json::to_value(self).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
    }

    /// The keys each item of `content_attributes.items` may have, for the
    /// interactive types that require items.
    fn item_keys(self) -> Option<&'static [&'static str]> {
        match self {
            ContentType::InputSelect => Some(&["title", "value"]),
            ContentType::Cards => Some(&["title", "description", "media_url", "actions"]),
            ContentType::Form => Some(&[
                "type",
                "placeholder",
                "label",
                "name",
                "options",
                "default",
                "required",
                "pattern",
                "title",
                "pattern_error",
            ]),
            ContentType::Article => Some(&["title", "description", "link"]),
            _ => None,
        }
    }
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum Sender {
    User(UserId),
    AgentBot(AgentBotId),
    Contact(ContactId),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewMessage {
    pub id: MessageId,
    pub message_type: MessageType,
    pub content: Option<String>,
    pub content_type: ContentType,
    #[serde(default)]
    pub content_attributes: Map<String, Value>,
    #[serde(default)]
    pub additional_attributes: Map<String, Value>,
    pub private: bool,
    pub sender: Option<Sender>,
    pub source_id: Option<String>,
    pub echo_id: Option<String>,
    #[serde(default)]
    pub status: MessageStatus,
    pub created_at: DateTime<Utc>,
    /// The client's `Idempotency-Key`, when it sent one (see
    /// [`super::idempotency`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    /// Files attached to the message (references to stored blobs, never
    /// the bytes). Absent in events recorded before attachments existed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<AttachmentRef>,
}

/// Content length and the item rules of interactive content types, in the
/// upstream's wording.
pub fn validate_content(
    content: Option<&str>,
    content_type: ContentType,
    content_attributes: &Map<String, Value>,
    attachments: usize,
) -> Violations {
    let mut v = Violations::new();
    if content.is_some_and(|c| c.chars().count() > CONTENT_MAX) {
        v.add("content", format!("Content is too long (maximum is {CONTENT_MAX} characters)"));
    }
    // without attachments, a text message with no content would be an
    // empty bubble (upstream accepts it)
    if attachments == 0 && content_type == ContentType::Text && content.is_none_or(|c| c.trim().is_empty()) {
        v.add("content", "Content can't be blank");
    }
    if attachments > MAX_ATTACHMENTS {
        v.add("attachments", format!("Attachments are too many (maximum is {MAX_ATTACHMENTS})"));
    }
    if let Some(allowed) = content_type.item_keys() {
        let items = content_attributes.get("items").and_then(Value::as_array);
        let valid = match items {
            Some(items) if !items.is_empty() => items.iter().all(|item| {
                item.as_object().is_some_and(|o| {
                    o.keys().all(|k| allowed.contains(&k.as_str()))
                        && (content_type != ContentType::Cards || cards_actions_valid(o))
                })
            }),
            _ => false,
        };
        if !valid {
            v.add("content_attributes", "Content attributes is invalid");
        }
    }
    v
}

fn cards_actions_valid(item: &Map<String, Value>) -> bool {
    const ACTION_KEYS: &[&str] = &["text", "type", "payload", "uri"];
    item.get("actions").and_then(Value::as_array).is_some_and(|actions| {
        !actions.is_empty()
            && actions
                .iter()
                .all(|a| a.as_object().is_some_and(|o| o.keys().all(|k| ACTION_KEYS.contains(&k.as_str()))))
    })
}

/// Upstream limits on JSON attribute hashes: string values ≤ 1500
/// characters, integers ≤ 9,999,999,999.
pub fn validate_attributes(v: &mut Violations, attribute: &str, values: &Map<String, Value>) {
    for (key, value) in values {
        let too_long = match value {
            Value::String(s) => s.chars().count() > 1500,
            Value::Number(n) => n.as_f64().is_some_and(|f| f.abs() > 9_999_999_999.0),
            _ => false,
        };
        if too_long {
            v.add(attribute, format!("{key} length should be < 1500"));
        }
    }
}
