//! `/api/v1/accounts/{account_id}/agents`

use super::json::{agents, Agent};
use crate::dto::nullable;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Ids, Member, RequestBody};
use crate::state::{AppState, RequestId};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use onelink_commands::users::{self, UserInput};
use onelink_commands::{accounts, CommandContext};
use onelink_domain::account::{Availability, MemberSettings, Role};
use onelink_domain::ids::{AccountId, UserId};
use onelink_domain::Violations;
use onelink_projections::platform::accounts as rows;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
pub struct AgentRequest {
    name: Option<String>,
    email: Option<String>,
    /// `agent` (default) or `administrator`.
    role: Option<String>,
    /// `online` (default), `busy` or `offline`.
    availability: Option<String>,
    auto_offline: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    display_name: Option<Option<String>>,
}

impl RequestBody for AgentRequest {
    const ROOT: Option<&'static str> = Some("agent");
}

fn parse_role(raw: Option<&str>) -> ApiResult<Option<Role>> {
    raw.map(|r| {
        Role::parse(r)
            .ok_or_else(|| ApiError::Invalid(Violations::single("role", "Role is not included in the list")))
    })
    .transpose()
}

fn parse_availability(raw: Option<&str>) -> ApiResult<Option<Availability>> {
    raw.map(|a| {
        Availability::parse(a).ok_or_else(|| {
            ApiError::Invalid(Violations::single("availability", "Availability is not included in the list"))
        })
    })
    .transpose()
}

async fn render(state: &AppState, account_id: i64, user_id: i64) -> ApiResult<Json<Agent>> {
    let row = rows::agent(&state.pool, account_id, user_id).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(row.into()))
}

/// `GET /api/v1/accounts/{account_id}/agents` — every member, by name.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/agents", tag = "Agents",
    security(("api_access_token" = [])), params(("account_id" = i64, Path)),
    responses((status = 200, body = Vec<Agent>), (status = 401), (status = 404)))]
pub async fn index(State(state): State<AppState>, member: Member) -> ApiResult<Json<Vec<Agent>>> {
    Ok(Json(agents(rows::agents(&state.pool, member.account_id()).await?)))
}

/// `POST /api/v1/accounts/{account_id}/agents` — adds a user to the
/// account, inviting (creating) them when the e-mail is new. Administrators.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/agents", tag = "Agents",
    security(("api_access_token" = [])), params(("account_id" = i64, Path)), request_body = AgentRequest,
    responses((status = 200, body = Agent), (status = 401), (status = 402), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    request_id: RequestId,
    ApiJson(body): ApiJson<AgentRequest>,
) -> ApiResult<Json<Agent>> {
    member.require_admin()?;
    let role = parse_role(body.role.as_deref())?.unwrap_or(Role::Agent);
    let availability = parse_availability(body.availability.as_deref())?.unwrap_or_default();
    let account_id = member.account_id();
    if let Some(limit) = member.account.limits.get("agents").and_then(serde_json::Value::as_i64) {
        if rows::members(&state.pool, account_id).await?.len() as i64 >= limit {
            return Err(ApiError::PaymentRequired(
                "Account limit exceeded. Please purchase more licenses".into(),
            ));
        }
    }
    let ctx = member.context(&request_id);
    let user = users::invite(&state.commands, &ctx, body.name.clone(), body.email.clone()).await?;
    state.settle(user.position).await?;
    let user_id = user.value.id();
    if rows::membership(&state.pool, account_id, user_id.0).await?.is_some() {
        return Err(ApiError::Invalid(Violations::single("user", "User has already been taken")));
    }
    let settings = MemberSettings { availability, auto_offline: body.auto_offline.unwrap_or(true) };
    let done = accounts::upsert_member(&state.commands, &ctx, AccountId(account_id), user_id, role, settings)
        .await?;
    state.settle(done.position).await?;
    render(&state, account_id, user_id.0).await
}

/// `PATCH|PUT /api/v1/accounts/{account_id}/agents/{id}` — name, role and
/// availability. Administrators.
#[utoipa::path(method(patch, put), path = "/api/v1/accounts/{account_id}/agents/{id}", tag = "Agents",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    request_body = AgentRequest,
    responses((status = 200, body = Agent), (status = 401), (status = 404), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
    ApiJson(body): ApiJson<AgentRequest>,
) -> ApiResult<Json<Agent>> {
    member.require_admin()?;
    let account_id = member.account_id();
    rows::membership(&state.pool, account_id, id).await?.ok_or(ApiError::NotFound)?;
    let role = parse_role(body.role.as_deref())?;
    let availability = parse_availability(body.availability.as_deref())?;
    let ctx = member.context(&request_id);
    if body.name.is_some() || body.display_name.is_some() {
        let input = UserInput { name: body.name, display_name: body.display_name, ..UserInput::default() };
        let done = users::update(&state.commands, &ctx, UserId(id), input).await?;
        state.settle(done.position).await?;
    }
    let done = accounts::update_member(
        &state.commands,
        &ctx,
        AccountId(account_id),
        UserId(id),
        role,
        availability,
        body.auto_offline,
    )
    .await?;
    state.settle(done.position).await?;
    render(&state, account_id, id).await
}

/// `DELETE /api/v1/accounts/{account_id}/agents/{id}` — removes the member;
/// a user left without any account is deleted. Administrators.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/agents/{id}", tag = "Agents",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200), (status = 401), (status = 404)))]
pub async fn destroy(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
) -> ApiResult<StatusCode> {
    member.require_admin()?;
    let account_id = member.account_id();
    rows::membership(&state.pool, account_id, id).await?.ok_or(ApiError::NotFound)?;
    let ctx: CommandContext = member.context(&request_id);
    let done = accounts::remove_member(&state.commands, &ctx, AccountId(account_id), UserId(id)).await?;
    state.settle(done.position).await?;
    if rows::membership_count(&state.pool, id).await? == 0 {
        let done = users::delete(&state.commands, &ctx, UserId(id)).await?;
        state.settle(done.position).await?;
    }
    Ok(StatusCode::OK)
}
