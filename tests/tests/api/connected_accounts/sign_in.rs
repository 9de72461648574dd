//! `POST /auth/sign_in` with a password: devise_token_auth's shapes, and
//! the same rate limits as `/authentication/login_check` (one allowance).

use super::{login, PASSWORD};
use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::{json, Value};

async fn sign_in(app: &TestApp, body: Value) -> onelink_tests::Response {
    app.request(Method::POST, "/auth/sign_in", None, Some(body)).await
}

#[tokio::test]
async fn sign_in_with_a_password_returns_the_user() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let res = sign_in(&app, json!({"email": a.agent.email, "password": PASSWORD})).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let data = &res.json()["data"];
    assert_eq!(data["id"], a.agent.id);
    assert_eq!(data["email"], a.agent.email);
    assert_eq!(data["access_token"], a.agent.token);
    assert_eq!(data["accounts"][0]["id"], a.account_id);
    assert!(!res.text.contains("password"), "{}", res.text);

    let bad = json!({"success": false, "errors": ["Invalid login credentials. Please try again."]});
    for body in [
        json!({"email": a.agent.email, "password": "wrong"}),
        json!({"email": "nobody@example.com", "password": PASSWORD}),
        json!({"email": a.agent.email}),
    ] {
        let res = sign_in(&app, body.clone()).await;
        assert_eq!(res.status, 401, "{body}");
        assert_eq!(res.json(), bad, "{body}");
    }
}

#[tokio::test]
async fn sign_in_is_rate_limited_and_shares_the_allowance_with_login_check() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    for n in 1..=3 {
        let res = sign_in(&app, json!({"email": a.admin.email, "password": "wrong"})).await;
        assert_eq!(res.status, 401, "attempt {n}");
    }
    for n in 4..=5 {
        let res = login(&app, json!({"email": a.admin.email, "password": "wrong"})).await;
        assert_eq!(res.status, 401, "attempt {n}");
    }
    let res = sign_in(&app, json!({"email": a.admin.email, "password": PASSWORD})).await;
    assert_eq!(res.status, 429, "{}", res.text);
    assert_eq!(res.json(), json!({"error": "Too many requests"}));
    assert!(res.headers.contains_key("retry-after"));
    // SSO attempts count as well
    let sso = sign_in(&app, json!({"email": a.admin.email, "sso_auth_token": "0".repeat(64)})).await;
    assert_eq!(sso.status, 429);
}

#[tokio::test]
async fn sign_in_falls_back_to_the_password_when_the_sso_token_is_bad() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let bad_token = "0".repeat(64);
    let res =
        sign_in(&app, json!({"email": a.admin.email, "sso_auth_token": bad_token, "password": PASSWORD}))
            .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json()["data"]["id"], a.admin.id);
    let res =
        sign_in(&app, json!({"email": a.admin.email, "sso_auth_token": bad_token, "password": "wrong"}))
            .await;
    assert_eq!(res.status, 401);
    let res = sign_in(&app, json!({"email": a.admin.email, "sso_auth_token": bad_token})).await;
    assert_eq!(res.json()["errors"][0], "Invalid login credentials. Please try again.");
}
