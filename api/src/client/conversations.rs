//! `/public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations…`
//! (upstream `public/api/v1/inboxes/conversations_controller.rb`).

use super::json::client_conversation;
use super::limit::Throttled;
use super::session::Session;
use crate::application::conversations::json::Hydrated;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Ids, RequestBody};
use crate::realtime::typing;
use crate::state::{AppState, RequestId};
use axum::extract::State;
use axum::Json;
use onelink_commands::conversations::{self as commands, ConversationInput};
use onelink_domain::conversation::{ConversationCommand, Status, StatusRequest, Toggler};
use onelink_domain::ids::{AccountId, ContactId, ConversationId, InboxId};
use onelink_projections::client::{conversations_of, conversations_of_contact, public_messages};
use onelink_projections::conversations::query::{find_by_display_id, latest_for_contact_inbox};
use onelink_projections::conversations::ConversationRow;
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// Renders conversations with all their public messages.
pub async fn render(state: &AppState, s: &Session, rows: &[ConversationRow]) -> ApiResult<Vec<Value>> {
    let ids: Vec<i64> = rows.iter().map(|c| c.id).collect();
    let messages = public_messages(&state.pool, s.account_id(), &ids).await?;
    let h = Hydrated::load(state, s.account_id(), None, rows, &messages).await?;
    Ok(rows
        .iter()
        .map(|c| {
            let own: Vec<_> = messages.iter().filter(|m| m.conversation_id == c.id).cloned().collect();
            client_conversation(c, &own, &s.contact, &h)
        })
        .collect())
}

async fn render_one(state: &AppState, s: &Session, row: ConversationRow) -> ApiResult<Json<Value>> {
    render(state, s, std::slice::from_ref(&row)).await?.pop().map(Json).ok_or(ApiError::NotFound)
}

/// `GET …/contacts/{contact_identifier}/conversations` — oldest first.
#[utoipa::path(get, path = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations",
    tag = "Client API", params(("inbox_identifier" = String, Path), ("contact_identifier" = String, Path)),
    responses((status = 200, body = [Object]), (status = 404)))]
pub async fn index(
    State(state): State<AppState>,
    _: Throttled,
    Ids((inbox_identifier, source_id)): Ids<(String, String)>,
) -> ApiResult<Json<Vec<Value>>> {
    let s = Session::load(&state, &inbox_identifier, &source_id).await?;
    let rows = if s.contact_inbox.hmac_verified {
        conversations_of_contact(&state.pool, s.account_id(), s.contact.id).await?
    } else {
        conversations_of(&state.pool, s.account_id(), s.inbox.id, &s.contact_inbox.source_id).await?
    };
    let rows: Vec<_> = rows.into_iter().filter(|c| s.owns(c)).collect();
    render(&state, &s, &rows).await.map(Json)
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CreateRequest {
    #[schema(value_type = Option<Object>)]
    custom_attributes: Option<Map<String, Value>>,
}

impl RequestBody for CreateRequest {}

/// `POST …/contacts/{contact_identifier}/conversations`
#[utoipa::path(post, path = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations",
    tag = "Client API", params(("inbox_identifier" = String, Path), ("contact_identifier" = String, Path)),
    request_body = CreateRequest, responses((status = 200, body = Object), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    _: Throttled,
    Ids((inbox_identifier, source_id)): Ids<(String, String)>,
    request_id: RequestId,
    ApiJson(body): ApiJson<CreateRequest>,
) -> ApiResult<Json<Value>> {
    let s = Session::load(&state, &inbox_identifier, &source_id).await?;
    let account_id = s.account_id();
    if s.inbox.settings.0.lock_to_single_conversation {
        if let Some(existing) =
            latest_for_contact_inbox(&state.pool, account_id, s.inbox.id, &s.contact_inbox.source_id).await?
        {
            return render_one(&state, &s, existing).await;
        }
    }
    let status = if s.contact.blocked {
        Status::Resolved
    } else if s.inbox.agent_bot_id.is_some() {
        Status::Pending
    } else {
        Status::Open
    };
    let input = ConversationInput {
        account_id: AccountId(account_id),
        inbox_id: InboxId(s.inbox.id),
        contact_id: ContactId(s.contact.id),
        source_id: Some(s.contact_inbox.source_id.clone()),
        status,
        snoozed_until: None,
        priority: None,
        assignee: None,
        team_id: None,
        additional_attributes: Map::new(),
        custom_attributes: body.custom_attributes.unwrap_or_default(),
        message: None,
    };
    let ctx = request_id.context(s.actor());
    let done = commands::create(&state.commands, &ctx, input, ctx.now()).await?;
    state.settle(done.position).await?;
    let row =
        find_by_display_id(&state.pool, account_id, done.value.1 .0).await?.ok_or(ApiError::NotFound)?;
    render_one(&state, &s, row).await
}

/// `GET …/conversations/{conversation_id}`
#[utoipa::path(get,
    path = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations/{conversation_id}",
    tag = "Client API", params(("inbox_identifier" = String, Path), ("contact_identifier" = String, Path),
        ("conversation_id" = i64, Path)), responses((status = 200, body = Object), (status = 404)))]
