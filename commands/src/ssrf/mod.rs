//! The SSRF guard for outgoing webhook calls: one policy used when a
//! webhook URL is created or changed and again at every delivery.
//!
//! - Syntax: an absolute `http`/`https` URL of at most 2048 characters,
//!   parsed with the WHATWG parser (`url`), so the odd IPv4 spellings
//!   (`2130706433`, `0x7f000001`, `0177.0.0.1`, `127.1`) become the address
//!   they mean; no user name or password.
//! - Addresses: loopback, private, CGNAT, link-local (cloud metadata),
//!   unspecified, multicast, reserved and documentation ranges, IPv6
//!   loopback / ULA / link-local and IPv4-mapped forms are refused unless
//!   an allowlisted CIDR contains them. `localhost` names are loopback
//!   without asking DNS (RFC 6761).
//! - Names are resolved and *every* address must pass. At delivery the
//!   vetted addresses are returned so the caller connects to exactly those
//!   (pinned), and a rebinding DNS answer cannot swap them.

mod address;
mod resolve;

pub use address::{non_public, Cidr};
pub use resolve::{Lookup, Resolver, StaticResolver, SystemResolver};

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use url::{Host, Url};

/// Longest accepted URL.
pub const URL_MAX: usize = 2048;
/// Longest wait for DNS when a URL is created or changed.
const CREATE_LOOKUP_TIMEOUT: Duration = Duration::from_secs(3);

/// What deliveries may reach.
#[derive(Debug, Clone)]
pub struct EgressPolicy {
    /// Networks reachable even though they are not public.
    pub allow: Vec<Cidr>,
    /// Whether public addresses may be reached; `false` confines webhooks
    /// to `allow` (air-gapped installations, tests).
    pub public: bool,
}

impl Default for EgressPolicy {
    fn default() -> Self {
        Self { allow: Vec::new(), public: true }
    }
}

/// Why a URL is refused; `Display` is the 422 message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlRejection {
    #[error("Url is invalid")]
    Invalid,
    #[error("Url is too long (maximum is {URL_MAX} characters)")]
    TooLong,
    #[error("Url must use http or https")]
    Scheme,
    #[error("Url must not contain a user name or password")]
    Credentials,
    #[error("Url points to a {reason} address ({ip}), which webhooks may not reach")]
    Blocked { ip: IpAddr, reason: &'static str },
    #[error("Url points to {ip}, outside the networks webhooks may reach")]
    NotAllowed { ip: IpAddr },
    #[error("could not resolve {host}: {error}")]
    Unresolvable { host: String, error: String },
}

/// A delivery target that passed the guard.
#[derive(Debug, Clone)]
pub struct Target {
    pub url: Url,
    /// For a host name: the name and the vetted addresses to connect to
    /// (the URL's port applies). `None` for an IP literal.
    pub pinned: Option<(String, Vec<SocketAddr>)>,
}

pub struct EgressGuard {
    policy: EgressPolicy,
    resolver: Arc<dyn Resolver>,
}

impl std::fmt::Debug for EgressGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EgressGuard").field("policy", &self.policy).finish_non_exhaustive()
    }
}

impl Default for EgressGuard {
    fn default() -> Self {
        Self::new(EgressPolicy::default(), Arc::new(SystemResolver))
    }
}

enum Resolved {
    Literal(IpAddr),
    Name(String, std::io::Result<Vec<IpAddr>>),
}

impl EgressGuard {
    pub fn new(policy: EgressPolicy, resolver: Arc<dyn Resolver>) -> Self {
        Self { policy, resolver }
    }

    pub fn policy(&self) -> &EgressPolicy {
        &self.policy
    }

