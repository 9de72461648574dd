//! `/api/v1/accounts/{account_id}/teams/{team_id}/team_members`: any member
//! reads, administrators change the member set. A user id that is not a
//! member of the account refuses the whole request with 401
//! `{"error":"Invalid User IDs"}` and changes nothing.

use super::json::{agents, Agent};
use super::teams::team_of;
use crate::dto::id_list;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Ids, Member, RequestBody};
use crate::state::{AppState, RequestId};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use onelink_commands::teams::{self, MemberChange};
use onelink_domain::ids::{AccountId, TeamId, UserId};
use onelink_projections::platform::accounts as account_rows;
use onelink_projections::teams::query as rows;
use serde::Deserialize;
use utoipa::ToSchema;

const INVALID_USER_IDS: &str = "Invalid User IDs";

#[derive(Debug, Deserialize, ToSchema)]
pub struct TeamMembersRequest {
    /// Ids of users of the account (numbers or numeric strings).
    #[serde(default, deserialize_with = "id_list")]
    #[schema(value_type = Vec<i64>)]
    user_ids: Option<Vec<Option<i64>>>,
}

impl RequestBody for TeamMembersRequest {
    const ROOT: Option<&'static str> = Some("team_member");
}

impl TeamMembersRequest {
    /// The requested users; an id that cannot name a user is refused like a
    /// user of another account.
    fn user_ids(self) -> ApiResult<Vec<UserId>> {
        let ids = self.user_ids.ok_or_else(|| {
            ApiError::Unprocessable("param is missing or the value is empty: user_ids".into())
        })?;
        ids.into_iter()
            .map(|id| id.map(UserId).ok_or_else(|| ApiError::NotPermitted(INVALID_USER_IDS.into())))
            .collect()
    }
}

/// Checks the team and the caller's role, then applies `change`.
async fn apply(
    state: &AppState,
    member: &Member,
    team_id: i64,
    request_id: &RequestId,
    change: MemberChange,
    body: TeamMembersRequest,
) -> ApiResult<Vec<UserId>> {
    team_of(state, member, team_id).await?;
    member.require_admin()?;
    let user_ids = body.user_ids()?;
    let ctx = member.context(request_id);
    let account_id = AccountId(member.account_id());
    let done =
        teams::change_members(&state.commands, &ctx, account_id, TeamId(team_id), change, user_ids).await?;
    state.settle(done.position).await?;
    Ok(done.value)
}

/// `GET /api/v1/accounts/{account_id}/teams/{team_id}/team_members`
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/teams/{team_id}/team_members", tag = "Teams",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("team_id" = i64, Path)),
    responses((status = 200, body = Vec<Agent>), (status = 401), (status = 404)))]
pub async fn index(
    State(state): State<AppState>,
    member: Member,
    Ids((_, team_id)): Ids<(i64, i64)>,
) -> ApiResult<Json<Vec<Agent>>> {
    team_of(&state, &member, team_id).await?;
    Ok(Json(agents(rows::members(&state.pool, member.account_id(), team_id).await?)))
}

/// `POST /api/v1/accounts/{account_id}/teams/{team_id}/team_members` —
/// adds users; answers with only the newly added ones. Administrators.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/teams/{team_id}/team_members", tag = "Teams",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("team_id" = i64, Path)),
    request_body = TeamMembersRequest,
    responses((status = 200, body = Vec<Agent>), (status = 401), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    Ids((_, team_id)): Ids<(i64, i64)>,
    request_id: RequestId,
    ApiJson(body): ApiJson<TeamMembersRequest>,
) -> ApiResult<Json<Vec<Agent>>> {
    let added = apply(&state, &member, team_id, &request_id, MemberChange::Add, body).await?;
    let added: Vec<i64> = added.into_iter().map(|u| u.0).collect();
    Ok(Json(agents(account_rows::agents_among(&state.pool, member.account_id(), &added).await?)))
}

/// `PATCH /api/v1/accounts/{account_id}/teams/{team_id}/team_members` —
/// makes `user_ids` the member set; answers with every member.
/// Administrators.
#[utoipa::path(patch, path = "/api/v1/accounts/{account_id}/teams/{team_id}/team_members", tag = "Teams",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("team_id" = i64, Path)),
    request_body = TeamMembersRequest,
    responses((status = 200, body = Vec<Agent>), (status = 401), (status = 404), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    member: Member,
    Ids((_, team_id)): Ids<(i64, i64)>,
    request_id: RequestId,
    ApiJson(body): ApiJson<TeamMembersRequest>,
) -> ApiResult<Json<Vec<Agent>>> {
    apply(&state, &member, team_id, &request_id, MemberChange::Replace, body).await?;
    Ok(Json(agents(rows::members(&state.pool, member.account_id(), team_id).await?)))
}

/// `DELETE /api/v1/accounts/{account_id}/teams/{team_id}/team_members` —
/// removes users; 200 with an empty body. Administrators.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/teams/{team_id}/team_members", tag = "Teams",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("team_id" = i64, Path)),
    request_body = TeamMembersRequest,
    responses((status = 200), (status = 401), (status = 404), (status = 422)))]
pub async fn destroy(
    State(state): State<AppState>,
    member: Member,
    Ids((_, team_id)): Ids<(i64, i64)>,
    request_id: RequestId,
    ApiJson(body): ApiJson<TeamMembersRequest>,
) -> ApiResult<StatusCode> {
    apply(&state, &member, team_id, &request_id, MemberChange::Remove, body).await?;
    Ok(StatusCode::OK)
}
