//! A message as clients send it (conversation create and messages create),
//! checked in the upstream's wording.

use crate::dto::flexible_id;
use crate::error::{ApiError, ApiResult};
use crate::extract::RequestBody;
use onelink_commands::conversations::MessageInput;
use onelink_commands::CommandError;
use onelink_domain::conversation::{
    ContentType, ConversationError, MessageType, Sender, FLOOD_WINDOW_SECONDS,
};
use onelink_domain::ids::{AgentBotId, ContactId};
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct MessageRequest {
    pub content: Option<String>,
    /// `outgoing` (default), `incoming` (API inboxes only), `activity`, `template`.
    pub message_type: Option<String>,
    #[serde(default, deserialize_with = "crate::dto::flexible_bool")]
    pub private: Option<bool>,
    /// `text` (default), `input_select`, `cards`, `form`, `article`, …
    pub content_type: Option<String>,
    /// An object, or a JSON string of one.
    #[schema(value_type = Option<Object>)]
    pub content_attributes: Option<Value>,
    pub echo_id: Option<String>,
    pub source_id: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub template_params: Option<Value>,
    /// `AgentBot` to post as the bot `sender_id` of this account.
    pub sender_type: Option<String>,
    #[serde(default, deserialize_with = "flexible_id")]
    pub sender_id: Option<i64>,
}

impl RequestBody for MessageRequest {}

fn unprocessable(message: impl Into<String>) -> ApiError {
    ApiError::Unprocessable(message.into())
}

impl MessageRequest {
    /// The message to add. `api_inbox`: whether incoming messages are allowed.
    pub fn to_input(&self, caller: Sender, contact: ContactId, api_inbox: bool) -> ApiResult<MessageInput> {
        let message_type = match self.message_type.as_deref().map(str::trim) {
            None | Some("") => MessageType::Outgoing,
            Some(raw) => MessageType::parse(raw)
                .or_else(|| {
                    raw.parse::<i16>().ok().and_then(|n| {
                        [
                            MessageType::Incoming,
                            MessageType::Outgoing,
                            MessageType::Activity,
                            MessageType::Template,
                        ]
                        .into_iter()
                        .find(|t| t.number() == n)
                    })
                })
                .ok_or_else(|| unprocessable("Message type is not included in the list"))?,
        };
        if message_type == MessageType::Incoming && !api_inbox {
            return Err(unprocessable("Incoming messages are only allowed in Api inboxes"));
        }
        let content_type = match self.content_type.as_deref().map(str::trim) {
            None | Some("") => ContentType::Text,
            Some(raw) => ContentType::parse(raw)
                .ok_or_else(|| unprocessable("Content type is not included in the list"))?,
        };
        let content_attributes = match &self.content_attributes {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(map)) => map.clone(),
            Some(Value::String(text)) if text.trim().is_empty() => Map::new(),
            Some(Value::String(text)) => match serde_json::from_str::<Value>(text) {
                Ok(Value::Object(map)) => map,
                _ => return Err(unprocessable("Content attributes must be a JSON object")),
            },
            Some(_) => return Err(unprocessable("Content attributes must be a JSON object")),
        };
        let mut additional_attributes = Map::new();
        if let Some(template) = &self.template_params {
            let named = template.get("name").and_then(Value::as_str).is_some_and(|n| !n.trim().is_empty());
            if !template.is_object() {
                return Err(unprocessable("Template params must be an object"));
            }
            if !named {
                return Err(unprocessable("Template params name is required"));
            }
            additional_attributes.insert("template_params".into(), template.clone());
        }
        let sender = match message_type {
            MessageType::Incoming => Some(Sender::Contact(contact)),
            MessageType::Activity => None,
            MessageType::Outgoing | MessageType::Template => Some(caller),
        };
        self.reject_nul(&content_attributes)?;
        Ok(MessageInput {
            message_type,
            content: self.content.clone(),
            content_type,
            content_attributes,
            additional_attributes,
            private: self.private.unwrap_or(false),
            sender,
            source_id: self.source_id.clone(),
            echo_id: self.echo_id.clone(),
            idempotency_key: None,
            attachments: vec![],
        })
    }

    /// Postgres text and JSON cannot hold NUL, so no field may carry one.
    fn reject_nul(&self, content_attributes: &Map<String, Value>) -> ApiResult<()> {
        let text = |v: &Option<String>| Value::from(v.clone());
        let fields = [
            ("Content", text(&self.content)),
            ("Echo id", text(&self.echo_id)),
            ("Source id", text(&self.source_id)),
            ("Content attributes", Value::Object(content_attributes.clone())),
            ("Template params", self.template_params.clone().unwrap_or_default()),
        ];
        if let Some((label, _)) = fields.iter().find(|(_, value)| has_nul(value)) {
            return Err(unprocessable(format!("{label} contains a NUL character")));
        }
        for (label, value) in [("Source", &self.source_id), ("Echo id", &self.echo_id)] {
            if value.as_ref().is_some_and(|v| v.chars().count() > 255) {
                return Err(unprocessable(format!(
                    "Validation failed: {label} is too long (maximum is 255 characters)"
                )));
            }
        }
        Ok(())
    }

    /// A bot of the account to post as (`sender_type: "AgentBot"`).
    pub fn bot_sender(&self) -> Option<AgentBotId> {
        match (self.sender_type.as_deref(), self.sender_id) {
            (Some("AgentBot"), Some(id)) => Some(AgentBotId(id)),
            _ => None,
        }
    }
}

/// Whether any string (or object key) inside `value` contains NUL.
pub fn has_nul(value: &Value) -> bool {
    match value {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => items.iter().any(has_nul),
        Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        _ => false,
    }
}

/// Message failures read like the upstream's: `{"error": "Validation
/// failed: …"}`; the flood guard is a 429 `{"error": "Too many messages"}`
/// (upstream: 422) with `Retry-After` of the guard's window.
pub fn message_error(e: CommandError) -> ApiError {
    match e {
        CommandError::Invalid(v) => ApiError::Unprocessable(format!("Validation failed: {}", v.message())),
        CommandError::Rejected(m) if m == ConversationError::TooManyMessages.to_string() => {
            ApiError::Throttled { message: m, retry_after_secs: FLOOD_WINDOW_SECONDS.unsigned_abs() }
        }
        other => other.into(),
    }
}
