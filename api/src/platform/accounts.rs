//! `/platform/api/v1/accounts`

use super::json::{ErrorBody, PlatformAccount, ValidationErrorBody};
use crate::dto::{nullable, truthy};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Ids, PlatformApp, RequestBody};
use crate::state::{AppState, RequestId};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use onelink_commands::accounts;
use onelink_domain::account::{AccountPatch, NewAccount};
use onelink_domain::ids::AccountId;
use onelink_domain::platform_app::PermissibleType;
use onelink_projections::platform::accounts as account_rows;
use onelink_projections::platform::accounts::AccountRow;
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
pub struct AccountRequest {
    name: Option<String>,
    locale: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    domain: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    support_email: Option<Option<String>>,
    /// `active` or `suspended`.
    status: Option<String>,
    #[schema(value_type = Option<Object>)]
    limits: Option<Map<String, Value>>,
    #[schema(value_type = Option<Object>)]
    custom_attributes: Option<Map<String, Value>>,
    /// `{feature_name: bool}`; only the flags given change.
    #[schema(value_type = Option<Object>)]
    features: Option<Map<String, Value>>,
}

impl RequestBody for AccountRequest {
    const ROOT: Option<&'static str> = Some("account");
}

impl AccountRequest {
    fn features(&self) -> BTreeMap<String, bool> {
        self.features.iter().flatten().map(|(k, v)| (k.clone(), truthy(v))).collect()
    }
}

/// Loads an account the app may touch: 404 if unknown, 401 if not granted.
pub async fn permitted_account(state: &AppState, app: &PlatformApp, id: i64) -> ApiResult<AccountRow> {
    let account = account_rows::find(&state.pool, id).await?.ok_or(ApiError::NotFound)?;
    app.ensure_permitted(state, PermissibleType::Account, id).await?;
    Ok(account)
}

async fn render(state: &AppState, id: i64) -> ApiResult<Json<PlatformAccount>> {
    let row = account_rows::find(&state.pool, id).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(PlatformAccount::new(state, row)))
}

/// `GET /platform/api/v1/accounts` — the accounts this app may touch.
#[utoipa::path(get, path = "/platform/api/v1/accounts", tag = "Platform",
    security(("api_access_token" = [])),
    responses((status = 200, body = Vec<PlatformAccount>), (status = 401, body = ErrorBody)))]
pub async fn index(State(state): State<AppState>, app: PlatformApp) -> ApiResult<Json<Vec<PlatformAccount>>> {
    let rows = account_rows::list_for_platform_app(&state.pool, app.id).await?;
    Ok(Json(rows.into_iter().map(|r| PlatformAccount::new(&state, r)).collect()))
}

/// `POST /platform/api/v1/accounts` — creates an account granted to the app.
#[utoipa::path(post, path = "/platform/api/v1/accounts", tag = "Platform",
    security(("api_access_token" = [])), request_body = AccountRequest,
    responses((status = 200, body = PlatformAccount), (status = 401, body = ErrorBody),
              (status = 422, body = ValidationErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    app: PlatformApp,
    request_id: RequestId,
    ApiJson(body): ApiJson<AccountRequest>,
) -> ApiResult<Json<PlatformAccount>> {
    let features = body.features();
    let new = NewAccount {
        id: AccountId::default(),
        name: body.name,
        locale: body.locale,
        domain: body.domain.flatten(),
        support_email: body.support_email.flatten(),
        status: body.status,
        limits: body.limits,
        custom_attributes: body.custom_attributes,
        features,
    };
    let done = accounts::create(&state.commands, &request_id.context(app.actor()), new).await?;
    state.settle(done.position).await?;
    render(&state, done.value.0).await
}

/// `GET /platform/api/v1/accounts/{id}`
#[utoipa::path(get, path = "/platform/api/v1/accounts/{id}", tag = "Platform",
    security(("api_access_token" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = PlatformAccount), (status = 401, body = ErrorBody), (status = 404)))]
pub async fn show(
    State(state): State<AppState>,
    app: PlatformApp,
    Ids(id): Ids<i64>,
) -> ApiResult<Json<PlatformAccount>> {
    let row = permitted_account(&state, &app, id).await?;
    Ok(Json(PlatformAccount::new(&state, row)))
}

/// `PATCH|PUT /platform/api/v1/accounts/{id}` — partial update; features
/// change per flag.
#[utoipa::path(method(patch, put), path = "/platform/api/v1/accounts/{id}", tag = "Platform",
    security(("api_access_token" = [])), params(("id" = i64, Path)), request_body = AccountRequest,
    responses((status = 200, body = PlatformAccount), (status = 401, body = ErrorBody), (status = 404),
              (status = 422, body = ValidationErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    app: PlatformApp,
    Ids(id): Ids<i64>,
    request_id: RequestId,
    ApiJson(body): ApiJson<AccountRequest>,
) -> ApiResult<Json<PlatformAccount>> {
    permitted_account(&state, &app, id).await?;
    let features = body.features();
    let patch = AccountPatch {
        name: body.name,
        locale: body.locale,
        domain: body.domain,
        support_email: body.support_email,
        status: body.status,
        limits: body.limits,
        custom_attributes: body.custom_attributes,
        features,
    };
    let done =
        accounts::update(&state.commands, &request_id.context(app.actor()), AccountId(id), patch).await?;
    state.settle(done.position).await?;
    render(&state, id).await
}

/// `DELETE /platform/api/v1/accounts/{id}` — 200 with an empty body.
#[utoipa::path(delete, path = "/platform/api/v1/accounts/{id}", tag = "Platform",
    security(("api_access_token" = [])), params(("id" = i64, Path)),
    responses((status = 200), (status = 401, body = ErrorBody), (status = 404)))]
pub async fn destroy(
    State(state): State<AppState>,
    app: PlatformApp,
    Ids(id): Ids<i64>,
    request_id: RequestId,
) -> ApiResult<StatusCode> {
    permitted_account(&state, &app, id).await?;
    let done = accounts::delete(&state.commands, &request_id.context(app.actor()), AccountId(id)).await?;
    state.settle(done.position).await?;
    Ok(StatusCode::OK)
}
