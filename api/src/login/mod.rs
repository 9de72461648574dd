//! Password logins, shared by `POST /authentication/login_check` (JWT)
//! and `POST /auth/sign_in` (dashboard): the rate limits, the look-up by
//! e-mail and the Argon2id check (on the blocking pool). Both endpoints
//! draw on one allowance, so alternating between them gains nothing.
//!
//! Unknown e-mails, users without a password and wrong passwords are one
//! and the same failure, and an unknown e-mail still costs one Argon2id
//! verification, so neither the answer nor its timing tells them apart.

pub mod client_ip;
pub mod limiter;

use crate::error::ApiError;
use crate::jwt::JwtKeys;
use crate::state::{AppState, Settings};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use limiter::LoginLimiter;
use onelink_projections::platform::users::{self, UserRow};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;
use tokio::sync::OnceCell;

/// The installation's authentication services.
#[derive(Debug)]
pub struct Auth {
    pub jwt: JwtKeys,
    pub limiter: LoginLimiter,
    trusted_proxies: Vec<IpAddr>,
    /// A hash to verify against when the e-mail is unknown.
    decoy: OnceCell<String>,
}

impl Auth {
    pub fn new(secret: &str, settings: &Settings) -> anyhow::Result<Self> {
        Ok(Self {
            jwt: JwtKeys::new(secret, settings.jwt_ttl)?,
            limiter: LoginLimiter::new(&settings.login_limits)?,
            trusted_proxies: settings.login_limits.trusted_proxies.clone(),
            decoy: OnceCell::new(),
        })
    }
}

/// The client's address for rate limiting (see [`client_ip::client_ip`]).
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // Served with connect info; without it (an in-process call) the
        // client is "unspecified", which is limited like any other.
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        Ok(ClientIp(client_ip::client_ip(peer, &parts.headers, &state.auth.trusted_proxies)))
    }
}

/// Why a password login failed.
#[derive(Debug)]
pub enum LoginError {
    /// Over a rate limit; retry after this long.
    Throttled(Duration),
    InvalidCredentials,
    Failed(ApiError),
}

impl From<sqlx::Error> for LoginError {
    fn from(e: sqlx::Error) -> Self {
        LoginError::Failed(e.into())
    }
}

/// Counts one login attempt against the limits (any kind of attempt).
pub fn throttle(state: &AppState, ip: ClientIp, email: Option<&str>) -> Result<(), LoginError> {
    state.auth.limiter.check(ip.0, email).map_err(LoginError::Throttled)
}

/// The 429 a throttled attempt gets (`Retry-After` rounded up, at least 1).
pub fn too_many_requests(wait: Duration) -> ApiError {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    ApiError::TooManyRequests { retry_after_secs: secs.max(1) }
}

/// Counts the attempt, then checks `email` / `password`.
pub async fn password_login(
    state: &AppState,
    ip: ClientIp,
    email: &str,
    password: &str,
) -> Result<UserRow, LoginError> {
    throttle(state, ip, Some(email))?;
    verify_credentials(state, email, password).await
}

/// Checks `email` / `password` (for an attempt already counted).
pub async fn verify_credentials(
    state: &AppState,
    email: &str,
    password: &str,
) -> Result<UserRow, LoginError> {
    let email = onelink_domain::user::normalize_email(email);
    let user = users::find_by_email(&state.pool, &email).await?;
    let hasher = &state.commands.passwords;
    match user {
        Some(user) if user.password_hash.is_some() => {
            let hash = user.password_hash.clone().unwrap_or_default();
            if hasher.verify(hash, password.to_owned()).await {
                Ok(user)
            } else {
                Err(LoginError::InvalidCredentials)
            }
        }
        _ => {
            let decoy = state
                .auth
                .decoy
                .get_or_try_init(|| hasher.hash("onelink decoy password".into()))
                .await
                .map_err(|e| LoginError::Failed(e.into()))?;
            hasher.verify(decoy.clone(), password.to_owned()).await;
            Err(LoginError::InvalidCredentials)
        }
    }
}
