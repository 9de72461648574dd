//! Rate limit of the public Client API per client IP (the upstream has
//! none; OneLink damps enumeration of source ids and floods). GCRA through
//! `governor`, like the login limits: per node, in memory; loopback exempt
//! by default (`--client-limit-loopback` turns that off, tests do).

use crate::error::ApiError;
use crate::login::limiter::{ip_key, Limit, LimiterClock};
use crate::login::ClientIp;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use governor::clock::Clock;
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::HashMapStateStore;
use governor::RateLimiter;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Client API limit settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientLimits {
    pub per_ip: Limit,
    pub exempt_loopback: bool,
}

impl Default for ClientLimits {
    fn default() -> Self {
        Self { per_ip: Limit { attempts: 300, period: Duration::from_secs(60) }, exempt_loopback: true }
    }
}

type Keyed = RateLimiter<IpAddr, HashMapStateStore<IpAddr>, LimiterClock, NoOpMiddleware<Duration>>;

pub struct ClientLimiter {
    per_ip: Keyed,
    clock: LimiterClock,
    exempt_loopback: bool,
    checks: AtomicU64,
}

impl ClientLimiter {
    pub fn new(limits: &ClientLimits) -> anyhow::Result<Self> {
        let clock = LimiterClock::default();
        Ok(Self {
            per_ip: RateLimiter::new(limits.per_ip.quota()?, HashMapStateStore::default(), clock.clone()),
            clock,
            exempt_loopback: limits.exempt_loopback,
            checks: AtomicU64::new(0),
        })
    }

    /// Counts one request; `Err` carries how long until the next is allowed.
    pub fn check(&self, ip: IpAddr) -> Result<(), Duration> {
        if self.exempt_loopback && ip.is_loopback() {
            return Ok(());
        }
        if self.checks.fetch_add(1, Ordering::Relaxed) % 1024 == 1023 {
            self.per_ip.retain_recent();
        }
        let now = self.clock.now();
        self.per_ip.check_key(&ip_key(ip)).map_err(|not_until| not_until.wait_time_from(now))
    }
}

/// Counts the request against the caller's allowance (every Client API
/// handler takes one); over the limit → 429 with `Retry-After`.
pub struct Throttled;

impl FromRequestParts<AppState> for Throttled {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Ok(ip) = ClientIp::from_request_parts(parts, state).await;
        state
            .client_limiter
            .check(ip.0)
            .map(|()| Throttled)
            .map_err(|wait| ApiError::TooManyRequests { retry_after_secs: wait.as_secs().max(1) })
    }
}
