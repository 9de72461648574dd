//! `/api/v1/accounts/{account_id}/custom_attribute_definitions` (upstream
//! `custom_attribute_definitions_controller.rb`): any member reads;
//! administrators create, update and delete (the upstream let agents write
//! them, fixed upstream by PR #14392). The role is checked before the
//! record is looked up.

mod json;

use crate::dto::query_param;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Ids, Member};
use crate::state::{AppState, RequestId};
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::Json;
use json::{Definition, DefinitionRequest};
use onelink_commands::custom_attributes;
use onelink_domain::custom_attribute::AttributeModel;
use onelink_domain::ids::{AccountId, CustomAttributeDefinitionId};
use onelink_projections::custom_attributes::query as rows;

async fn find(state: &AppState, member: &Member, id: i64) -> ApiResult<Definition> {
    let row = rows::find(&state.pool, member.account_id(), id).await?.ok_or(ApiError::NotFound)?;
    Ok(row.into())
}

/// `GET /api/v1/accounts/{account_id}/custom_attribute_definitions` — by
/// id; `attribute_model` (a name or 0/1) keeps one model's. An unknown
/// model matches nothing, a blank one everything (as upstream).
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/custom_attribute_definitions",
    tag = "Custom attribute definitions", security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("attribute_model" = Option<String>, Query)),
    responses((status = 200, body = Vec<Definition>), (status = 401), (status = 404)))]
pub async fn index(
    State(state): State<AppState>,
    member: Member,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<Vec<Definition>>> {
    let model = match query_param(query.as_deref(), "attribute_model").filter(|m| !m.trim().is_empty()) {
        None => None,
        Some(raw) => match AttributeModel::parse(&raw) {
            Some(model) => Some(model.as_str()),
            None => return Ok(Json(vec![])),
        },
    };
    let list = rows::list(&state.pool, member.account_id(), model).await?;
    Ok(Json(list.into_iter().map(Definition::from).collect()))
}

/// `POST /api/v1/accounts/{account_id}/custom_attribute_definitions` —
/// administrators.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/custom_attribute_definitions",
    tag = "Custom attribute definitions", security(("api_access_token" = [])),
    params(("account_id" = i64, Path)), request_body = DefinitionRequest,
    responses((status = 200, body = Definition), (status = 400), (status = 401), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    request_id: RequestId,
    ApiJson(body): ApiJson<DefinitionRequest>,
) -> ApiResult<Json<Definition>> {
    member.require_admin()?;
    let input = body.into_new()?;
    let ctx = member.context(&request_id);
    let done =
        custom_attributes::create(&state.commands, &ctx, AccountId(member.account_id()), input).await?;
    state.settle(done.position).await?;
    Ok(Json(find(&state, &member, done.value.0).await?))
}

/// `GET /api/v1/accounts/{account_id}/custom_attribute_definitions/{id}`
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/custom_attribute_definitions/{id}",
    tag = "Custom attribute definitions", security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = Definition), (status = 401), (status = 404)))]
pub async fn show(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
) -> ApiResult<Json<Definition>> {
    Ok(Json(find(&state, &member, id).await?))
}

/// `PATCH|PUT /api/v1/accounts/{account_id}/custom_attribute_definitions/{id}`
/// — administrators; absent fields are kept.
#[utoipa::path(method(patch, put), path = "/api/v1/accounts/{account_id}/custom_attribute_definitions/{id}",
    tag = "Custom attribute definitions", security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("id" = i64, Path)), request_body = DefinitionRequest,
    responses((status = 200, body = Definition), (status = 400), (status = 401), (status = 404), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
    ApiJson(body): ApiJson<DefinitionRequest>,
) -> ApiResult<Json<Definition>> {
    member.require_admin()?;
    find(&state, &member, id).await?;
    let patch = body.into_patch()?;
    let ctx = member.context(&request_id);
    let (account_id, id) = (AccountId(member.account_id()), CustomAttributeDefinitionId(id));
    let done = custom_attributes::update(&state.commands, &ctx, account_id, id, patch).await?;
    state.settle(done.position).await?;
    Ok(Json(find(&state, &member, id.0).await?))
}

/// `DELETE /api/v1/accounts/{account_id}/custom_attribute_definitions/{id}`
/// — administrators; 204. The key becomes free again (values stored on
/// records stay).
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/custom_attribute_definitions/{id}",
    tag = "Custom attribute definitions", security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 204), (status = 401), (status = 404)))]
pub async fn destroy(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
) -> ApiResult<StatusCode> {
    member.require_admin()?;
    find(&state, &member, id).await?;
    let ctx = member.context(&request_id);
    let (account_id, id) = (AccountId(member.account_id()), CustomAttributeDefinitionId(id));
    let done = custom_attributes::delete(&state.commands, &ctx, account_id, id).await?;
    state.settle(done.position).await?;
    Ok(StatusCode::NO_CONTENT)
}
