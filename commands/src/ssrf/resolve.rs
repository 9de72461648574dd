//! Name resolution for the egress guard: the operating system's resolver
//! in production, a fixed table in tests (which must never send a packet
//! beyond the loopback interface, DNS queries included).

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::RwLock;

pub type Lookup<'a> = Pin<Box<dyn Future<Output = io::Result<Vec<IpAddr>>> + Send + 'a>>;

/// Turns a host name into addresses.
pub trait Resolver: Send + Sync + 'static {
    fn lookup<'a>(&'a self, host: &'a str) -> Lookup<'a>;
}

/// The operating system's resolver (`getaddrinfo` through tokio).
#[derive(Debug, Default)]
pub struct SystemResolver;

impl Resolver for SystemResolver {
    fn lookup<'a>(&'a self, host: &'a str) -> Lookup<'a> {
        Box::pin(async move {
            let addrs = tokio::net::lookup_host((host, 0)).await?;
            Ok(addrs.map(|a| a.ip()).collect())
        })
    }
}

/// A fixed table of names (for tests). Unknown names do not resolve; an
/// entry can be changed while running, to play DNS rebinding.
#[derive(Debug, Default)]
pub struct StaticResolver {
    names: RwLock<HashMap<String, Vec<IpAddr>>>,
}

impl StaticResolver {
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes `host` resolve to `addrs` (an empty list removes it).
    pub fn set(&self, host: &str, addrs: &[IpAddr]) {
        let mut names = self.names.write().unwrap_or_else(|e| e.into_inner());
        if addrs.is_empty() {
            names.remove(&host.to_ascii_lowercase());
        } else {
            names.insert(host.to_ascii_lowercase(), addrs.to_vec());
        }
    }
}

impl Resolver for StaticResolver {
    fn lookup<'a>(&'a self, host: &'a str) -> Lookup<'a> {
        let found = self.names.read().unwrap_or_else(|e| e.into_inner()).get(host).cloned();
        Box::pin(async move {
            found.ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("{host} does not resolve")))
        })
    }
}
