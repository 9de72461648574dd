//! A conversation's history: its stream's events page by page (the audit
//! trail), and the conversation as it was at a past moment.
//!
//! The past state is folded from a prefix of the stream (every event
//! recorded at or before the moment, stopping at the first later one) twice
//! over: with the domain aggregate's own `apply` (the state commands decide
//! on) and with the read model's own fold (the row the API renders), so
//! `GET …/conversations/{id}?as_of=T` renders with the same presenter as a
//! live read and equals what a read at `T` returned. The stream is read in
//! pages and only the two latest messages are kept, so memory stays bounded
//! however many messages the conversation holds.

use super::fold::Batch;
use super::row::{ConversationRow, MessageRow};
use crate::log::{read_stream_page, stream_length, RecordedEvent};
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use onelink_domain::conversation::{Conversation, ConversationEvent};
use sqlx::PgPool;

/// Events read per round trip while folding.
const FOLD_PAGE: i64 = 500;

/// The reconstructed conversation.
#[derive(Debug, Clone)]
pub struct ConversationAsOf {
    /// The aggregate's state.
    pub state: Conversation,
    /// The read-model row as it then was.
    pub row: ConversationRow,
    /// Its latest message and latest non-activity message, as they then read.
    pub latest_messages: Vec<MessageRow>,
    /// Stream version of the last event folded.
    pub version: i64,
    /// When the last folded event was recorded.
    pub last_event_at: Option<DateTime<Utc>>,
}

/// The conversation `conversation_id` of `account_id` as it was at `at`;
/// `None` when it did not exist then (not yet, or deleted) or belongs to
/// another account.
pub async fn as_of(
    db: &PgPool,
    account_id: i64,
    conversation_id: i64,
    at: DateTime<Utc>,
) -> anyhow::Result<Option<ConversationAsOf>> {
    let stream = conversation_id.to_string();
    let (mut state, mut batch) = (Conversation::default(), Batch::default());
    let (mut version, mut last_event_at) = (0, None);
    'pages: loop {
        let page = read_stream_page(db, account_id, Conversation::TYPE, &stream, version, FOLD_PAGE).await?;
        for e in &page {
            if e.recorded_at > at {
                break 'pages;
            }
            batch.fold(e)?;
            state.apply(e.decode::<ConversationEvent>()?);
            (version, last_event_at) = (e.sequence, Some(e.recorded_at));
        }
        if page.len() < FOLD_PAGE as usize {
            break;
        }
        batch.keep_latest_messages();
    }
    let Some(Some(row)) = batch.rows.remove(&conversation_id) else { return Ok(None) };
    let mut ids: Vec<i64> =
        [row.last_message_id, row.last_non_activity_message_id].into_iter().flatten().collect();
    ids.dedup();
    let latest_messages = ids.into_iter().filter_map(|id| batch.message(id).cloned()).collect();
    Ok(Some(ConversationAsOf { state, row, latest_messages, version, last_event_at }))
}

/// A page of the conversation's events (its audit trail): those after
/// stream version `after`, oldest first.
pub async fn events(
    db: &PgPool,
    account_id: i64,
    conversation_id: i64,
    after: i64,
    limit: i64,
) -> Result<Vec<RecordedEvent>, sqlx::Error> {
    read_stream_page(db, account_id, Conversation::TYPE, &conversation_id.to_string(), after, limit).await
}

/// How many events the conversation's stream holds.
pub async fn event_count(db: &PgPool, account_id: i64, conversation_id: i64) -> Result<i64, sqlx::Error> {
    stream_length(db, account_id, Conversation::TYPE, &conversation_id.to_string()).await
}
