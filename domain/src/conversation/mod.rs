//! The conversation aggregate: status, priority, assignment, team, labels,
//! attributes, and its messages (as events on the same stream, so one
//! conversation's history is one ordered stream).
//!
//! The state kept in memory is bounded whatever the number of messages:
//! message bodies live only in events and read models; the aggregate keeps
//! the timestamps of the last minute's messages for the flood guard and the
//! idempotency keys of the most recent messages.

mod aggregate;
mod attachment;
mod command;
mod event;
pub mod idempotency;
mod message;
mod message_rules;
mod status;

pub use aggregate::Conversation;
pub use attachment::{AttachmentRef, BlobRef, FileType, Thumbnail};
pub use command::{ConversationCommand, NewConversation, StatusRequest, Toggler};
pub use event::ConversationEvent;
pub use message::{
    validate_attributes, validate_content, ContentType, MessageStatus, MessageType, NewMessage, Sender,
    CONTENT_MAX, MAX_ATTACHMENTS,
};
pub use status::{Assignee, Priority, Status};

use crate::validation::Violations;

/// Upstream `CONVERSATION_MESSAGE_PER_MINUTE_LIMIT`.
pub const DEFAULT_FLOOD_LIMIT: usize = 200;
pub use message_rules::{FLOOD_WINDOW_SECONDS, RECENT_CAP as FLOOD_LIMIT_MAX};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConversationError {
    #[error("conversation not found")]
    NotFound,
    #[error("conversation already exists")]
    AlreadyExists,
    #[error("{0}")]
    Invalid(Violations),
    /// A business rule refused the change (422 `{"error": …}`).
    #[error("{0}")]
    Rejected(String),
    #[error("Too many messages")]
    TooManyMessages,
}

#[cfg(test)]
mod tests;
