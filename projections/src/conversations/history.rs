//! A conversation as it was at a past moment, folded from its stream: the
//! domain aggregate's own `apply` gives status, priority, assignee, team,
//! labels, custom attributes and the message count; the fold adds what the
//! aggregate does not keep (uuid, contact, creation time, the latest
//! messages as they then read).

use super::fold::{message_row, set_status, soft_delete};
use super::row::MessageRow;
use crate::log::{read_stream_page, read_stream_until, stream_length, RecordedEvent};
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use onelink_domain::conversation::{Conversation, ConversationEvent, MessageType};
use serde_json::{Map, Value};
use sqlx::PgExecutor;

/// The reconstructed state.
#[derive(Debug, Clone, Default)]
pub struct ConversationAsOf {
    pub state: Conversation,
    /// Stream version of the last event folded.
    pub version: i64,
    /// When the last folded event was recorded.
    pub last_event_at: Option<DateTime<Utc>>,
    pub uuid: String,
    pub contact_id: i64,
    pub additional_attributes: Map<String, Value>,
    pub created_at: Option<DateTime<Utc>>,
    /// The latest message of any type, as it read then.
    pub last_message: Option<MessageRow>,
    /// The latest message that is not an activity message.
    pub last_non_activity_message: Option<MessageRow>,
}

impl ConversationAsOf {
    fn fold(&mut self, e: &RecordedEvent) -> anyhow::Result<()> {
        let event: ConversationEvent = e.decode()?;
        let at = e.recorded_at;
        match &event {
            ConversationEvent::ConversationCreated {
                uuid, contact_id, additional_attributes, created_at, ..
            } => {
                self.uuid = uuid.clone();
                self.contact_id = contact_id.0;
                self.additional_attributes = additional_attributes.clone();
                self.created_at = Some(*created_at);
            }
            ConversationEvent::MessageCreated(m) => {
                let s = &self.state;
                let id = s.id.map(|i| i.0).unwrap_or_default();
                let row = message_row(s.account_id.0, id, s.display_id.0, s.inbox_id.0, m.clone(), at);
                if m.message_type != MessageType::Activity {
                    self.last_non_activity_message = Some(row.clone());
                }
                self.last_message = Some(row);
            }
            ConversationEvent::MessageDeleted { message_id } => {
                for m in self.latest_mut().filter(|m| m.id == message_id.0) {
                    soft_delete(m, at);
                }
            }
            ConversationEvent::MessageStatusChanged { message_id, status, external_error } => {
                for m in self.latest_mut().filter(|m| m.id == message_id.0) {
                    set_status(m, *status, external_error.clone(), at);
                }
            }
            _ => {}
        }
        self.state.apply(event);
        self.version = e.sequence;
        self.last_event_at = Some(at);
        Ok(())
    }

    fn latest_mut(&mut self) -> impl Iterator<Item = &mut MessageRow> {
        self.last_message.iter_mut().chain(self.last_non_activity_message.iter_mut())
    }
}

/// The conversation `conversation_id` of `account_id` as it was at `at`;
/// `None` when it did not exist yet (or belongs to another account).
pub async fn as_of(
    db: impl PgExecutor<'_>,
    account_id: i64,
    conversation_id: i64,
    at: DateTime<Utc>,
) -> anyhow::Result<Option<ConversationAsOf>> {
    let events =
        read_stream_until(db, account_id, Conversation::TYPE, &conversation_id.to_string(), at).await?;
    let mut folded = ConversationAsOf::default();
    for e in &events {
        folded.fold(e)?;
    }
    Ok(folded.state.id.is_some().then_some(folded))
}

/// A page of the conversation's events (its audit trail): those after
/// sequence `after`, oldest first.
pub async fn events(
    db: impl PgExecutor<'_>,
    account_id: i64,
    conversation_id: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<RecordedEvent>, sqlx::Error> {
    read_stream_page(db, account_id, Conversation::TYPE, &conversation_id.to_string(), after, limit).await
}

/// How many events the conversation's stream holds.
pub async fn event_count(
    db: impl PgExecutor<'_>,
    account_id: i64,
    conversation_id: i64,
) -> Result<i64, sqlx::Error> {
    stream_length(db, account_id, Conversation::TYPE, &conversation_id.to_string()).await
}