    /// The URL's syntax: absolute http(s), a host, no credentials.
    pub fn parse(raw: &str) -> Result<Url, UrlRejection> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(UrlRejection::Invalid);
        }
        if raw.chars().count() > URL_MAX {
            return Err(UrlRejection::TooLong);
        }
        let url = Url::parse(raw).map_err(|_| UrlRejection::Invalid)?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(UrlRejection::Scheme);
        }
        if url.host().is_none() {
            return Err(UrlRejection::Invalid);
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(UrlRejection::Credentials);
        }
        Ok(url)
    }

    /// Whether one address may be reached.
    pub fn vet(&self, ip: IpAddr) -> Result<(), UrlRejection> {
        if self.policy.allow.iter().any(|c| c.contains(ip)) {
            return Ok(());
        }
        if let Some(reason) = non_public(ip) {
            return Err(UrlRejection::Blocked { ip, reason });
        }
        if !self.policy.public {
            return Err(UrlRejection::NotAllowed { ip });
        }
        Ok(())
    }

    async fn resolve(&self, url: &Url, timeout: Option<Duration>) -> Resolved {
        match url.host() {
            Some(Host::Ipv4(ip)) => Resolved::Literal(IpAddr::V4(ip)),
            Some(Host::Ipv6(ip)) => Resolved::Literal(IpAddr::V6(ip)),
            Some(Host::Domain(host)) => {
                // the name as the HTTP client will look it up (for pinning)
                let host = host.to_owned();
                let name = host.trim_end_matches('.').to_ascii_lowercase();
                if name == "localhost" || name.ends_with(".localhost") {
                    let loopback = vec![IpAddr::V4(Ipv4Addr::LOCALHOST), IpAddr::V6(Ipv6Addr::LOCALHOST)];
                    return Resolved::Name(host, Ok(loopback));
                }
                let lookup = self.resolver.lookup(&name);
                let found = match timeout {
                    Some(t) => tokio::time::timeout(t, lookup).await.unwrap_or_else(|_| {
                        Err(std::io::Error::new(std::io::ErrorKind::TimedOut, "DNS lookup timed out"))
                    }),
                    None => lookup.await,
                };
                Resolved::Name(host, found)
            }
            None => Resolved::Name(String::new(), Ok(vec![])),
        }
    }

    /// The check when a URL is created or changed: syntax, literal
    /// addresses, and the addresses a name resolves to now. A name that
    /// does not resolve (yet) is accepted; deliveries check again.
    pub async fn check(&self, raw: &str) -> Result<(), UrlRejection> {
        let url = Self::parse(raw)?;
        match self.resolve(&url, Some(CREATE_LOOKUP_TIMEOUT)).await {
            Resolved::Literal(ip) => self.vet(ip),
            Resolved::Name(_, Ok(addrs)) => addrs.into_iter().try_for_each(|ip| self.vet(ip)),
            Resolved::Name(_, Err(_)) => Ok(()),
        }
    }

    /// The check before each delivery attempt: everything [`check`] does,
    /// a name must resolve, and the vetted addresses are pinned.
    ///
    /// [`check`]: EgressGuard::check
    pub async fn target(&self, raw: &str) -> Result<Target, UrlRejection> {
        let url = Self::parse(raw)?;
        let port = url.port_or_known_default().unwrap_or(80);
        match self.resolve(&url, None).await {
            Resolved::Literal(ip) => {
                self.vet(ip)?;
                Ok(Target { url, pinned: None })
            }
            Resolved::Name(host, Ok(addrs)) if !addrs.is_empty() => {
                addrs.iter().try_for_each(|ip| self.vet(*ip))?;
                let pinned = addrs.into_iter().map(|ip| SocketAddr::new(ip, port)).collect();
                Ok(Target { url, pinned: Some((host, pinned)) })
            }
            Resolved::Name(host, Ok(_)) => {
                Err(UrlRejection::Unresolvable { host, error: "no addresses".into() })
            }
            Resolved::Name(host, Err(e)) => Err(UrlRejection::Unresolvable { host, error: e.to_string() }),
        }
    }
}

#[cfg(test)]
mod tests;
