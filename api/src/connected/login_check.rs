//! `POST /authentication/login_check` — LexikJWT's login: e-mail (or its
//! `username` alias) and password in, `{"token": <JWT>}` out. Bad
//! credentials are 401 `{"code":401,"message":"Invalid credentials."}`
//! whatever was wrong; attempts are rate-limited (see `crate::login`).

use crate::error::{ApiError, ApiResult};
use crate::extract::RawBody;
use crate::jwt::{now_secs, session_version};
use crate::login::{password_login, too_many_requests, ClientIp, LoginError};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

pub const INVALID_CREDENTIALS: &str = "Invalid credentials.";

/// The body, for the OpenAPI document (the handler reads it field by
/// field to answer in Lexik's wording).
#[derive(ToSchema)]
#[expect(dead_code, reason = "documents the request body only")]
pub struct LoginRequest {
    /// Also accepted as `username` (Lexik's default field name).
    email: String,
    password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// HS256 JWT: `sub` (user id), `email`, `iat`, `exp`, `iss`, `aud`.
    token: String,
}

/// A string field, in Lexik's wording when it is missing or not a string.
fn field<'a>(body: &'a serde_json::Map<String, Value>, keys: &[&str]) -> ApiResult<&'a str> {
    let value = keys.iter().find_map(|k| body.get(*k));
    let name = keys.first().copied().unwrap_or_default();
    match value {
        None => Err(ApiError::BadRequest(format!("The key \"{name}\" must be provided."))),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(ApiError::BadRequest(format!("The key \"{name}\" must be a string."))),
    }
}

/// `POST /authentication/login_check` — exchanges e-mail and password for a JWT.
#[utoipa::path(post, path = "/authentication/login_check", tag = "Connected accounts",
    request_body = LoginRequest,
    responses((status = 200, body = TokenResponse), (status = 400), (status = 401),
              (status = 429, description = "Too many login attempts; see Retry-After")))]
pub async fn login_check(
    State(state): State<AppState>,
    ip: ClientIp,
    RawBody(body): RawBody,
) -> ApiResult<Json<TokenResponse>> {
    let body = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(map)) => map,
        _ => return Err(ApiError::BadRequest("Invalid JSON.".into())),
    };
    let email = field(&body, &["email", "username"])?;
    let password = field(&body, &["password"])?;
    let user = password_login(&state, ip, email, password).await.map_err(|e| match e {
        LoginError::Throttled(wait) => too_many_requests(wait),
        LoginError::InvalidCredentials => ApiError::Unauthenticated(INVALID_CREDENTIALS.into()),
        LoginError::Failed(e) => e,
    })?;
    let sv = session_version(user.password_hash.as_deref());
    let token = state.auth.jwt.issue(user.id, &user.email, sv, now_secs())?;
    Ok(Json(TokenResponse { token }))
}
