//! S8b: brute force against password logins. The test config limits
//! loopback (the upstream exempts it); the limiter's clock is moved
//! forward instead of sleeping.

use super::{login, PASSWORD};
use onelink_tests::{Response, TestApp};
use reqwest::Method;
use serde_json::json;
use std::time::Duration;

async fn attempt_from(app: &TestApp, forwarded_for: Option<&str>, email: &str, password: &str) -> Response {
    let mut req = app
        .build(Method::POST, "/authentication/login_check")
        .json(&json!({"email": email, "password": password}));
    if let Some(ip) = forwarded_for {
        req = req.header("x-forwarded-for", ip);
    }
    app.send(req).await
}

fn assert_throttled(res: &Response, max_wait: u64) {
    assert_eq!(res.status, 429, "{}", res.text);
    assert_eq!(res.json(), json!({"error": "Too many requests"}));
    let wait: u64 = res.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=max_wait).contains(&wait), "Retry-After {wait}");
}

#[tokio::test]
async fn rate_limit_per_ip_refuses_from_the_sixth_attempt_until_the_window_passes() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    for n in 1..=20 {
        let res = attempt_from(&app, None, &a.admin.email, "wrong-password").await;
        if n <= 5 {
            assert_eq!(res.status, 401, "attempt {n}: {}", res.text);
        } else {
            assert_throttled(&res, 60);
        }
    }
    // even the right password waits
    assert_throttled(&login(&app, json!({"email": a.admin.email, "password": PASSWORD})).await, 60);
    // other e-mails from the same IP too: the limit is per IP
    assert_throttled(&login(&app, json!({"email": a.agent.email, "password": PASSWORD})).await, 60);

    app.advance_limiter_clock(Duration::from_secs(5 * 60));
    let res = login(&app, json!({"email": a.admin.email, "password": PASSWORD})).await;
    assert_eq!(res.status, 200, "{}", res.text);
}

#[tokio::test]
async fn rate_limit_per_email_holds_whatever_the_ip_behind_a_trusted_proxy() {
    let app =
        TestApp::spawn_with(|c| c.settings.login_limits.trusted_proxies = vec!["127.0.0.1".parse().unwrap()])
            .await;
    let a = app.tenant("Alpha").await;
    for n in 1..=20 {
        let ip = format!("198.51.100.{n}");
        let res =
            attempt_from(&app, Some(&ip), &format!(" {} ", a.admin.email.to_uppercase()), "wrong").await;
        if n <= 10 {
            assert_eq!(res.status, 401, "attempt {n}: {}", res.text);
        } else {
            assert_throttled(&res, 90);
        }
    }
    // another e-mail from a fresh address is not affected
    let other = attempt_from(&app, Some("198.51.100.99"), &a.agent.email, PASSWORD).await;
    assert_eq!(other.status, 200, "{}", other.text);
    // the allowance comes back one attempt per 90 s
    app.advance_limiter_clock(Duration::from_secs(90));
    let back = attempt_from(&app, Some("198.51.100.100"), &a.admin.email, PASSWORD).await;
    assert_eq!(back.status, 200, "{}", back.text);
}

#[tokio::test]
async fn rate_limit_ignores_x_forwarded_for_without_a_trusted_proxy() {
    let app = TestApp::spawn().await;
    for n in 1..=6 {
        let ip = format!("203.0.113.{n}");
        let res = attempt_from(&app, Some(&ip), &format!("user{n}@example.com"), "wrong").await;
        if n <= 5 {
            assert_eq!(res.status, 401, "attempt {n}");
        } else {
            assert_throttled(&res, 60);
        }
    }
}

#[tokio::test]
async fn rate_limit_exempts_loopback_when_configured_like_the_upstream() {
    let app = TestApp::spawn_with(|c| c.settings.login_limits.exempt_loopback = true).await;
    for _ in 0..12 {
        assert_eq!(attempt_from(&app, None, "someone@example.com", "wrong").await.status, 401);
    }
}

#[tokio::test]
async fn rate_limit_is_configurable() {
    let app = TestApp::spawn_with(|c| {
        c.settings.login_limits.per_ip.attempts = 2;
        c.settings.login_limits.per_ip.period = Duration::from_secs(10);
    })
    .await;
    assert_eq!(attempt_from(&app, None, "a@example.com", "x").await.status, 401);
    assert_eq!(attempt_from(&app, None, "a@example.com", "x").await.status, 401);
    assert_throttled(&attempt_from(&app, None, "a@example.com", "x").await, 5);
    app.advance_limiter_clock(Duration::from_secs(5));
    assert_eq!(attempt_from(&app, None, "a@example.com", "x").await.status, 401);
}
