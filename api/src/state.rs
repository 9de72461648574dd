//! Shared application state and read-your-writes.

use crate::error::{ApiError, ApiResult};
use crate::login::limiter::LoginLimits;
use crate::login::Auth;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use onelink_commands::secrets::SecretBox;
use onelink_commands::{CommandContext, Commands, LogPosition};
use onelink_domain::Actor;
use onelink_projections::Projections;
use sqlx::PgPool;
use std::sync::Arc;
use std::time::Duration;

/// Runtime settings handlers need.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Base URL of the dashboard, for SSO links.
    pub frontend_url: String,
    /// Shown as an account's `support_email` when it has none.
    pub mailer_sender_email: String,
    /// Longest a write waits for its read models before answering.
    pub settle_timeout: Duration,
    /// Messages a conversation accepts per minute (upstream
    /// `CONVERSATION_MESSAGE_PER_MINUTE_LIMIT`, a guard against automation
    /// loops).
    pub flood_limit_per_minute: usize,
    /// Lifetime of the JWTs `POST /authentication/login_check` issues (at
    /// most one hour).
    pub jwt_ttl: Duration,
    /// Rate limits of password logins.
    pub login_limits: LoginLimits,
    /// Rate limit of the public Client API.
    pub client_limits: crate::client::limit::ClientLimits,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            frontend_url: "http://localhost:3000".into(),
            mailer_sender_email: "OneLink <accounts@onelink.localhost>".into(),
            settle_timeout: Duration::from_secs(10),
            flood_limit_per_minute: onelink_domain::conversation::DEFAULT_FLOOD_LIMIT,
            jwt_ttl: Duration::from_secs(crate::jwt::MAX_TTL_SECS),
            login_limits: LoginLimits::default(),
            client_limits: crate::client::limit::ClientLimits::default(),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub commands: Commands,
    pub projections: Projections,
    pub settings: Arc<Settings>,
    /// JWT keys and login rate limits.
    pub auth: Arc<Auth>,
    /// This node's websocket subscriptions.
    pub realtime: Arc<crate::realtime::Hub>,
    pub client_limiter: Arc<crate::client::limit::ClientLimiter>,
    /// Uploaded files.
    pub blobs: Arc<dyn crate::blobs::BlobStore>,
    /// Signs and checks download URLs.
    pub blob_urls: Arc<crate::blobs::BlobUrls>,
    pub blob_config: Arc<crate::blobs::BlobConfig>,
}

impl AppState {
    /// Waits until the read models include the write at `position`.
    pub async fn settle(&self, position: Option<LogPosition>) -> ApiResult<()> {
        let Some(position) = position else { return Ok(()) };
        self.projections
            .wait_for(position, self.settings.settle_timeout)
            .await
            .map_err(|e| ApiError::Unavailable(format!("The change was saved but is not visible yet ({e})")))
    }

    pub fn secrets(&self) -> &SecretBox {
        &self.commands.secrets
    }

    /// Reveals a sealed token ("" if it cannot be opened, e.g. after a key
    /// change — the token then has to be rotated).
    pub fn reveal(&self, sealed: &str) -> String {
        self.secrets().open(sealed).unwrap_or_default()
    }
}

/// The request id (`x-request-id`, set by the request-id layer), recorded on
/// every event a request causes, and the time the request fixes (see
/// [`crate::clock`]; `None` means now).
#[derive(Debug, Clone)]
pub struct RequestId(pub Option<String>, pub Option<chrono::DateTime<chrono::Utc>>);

impl<S: Send + Sync> FromRequestParts<S> for RequestId {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let id = parts.headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
        Ok(RequestId(id, crate::clock::requested_time(&parts.headers)))
    }
}

impl RequestId {
    pub fn context(&self, actor: Actor) -> CommandContext {
        CommandContext::new(actor, self.0.clone()).at(self.1)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_flood_limit_defaults_to_the_upstreams() {
        assert_eq!(super::Settings::default().flood_limit_per_minute, 200);
    }
}
