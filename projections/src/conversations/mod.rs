//! Conversations, messages and conversation counts (overall and per label).
//!
//! A high-volume projection: a batch of events is folded in memory (each
//! touched conversation loaded once, changed in order, written once; new
//! messages inserted together; count deltas summed), so a batch costs a
//! handful of statements however many events it holds.

pub mod filter;
pub(crate) mod fold;
pub mod history;
pub mod query;
mod row;
mod store;

pub use row::{
    status_code, status_from_code, ConversationRow, MessageRow, CONVERSATION_COLUMNS, MESSAGE_COLUMNS,
};

use crate::log::RecordedEvent;
use crate::projection::Projection;
use async_trait::async_trait;
use sqlx::PgConnection;

pub struct ConversationsProjection;

#[async_trait]
impl Projection for ConversationsProjection {
    fn name(&self) -> &'static str {
        "conversations"
    }

    fn tables(&self) -> &'static [&'static str] {
        &["conversations", "messages", "conversation_counts", "conversation_label_counts"]
    }

    fn aggregate_types(&self) -> Option<&'static [&'static str]> {
        Some(&[<onelink_domain::conversation::Conversation as cqrs_es::Aggregate>::TYPE])
    }

    async fn apply(&self, conn: &mut PgConnection, event: &RecordedEvent) -> anyhow::Result<()> {
        self.apply_batch(conn, std::slice::from_ref(event)).await
    }

    async fn apply_batch(&self, conn: &mut PgConnection, events: &[RecordedEvent]) -> anyhow::Result<()> {
        let mut batch = fold::Batch::default();
        let touched = fold::touched_conversations(events)?;
        if touched.is_empty() {
            return Ok(());
        }
        batch.load(conn, &touched).await?;
        for event in events {
            batch.fold(event)?;
        }
        batch.write(conn).await
    }
}
