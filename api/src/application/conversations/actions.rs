//! Conversation actions: `toggle_status`, `toggle_priority`, `PATCH`,
//! `custom_attributes`, `DELETE`.

use super::access::{conversation_for, conversation_for_member};
use super::json::ConversationJson;
use super::list::render_one;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Caller, Ids, Member, RequestBody};
use crate::state::{AppState, RequestId};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use onelink_commands::conversations::{self as commands};
use onelink_commands::CommandContext;
use onelink_domain::account::Role;
use onelink_domain::conversation::{ConversationCommand, Priority, Status, StatusRequest, Toggler};
use onelink_domain::ids::{AccountId, AgentBotId, ConversationId, UserId};
use onelink_domain::Actor;
use onelink_projections::conversations::query::find_by_display_id;
use onelink_projections::conversations::ConversationRow;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// The command context and status toggler of a caller.
pub fn caller_context(caller: &Caller, request_id: &RequestId) -> (CommandContext, Toggler) {
    match caller {
        Caller::User(m) => {
            let toggler = match m.role {
                Role::Administrator => Toggler::Administrator(UserId(m.user.id)),
                Role::Agent => Toggler::Agent(UserId(m.user.id)),
            };
            (request_id.context(Actor::User(m.user.id)), toggler)
        }
        Caller::Bot { bot, .. } => {
            (request_id.context(Actor::AgentBot(bot.id)), Toggler::Bot(AgentBotId(bot.id)))
        }
    }
}

/// Runs a command on the conversation and returns its row once the read
/// models show the change.
pub async fn run(
    state: &AppState,
    ctx: &CommandContext,
    row: &ConversationRow,
    command: impl Fn() -> ConversationCommand,
) -> ApiResult<ConversationRow> {
    let done =
        commands::change(&state.commands, ctx, AccountId(row.account_id), ConversationId(row.id), command)
            .await?;
    state.settle(done.position).await?;
    find_by_display_id(&state.pool, row.account_id, row.display_id).await?.ok_or(ApiError::NotFound)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ToggleStatusRequest {
    /// `open`, `resolved`, `pending` or `snoozed`; absent toggles
    /// open ↔ resolved.
    status: Option<String>,
    /// Unix seconds (snoozed only).
    snoozed_until: Option<i64>,
}

impl RequestBody for ToggleStatusRequest {}

#[derive(Debug, Serialize, ToSchema)]
pub struct ToggleStatusPayload {
    /// `null` when a bot handed the conversation over to humans.
    success: Option<bool>,
    conversation_id: i64,
    current_status: &'static str,
    snoozed_until: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ToggleStatusResponse {
    #[schema(value_type = Object)]
    meta: Value,
    payload: ToggleStatusPayload,
}

/// `POST /api/v1/accounts/{account_id}/conversations/{id}/toggle_status`
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/conversations/{id}/toggle_status",
    tag = "Conversations", security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("id" = i64, Path)), request_body = ToggleStatusRequest,
    responses((status = 200, body = ToggleStatusResponse), (status = 401), (status = 404), (status = 422)))]
pub async fn toggle_status(
    State(state): State<AppState>,
    caller: Caller,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
    ApiJson(body): ApiJson<ToggleStatusRequest>,
) -> ApiResult<Json<ToggleStatusResponse>> {
    let row = conversation_for(&state, &caller, id).await?;
    let status = match body.status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(
            Status::parse(raw)
                .ok_or_else(|| ApiError::Unprocessable("Status is not included in the list".into()))?,
        ),
    };
    let snoozed_until = match body.snoozed_until {
        Some(secs) => Some(
            DateTime::<Utc>::from_timestamp(secs, 0)
                .ok_or_else(|| ApiError::Unprocessable("snoozed_until is not a valid time".into()))?,
        ),
        None => None,
    };
    let (ctx, by) = caller_context(&caller, &request_id);
    let handoff = matches!(by, Toggler::Bot(_)) && row.status == 2 && status == Some(Status::Open);
    let request = StatusRequest { status, snoozed_until };
    let after = run(&state, &ctx, &row, || ConversationCommand::ToggleStatus { request, by }).await?;
    Ok(Json(ToggleStatusResponse {
        meta: Value::Object(Map::new()),
        payload: ToggleStatusPayload {
            success: if handoff { None } else { Some(true) },
            conversation_id: after.display_id,
            current_status: onelink_projections::conversations::status_from_code(after.status).as_str(),
            snoozed_until: after.snoozed_until.map(crate::platform::iso),
        },
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PriorityRequest {
    /// `low`, `medium`, `high`, `urgent`; absent, empty, `null` or `none`
    /// clears it.
    priority: Option<String>,
}

impl RequestBody for PriorityRequest {}

fn parse_priority(raw: Option<&str>) -> ApiResult<Option<Priority>> {
    match raw.map(str::trim) {
        None | Some("") | Some("none") => Ok(None),
        Some(p) => Priority::parse(p)
            .map(Some)
            .ok_or_else(|| ApiError::Unprocessable("Priority is not included in the list".into())),
    }
}

/// `POST /api/v1/accounts/{account_id}/conversations/{id}/toggle_priority` —
/// 200 with an empty body.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/conversations/{id}/toggle_priority",
    tag = "Conversations", security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("id" = i64, Path)), request_body = PriorityRequest,
    responses((status = 200), (status = 401), (status = 404), (status = 422)))]
