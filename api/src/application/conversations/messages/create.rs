//! `POST /api/v1/accounts/{account_id}/conversations/{id}/messages` — users
//! with access to the conversation and the account's agent bots.
//!
//! - `message_type` outgoing (default), incoming (API inboxes only),
//!   activity or template; the sender is the caller, the bot named by
//!   `sender_type: "AgentBot"` + `sender_id`, or the contact for incoming.
//! - An incoming message reopens a resolved or snoozed conversation: to
//!   pending when a bot handles the inbox, else to open.
//! - The flood guard (`Settings::flood_limit_per_minute`; 429 with
//!   `Retry-After`) and the content rules are decided by the conversation
//!   aggregate.
//! - `Idempotency-Key` (optional header, 1–255 characters): the same key on
//!   the same conversation answers with the message it created the first
//!   time (same id, no new event; `Idempotent-Replayed: true`).
//! - The body is JSON or `multipart/form-data` with the same fields and up
//!   to 15 `attachments[]` files (see `crate::blobs::upload`); files are
//!   stored only after access is checked.

use super::super::access::conversation_for;
use super::super::message_input::{message_error, MessageRequest};
use super::{render_message, MessageJson};
use crate::blobs::upload::{store_attachments, WithFiles};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Ids};
use crate::state::{AppState, RequestId};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use onelink_commands::conversations::{self as commands, MessagePolicy};
use onelink_domain::conversation::idempotency::valid_key;
use onelink_domain::conversation::{Sender, Status};
use onelink_domain::ids::{AccountId, AgentBotId, ContactId, ConversationId, UserId};
use onelink_domain::Actor;
use onelink_projections::inboxes;
use onelink_projections::platform::agent_bots;

const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// The `Idempotency-Key` header, if sent (422 when unusable).
fn idempotency_key(headers: &HeaderMap) -> ApiResult<Option<String>> {
    let Some(value) = headers.get(IDEMPOTENCY_KEY) else { return Ok(None) };
    let invalid = || ApiError::Unprocessable("Idempotency-Key must be 1 to 255 printable characters".into());
    let key = value.to_str().map_err(|_| invalid())?;
    if valid_key(key) {
        Ok(Some(key.to_owned()))
    } else {
        Err(invalid())
    }
}

/// Who the message is from when it is not incoming: the caller, or the bot
/// a user posts as (this account's bots and the system bots).
async fn outgoing_sender(state: &AppState, caller: &Caller, body: &MessageRequest) -> ApiResult<Sender> {
    if let Some(bot) = body.bot_sender() {
        let account_id = match caller {
            Caller::User(m) => m.account_id(),
            Caller::Bot { account, .. } => account.id,
        };
        return match agent_bots::find_visible(&state.pool, account_id, bot.0).await? {
            Some(found) => Ok(Sender::AgentBot(AgentBotId(found.id))),
            None => Err(ApiError::Unprocessable("Sender must be an agent bot of this account".into())),
        };
    }
    Ok(match caller {
        Caller::User(m) => Sender::User(UserId(m.user.id)),
        Caller::Bot { bot, .. } => Sender::AgentBot(AgentBotId(bot.id)),
    })
}

/// `POST /api/v1/accounts/{account_id}/conversations/{id}/messages` — 200
/// the message (REST shape, with `echo_id` when given).
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/conversations/{id}/messages", tag = "Messages",
    security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("id" = i64, Path),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry-safe creation: the same key on the same conversation returns the first message")),
    request_body = MessageRequest,
    responses((status = 200, body = MessageJson), (status = 401), (status = 404), (status = 422),
        (status = 429, description = "Too many messages in this conversation in the last minute")))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    request_id: RequestId,
    Ids((_, id)): Ids<(i64, i64)>,
    headers: HeaderMap,
    form: WithFiles<MessageRequest>,
) -> ApiResult<Response> {
    let body = &form.body;
    let conversation = conversation_for(&state, &caller, id).await?;
    let account_id = conversation.account_id;
    let inbox =
        inboxes::find(&state.pool, account_id, conversation.inbox_id).await?.ok_or(ApiError::NotFound)?;
    let key = idempotency_key(&headers)?;
    let sender = outgoing_sender(&state, &caller, body).await?;
    let api_inbox = inbox.channel_type == "Channel::Api";
    let mut input = body.to_input(sender, ContactId(conversation.contact_id), api_inbox)?;
    input.idempotency_key = key;
    input.attachments = store_attachments(state.blobs.as_ref(), form.attachments()).await?;
    let policy = MessagePolicy {
        reopen_as: if inbox.agent_bot_id.is_some() { Status::Pending } else { Status::Open },
        flood_limit: state.settings.flood_limit_per_minute,
    };
    let actor = match &caller {
        Caller::User(m) => Actor::User(m.user.id),
        Caller::Bot { bot, .. } => Actor::AgentBot(bot.id),
    };
    let ctx = request_id.context(actor);
    let done = commands::add_message(
        &state.commands,
        &ctx,
        AccountId(account_id),
        ConversationId(conversation.id),
        input,
        policy,
        ctx.now(),
    )
    .await
    .map_err(message_error)?;
    state.settle(done.position).await?;
    let message = render_message(&state, &conversation, done.value.id.0).await?;
    let mut response = Json(message).into_response();
    if done.value.replayed {
        response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(response)
}
