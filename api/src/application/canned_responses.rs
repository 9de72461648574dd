//! `/api/v1/accounts/{account_id}/canned_responses` (upstream
//! `canned_responses_controller.rb`): any member lists, creates, updates and
//! deletes the account's saved replies. Short codes are unique per account.

use crate::dto::{nullable, query_param};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Ids, Member, RequestBody};
use crate::platform::json::iso;
use crate::state::{AppState, RequestId};
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::Json;
use onelink_commands::canned_responses;
use onelink_domain::canned_response::{CannedResponsePatch, NewCannedResponse};
use onelink_domain::ids::{AccountId, CannedResponseId};
use onelink_projections::canned_responses::query as rows;
use onelink_projections::canned_responses::CannedResponseRow;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `POST` and `PATCH|PUT` body (flat or under `canned_response`). Other
/// keys (`account_id`, `id`, timestamps) are ignored.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CannedResponseRequest {
    /// Required; unique per account (case-sensitive), stored trimmed.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    short_code: Option<Option<String>>,
    /// Required.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    content: Option<Option<String>>,
}

impl RequestBody for CannedResponseRequest {
    const ROOT: Option<&'static str> = Some("canned_response");
}

/// The upstream's raw canned response record.
#[derive(Debug, Serialize, ToSchema)]
pub struct CannedResponse {
    pub id: i64,
    pub account_id: i64,
    pub short_code: String,
    pub content: String,
    pub created_at: String,
    pub updated_at: String,
}

impl From<CannedResponseRow> for CannedResponse {
    fn from(r: CannedResponseRow) -> Self {
        Self {
            id: r.id,
            account_id: r.account_id,
            short_code: r.short_code,
            content: r.content,
            created_at: iso(r.created_at),
            updated_at: iso(r.updated_at),
        }
    }
}

async fn find(state: &AppState, member: &Member, id: i64) -> ApiResult<CannedResponse> {
    let row = rows::find(&state.pool, member.account_id(), id).await?.ok_or(ApiError::NotFound)?;
    Ok(row.into())
}

/// `GET /api/v1/accounts/{account_id}/canned_responses` — all of them by
/// id; with `search`, those whose short code or content contains it, short
/// code matches first.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/canned_responses", tag = "Canned responses",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("search" = Option<String>, Query)),
    responses((status = 200, body = Vec<CannedResponse>), (status = 401), (status = 404)))]
pub async fn index(
    State(state): State<AppState>,
    member: Member,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<Vec<CannedResponse>>> {
    let search = query_param(query.as_deref(), "search");
    let list = rows::list(&state.pool, member.account_id(), search.as_deref()).await?;
    Ok(Json(list.into_iter().map(CannedResponse::from).collect()))
}

/// `POST /api/v1/accounts/{account_id}/canned_responses` — any member.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/canned_responses", tag = "Canned responses",
    security(("api_access_token" = [])), params(("account_id" = i64, Path)), request_body = CannedResponseRequest,
    responses((status = 200, body = CannedResponse), (status = 400), (status = 401), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    request_id: RequestId,
    ApiJson(body): ApiJson<CannedResponseRequest>,
) -> ApiResult<Json<CannedResponse>> {
    let input = NewCannedResponse {
        short_code: body.short_code.flatten(),
        content: body.content.flatten(),
        ..NewCannedResponse::default()
    };
    let ctx = member.context(&request_id);
    let done = canned_responses::create(&state.commands, &ctx, AccountId(member.account_id()), input).await?;
    state.settle(done.position).await?;
    Ok(Json(find(&state, &member, done.value.0).await?))
}

/// `PATCH|PUT /api/v1/accounts/{account_id}/canned_responses/{id}` — any
/// member; absent fields are kept.
#[utoipa::path(method(patch, put), path = "/api/v1/accounts/{account_id}/canned_responses/{id}",
    tag = "Canned responses", security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("id" = i64, Path)), request_body = CannedResponseRequest,
    responses((status = 200, body = CannedResponse), (status = 400), (status = 401), (status = 404), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
    ApiJson(body): ApiJson<CannedResponseRequest>,
) -> ApiResult<Json<CannedResponse>> {
    find(&state, &member, id).await?;
    // an explicit `null` is a blank value, as upstream
    let patch = CannedResponsePatch {
        short_code: body.short_code.map(Option::unwrap_or_default),
        content: body.content.map(Option::unwrap_or_default),
    };
    let ctx = member.context(&request_id);
    let account_id = AccountId(member.account_id());
    let done =
        canned_responses::update(&state.commands, &ctx, account_id, CannedResponseId(id), patch).await?;
    state.settle(done.position).await?;
    Ok(Json(find(&state, &member, id).await?))
}

/// `DELETE /api/v1/accounts/{account_id}/canned_responses/{id}` — any
/// member; 200 with an empty body. The short code becomes free again.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/canned_responses/{id}", tag = "Canned responses",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200), (status = 401), (status = 404)))]
pub async fn destroy(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
) -> ApiResult<StatusCode> {
    find(&state, &member, id).await?;
    let ctx = member.context(&request_id);
    let account_id = AccountId(member.account_id());
    let done = canned_responses::delete(&state.commands, &ctx, account_id, CannedResponseId(id)).await?;
    state.settle(done.position).await?;
    Ok(StatusCode::OK)
}
