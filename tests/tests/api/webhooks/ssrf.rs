//! SSRF: literal non-public addresses in every spelling are 422 on create
//! and update; names are resolved (and pinned) at delivery; redirects are
//! never followed. Only 127.0.0.1 is ever contacted.

use super::{create_webhook, settled_deliveries};
use onelink_commands::ssrf::{EgressGuard, EgressPolicy};
use onelink_tests::pg::fresh_database;
use onelink_tests::webhook_receiver::{Mode, Receiver};
use onelink_tests::TestApp;
use serde_json::json;
use std::sync::Arc;

/// An installation without an allowlist (public addresses allowed, but no
/// test here sends anything to one).
async fn strict_app(public: bool) -> TestApp {
    TestApp::spawn_configured(fresh_database().await, |config, dns| {
        config.egress = Arc::new(EgressGuard::new(EgressPolicy { allow: vec![], public }, dns.clone()));
    })
    .await
}

#[tokio::test]
async fn ssrf_literal_forms_are_refused_on_create_and_update() {
    let app = strict_app(true).await;
    let a = app.tenant("Alpha").await;
    let long = format!("https://hooks.example.com/{}", "a".repeat(2048));
    let cases = [
        ("http://127.0.0.1/", "loopback"),
        ("http://127.1/", "loopback"),
        ("http://2130706433/", "loopback"),
        ("http://0x7f000001/", "loopback"),
        ("http://0177.0.0.1/", "loopback"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://localhost:3000/", "loopback"),
        ("http://[::1]/", "loopback"),
        ("http://[::ffff:127.0.0.1]/", "IPv4-mapped"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://10.0.0.1/", "private"),
        ("http://172.16.0.1/", "private"),
        ("http://192.168.0.1/", "private"),
        ("http://100.64.0.1/", "CGNAT"),
        ("http://[fc00::1]/", "unique local"),
        ("http://[fe80::1]/", "link-local"),
        ("http://224.0.0.1/", "multicast"),
        ("file:///etc/passwd", "Url must use http or https"),
        ("gopher://127.0.0.1:25/", "Url must use http or https"),
        ("ftp://example.com/", "Url must use http or https"),
        ("http://u:p@127.0.0.1/", "Url must not contain a user name or password"),
        ("https://user@hooks.example.com/", "Url must not contain a user name or password"),
        (long.as_str(), "Url is too long (maximum is 2048 characters)"),
    ];
    let hook = create_webhook(&app, &a, "https://hooks.example.com/ok", &["contact_created"]).await;
    let path = a.path(&format!("/webhooks/{}", hook["id"]));
    let before = app.event_count().await;
    for (url, says) in cases {
        for res in [
            app.post(&a.path("/webhooks"), &a.admin.token, json!({"url": url})).await,
            app.patch(&path, &a.admin.token, json!({"webhook": {"url": url}})).await,
        ] {
            assert_eq!(res.status, 422, "{url}: {}", res.text);
            let body = res.json();
            assert_eq!(body["attributes"], json!(["url"]), "{url}");
            assert!(body["message"].as_str().unwrap().contains(says), "{url}: {body}");
        }
    }
    assert_eq!(app.event_count().await, before, "nothing was written");
    // a name that resolves to a private address now is refused too
    app.dns.set("internal.test", &["10.1.2.3".parse().unwrap()]);
    let res = app.post(&a.path("/webhooks"), &a.admin.token, json!({"url": "http://internal.test/"})).await;
    assert_eq!(res.status, 422, "{}", res.text);
}

#[tokio::test]
async fn ssrf_a_name_rebound_to_loopback_is_refused_at_delivery() {
    let app = strict_app(false).await;
    let a = app.tenant("Alpha").await;
    let rx = Receiver::start().await;
    // at creation the name does not resolve: accepted, checked again later
    let url = format!("http://rebind.test:{}/hook", rx.addr.port());
    let hook = create_webhook(&app, &a, &url, &["contact_created"]).await;
    app.dns.set("rebind.test", &["127.0.0.1".parse().unwrap()]);
    app.contact(&a, json!({"name": "Rebound", "email": "rebound@example.com"})).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let attempts = loop {
        let log = super::deliveries(&app, &a, &hook["id"], "").await;
        let attempts = log.first().map(|d| d["attempts"].as_array().unwrap().clone()).unwrap_or_default();
        if attempts.len() >= 2 || std::time::Instant::now() > deadline {
            break attempts;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert!(attempts.len() >= 2, "retried");
    for attempt in &attempts {
        assert_eq!(attempt["status_code"], serde_json::Value::Null);
        let error = attempt["error"].as_str().unwrap();
        assert!(error.contains("loopback address (127.0.0.1)"), "{error}");
    }
    assert!(rx.received().is_empty(), "the receiver was never contacted");
}

#[tokio::test]
async fn ssrf_allowlisted_names_are_delivered_to_the_pinned_address() {
    let app = TestApp::spawn().await; // allowlist: 127.0.0.1/32
    let a = app.tenant("Alpha").await;
    let rx = Receiver::start().await;
    app.dns.set("hooks.internal.test", &["127.0.0.1".parse().unwrap()]);
    let url = format!("http://hooks.internal.test:{}/in", rx.addr.port());
    let hook = create_webhook(&app, &a, &url, &["contact_created"]).await;
    let refused = app.post(&a.path("/webhooks"), &a.admin.token, json!({"url": "http://127.0.0.2/"})).await;
    assert_eq!(refused.status, 422, "only the allowlisted CIDR is open: {}", refused.text);
    app.contact(&a, json!({"name": "Pinned", "email": "pinned@example.com"})).await;
    let got = rx.wait_until("the delivery", std::time::Duration::from_secs(30), |r| !r.is_empty()).await;
    assert_eq!(got[0].header("host"), format!("hooks.internal.test:{}", rx.addr.port()));
    assert_eq!(settled_deliveries(&app, &a, &hook["id"], 1).await[0]["status"], "delivered");
}

#[tokio::test]
async fn ssrf_redirects_are_never_followed() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let (front, behind) = (Receiver::start().await, Receiver::start().await);
    front.set(Mode::Redirect(behind.url("/internal"))).await;
    let hook = create_webhook(&app, &a, &front.url("/"), &["contact_created"]).await;
    app.contact(&a, json!({"name": "Moved", "email": "moved@example.com"})).await;
    front.wait_until("two attempts", std::time::Duration::from_secs(30), |r| r.len() >= 2).await;
    let log = super::deliveries(&app, &a, &hook["id"], "").await;
    let attempt = &log[0]["attempts"][0];
    assert_eq!(attempt["status_code"], 302);
    assert_eq!(attempt["error"], "answered 302 (redirects are not followed)");
    assert_eq!(log[0]["status"], "pending", "a redirect is a failure and is retried");
    assert!(behind.received().is_empty(), "the redirect target was never contacted");
}
