//! `/api/v1/accounts/{account_id}/custom_filters` (upstream
//! `custom_filters_controller.rb`): any member keeps their own saved
//! filters. A user sees and changes only theirs; another user's filter is
//! 404, as is any filter outside the account.

use crate::dto::{enum_value, nullable, query_param, EnumValue};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Ids, Member, RequestBody};
use crate::platform::json::iso;
use crate::state::{AppState, RequestId};
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::Json;
use onelink_commands::custom_filters;
use onelink_domain::custom_filter::{CustomFilterPatch, FilterType, NewCustomFilter, Owner};
use onelink_domain::ids::{AccountId, CustomFilterId, UserId};
use onelink_domain::Violations;
use onelink_projections::custom_filters::query as rows;
use onelink_projections::custom_filters::CustomFilterRow;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// `POST` and `PATCH|PUT` body (flat or under `custom_filter`). Other keys
/// (`account_id`, `user_id`, `id`, timestamps) are ignored.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CustomFilterRequest {
    /// Required.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    name: Option<Option<String>>,
    /// `conversation` (default), `contact` or `report`, or 0–2.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    filter_type: Option<Option<Value>>,
    /// Required: the saved query object (stored as given).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Object>)]
    query: Option<Option<Map<String, Value>>>,
}

impl RequestBody for CustomFilterRequest {
    const ROOT: Option<&'static str> = Some("custom_filter");
}

impl CustomFilterRequest {
    /// The filter type: absent → `None`; blank → "can't be blank"; unknown →
    /// "is not included in the list" (upstream: a 500).
    fn filter_type(&self) -> ApiResult<Option<FilterType>> {
        let Some(raw) = &self.filter_type else { return Ok(None) };
        let raw = raw.as_ref().unwrap_or(&Value::Null);
        let message = match enum_value(raw, FilterType::parse, FilterType::from_index) {
            EnumValue::Known(filter_type) => return Ok(Some(filter_type)),
            EnumValue::Blank => "Filter type can't be blank",
            EnumValue::Unknown => "Filter type is not included in the list",
        };
        Err(ApiError::Invalid(Violations::single("filter_type", message)))
    }
}

/// A saved filter as the upstream renders it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomFilter {
    pub id: i64,
    pub name: String,
    pub filter_type: String,
    #[schema(value_type = Object)]
    pub query: Value,
    pub created_at: String,
    pub updated_at: String,
}

impl From<CustomFilterRow> for CustomFilter {
    fn from(r: CustomFilterRow) -> Self {
        Self {
            id: r.id,
            name: r.name,
            filter_type: r.filter_type,
            query: r.query,
            created_at: iso(r.created_at),
            updated_at: iso(r.updated_at),
        }
    }
}

fn owner(member: &Member) -> Owner {
    Owner { account_id: AccountId(member.account_id()), user_id: UserId(member.user.id) }
}

/// The caller's filter `id`, or 404.
async fn find(state: &AppState, member: &Member, id: i64) -> ApiResult<CustomFilter> {
    let row =
        rows::find(&state.pool, member.account_id(), member.user.id, id).await?.ok_or(ApiError::NotFound)?;
    Ok(row.into())
}

/// `GET /api/v1/accounts/{account_id}/custom_filters` — the caller's
/// filters of `filter_type` (default `conversation`), oldest first. An
/// unknown type matches nothing.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/custom_filters", tag = "Custom filters",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("filter_type" = Option<String>, Query)),
    responses((status = 200, body = Vec<CustomFilter>), (status = 401), (status = 404)))]
pub async fn index(
    State(state): State<AppState>,
    member: Member,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<Vec<CustomFilter>>> {
    let filter_type = match query_param(query.as_deref(), "filter_type").filter(|t| !t.trim().is_empty()) {
        None => FilterType::Conversation,
        Some(raw) => match FilterType::parse(&raw) {
            Some(filter_type) => filter_type,
            None => return Ok(Json(vec![])),
        },
    };
    let list = rows::list(&state.pool, member.account_id(), member.user.id, filter_type.as_str()).await?;
    Ok(Json(list.into_iter().map(CustomFilter::from).collect()))
}

/// `POST /api/v1/accounts/{account_id}/custom_filters` — any member; at
/// most 1000 filters per user and account.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/custom_filters", tag = "Custom filters",
    security(("api_access_token" = [])), params(("account_id" = i64, Path)), request_body = CustomFilterRequest,
    responses((status = 200, body = CustomFilter), (status = 400), (status = 401), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    request_id: RequestId,
    ApiJson(body): ApiJson<CustomFilterRequest>,
) -> ApiResult<Json<CustomFilter>> {
    let input = NewCustomFilter {
        filter_type: body.filter_type()?,
        name: body.name.flatten(),
        query: body.query.flatten(),
        ..NewCustomFilter::default()
    };
    let done =
        custom_filters::create(&state.commands, &member.context(&request_id), owner(&member), input).await?;
    state.settle(done.position).await?;
    Ok(Json(find(&state, &member, done.value.0).await?))
}

/// `GET /api/v1/accounts/{account_id}/custom_filters/{id}` — the caller's own.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/custom_filters/{id}", tag = "Custom filters",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = CustomFilter), (status = 401), (status = 404)))]
pub async fn show(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
) -> ApiResult<Json<CustomFilter>> {
    Ok(Json(find(&state, &member, id).await?))
}

/// `PATCH|PUT /api/v1/accounts/{account_id}/custom_filters/{id}` — the
/// caller's own; absent fields are kept.
#[utoipa::path(method(patch, put), path = "/api/v1/accounts/{account_id}/custom_filters/{id}",
    tag = "Custom filters", security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("id" = i64, Path)), request_body = CustomFilterRequest,
    responses((status = 200, body = CustomFilter), (status = 400), (status = 401), (status = 404), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
    ApiJson(body): ApiJson<CustomFilterRequest>,
) -> ApiResult<Json<CustomFilter>> {
    find(&state, &member, id).await?;
    let filter_type = body.filter_type()?;
    let query = match body.query {
        Some(None) => {
            return Err(ApiError::Invalid(Violations::single("query", "Query can't be blank")));
        }
        other => other.flatten(),
    };
    // an explicit `null` name is a blank name
    let patch = CustomFilterPatch { name: body.name.map(Option::unwrap_or_default), filter_type, query };
    let ctx = member.context(&request_id);
    let done =
        custom_filters::update(&state.commands, &ctx, owner(&member), CustomFilterId(id), patch).await?;
    state.settle(done.position).await?;
    Ok(Json(find(&state, &member, id).await?))
}

/// `DELETE /api/v1/accounts/{account_id}/custom_filters/{id}` — the
/// caller's own; 204.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/custom_filters/{id}", tag = "Custom filters",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 204), (status = 401), (status = 404)))]
pub async fn destroy(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
) -> ApiResult<StatusCode> {
    find(&state, &member, id).await?;
    let ctx = member.context(&request_id);
    let done = custom_filters::delete(&state.commands, &ctx, owner(&member), CustomFilterId(id)).await?;
    state.settle(done.position).await?;
    Ok(StatusCode::NO_CONTENT)
}
