//! A conversation's messages (upstream `conversations/messages_controller`):
//! the windowed listing, creation (users and bots, with idempotency keys),
//! soft deletion and delivery status updates.

pub mod create;
pub mod index;
pub mod update;

use super::json::{message_json, Hydrated};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use onelink_projections::conversations::query::find_message;
use onelink_projections::conversations::ConversationRow;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// A message in the upstream's REST shape (`models/_message`).
#[derive(Debug, Serialize, ToSchema)]
#[schema(value_type = Object)]
pub struct MessageJson(pub Value);

/// Reads one message of the conversation back from the read model and
/// renders it (404 when it is not there).
pub async fn render_message(
    state: &AppState,
    conversation: &ConversationRow,
    message_id: i64,
) -> ApiResult<MessageJson> {
    let m = find_message(&state.pool, conversation.account_id, conversation.id, message_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let h = Hydrated::load(state, conversation.account_id, None, &[], std::slice::from_ref(&m)).await?;
    Ok(MessageJson(message_json(&m, &h)))
}
