//! Connected-accounts API authentication: `Authorization: Bearer <JWT>`
//! from `POST /authentication/login_check`, in LexikJWT's wording —
//! "JWT Token not found", "Expired JWT Token" (only for an otherwise valid
//! token) and "Invalid JWT Token" for everything else, including a user
//! who no longer exists or whose password changed since the token was
//! issued.

use crate::error::ApiError;
use crate::jwt::{session_version, JwtError};
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use onelink_projections::platform::users::{self, UserRow};

pub const TOKEN_NOT_FOUND: &str = "JWT Token not found";
pub const INVALID_TOKEN: &str = "Invalid JWT Token";
pub const EXPIRED_TOKEN: &str = "Expired JWT Token";

/// The user a valid bearer JWT names.
#[derive(Debug, Clone)]
pub struct JwtUser {
    pub user: UserRow,
}

/// The token of an `Authorization: Bearer …` header (scheme case-insensitive).
fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

impl FromRequestParts<AppState> for JwtUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(parts).ok_or_else(|| ApiError::Unauthenticated(TOKEN_NOT_FOUND.into()))?;
        let invalid = || ApiError::Unauthenticated(INVALID_TOKEN.into());
        let claims = state.auth.jwt.verify(token).map_err(|e| match e {
            JwtError::Expired => ApiError::Unauthenticated(EXPIRED_TOKEN.into()),
            JwtError::Invalid => invalid(),
        })?;
        let id: i64 = claims.sub.parse().map_err(|_| invalid())?;
        let user = users::find(&state.pool, id).await?.ok_or_else(invalid)?;
        if session_version(user.password_hash.as_deref()) != claims.sv {
            return Err(invalid());
        }
        Ok(JwtUser { user })
    }
}
