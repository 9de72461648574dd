//! Changing one message: `DELETE …/messages/{message_id}` (the upstream's
//! soft delete) and `PATCH …/messages/{message_id}` (delivery status, API
//! inboxes only). A message of another conversation is 404, like an
//! unknown one.

use super::super::access::conversation_for_member;
use super::{render_message, MessageJson};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Ids, Member, RequestBody};
use crate::state::{AppState, RequestId};
use axum::extract::State;
use axum::Json;
use onelink_commands::conversations as commands;
use onelink_domain::conversation::{ConversationCommand, MessageStatus};
use onelink_domain::ids::{AccountId, ConversationId, MessageId};
use onelink_projections::conversations::query::find_message;
use onelink_projections::conversations::MessageRow;
use onelink_projections::inboxes;
use serde::Deserialize;
use utoipa::ToSchema;

const API_INBOXES_ONLY: &str = "Message status update is only allowed for API inboxes";

/// The message `message_id` of the conversation (404 otherwise).
async fn message_of(
    state: &AppState,
    account_id: i64,
    conversation_id: i64,
    message_id: i64,
) -> ApiResult<MessageRow> {
    find_message(&state.pool, account_id, conversation_id, message_id).await?.ok_or(ApiError::NotFound)
}

/// `DELETE /api/v1/accounts/{account_id}/conversations/{id}/messages/{message_id}`
/// — content becomes "This message was deleted", content attributes
/// `{deleted: true}`; 200 the message. Deleting it again changes nothing.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/conversations/{id}/messages/{message_id}",
    tag = "Messages", security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("id" = i64, Path), ("message_id" = i64, Path)),
    responses((status = 200, body = MessageJson), (status = 401), (status = 404)))]
pub async fn destroy(
    State(state): State<AppState>,
    member: Member,
    request_id: RequestId,
    Ids((_, id, message_id)): Ids<(i64, i64, i64)>,
) -> ApiResult<Json<MessageJson>> {
    let c = conversation_for_member(&state, &member, id).await?;
    let m = message_of(&state, c.account_id, c.id, message_id).await?;
    if !m.deleted {
        let done = commands::delete_message(
            &state.commands,
            &member.context(&request_id),
            AccountId(c.account_id),
            ConversationId(c.id),
            MessageId(m.id),
        )
        .await?;
        state.settle(done.position).await?;
    }
    render_message(&state, &c, m.id).await.map(Json)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StatusRequest {
    /// `sent`, `delivered`, `read` or `failed`.
    status: Option<String>,
    /// Kept (as `content_attributes.external_error`) with `failed` only.
    external_error: Option<String>,
}

impl RequestBody for StatusRequest {
    const ROOT: Option<&'static str> = Some("message");
}

/// `PATCH /api/v1/accounts/{account_id}/conversations/{id}/messages/{message_id}`
/// — the delivery status of a message of an API inbox; a late "delivered"
/// after "read" is ignored. 200 the message.
#[utoipa::path(patch, path = "/api/v1/accounts/{account_id}/conversations/{id}/messages/{message_id}",
    tag = "Messages", security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("id" = i64, Path), ("message_id" = i64, Path)),
    request_body = StatusRequest,
    responses((status = 200, body = MessageJson), (status = 401), (status = 403), (status = 404), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    member: Member,
    request_id: RequestId,
    Ids((_, id, message_id)): Ids<(i64, i64, i64)>,
    ApiJson(body): ApiJson<StatusRequest>,
) -> ApiResult<Json<MessageJson>> {
    let c = conversation_for_member(&state, &member, id).await?;
    let inbox = inboxes::find(&state.pool, c.account_id, c.inbox_id).await?.ok_or(ApiError::NotFound)?;
    if inbox.channel_type != "Channel::Api" {
        return Err(ApiError::Forbidden(API_INBOXES_ONLY.into()));
    }
    let m = message_of(&state, c.account_id, c.id, message_id).await?;
    let status = body
        .status
        .as_deref()
        .map(str::trim)
        .and_then(MessageStatus::parse)
        .ok_or_else(|| ApiError::Unprocessable("Status is not included in the list".into()))?;
    if body.external_error.as_deref().is_some_and(|e| e.contains('\0') || e.chars().count() > 1500) {
        return Err(ApiError::Unprocessable(
            "External error must be at most 1500 characters, without NUL".into(),
        ));
    }
    let command = || ConversationCommand::SetMessageStatus {
        message_id: MessageId(m.id),
        current: MessageStatus::parse(&m.status).unwrap_or_default(),
        status,
        external_error: body.external_error.clone(),
    };
    let context = member.context(&request_id);
    let done =
        commands::change(&state.commands, &context, AccountId(c.account_id), ConversationId(c.id), command)
            .await?;
    state.settle(done.position).await?;
    render_message(&state, &c, m.id).await.map(Json)
}
