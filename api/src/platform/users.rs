//! `/platform/api/v1/users`

use super::json::{ErrorBody, PlatformUser, ValidationErrorBody};
use crate::dto::nullable;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Ids, PlatformApp, RequestBody};
use crate::state::{AppState, RequestId};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use onelink_commands::users::{self, UserInput};
use onelink_domain::ids::UserId;
use onelink_domain::platform_app::PermissibleType;
use onelink_projections::platform::accounts::accounts_of_user;
use onelink_projections::platform::users as user_rows;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
pub struct UserRequest {
    name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    display_name: Option<Option<String>>,
    email: Option<String>,
    password: Option<String>,
    /// Merged into the user's existing attributes on update.
    #[schema(value_type = Option<Object>)]
    custom_attributes: Option<Map<String, Value>>,
}

impl RequestBody for UserRequest {
    const ROOT: Option<&'static str> = Some("user");
}

impl From<UserRequest> for UserInput {
    fn from(r: UserRequest) -> Self {
        UserInput {
            name: r.name,
            display_name: r.display_name,
            email: r.email,
            password: r.password,
            custom_attributes: r.custom_attributes,
        }
    }
}

async fn permitted_user(state: &AppState, app: &PlatformApp, id: i64) -> ApiResult<user_rows::UserRow> {
    let user = user_rows::find(&state.pool, id).await?.ok_or(ApiError::NotFound)?;
    app.ensure_permitted(state, PermissibleType::User, id).await?;
    Ok(user)
}

pub async fn render_user(state: &AppState, user: user_rows::UserRow) -> ApiResult<PlatformUser> {
    let accounts = accounts_of_user(&state.pool, user.id).await?;
    Ok(PlatformUser::new(state, user, accounts))
}

async fn render_by_id(state: &AppState, id: i64) -> ApiResult<Json<PlatformUser>> {
    let user = user_rows::find(&state.pool, id).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(render_user(state, user).await?))
}

/// `POST /platform/api/v1/users` — creates a confirmed user; with the e-mail
/// of an existing user, returns that user unchanged and grants it.
#[utoipa::path(post, path = "/platform/api/v1/users", tag = "Platform",
    security(("api_access_token" = [])), request_body = UserRequest,
    responses((status = 200, body = PlatformUser), (status = 401, body = ErrorBody),
              (status = 422, body = ValidationErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    app: PlatformApp,
    request_id: RequestId,
    ApiJson(body): ApiJson<UserRequest>,
) -> ApiResult<Json<PlatformUser>> {
    let ctx = request_id.context(app.actor());
    let done = users::create(&state.commands, &ctx, body.into()).await?;
    if matches!(done.value, users::Created::Existing(_)) {
        tracing::info!(
            platform_app.id = app.id,
            user.id = done.value.id().0,
            "platform app claimed an existing user"
        );
    }
    state.settle(done.position).await?;
    render_by_id(&state, done.value.id().0).await
}

/// `GET /platform/api/v1/users/{id}`
#[utoipa::path(get, path = "/platform/api/v1/users/{id}", tag = "Platform",
    security(("api_access_token" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = PlatformUser), (status = 401, body = ErrorBody), (status = 404)))]
pub async fn show(
    State(state): State<AppState>,
    app: PlatformApp,
    Ids(id): Ids<i64>,
) -> ApiResult<Json<PlatformUser>> {
    let user = permitted_user(&state, &app, id).await?;
    Ok(Json(render_user(&state, user).await?))
}

/// `PATCH|PUT /platform/api/v1/users/{id}`
#[utoipa::path(method(patch, put), path = "/platform/api/v1/users/{id}", tag = "Platform",
    security(("api_access_token" = [])), params(("id" = i64, Path)), request_body = UserRequest,
    responses((status = 200, body = PlatformUser), (status = 401, body = ErrorBody), (status = 404),
              (status = 422, body = ValidationErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    app: PlatformApp,
    Ids(id): Ids<i64>,
    request_id: RequestId,
    ApiJson(body): ApiJson<UserRequest>,
) -> ApiResult<Json<PlatformUser>> {
    permitted_user(&state, &app, id).await?;
    let done =
        users::update(&state.commands, &request_id.context(app.actor()), UserId(id), body.into()).await?;
    state.settle(done.position).await?;
    render_by_id(&state, id).await
}

/// `DELETE /platform/api/v1/users/{id}` — 200 with an empty body.
#[utoipa::path(delete, path = "/platform/api/v1/users/{id}", tag = "Platform",
    security(("api_access_token" = [])), params(("id" = i64, Path)),
    responses((status = 200), (status = 401, body = ErrorBody), (status = 404)))]
pub async fn destroy(
    State(state): State<AppState>,
    app: PlatformApp,
    Ids(id): Ids<i64>,
    request_id: RequestId,
) -> ApiResult<StatusCode> {
    permitted_user(&state, &app, id).await?;
    let done = users::delete(&state.commands, &request_id.context(app.actor()), UserId(id)).await?;
    state.settle(done.position).await?;
    Ok(StatusCode::OK)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoginLink {
    url: String,
}

/// `GET /platform/api/v1/users/{id}/login` — a single-use dashboard login
/// link, valid five minutes.
#[utoipa::path(get, path = "/platform/api/v1/users/{id}/login", tag = "Platform",
    security(("api_access_token" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = LoginLink), (status = 401, body = ErrorBody), (status = 404)))]
pub async fn login(
    State(state): State<AppState>,
    app: PlatformApp,
    Ids(id): Ids<i64>,
    request_id: RequestId,
) -> ApiResult<Json<LoginLink>> {
    let user = permitted_user(&state, &app, id).await?;
    let ctx = request_id.context(app.actor());
    let done = users::issue_sso_token(&state.commands, &ctx, UserId(id), chrono::Utc::now()).await?;
    let email: String = url::form_urlencoded::byte_serialize(user.email.as_bytes()).collect();
    let base = state.settings.frontend_url.trim_end_matches('/');
    Ok(Json(LoginLink { url: format!("{base}/app/login?email={email}&sso_auth_token={}", done.value) }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenUser {
    id: i64,
    name: String,
    display_name: Option<String>,
    email: String,
    pubsub_token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserToken {
    access_token: String,
    expiry: Option<String>,
    user: TokenUser,
}

/// `POST /platform/api/v1/users/{id}/token` — the user's API token.
#[utoipa::path(post, path = "/platform/api/v1/users/{id}/token", tag = "Platform",
    security(("api_access_token" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = UserToken), (status = 401, body = ErrorBody), (status = 404)))]
pub async fn token(
    State(state): State<AppState>,
    app: PlatformApp,
    Ids(id): Ids<i64>,
) -> ApiResult<Json<UserToken>> {
    let user = permitted_user(&state, &app, id).await?;
    Ok(Json(UserToken {
        access_token: state.reveal(&user.access_token_sealed),
        expiry: None,
        user: TokenUser {
            id: user.id,
            name: user.name,
            display_name: user.display_name,
            email: user.email,
            pubsub_token: state.reveal(&user.pubsub_token_sealed),
        },
    }))
}
