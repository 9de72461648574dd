//! `/api/v1/accounts/{account_id}/agent_bots`: the account's own bots plus
//! the system bots (read-only). Any member reads; administrators create and
//! change the account's own bots (a system bot or another account's bot is
//! 404 for changes). A bot's token is shown only to administrators of the
//! account it belongs to.

use super::json::AgentBot;
use crate::dto::nullable;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Ids, Member, RequestBody};
use crate::state::{AppState, RequestId};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use onelink_commands::agent_bots;
use onelink_domain::agent_bot::{AgentBotCommand, BotPatch, BotProfile};
use onelink_domain::ids::{AccountId, AgentBotId};
use onelink_domain::Violations;
use onelink_projections::platform::agent_bots as rows;
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
pub struct AccountAgentBotRequest {
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    name: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    description: Option<Option<String>>,
    /// An absolute http(s) URL, at most 2048 characters.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    outgoing_url: Option<Option<String>>,
    /// Only `webhook`.
    bot_type: Option<String>,
    /// Replaces the whole configuration; `null` empties it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Object>)]
    bot_config: Option<Option<Map<String, Value>>>,
    // `avatar` / `avatar_url` are ignored: avatars are not stored yet.
}

impl RequestBody for AccountAgentBotRequest {
    const ROOT: Option<&'static str> = Some("agent_bot");
}

impl AccountAgentBotRequest {
    fn check_bot_type(&self) -> ApiResult<()> {
        match self.bot_type.as_deref() {
            None | Some("webhook") => Ok(()),
            Some(_) => {
                Err(ApiError::Invalid(Violations::single("bot_type", "Bot type is not included in the list")))
            }
        }
    }
}

fn bot(state: &AppState, member: &Member, row: rows::AgentBotRow) -> AgentBot {
    AgentBot::new(state, row, member.account_id(), member.is_admin())
}

/// A bot of the caller's account (not a system bot), or 404.
async fn own_bot(state: &AppState, member: &Member, id: i64) -> ApiResult<rows::AgentBotRow> {
    rows::find_in_account(&state.pool, member.account_id(), id).await?.ok_or(ApiError::NotFound)
}

async fn render(state: &AppState, member: &Member, id: i64) -> ApiResult<Json<AgentBot>> {
    Ok(Json(bot(state, member, own_bot(state, member, id).await?)))
}

/// Runs `command` against a bot of the caller's account. Administrators.
async fn change(
    state: &AppState,
    member: &Member,
    id: i64,
    request_id: &RequestId,
    command: impl Fn() -> AgentBotCommand,
) -> ApiResult<()> {
    member.require_admin()?;
    own_bot(state, member, id).await?;
    let ctx = member.context(request_id);
    let account_id = AccountId(member.account_id());
    let done =
        agent_bots::change_in_account(&state.commands, &ctx, AgentBotId(id), account_id, command).await?;
    state.settle(done.position).await
}

/// `GET /api/v1/accounts/{account_id}/agent_bots` — the account's bots and
/// the system bots, by id.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/agent_bots", tag = "Agent bots",
    security(("api_access_token" = [])), params(("account_id" = i64, Path)),
    responses((status = 200, body = Vec<AgentBot>), (status = 401), (status = 404)))]
pub async fn index(State(state): State<AppState>, member: Member) -> ApiResult<Json<Vec<AgentBot>>> {
    let list = rows::list_for_account(&state.pool, member.account_id()).await?;
    Ok(Json(list.into_iter().map(|r| bot(&state, &member, r)).collect()))
}

/// `POST /api/v1/accounts/{account_id}/agent_bots` — a bot of the account,
/// with a fresh access token. Administrators.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/agent_bots", tag = "Agent bots",
    security(("api_access_token" = [])), params(("account_id" = i64, Path)),
    request_body = AccountAgentBotRequest,
    responses((status = 200, body = AgentBot), (status = 401), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    request_id: RequestId,
    ApiJson(body): ApiJson<AccountAgentBotRequest>,
) -> ApiResult<Json<AgentBot>> {
    member.require_admin()?;
    body.check_bot_type()?;
    let profile = BotProfile {
        name: body.name.flatten(),
        description: body.description.flatten(),
        outgoing_url: body.outgoing_url.flatten(),
        bot_config: body.bot_config.flatten().unwrap_or_default(),
    };
    let account_id = Some(AccountId(member.account_id()));
    let done = agent_bots::create(&state.commands, &member.context(&request_id), account_id, profile).await?;
    state.settle(done.position).await?;
    render(&state, &member, done.value.0).await
}

/// `GET /api/v1/accounts/{account_id}/agent_bots/{id}` — an account bot or
/// a system bot.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/agent_bots/{id}", tag = "Agent bots",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = AgentBot), (status = 401), (status = 404)))]
pub async fn show(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
) -> ApiResult<Json<AgentBot>> {
    let row = rows::find_visible(&state.pool, member.account_id(), id).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(bot(&state, &member, row)))
}

/// `PATCH|PUT /api/v1/accounts/{account_id}/agent_bots/{id}` — the
/// account's own bots only. Administrators.
#[utoipa::path(method(patch, put), path = "/api/v1/accounts/{account_id}/agent_bots/{id}", tag = "Agent bots",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    request_body = AccountAgentBotRequest,
    responses((status = 200, body = AgentBot), (status = 401), (status = 404), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
    ApiJson(body): ApiJson<AccountAgentBotRequest>,
) -> ApiResult<Json<AgentBot>> {
    member.require_admin()?;
    body.check_bot_type()?;
    let patch = BotPatch {
        name: body.name,
        description: body.description,
        outgoing_url: body.outgoing_url,
        bot_config: body.bot_config.map(Option::unwrap_or_default),
    };
    change(&state, &member, id, &request_id, || AgentBotCommand::Update(patch.clone())).await?;
    render(&state, &member, id).await
}

/// `DELETE /api/v1/accounts/{account_id}/agent_bots/{id}` — 200 with an
/// empty body. Administrators.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/agent_bots/{id}", tag = "Agent bots",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200), (status = 401), (status = 404)))]
pub async fn destroy(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
) -> ApiResult<StatusCode> {
    change(&state, &member, id, &request_id, || AgentBotCommand::Delete).await?;
    Ok(StatusCode::OK)
}

/// `DELETE /api/v1/accounts/{account_id}/agent_bots/{id}/avatar` —
/// Administrators.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/agent_bots/{id}/avatar", tag = "Agent bots",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = AgentBot), (status = 401), (status = 404)))]
pub async fn destroy_avatar(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
) -> ApiResult<Json<AgentBot>> {
    change(&state, &member, id, &request_id, || AgentBotCommand::RemoveAvatar).await?;
    render(&state, &member, id).await
}

/// `POST /api/v1/accounts/{account_id}/agent_bots/{id}/reset_access_token` —
/// a new token; the old one stops working. Administrators.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/agent_bots/{id}/reset_access_token",
    tag = "Agent bots", security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = AgentBot), (status = 401), (status = 404)))]
pub async fn reset_access_token(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
) -> ApiResult<Json<AgentBot>> {
    member.require_admin()?;
    own_bot(&state, &member, id).await?;
    let ctx = member.context(&request_id);
    let account_id = AccountId(member.account_id());
    let done = agent_bots::reset_access_token(&state.commands, &ctx, AgentBotId(id), account_id).await?;
    state.settle(done.position).await?;
    render(&state, &member, id).await
}