pub async fn show(
    State(state): State<AppState>,
    _: Throttled,
    Ids((inbox_identifier, source_id, display_id)): Ids<(String, String, i64)>,
) -> ApiResult<Json<Value>> {
    let s = Session::load(&state, &inbox_identifier, &source_id).await?;
    let row = s.conversation(&state, display_id).await?;
    render_one(&state, &s, row).await
}

/// `POST …/conversations/{conversation_id}/toggle_status` — only resolves
/// (a contact never reopens); a no-op when already resolved.
#[utoipa::path(post,
    path = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations/{conversation_id}/toggle_status",
    tag = "Client API", params(("inbox_identifier" = String, Path), ("contact_identifier" = String, Path),
        ("conversation_id" = i64, Path)), responses((status = 200, body = Object), (status = 404)))]
pub async fn toggle_status(
    State(state): State<AppState>,
    _: Throttled,
    Ids((inbox_identifier, source_id, display_id)): Ids<(String, String, i64)>,
    request_id: RequestId,
) -> ApiResult<Json<Value>> {
    let s = Session::load(&state, &inbox_identifier, &source_id).await?;
    let row = s.conversation(&state, display_id).await?;
    if row.status == onelink_projections::conversations::status_code(Status::Resolved) {
        return render_one(&state, &s, row).await;
    }
    let ctx = request_id.context(s.actor());
    let request = StatusRequest { status: Some(Status::Resolved), snoozed_until: None };
    let done =
        commands::change(&state.commands, &ctx, AccountId(row.account_id), ConversationId(row.id), || {
            ConversationCommand::ToggleStatus { request, by: Toggler::Contact }
        })
        .await?;
    state.settle(done.position).await?;
    let row = s.conversation(&state, display_id).await?;
    render_one(&state, &s, row).await
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct TypingRequest {
    /// `on` or `off`; anything else does nothing.
    typing_status: Option<Value>,
}

impl RequestBody for TypingRequest {}

/// `POST …/conversations/{conversation_id}/toggle_typing` — ephemeral: not
/// recorded in the log, announced to the agents of every node through
/// `NOTIFY onelink_typing` (see docs/ARCHITECTURE.md).
#[utoipa::path(post,
    path = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations/{conversation_id}/toggle_typing",
    tag = "Client API", params(("inbox_identifier" = String, Path), ("contact_identifier" = String, Path),
        ("conversation_id" = i64, Path)), request_body = TypingRequest, responses((status = 200), (status = 404)))]
pub async fn toggle_typing(
    State(state): State<AppState>,
    _: Throttled,
    Ids((inbox_identifier, source_id, display_id)): Ids<(String, String, i64)>,
    ApiJson(body): ApiJson<TypingRequest>,
) -> ApiResult<()> {
    let s = Session::load(&state, &inbox_identifier, &source_id).await?;
    let row = s.conversation(&state, display_id).await?;
    let on = match body.typing_status.as_ref().and_then(Value::as_str) {
        Some("on") => true,
        Some("off") => false,
        _ => return Ok(()),
    };
    typing::announce(
        &state.pool,
        &typing::Typing { account_id: row.account_id, conversation_id: row.id, contact_id: s.contact.id, on },
    )
    .await?;
    Ok(())
}

/// `POST …/conversations/{conversation_id}/update_last_seen`
#[utoipa::path(post,
    path = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations/{conversation_id}/update_last_seen",
    tag = "Client API", params(("inbox_identifier" = String, Path), ("contact_identifier" = String, Path),
        ("conversation_id" = i64, Path)), responses((status = 200), (status = 404)))]
pub async fn update_last_seen(
    State(state): State<AppState>,
    _: Throttled,
    Ids((inbox_identifier, source_id, display_id)): Ids<(String, String, i64)>,
    request_id: RequestId,
) -> ApiResult<()> {
    let s = Session::load(&state, &inbox_identifier, &source_id).await?;
    let row = s.conversation(&state, display_id).await?;
    let ctx = request_id.context(s.actor());
    let at = ctx.now();
    let done =
        commands::change(&state.commands, &ctx, AccountId(row.account_id), ConversationId(row.id), || {
            ConversationCommand::MarkContactSeen { at }
        })
        .await?;
    state.settle(done.position).await?;
    Ok(())
}
