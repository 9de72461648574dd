//! Which IP addresses a webhook may reach: the special-purpose ranges of
//! IANA's registries are refused, CIDR allowlists let self-hosters (and
//! tests) open chosen networks again.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

/// An IPv4 or IPv6 network, e.g. `127.0.0.1/32` or `fd00::/8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                prefix_eq(u32::from(net) as u128, u32::from(ip) as u128, 32, self.prefix)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => prefix_eq(u128::from(net), u128::from(ip), 128, self.prefix),
            _ => false,
        }
    }
}

fn prefix_eq(a: u128, b: u128, bits: u8, prefix: u8) -> bool {
    if prefix == 0 {
        return true;
    }
    let shift = bits - prefix;
    (a >> shift) == (b >> shift)
}

impl FromStr for Cidr {
    type Err = String;

    /// `ADDR/PREFIX`, or a bare address (a single host).
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let network: IpAddr = addr.parse().map_err(|_| format!("{s:?} is not an IP network"))?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => {
                p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(|| format!("bad prefix in {s:?}"))?
            }
            None => max,
        };
        Ok(Cidr { network, prefix })
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

/// Why an address is not public, or `None` for a public unicast address.
pub fn non_public(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => non_public_v4(v4),
        IpAddr::V6(v6) => non_public_v6(v6),
    }
}

fn in_v4(ip: Ipv4Addr, net: [u8; 4], prefix: u8) -> bool {
    prefix_eq(u32::from(Ipv4Addr::from(net)) as u128, u32::from(ip) as u128, 32, prefix)
}

fn non_public_v4(ip: Ipv4Addr) -> Option<&'static str> {
    const RANGES: &[([u8; 4], u8, &str)] = &[
        ([0, 0, 0, 0], 8, "unspecified"),
        ([10, 0, 0, 0], 8, "private"),
        ([100, 64, 0, 0], 10, "shared (CGNAT)"),
        ([127, 0, 0, 0], 8, "loopback"),
        ([169, 254, 0, 0], 16, "link-local"),
        ([172, 16, 0, 0], 12, "private"),
        ([192, 0, 0, 0], 24, "reserved"),
        ([192, 0, 2, 0], 24, "documentation"),
        ([192, 88, 99, 0], 24, "reserved"),
        ([192, 168, 0, 0], 16, "private"),
        ([198, 18, 0, 0], 15, "benchmarking"),
        ([198, 51, 100, 0], 24, "documentation"),
        ([203, 0, 113, 0], 24, "documentation"),
        ([224, 0, 0, 0], 4, "multicast"),
        ([240, 0, 0, 0], 4, "reserved"),
    ];
    RANGES.iter().find(|(net, prefix, _)| in_v4(ip, *net, *prefix)).map(|(_, _, why)| *why)
}

fn in_v6(ip: Ipv6Addr, net: &str, prefix: u8) -> bool {
    let net: Ipv6Addr = net.parse().unwrap_or(Ipv6Addr::UNSPECIFIED);
    prefix_eq(u128::from(net), u128::from(ip), 128, prefix)
}

fn non_public_v6(ip: Ipv6Addr) -> Option<&'static str> {
    if ip.is_unspecified() {
        return Some("unspecified");
    }
    if ip.is_loopback() {
        return Some("loopback");
    }
    // An IPv4 address carried inside IPv6 is judged as what it reaches:
    // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) by their embedded address.
    let bits = u128::from(ip);
    if in_v6(ip, "64:ff9b::", 96) {
        return non_public_v4(Ipv4Addr::from(bits as u32));
    }
    if in_v6(ip, "2002::", 16) {
        return non_public_v4(Ipv4Addr::from((bits >> 80) as u32));
    }
    const RANGES: &[(&str, u8, &str)] = &[
        ("::ffff:0:0", 96, "IPv4-mapped"),
        ("::", 96, "IPv4-compatible"),
        ("64:ff9b:1::", 48, "NAT64 (local)"),
        ("100::", 64, "discard"),
        ("2001::", 32, "Teredo"),
        ("2001:db8::", 32, "documentation"),
        ("fc00::", 7, "unique local (private)"),
        ("fe80::", 10, "link-local"),
        ("fec0::", 10, "site-local"),
        ("ff00::", 8, "multicast"),
    ];
    RANGES.iter().find(|(net, prefix, _)| in_v6(ip, net, *prefix)).map(|(_, _, why)| *why)
}
