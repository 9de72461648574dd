//! Rate limits for password logins, with the upstream's numbers as
//! defaults (rack-attack: 5 attempts per 5 minutes per IP, 10 per 15
//! minutes per e-mail; loopback exempt).
//!
//! Built on `governor` (GCRA): a limit of N attempts per period allows a
//! burst of N, then one more attempt every period / N. Like rack-attack,
//! the 6th attempt from one IP within the window is refused; unlike a fixed
//! window, the allowance comes back gradually instead of all at once, so
//! there is no double burst at a window's edge. Refused attempts do not use
//! up the allowance. State is per node and in memory: limits reset on
//! restart, and N nodes allow N times the attempts (documented in
//! docs/ARCHITECTURE.md).
//!
//! The clock is injectable ([`LimiterClock::advance`]) so tests can cross a
//! window without sleeping.

use governor::clock::Clock;
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::HashMapStateStore;
use governor::{Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// N attempts per period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub attempts: u32,
    pub period: Duration,
}

impl Limit {
    pub(crate) fn quota(self) -> anyhow::Result<Quota> {
        let burst =
            NonZeroU32::new(self.attempts).ok_or_else(|| anyhow::anyhow!("a limit needs attempts"))?;
        Quota::with_period(self.period / self.attempts)
            .map(|q| q.allow_burst(burst))
            .ok_or_else(|| anyhow::anyhow!("a limit needs a period"))
    }
}

/// Login rate-limit settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginLimits {
    pub per_ip: Limit,
    pub per_email: Limit,
    /// Loopback clients are not limited (the upstream's safelist). Tests
    /// turn this off, or no limit would ever trigger.
    pub exempt_loopback: bool,
    /// Peers whose `X-Forwarded-For` is believed. Empty: the header is
    /// ignored and the socket peer is the client.
    pub trusted_proxies: Vec<IpAddr>,
}

impl Default for LoginLimits {
    fn default() -> Self {
        Self {
            per_ip: Limit { attempts: 5, period: Duration::from_secs(5 * 60) },
            per_email: Limit { attempts: 10, period: Duration::from_secs(15 * 60) },
            exempt_loopback: true,
            trusted_proxies: Vec::new(),
        }
    }
}

/// Monotonic time plus a shared offset that tests may move forward.
#[derive(Debug, Clone)]
pub struct LimiterClock {
    origin: Instant,
    offset_nanos: Arc<AtomicU64>,
}

impl Default for LimiterClock {
    fn default() -> Self {
        Self { origin: Instant::now(), offset_nanos: Arc::new(AtomicU64::new(0)) }
    }
}

impl LimiterClock {
    /// Moves this clock (and every clone of it) forward.
    pub fn advance(&self, by: Duration) {
        let nanos = u64::try_from(by.as_nanos()).unwrap_or(u64::MAX);
        self.offset_nanos.fetch_add(nanos, Ordering::SeqCst);
    }
}

impl Clock for LimiterClock {
    type Instant = Duration;

    fn now(&self) -> Duration {
        self.origin.elapsed() + Duration::from_nanos(self.offset_nanos.load(Ordering::SeqCst))
    }
}

type Keyed<K> = RateLimiter<K, HashMapStateStore<K>, LimiterClock, NoOpMiddleware<Duration>>;

/// Keys idle long enough to be indistinguishable from fresh ones are
/// dropped every this many checks, so the maps stay bounded.
const SWEEP_EVERY: u64 = 1024;
/// Longest e-mail key kept (longer input is cut; RFC 5321 allows 254).
const EMAIL_KEY_MAX: usize = 320;

pub struct LoginLimiter {
    per_ip: Keyed<IpAddr>,
    per_email: Keyed<String>,
    clock: LimiterClock,
    exempt_loopback: bool,
    checks: AtomicU64,
}

impl std::fmt::Debug for LoginLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginLimiter").field("exempt_loopback", &self.exempt_loopback).finish_non_exhaustive()
    }
}

impl LoginLimiter {
    pub fn new(limits: &LoginLimits) -> anyhow::Result<Self> {
        let clock = LimiterClock::default();
        Ok(Self {
            per_ip: RateLimiter::new(limits.per_ip.quota()?, HashMapStateStore::default(), clock.clone()),
            per_email: RateLimiter::new(
                limits.per_email.quota()?,
                HashMapStateStore::default(),
                clock.clone(),
            ),
            clock,
            exempt_loopback: limits.exempt_loopback,
            checks: AtomicU64::new(0),
        })
    }

