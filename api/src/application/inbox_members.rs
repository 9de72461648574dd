//! `/api/v1/accounts/{account_id}/inbox_members`: the agents of an inbox.
//! As upstream, reading takes the inbox id in the path, the writes take it
//! in the body (`{inbox_id, user_ids}`).

use super::inboxes::{editable, visible};
use super::json::{agents, Agent};
use crate::dto::flexible_id;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Ids, Member, RequestBody};
use crate::state::{AppState, RequestId};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use onelink_commands::inboxes::{self, Membership};
use onelink_domain::ids::{AccountId, InboxId, UserId};
use onelink_projections::inboxes as rows;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
pub struct InboxMembersRequest {
    #[serde(default, deserialize_with = "flexible_id")]
    #[schema(value_type = i64)]
    inbox_id: Option<i64>,
    /// Users of the account (numbers or numeric strings).
    #[serde(default, deserialize_with = "user_ids")]
    #[schema(value_type = Vec<i64>)]
    user_ids: Option<Vec<i64>>,
}

impl RequestBody for InboxMembersRequest {
    const ROOT: Option<&'static str> = Some("inbox_member");
}

/// A list of ids, each a JSON number or a numeric string (Rails casts both).
fn user_ids<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<i64>>, D::Error> {
    let Some(values) = Option::<Vec<Value>>::deserialize(d)? else { return Ok(None) };
    values
        .iter()
        .map(|v| match v {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        })
        .collect::<Option<Vec<i64>>>()
        .map(Some)
        .ok_or_else(|| D::Error::custom("must be a list of integer ids"))
}

/// `{"payload": [Agent]}`
#[derive(Debug, Serialize, ToSchema)]
pub struct InboxMemberList {
    payload: Vec<Agent>,
}

async fn members(state: &AppState, account_id: i64, inbox_id: i64) -> ApiResult<Json<InboxMemberList>> {
    Ok(Json(InboxMemberList { payload: agents(rows::members(&state.pool, account_id, inbox_id).await?) }))
}

/// Checks the request and applies `how`; returns the inbox id.
async fn change(
    state: &AppState,
    member: &Member,
    request_id: &RequestId,
    body: InboxMembersRequest,
    how: Membership,
) -> ApiResult<i64> {
    let inbox_id = body.inbox_id.ok_or(ApiError::NotFound)?;
    editable(state, member, inbox_id).await?;
    let user_ids = body
        .user_ids
        .ok_or_else(|| ApiError::Unprocessable("param is missing or the value is empty: user_ids".into()))?;
    let ctx = member.context(request_id);
    let user_ids = user_ids.into_iter().map(UserId).collect();
    let account_id = AccountId(member.account_id());
    let done =
        inboxes::change_members(&state.commands, &ctx, account_id, InboxId(inbox_id), how, user_ids).await?;
    state.settle(done.position).await?;
    Ok(inbox_id)
}

/// `GET /api/v1/accounts/{account_id}/inbox_members/{inbox_id}` — the
/// inbox's agents by name. Administrators and members of the inbox.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/inbox_members/{inbox_id}", tag = "Inboxes",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("inbox_id" = i64, Path)),
    responses((status = 200, body = InboxMemberList), (status = 401), (status = 404)))]
pub async fn show(
    State(state): State<AppState>,
    member: Member,
    Ids((_, inbox_id)): Ids<(i64, i64)>,
) -> ApiResult<Json<InboxMemberList>> {
    visible(&state, &member, inbox_id).await?;
    members(&state, member.account_id(), inbox_id).await
}

/// `POST /api/v1/accounts/{account_id}/inbox_members` — adds users (members
/// already are skipped); answers with every member. Administrators.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/inbox_members", tag = "Inboxes",
    security(("api_access_token" = [])), params(("account_id" = i64, Path)), request_body = InboxMembersRequest,
    responses((status = 200, body = InboxMemberList), (status = 401), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    request_id: RequestId,
    ApiJson(body): ApiJson<InboxMembersRequest>,
) -> ApiResult<Json<InboxMemberList>> {
    let inbox_id = change(&state, &member, &request_id, body, Membership::Add).await?;
    members(&state, member.account_id(), inbox_id).await
}

/// `PATCH|PUT /api/v1/accounts/{account_id}/inbox_members` — makes the
/// member set exactly `user_ids`. Administrators.
#[utoipa::path(method(patch, put), path = "/api/v1/accounts/{account_id}/inbox_members", tag = "Inboxes",
    security(("api_access_token" = [])), params(("account_id" = i64, Path)), request_body = InboxMembersRequest,
    responses((status = 200, body = InboxMemberList), (status = 401), (status = 404), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    member: Member,
    request_id: RequestId,
    ApiJson(body): ApiJson<InboxMembersRequest>,
) -> ApiResult<Json<InboxMemberList>> {
    let inbox_id = change(&state, &member, &request_id, body, Membership::Replace).await?;
    members(&state, member.account_id(), inbox_id).await
}

/// `DELETE /api/v1/accounts/{account_id}/inbox_members` — removes users.
/// Administrators.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/inbox_members", tag = "Inboxes",
    security(("api_access_token" = [])), params(("account_id" = i64, Path)), request_body = InboxMembersRequest,
    responses((status = 200), (status = 401), (status = 404), (status = 422)))]
pub async fn destroy(
    State(state): State<AppState>,
    member: Member,
    request_id: RequestId,
    ApiJson(body): ApiJson<InboxMembersRequest>,
) -> ApiResult<StatusCode> {
    change(&state, &member, &request_id, body, Membership::Remove).await?;
    Ok(StatusCode::OK)
}
