//! `POST /api/v1/accounts/{account_id}/conversations/{conversation_id}/messages`
//! — minimal: added on the `client` branch for the realtime end-to-end
//! test (an agent's reply). The full messages endpoints are built on
//! another branch; reconcile at merge.

use super::access::conversation_for;
use super::json::{message_json, Hydrated};
use super::message_input::{message_error, MessageRequest};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Caller, Ids};
use crate::state::{AppState, RequestId};
use axum::extract::State;
use axum::Json;
use chrono::Utc;
use onelink_commands::conversations::{self as commands, MessagePolicy};
use onelink_domain::conversation::{Sender, Status};
use onelink_domain::ids::{AccountId, AgentBotId, ContactId, ConversationId, UserId};
use onelink_domain::Actor;
use onelink_projections::conversations::query::find_message;
use serde_json::Value;

#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages",
    tag = "Messages", security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("conversation_id" = i64, Path)), request_body = MessageRequest,
    responses((status = 200, body = Object), (status = 401), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Ids((_, display_id)): Ids<(i64, i64)>,
    request_id: RequestId,
    ApiJson(body): ApiJson<MessageRequest>,
) -> ApiResult<Json<Value>> {
    let c = conversation_for(&state, &caller, display_id).await?;
    let (actor, sender) = match &caller {
        Caller::User(m) => (Actor::User(m.user.id), Sender::User(UserId(m.user.id))),
        Caller::Bot { bot, .. } => (Actor::AgentBot(bot.id), Sender::AgentBot(AgentBotId(bot.id))),
    };
    let inbox = onelink_projections::inboxes::find(&state.pool, c.account_id, c.inbox_id).await?;
    let api_inbox = inbox.as_ref().is_some_and(|i| i.channel_type == "Channel::Api");
    let bot = inbox.as_ref().is_some_and(|i| i.agent_bot_id.is_some());
    let input = body.to_input(sender, ContactId(c.contact_id), api_inbox)?;
    let policy =
        MessagePolicy { reopen_as: if bot { Status::Pending } else { Status::Open }, flood_limit: 200 };
    let ctx = request_id.context(actor);
    let done = commands::add_message(
        &state.commands,
        &ctx,
        AccountId(c.account_id),
        ConversationId(c.id),
        input,
        policy,
        Utc::now(),
    )
    .await
    .map_err(message_error)?;
    state.settle(done.position).await?;
    let m = find_message(&state.pool, c.account_id, c.id, done.value.0).await?.ok_or(ApiError::NotFound)?;
    let h = Hydrated::load(&state, c.account_id, None, &[], std::slice::from_ref(&m)).await?;
    Ok(Json(message_json(&m, &h)))
}
