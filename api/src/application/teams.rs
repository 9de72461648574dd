//! `/api/v1/accounts/{account_id}/teams`: any member reads, administrators
//! write. Names are lower-cased and unique per account.

use super::json::Team;
use crate::dto::{flexible_bool, nullable};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Ids, Member, RequestBody};
use crate::state::{AppState, RequestId};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use onelink_commands::teams;
use onelink_domain::ids::{AccountId, TeamId};
use onelink_domain::team::{NewTeam, TeamPatch};
use onelink_projections::teams::query as rows;
use onelink_projections::teams::TeamRow;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
pub struct TeamRequest {
    /// Required on create; stored lower-cased.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    name: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    description: Option<Option<String>>,
    /// Default `true`.
    #[serde(default, deserialize_with = "flexible_bool")]
    allow_auto_assign: Option<bool>,
}

impl RequestBody for TeamRequest {
    const ROOT: Option<&'static str> = Some("team");
}

/// The team `id` of the caller's account, or 404.
pub(super) async fn team_of(state: &AppState, member: &Member, id: i64) -> ApiResult<TeamRow> {
    rows::find(&state.pool, member.account_id(), id).await?.ok_or(ApiError::NotFound)
}

async fn render(state: &AppState, member: &Member, id: i64) -> ApiResult<Json<Team>> {
    let row = team_of(state, member, id).await?;
    let is_member = rows::is_member(&state.pool, member.account_id(), id, member.user.id).await?;
    Ok(Json(Team::new(row, is_member)))
}

/// `GET /api/v1/accounts/{account_id}/teams` — the account's teams.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/teams", tag = "Teams",
    security(("api_access_token" = [])), params(("account_id" = i64, Path)),
    responses((status = 200, body = Vec<Team>), (status = 401), (status = 404)))]
pub async fn index(State(state): State<AppState>, member: Member) -> ApiResult<Json<Vec<Team>>> {
    let account_id = member.account_id();
    let mine = rows::team_ids_of_user(&state.pool, account_id, member.user.id).await?;
    let teams = rows::list(&state.pool, account_id).await?;
    Ok(Json(
        teams
            .into_iter()
            .map(|t| {
                let is_member = mine.contains(&t.id);
                Team::new(t, is_member)
            })
            .collect(),
    ))
}

/// `POST /api/v1/accounts/{account_id}/teams` — administrators.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/teams", tag = "Teams",
    security(("api_access_token" = [])), params(("account_id" = i64, Path)), request_body = TeamRequest,
    responses((status = 200, body = Team), (status = 401), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    request_id: RequestId,
    ApiJson(body): ApiJson<TeamRequest>,
) -> ApiResult<Json<Team>> {
    member.require_admin()?;
    let account_id = AccountId(member.account_id());
    let input = NewTeam {
        name: body.name.flatten(),
        description: body.description.flatten(),
        allow_auto_assign: body.allow_auto_assign,
        ..NewTeam::default()
    };
    let done = teams::create(&state.commands, &member.context(&request_id), account_id, input).await?;
    state.settle(done.position).await?;
    render(&state, &member, done.value.0).await
}

/// `GET /api/v1/accounts/{account_id}/teams/{id}`
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/teams/{id}", tag = "Teams",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = Team), (status = 401), (status = 404)))]
pub async fn show(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
) -> ApiResult<Json<Team>> {
    render(&state, &member, id).await
}

/// `PATCH|PUT /api/v1/accounts/{account_id}/teams/{id}` — administrators.
#[utoipa::path(method(patch, put), path = "/api/v1/accounts/{account_id}/teams/{id}", tag = "Teams",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    request_body = TeamRequest,
    responses((status = 200, body = Team), (status = 401), (status = 404), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
    ApiJson(body): ApiJson<TeamRequest>,
) -> ApiResult<Json<Team>> {
    team_of(&state, &member, id).await?;
    member.require_admin()?;
    let patch = TeamPatch {
        // an explicit `null` name is a blank name, as upstream
        name: body.name.map(Option::unwrap_or_default),
        description: body.description,
        allow_auto_assign: body.allow_auto_assign,
    };
    let ctx = member.context(&request_id);
    let done =
        teams::update(&state.commands, &ctx, AccountId(member.account_id()), TeamId(id), patch).await?;
    state.settle(done.position).await?;
    render(&state, &member, id).await
}

/// `DELETE /api/v1/accounts/{account_id}/teams/{id}` — administrators;
/// 200 with an empty body. The name becomes free again.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/teams/{id}", tag = "Teams",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200), (status = 401), (status = 404)))]
pub async fn destroy(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
) -> ApiResult<StatusCode> {
    team_of(&state, &member, id).await?;
    member.require_admin()?;
    let ctx = member.context(&request_id);
    let done = teams::delete(&state.commands, &ctx, AccountId(member.account_id()), TeamId(id)).await?;
    state.settle(done.position).await?;
    Ok(StatusCode::OK)
}
