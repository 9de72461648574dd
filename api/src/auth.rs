//! `POST /auth/sign_in` — dashboard sign-in with a single sign-on token from
//! the Platform API's login link. (Password sign-in is not built yet.)

use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, RequestBody};
use crate::platform::render_user;
use crate::platform::PlatformUser;
use crate::state::{AppState, RequestId};
use axum::extract::State;
use axum::Json;
use onelink_commands::users;
use onelink_domain::Actor;
use onelink_projections::platform::users as user_rows;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(Debug, Deserialize, ToSchema)]
pub struct SignInRequest {
    email: Option<String>,
    sso_auth_token: Option<String>,
}

impl RequestBody for SignInRequest {}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignedIn {
    data: PlatformUser,
}

/// `POST /auth/sign_in` — spends a single-use SSO token.
#[utoipa::path(post, path = "/auth/sign_in", tag = "Authentication", request_body = SignInRequest,
    responses((status = 200, body = SignedIn), (status = 401)))]
pub async fn sign_in(
    State(state): State<AppState>,
    request_id: RequestId,
    ApiJson(body): ApiJson<SignInRequest>,
) -> ApiResult<Json<SignedIn>> {
    let invalid = || ApiError::Unauthenticated("Invalid login credentials. Please try again.".into());
    let (Some(email), Some(token)) = (body.email, body.sso_auth_token) else {
        return Err(invalid());
    };
    let ctx = request_id.context(Actor::System);
    let done = users::consume_sso_token(&state.commands, &ctx, &email, &token, chrono::Utc::now()).await?;
    state.settle(done.position).await?;
    let user = user_rows::find(&state.pool, done.value.0).await?.ok_or_else(invalid)?;
    Ok(Json(SignedIn { data: render_user(&state, user).await? }))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(sign_in))
}
