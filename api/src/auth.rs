//! `POST /auth/sign_in` — dashboard sign-in, with a password or with a
//! single sign-on token from the Platform API's login link.
//!
//! Like the upstream (`DeviseOverrides::SessionsController`), a valid SSO
//! token signs in; otherwise the e-mail and password are checked. Every
//! attempt counts against the login rate limits (shared with
//! `POST /authentication/login_check`). Failures are devise_token_auth's
//! 401 `{"success": false, "errors": ["Invalid login credentials. Please try again."]}`.

use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, RequestBody};
use crate::login::{password_login, throttle, too_many_requests, verify_credentials, ClientIp, LoginError};
use crate::platform::render_user;
use crate::platform::PlatformUser;
use crate::state::{AppState, RequestId};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use onelink_commands::{users, CommandError};
use onelink_domain::Actor;
use onelink_projections::platform::users as user_rows;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub const BAD_CREDENTIALS: &str = "Invalid login credentials. Please try again.";

#[derive(Debug, Deserialize, ToSchema)]
pub struct SignInRequest {
    email: Option<String>,
    password: Option<String>,
    sso_auth_token: Option<String>,
}

impl RequestBody for SignInRequest {}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignedIn {
    data: PlatformUser,
}

/// devise_token_auth's error body.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignInFailed {
    success: bool,
    errors: Vec<String>,
}

/// A failed sign-in: bad credentials in devise's shape, anything else as
/// the API error it is.
pub enum SignInError {
    BadCredentials,
    Api(ApiError),
}

impl<E: Into<ApiError>> From<E> for SignInError {
    fn from(e: E) -> Self {
        SignInError::Api(e.into())
    }
}

impl From<LoginError> for SignInError {
    fn from(e: LoginError) -> Self {
        match e {
            LoginError::Throttled(wait) => SignInError::Api(too_many_requests(wait)),
            LoginError::InvalidCredentials => SignInError::BadCredentials,
            LoginError::Failed(e) => SignInError::Api(e),
        }
    }
}

impl IntoResponse for SignInError {
    fn into_response(self) -> Response {
        match self {
            SignInError::BadCredentials => {
                (StatusCode::UNAUTHORIZED, Json(json!({ "success": false, "errors": [BAD_CREDENTIALS] })))
                    .into_response()
            }
            SignInError::Api(e) => e.into_response(),
        }
    }
}

/// `POST /auth/sign_in` — signs in with `email` + `password`, or spends a
/// single-use `sso_auth_token`.
#[utoipa::path(post, path = "/auth/sign_in", tag = "Authentication", request_body = SignInRequest,
    responses((status = 200, body = SignedIn), (status = 401, body = SignInFailed),
              (status = 429, description = "Too many sign-in attempts; see Retry-After")))]
pub async fn sign_in(
    State(state): State<AppState>,
    ip: ClientIp,
    request_id: RequestId,
    ApiJson(body): ApiJson<SignInRequest>,
) -> Result<Json<SignedIn>, SignInError> {
    let email = body.email.unwrap_or_default();
    let user = match body.sso_auth_token.filter(|t| !t.is_empty()) {
        Some(token) => {
            throttle(&state, ip, Some(&email))?;
            match sso(&state, &request_id, &email, &token).await? {
                Some(user) => user,
                // a bad token falls back to the password (counted above)
                None => {
                    let password = body.password.ok_or(SignInError::BadCredentials)?;
                    verify_credentials(&state, &email, &password).await?
                }
            }
        }
        None => {
            let Some(password) = body.password else {
                throttle(&state, ip, Some(&email))?;
                return Err(SignInError::BadCredentials);
            };
            password_login(&state, ip, &email, &password).await?
        }
    };
    Ok(Json(SignedIn { data: render_user(&state, user).await? }))
}

/// The user the SSO token signs in, or `None` if it does not.
async fn sso(
    state: &AppState,
    request_id: &RequestId,
    email: &str,
    token: &str,
) -> ApiResult<Option<user_rows::UserRow>> {
    let ctx = request_id.context(Actor::System);
    let done = match users::consume_sso_token(&state.commands, &ctx, email, token, chrono::Utc::now()).await {
        Ok(done) => done,
        Err(CommandError::Unauthenticated(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    state.settle(done.position).await?;
    Ok(user_rows::find(&state.pool, done.value.0).await?)
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(sign_in))
}
