//! The conversation's decisions about its messages: adding one (content
//! rules, idempotency keys, the flood guard, reopening on an incoming
//! message) and changing a message's delivery status.

use super::aggregate::Conversation;
use super::event::ConversationEvent;
use super::message::{validate_content, MessageStatus, MessageType, NewMessage};
use super::status::Status;
use super::ConversationError;
use crate::ids::MessageId;
use chrono::Duration;

/// The flood guard's window.
pub const FLOOD_WINDOW_SECONDS: i64 = 60;
/// The most recent timestamps kept, whatever the limit: the highest flood
/// limit that can be configured (a higher one could never be reached), and
/// what keeps snapshots small however fast messages arrive.
pub const RECENT_CAP: usize = 1_000;

pub(super) fn check_message(message: &NewMessage) -> Result<(), ConversationError> {
    let v = validate_content(
        message.content.as_deref(),
        message.content_type,
        &message.content_attributes,
        message.attachments.len(),
    );
    v.into_result().map_err(ConversationError::Invalid)
}

impl Conversation {
    /// The message already created under this idempotency key, if any.
    pub fn message_for_key(&self, key: &str) -> Option<MessageId> {
        self.idempotency_keys.find(key)
    }

    /// A message whose idempotency key is known changes nothing (the
    /// caller answers with the original message). Otherwise the content
    /// rules and the flood guard decide; an incoming message reopens a
    /// resolved or snoozed conversation (unless muted) to `reopen_as`.
    pub(super) fn add_message(
        &self,
        message: NewMessage,
        reopen_as: Status,
        flood_limit: usize,
    ) -> Result<Vec<ConversationEvent>, ConversationError> {
        self.live()?;
        if message.idempotency_key.as_deref().and_then(|k| self.message_for_key(k)).is_some() {
            return Ok(vec![]);
        }
        check_message(&message)?;
        let window_start = message.created_at - Duration::seconds(FLOOD_WINDOW_SECONDS);
        let in_window = self.recent_messages.iter().filter(|at| **at > window_start).count();
        if in_window >= flood_limit {
            return Err(ConversationError::TooManyMessages);
        }
        let reopen = message.message_type == MessageType::Incoming
            && matches!(self.status, Status::Resolved | Status::Snoozed)
            && !self.muted;
        let mut events = vec![ConversationEvent::MessageCreated(message)];
        if reopen {
            events.push(ConversationEvent::ConversationStatusChanged {
                status: reopen_as,
                snoozed_until: None,
                bot_handoff: false,
            });
        }
        Ok(events)
    }

    /// A late "delivered" after "read" and a repeated status change nothing;
    /// `external_error` is kept only with `failed` (upstream clears it
    /// otherwise).
    pub(super) fn set_message_status(
        &self,
        message_id: MessageId,
        current: MessageStatus,
        status: MessageStatus,
        external_error: Option<String>,
    ) -> Result<Vec<ConversationEvent>, ConversationError> {
        self.live()?;
        if !current.may_become(status) || (status == current && status != MessageStatus::Failed) {
            return Ok(vec![]);
        }
        let external_error = external_error.filter(|_| status == MessageStatus::Failed);
        Ok(vec![ConversationEvent::MessageStatusChanged { message_id, status, external_error }])
    }
}
