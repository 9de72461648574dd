//! `/platform/api/v1/agent_bots`

use super::json::{ErrorBody, PlatformAgentBot, ValidationErrorBody};
use crate::dto::{flexible_id, nullable};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Ids, PlatformApp, RequestBody};
use crate::state::{AppState, RequestId};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use onelink_commands::agent_bots;
use onelink_domain::agent_bot::{AgentBotCommand, BotPatch, BotProfile};
use onelink_domain::ids::{AccountId, AgentBotId};
use onelink_domain::platform_app::PermissibleType;
use onelink_projections::platform::agent_bots as bot_rows;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
pub struct AgentBotRequest {
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    name: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    description: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    outgoing_url: Option<Option<String>>,
    /// The owning account (must be one the app may touch); absent for a
    /// system bot visible to every account.
    #[serde(default, deserialize_with = "flexible_id")]
    account_id: Option<i64>,
}

impl RequestBody for AgentBotRequest {
    const ROOT: Option<&'static str> = Some("agent_bot");
}

async fn permitted_bot(state: &AppState, app: &PlatformApp, id: i64) -> ApiResult<bot_rows::AgentBotRow> {
    let bot = bot_rows::find(&state.pool, id).await?.ok_or(ApiError::NotFound)?;
    app.ensure_permitted(state, PermissibleType::AgentBot, id).await?;
    Ok(bot)
}

async fn render(state: &AppState, id: i64) -> ApiResult<Json<PlatformAgentBot>> {
    let row = bot_rows::find(&state.pool, id).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(PlatformAgentBot::new(state, row)))
}

/// `GET /platform/api/v1/agent_bots`
#[utoipa::path(get, path = "/platform/api/v1/agent_bots", tag = "Platform",
    security(("api_access_token" = [])),
    responses((status = 200, body = Vec<PlatformAgentBot>), (status = 401, body = ErrorBody)))]
pub async fn index(
    State(state): State<AppState>,
    app: PlatformApp,
) -> ApiResult<Json<Vec<PlatformAgentBot>>> {
    let rows = bot_rows::list_for_platform_app(&state.pool, app.id).await?;
    Ok(Json(rows.into_iter().map(|r| PlatformAgentBot::new(&state, r)).collect()))
}

/// `POST /platform/api/v1/agent_bots`
#[utoipa::path(post, path = "/platform/api/v1/agent_bots", tag = "Platform",
    security(("api_access_token" = [])), request_body = AgentBotRequest,
    responses((status = 200, body = PlatformAgentBot), (status = 401, body = ErrorBody),
              (status = 422, body = ValidationErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    app: PlatformApp,
    request_id: RequestId,
    ApiJson(body): ApiJson<AgentBotRequest>,
) -> ApiResult<Json<PlatformAgentBot>> {
    if let Some(account_id) = body.account_id {
        app.ensure_permitted(&state, PermissibleType::Account, account_id).await?;
    }
    let profile = BotProfile {
        name: body.name.flatten(),
        description: body.description.flatten(),
        outgoing_url: body.outgoing_url.flatten(),
        ..BotProfile::default()
    };
    let ctx = request_id.context(app.actor());
    let done = agent_bots::create(&state.commands, &ctx, body.account_id.map(AccountId), profile).await?;
    state.settle(done.position).await?;
    render(&state, done.value.0).await
}

/// `GET /platform/api/v1/agent_bots/{id}`
#[utoipa::path(get, path = "/platform/api/v1/agent_bots/{id}", tag = "Platform",
    security(("api_access_token" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = PlatformAgentBot), (status = 401, body = ErrorBody), (status = 404)))]
pub async fn show(
    State(state): State<AppState>,
    app: PlatformApp,
    Ids(id): Ids<i64>,
) -> ApiResult<Json<PlatformAgentBot>> {
    let row = permitted_bot(&state, &app, id).await?;
    Ok(Json(PlatformAgentBot::new(&state, row)))
}

/// `PATCH|PUT /platform/api/v1/agent_bots/{id}`
#[utoipa::path(method(patch, put), path = "/platform/api/v1/agent_bots/{id}", tag = "Platform",
    security(("api_access_token" = [])), params(("id" = i64, Path)), request_body = AgentBotRequest,
    responses((status = 200, body = PlatformAgentBot), (status = 401, body = ErrorBody), (status = 404),
              (status = 422, body = ValidationErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    app: PlatformApp,
    Ids(id): Ids<i64>,
    request_id: RequestId,
    ApiJson(body): ApiJson<AgentBotRequest>,
) -> ApiResult<Json<PlatformAgentBot>> {
    let bot = permitted_bot(&state, &app, id).await?;
    let patch = BotPatch {
        name: body.name,
        description: body.description,
        outgoing_url: body.outgoing_url,
        ..BotPatch::default()
    };
    let ctx = request_id.context(app.actor());
    let done =
        agent_bots::update(&state.commands, &ctx, AgentBotId(id), bot.account_id.map(AccountId), patch)
            .await?;
    state.settle(done.position).await?;
    render(&state, id).await
}

/// `DELETE /platform/api/v1/agent_bots/{id}` — 200 with an empty body.
#[utoipa::path(delete, path = "/platform/api/v1/agent_bots/{id}", tag = "Platform",
    security(("api_access_token" = [])), params(("id" = i64, Path)),
    responses((status = 200), (status = 401, body = ErrorBody), (status = 404)))]
pub async fn destroy(
    State(state): State<AppState>,
    app: PlatformApp,
    Ids(id): Ids<i64>,
    request_id: RequestId,
) -> ApiResult<StatusCode> {
    let bot = permitted_bot(&state, &app, id).await?;
    let ctx = request_id.context(app.actor());
    let done =
        agent_bots::change(&state.commands, &ctx, AgentBotId(id), bot.account_id.map(AccountId), || {
            AgentBotCommand::Delete
        })
        .await?;
    state.settle(done.position).await?;
    Ok(StatusCode::OK)
}

/// `DELETE /platform/api/v1/agent_bots/{id}/avatar`
#[utoipa::path(delete, path = "/platform/api/v1/agent_bots/{id}/avatar", tag = "Platform",
    security(("api_access_token" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = PlatformAgentBot), (status = 401, body = ErrorBody), (status = 404)))]
pub async fn destroy_avatar(
    State(state): State<AppState>,
    app: PlatformApp,
    Ids(id): Ids<i64>,
    request_id: RequestId,
) -> ApiResult<Json<PlatformAgentBot>> {
    let bot = permitted_bot(&state, &app, id).await?;
    let ctx = request_id.context(app.actor());
    let done =
        agent_bots::change(&state.commands, &ctx, AgentBotId(id), bot.account_id.map(AccountId), || {
            AgentBotCommand::RemoveAvatar
        })
        .await?;
    state.settle(done.position).await?;
    render(&state, id).await
}
