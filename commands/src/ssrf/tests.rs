use super::*;

fn guard(allow: &[&str], public: bool) -> (EgressGuard, Arc<StaticResolver>) {
    let resolver = Arc::new(StaticResolver::new());
    let policy = EgressPolicy { allow: allow.iter().map(|c| c.parse().unwrap()).collect(), public };
    (EgressGuard::new(policy, resolver.clone()), resolver)
}

#[tokio::test]
async fn literal_non_public_addresses_in_every_spelling_are_refused() {
    let (g, _) = guard(&[], true);
    for url in [
        "http://127.0.0.1/",
        "http://127.1/",
        "http://2130706433/",
        "http://0x7f000001/",
        "http://0177.0.0.1/",
        "http://0.0.0.0/",
        "http://localhost:8080/",
        "http://LOCALHOST./",
        "http://api.localhost/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:8.8.8.8]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://172.16.0.1/",
        "http://172.31.255.255/",
        "http://192.168.0.1/",
        "http://100.64.0.1/",
        "http://224.0.0.1/",
        "http://255.255.255.255/",
        "http://[fc00::1]/",
        "http://[fd12:3456::1]/",
        "http://[fe80::1]/",
        "http://[ff02::1]/",
        "http://[64:ff9b::a00:1]/",
        "http://[2002:7f00:1::]/",
    ] {
        let refused = g.check(url).await;
        assert!(matches!(refused, Err(UrlRejection::Blocked { .. })), "{url}: {refused:?}");
    }
}

#[tokio::test]
async fn syntax_schemes_credentials_and_length_are_checked_first() {
    let (g, _) = guard(&[], true);
    let long = format!("https://example.com/{}", "a".repeat(URL_MAX));
    for (url, expected) in [
        ("", UrlRejection::Invalid),
        ("not a url", UrlRejection::Invalid),
        ("/relative/path", UrlRejection::Invalid),
        ("file:///etc/passwd", UrlRejection::Scheme),
        ("gopher://example.com/", UrlRejection::Scheme),
        ("ftp://example.com/", UrlRejection::Scheme),
        ("http://u:p@example.com/", UrlRejection::Credentials),
        ("http://u@example.com/", UrlRejection::Credentials),
        (long.as_str(), UrlRejection::TooLong),
    ] {
        assert_eq!(g.check(url).await, Err(expected), "{url}");
    }
}

#[tokio::test]
async fn public_addresses_and_unresolved_names_pass_the_create_check() {
    let (g, _) = guard(&[], true);
    for url in ["https://93.184.216.34/hook", "https://[2606:4700::1111]/", "https://hooks.example.com/x"] {
        assert_eq!(g.check(url).await, Ok(()), "{url}");
    }
}

#[tokio::test]
async fn names_are_judged_by_every_address_they_resolve_to() {
    let (g, dns) = guard(&[], true);
    dns.set("mixed.test", &["93.184.216.34".parse().unwrap(), "10.1.2.3".parse().unwrap()]);
    assert!(matches!(g.check("https://mixed.test/").await, Err(UrlRejection::Blocked { .. })));
    dns.set("fine.test", &["93.184.216.34".parse().unwrap()]);
    let target = g.target("https://fine.test:8443/x").await.unwrap();
    let (host, addrs) = target.pinned.unwrap();
    assert_eq!(host, "fine.test");
    assert_eq!(addrs, ["93.184.216.34:8443".parse().unwrap()]);
    assert!(matches!(g.target("https://nowhere.test/").await, Err(UrlRejection::Unresolvable { .. })));
}

#[tokio::test]
async fn a_name_rebound_to_loopback_is_refused_at_delivery_unless_allowlisted() {
    let (g, dns) = guard(&[], true);
    assert_eq!(g.check("http://rebind.test/").await, Ok(()));
    dns.set("rebind.test", &["127.0.0.1".parse().unwrap()]);
    assert!(matches!(g.target("http://rebind.test/").await, Err(UrlRejection::Blocked { .. })));

    let (g, dns) = guard(&["127.0.0.1/32"], false);
    dns.set("rebind.test", &["127.0.0.1".parse().unwrap()]);
    assert!(g.target("http://rebind.test:9/").await.is_ok());
    assert!(matches!(g.check("http://127.0.0.2/").await, Err(UrlRejection::Blocked { .. })));
    assert!(g.check("http://127.0.0.1:1234/").await.is_ok());
    assert!(matches!(g.check("http://93.184.216.34/").await, Err(UrlRejection::NotAllowed { .. })));
    // localhost is loopback on both families; ::1 is not allowlisted
    assert!(g.check("http://localhost/").await.is_err());
}

#[test]
fn cidrs_parse_and_match_their_family_only() {
    let net: Cidr = "172.16.0.0/12".parse().unwrap();
    assert!(net.contains("172.31.1.1".parse().unwrap()));
    assert!(!net.contains("172.32.0.1".parse().unwrap()));
    assert!(!net.contains("::ffff:172.16.0.1".parse().unwrap()));
    let host: Cidr = "::1".parse().unwrap();
    assert_eq!(host.to_string(), "::1/128");
    assert!("10.0.0.0/33".parse::<Cidr>().is_err());
    assert!("nope".parse::<Cidr>().is_err());
    let all: Cidr = "0.0.0.0/0".parse().unwrap();
    assert!(all.contains("8.8.8.8".parse().unwrap()));
}
