//! The client address a request is rate-limited by: the socket peer, or —
//! only when the peer is a configured trusted proxy — the right-most
//! `X-Forwarded-For` hop that is not itself a trusted proxy. Anything a
//! client writes into `X-Forwarded-For` is otherwise ignored.

use axum::http::HeaderMap;
use std::net::{IpAddr, SocketAddr};

pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted_proxies: &[IpAddr]) -> IpAddr {
    let peer = peer.to_canonical();
    if !trusted_proxies.contains(&peer) {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    for hop in hops.into_iter().rev() {
        let Some(ip) = parse_hop(hop) else {
            // an unreadable hop: nothing left of it can be trusted
            return peer;
        };
        if !trusted_proxies.contains(&ip) {
            return ip;
        }
    }
    peer
}

/// `192.0.2.1`, `2001:db8::1`, or either with a port.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .map(|ip| ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_for_is_ignored_without_a_trusted_proxy() {
        let h = headers(&["198.51.100.7"]);
        assert_eq!(client_ip(ip("203.0.113.1"), &h, &[]), ip("203.0.113.1"));
        assert_eq!(client_ip(ip("203.0.113.1"), &h, &[ip("10.0.0.1")]), ip("203.0.113.1"));
    }

    #[test]
    fn behind_trusted_proxies_the_rightmost_untrusted_hop_is_the_client() {
        let proxies = [ip("10.0.0.1"), ip("10.0.0.2")];
        let h = headers(&["1.1.1.1, 198.51.100.7", "10.0.0.2"]);
        assert_eq!(client_ip(ip("10.0.0.1"), &h, &proxies), ip("198.51.100.7"));
        let spoofed_only_left = headers(&["spoof, 198.51.100.7:4711"]);
        assert_eq!(client_ip(ip("10.0.0.1"), &spoofed_only_left, &proxies), ip("198.51.100.7"));
        let garbage = headers(&["1.1.1.1, garbage"]);
        assert_eq!(client_ip(ip("10.0.0.1"), &garbage, &proxies), ip("10.0.0.1"));
        assert_eq!(client_ip(ip("::ffff:10.0.0.1"), &headers(&[]), &proxies), ip("10.0.0.1"));
    }
}
