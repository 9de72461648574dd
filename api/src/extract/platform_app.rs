//! Platform API authentication: the `api_access_token` header must carry a
//! platform app's token (user and bot tokens are refused).

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use onelink_commands::secrets::digest;
use onelink_domain::platform_app::PermissibleType;
use onelink_projections::platform::platform_apps;

pub const TOKEN_HEADER: &str = "api_access_token";
const INVALID: &str = "Invalid access_token";
const NOT_PERMISSIBLE: &str = "Non permissible resource";

/// The calling platform app.
#[derive(Debug, Clone)]
pub struct PlatformApp {
    pub id: i64,
    pub name: String,
}

/// The token of a request: the `api_access_token` header, or its
/// `HTTP_API_ACCESS_TOKEN` spelling, as upstream accepts.
pub fn access_token(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(TOKEN_HEADER)
        .or_else(|| parts.headers.get("http_api_access_token"))
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

impl FromRequestParts<AppState> for PlatformApp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = access_token(parts).ok_or_else(|| ApiError::Unauthenticated(INVALID.into()))?;
        let app = platform_apps::find_by_token(&state.pool, &digest(token))
            .await?
            .ok_or_else(|| ApiError::Unauthenticated(INVALID.into()))?;
        Ok(PlatformApp { id: app.id, name: app.name })
    }
}

impl PlatformApp {
    /// The permissible rule: 401 unless the object was created by, or
    /// granted to, this app. Call after the object is known to exist.
    pub async fn ensure_permitted(
        &self,
        state: &AppState,
        kind: PermissibleType,
        id: i64,
    ) -> Result<(), ApiError> {
        if platform_apps::is_permitted(&state.pool, self.id, kind, id).await? {
            Ok(())
        } else {
            Err(ApiError::NotPermitted(NOT_PERMISSIBLE.into()))
        }
    }

    pub fn actor(&self) -> onelink_domain::Actor {
        onelink_domain::Actor::PlatformApp(self.id)
    }
}
