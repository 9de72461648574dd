//! `/platform/api/v1/accounts/{account_id}/account_users`

use super::accounts::permitted_account;
use super::json::{AccountUserRaw, ErrorBody, ValidationErrorBody};
use crate::dto::flexible_id;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Ids, PlatformApp, RequestBody};
use crate::state::{AppState, RequestId};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use onelink_commands::accounts;
use onelink_domain::account::Role;
use onelink_domain::ids::{AccountId, UserId};
use onelink_domain::Violations;
use onelink_projections::platform::accounts as account_rows;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, ToSchema)]
pub struct AccountUserRequest {
    #[serde(default, deserialize_with = "flexible_id")]
    user_id: Option<i64>,
    /// `agent` (default) or `administrator`.
    role: Option<String>,
}

impl RequestBody for AccountUserRequest {
    const ROOT: Option<&'static str> = Some("account_user");
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct UserIdQuery {
    #[serde(default, deserialize_with = "flexible_id")]
    user_id: Option<i64>,
}

fn user_must_exist() -> ApiError {
    ApiError::Invalid(Violations::single("user", "User must exist"))
}

/// `GET /platform/api/v1/accounts/{account_id}/account_users`
#[utoipa::path(get, path = "/platform/api/v1/accounts/{account_id}/account_users", tag = "Platform",
    security(("api_access_token" = [])), params(("account_id" = i64, Path)),
    responses((status = 200, body = Vec<AccountUserRaw>), (status = 401, body = ErrorBody), (status = 404)))]
pub async fn index(
    State(state): State<AppState>,
    app: PlatformApp,
    Ids(account_id): Ids<i64>,
) -> ApiResult<Json<Vec<AccountUserRaw>>> {
    permitted_account(&state, &app, account_id).await?;
    let rows = account_rows::members(&state.pool, account_id).await?;
    Ok(Json(rows.into_iter().map(AccountUserRaw::from).collect()))
}

/// `POST /platform/api/v1/accounts/{account_id}/account_users` — adds the
/// user, or changes the role of an existing member.
#[utoipa::path(post, path = "/platform/api/v1/accounts/{account_id}/account_users", tag = "Platform",
    security(("api_access_token" = [])), params(("account_id" = i64, Path)), request_body = AccountUserRequest,
    responses((status = 200, body = AccountUserRaw), (status = 401, body = ErrorBody), (status = 404),
              (status = 422, body = ValidationErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    app: PlatformApp,
    Ids(account_id): Ids<i64>,
    request_id: RequestId,
    ApiJson(body): ApiJson<AccountUserRequest>,
) -> ApiResult<Json<AccountUserRaw>> {
    permitted_account(&state, &app, account_id).await?;
    let user_id = body.user_id.ok_or_else(user_must_exist)?;
    let role = match body.role.as_deref() {
        None | Some("") => match account_rows::membership(&state.pool, account_id, user_id).await? {
            Some(existing) => Role::parse(&existing.role).unwrap_or(Role::Agent),
            None => Role::Agent,
        },
        Some(raw) => Role::parse(raw).ok_or_else(|| {
            ApiError::Invalid(Violations::single("role", "Role is not included in the list"))
        })?,
    };
    let ctx = request_id.context(app.actor());
    let done = accounts::upsert_member(
        &state.commands,
        &ctx,
        AccountId(account_id),
        UserId(user_id),
        role,
        Default::default(),
    )
    .await?;
    state.settle(done.position).await?;
    let row = account_rows::membership(&state.pool, account_id, user_id).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(row.into()))
}

/// `DELETE /platform/api/v1/accounts/{account_id}/account_users` — removes
/// `user_id` (from the body or the query); 200 even if not a member.
#[utoipa::path(delete, path = "/platform/api/v1/accounts/{account_id}/account_users", tag = "Platform",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), UserIdQuery),
    request_body = AccountUserRequest,
    responses((status = 200), (status = 401, body = ErrorBody), (status = 404),
              (status = 422, body = ValidationErrorBody)))]
pub async fn destroy(
    State(state): State<AppState>,
    app: PlatformApp,
    Ids(account_id): Ids<i64>,
    request_id: RequestId,
    query: Result<Query<UserIdQuery>, axum::extract::rejection::QueryRejection>,
    ApiJson(body): ApiJson<AccountUserRequest>,
) -> ApiResult<StatusCode> {
    permitted_account(&state, &app, account_id).await?;
    let from_query = query.ok().and_then(|Query(q)| q.user_id);
    let user_id = body.user_id.or(from_query).ok_or_else(user_must_exist)?;
    let ctx = request_id.context(app.actor());
    let done = accounts::remove_member(&state.commands, &ctx, AccountId(account_id), UserId(user_id)).await?;
    state.settle(done.position).await?;
    Ok(StatusCode::OK)
}