pub async fn toggle_priority(
    State(state): State<AppState>,
    caller: Caller,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
    ApiJson(body): ApiJson<PriorityRequest>,
) -> ApiResult<StatusCode> {
    let row = conversation_for(&state, &caller, id).await?;
    let priority = parse_priority(body.priority.as_deref())?;
    let (ctx, _) = caller_context(&caller, &request_id);
    run(&state, &ctx, &row, || ConversationCommand::SetPriority(priority)).await?;
    Ok(StatusCode::OK)
}

/// `PATCH /api/v1/accounts/{account_id}/conversations/{id}` — only the
/// priority can change here (as upstream).
#[utoipa::path(patch, path = "/api/v1/accounts/{account_id}/conversations/{id}", tag = "Conversations",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    request_body = PriorityRequest,
    responses((status = 200, body = ConversationJson), (status = 401), (status = 404), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
    ApiJson(body): ApiJson<PriorityRequest>,
) -> ApiResult<Json<ConversationJson>> {
    let row = conversation_for(&state, &caller, id).await?;
    let after = match body.priority {
        Some(_) => {
            let priority = parse_priority(body.priority.as_deref())?;
            let (ctx, _) = caller_context(&caller, &request_id);
            run(&state, &ctx, &row, || ConversationCommand::SetPriority(priority)).await?
        }
        None => row,
    };
    render_one(&state, &caller, after).await.map(Json)
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct CustomAttributesBody {
    #[schema(value_type = Object)]
    custom_attributes: Map<String, Value>,
}

impl RequestBody for CustomAttributesBody {}

/// `POST /api/v1/accounts/{account_id}/conversations/{id}/custom_attributes`
/// — replaces the whole hash.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/conversations/{id}/custom_attributes",
    tag = "Conversations", security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("id" = i64, Path)), request_body = CustomAttributesBody,
    responses((status = 200, body = CustomAttributesBody), (status = 401), (status = 404), (status = 422)))]
pub async fn custom_attributes(
    State(state): State<AppState>,
    caller: Caller,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
    ApiJson(body): ApiJson<CustomAttributesBody>,
) -> ApiResult<Json<CustomAttributesBody>> {
    let row = conversation_for(&state, &caller, id).await?;
    let (ctx, _) = caller_context(&caller, &request_id);
    let attributes = body.custom_attributes;
    let after =
        run(&state, &ctx, &row, || ConversationCommand::ReplaceCustomAttributes(attributes.clone())).await?;
    let custom_attributes = after.custom_attributes.as_object().cloned().unwrap_or_default();
    Ok(Json(CustomAttributesBody { custom_attributes }))
}

/// `DELETE /api/v1/accounts/{account_id}/conversations/{id}` —
/// administrators; 200 with an empty body.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/conversations/{id}", tag = "Conversations",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200), (status = 401), (status = 404)))]
pub async fn destroy(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
) -> ApiResult<StatusCode> {
    let row = conversation_for_member(&state, &member, id).await?;
    member.require_admin()?;
    let done = commands::change(
        &state.commands,
        &member.context(&request_id),
        AccountId(row.account_id),
        ConversationId(row.id),
        || ConversationCommand::Delete,
    )
    .await?;
    state.settle(done.position).await?;
    Ok(StatusCode::OK)
}