    pub fn clock(&self) -> &LimiterClock {
        &self.clock
    }

    /// Counts one attempt from `ip` for `email`; `Err` carries how long
    /// until the next attempt would be allowed.
    pub fn check(&self, ip: IpAddr, email: Option<&str>) -> Result<(), Duration> {
        if self.exempt_loopback && ip.is_loopback() {
            return Ok(());
        }
        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            self.per_ip.retain_recent();
            self.per_email.retain_recent();
        }
        let now = self.clock.now();
        self.per_ip.check_key(&ip_key(ip)).map_err(|not_until| not_until.wait_time_from(now))?;
        if let Some(key) = email.map(email_key).filter(|k| !k.is_empty()) {
            self.per_email.check_key(&key).map_err(|not_until| not_until.wait_time_from(now))?;
        }
        Ok(())
    }
}

/// IPv6 clients are limited per /64 (one subscriber's usual allocation),
/// or rotating addresses would lift the limit.
pub(crate) fn ip_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(bits.into())
        }
        v4 => v4,
    }
}

/// The upstream's key: lower-cased, whitespace removed.
fn email_key(email: &str) -> String {
    email.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).take(EMAIL_KEY_MAX).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(exempt_loopback: bool) -> LoginLimiter {
        LoginLimiter::new(&LoginLimits { exempt_loopback, ..LoginLimits::default() }).unwrap()
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_sixth_attempt_from_one_ip_waits_and_the_allowance_comes_back() {
        let l = limiter(true);
        for n in 0..5 {
            assert_eq!(l.check(ip("203.0.113.9"), Some(&format!("u{n}@x.test"))), Ok(()));
        }
        let wait = l.check(ip("203.0.113.9"), Some("other@x.test")).unwrap_err();
        assert!(wait > Duration::from_secs(50) && wait <= Duration::from_secs(60), "{wait:?}");
        assert_eq!(l.check(ip("203.0.113.10"), Some("other@x.test")), Ok(()), "another IP is not limited");
        l.clock().advance(Duration::from_secs(60));
        assert_eq!(l.check(ip("203.0.113.9"), None), Ok(()));
        assert!(l.check(ip("203.0.113.9"), None).is_err());
        l.clock().advance(Duration::from_secs(5 * 60));
        for _ in 0..5 {
            assert_eq!(l.check(ip("203.0.113.9"), None), Ok(()));
        }
    }

    #[test]
    fn the_eleventh_attempt_for_one_email_waits_whatever_the_ip() {
        let l = limiter(true);
        for n in 0..10 {
            assert_eq!(l.check(ip(&format!("198.51.100.{n}")), Some(" Ann@Example.COM ")), Ok(()));
        }
        let wait = l.check(ip("198.51.100.200"), Some("ann@example.com")).unwrap_err();
        assert!(wait <= Duration::from_secs(90), "{wait:?}");
        assert_eq!(l.check(ip("198.51.100.201"), Some("bob@example.com")), Ok(()));
    }

    #[test]
    fn loopback_is_exempt_unless_turned_off() {
        let exempt = limiter(true);
        let strict = limiter(false);
        for _ in 0..20 {
            assert_eq!(exempt.check(ip("127.0.0.1"), Some("a@x.test")), Ok(()));
            assert_eq!(exempt.check(ip("::1"), Some("a@x.test")), Ok(()));
        }
        for _ in 0..5 {
            assert_eq!(strict.check(ip("127.0.0.1"), None), Ok(()));
        }
        assert!(strict.check(ip("127.0.0.1"), None).is_err());
    }

    #[test]
    fn ipv6_clients_share_their_64_prefix_and_mapped_ipv4_is_ipv4() {
        assert_eq!(ip_key(ip("2001:db8:1:2:aaaa::1")), ip_key(ip("2001:db8:1:2:bbbb::9")));
        assert_ne!(ip_key(ip("2001:db8:1:2::1")), ip_key(ip("2001:db8:1:3::1")));
        assert_eq!(ip_key(ip("::ffff:192.0.2.1")), ip("192.0.2.1"));
    }

    #[test]
    fn a_limit_needs_attempts_and_a_period() {
        let zero = Limit { attempts: 0, period: Duration::from_secs(1) };
        assert!(LoginLimiter::new(&LoginLimits { per_ip: zero, ..LoginLimits::default() }).is_err());
        let instant = Limit { attempts: 1, period: Duration::ZERO };
        assert!(LoginLimiter::new(&LoginLimits { per_email: instant, ..LoginLimits::default() }).is_err());
    }
}
