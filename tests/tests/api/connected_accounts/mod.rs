//! The connected-accounts API (seed 004): LexikJWT login, the JWT matrix,
//! login rate limits (also on `/auth/sign_in`), and the `/api/accounts`
//! resource with its tenancy and secrets-at-rest guarantees.

mod bad_input;
mod crud;
mod jwt;
mod login_check;
mod rate_limit;
mod rebuild;
mod secrets;
mod sign_in;
mod tenancy;

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use hmac::{Hmac, Mac};
use onelink_tests::seed::User;
use onelink_tests::{Response, TestApp};
use reqwest::Method;
use serde_json::{json, Value};
use sha2::Sha256;

/// The password every seeded user has.
pub const PASSWORD: &str = "Passw0rd!";

pub async fn login(app: &TestApp, body: Value) -> Response {
    app.send(app.build(Method::POST, "/authentication/login_check").json(&body)).await
}

/// A JWT for `user` through the login endpoint.
pub async fn token(app: &TestApp, user: &User) -> String {
    let res = login(app, json!({"email": user.email, "password": PASSWORD})).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()["token"].as_str().unwrap().to_owned()
}

/// A request with a bearer token and, for writes, a body of `content_type`.
pub async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<(&str, Value)>,
) -> Response {
    let mut req = app.build(method, path);
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    if let Some((content_type, body)) = body {
        req = req.header("content-type", content_type).body(body.to_string());
    }
    app.send(req).await
}

pub async fn get(app: &TestApp, path: &str, token: &str) -> Response {
    call(app, Method::GET, path, Some(token), None).await
}

pub async fn create(app: &TestApp, token: &str, body: Value) -> Response {
    call(app, Method::POST, "/api/accounts", Some(token), Some(("application/ld+json", body))).await
}

pub async fn patch(app: &TestApp, path: &str, token: &str, body: Value) -> Response {
    call(app, Method::PATCH, path, Some(token), Some(("application/merge-patch+json", body))).await
}

pub async fn delete(app: &TestApp, path: &str, token: &str) -> Response {
    call(app, Method::DELETE, path, Some(token), None).await
}

/// The seed's example account, with a credential that must never be
/// stored or shown in clear.
pub fn michael(secret: &str) -> Value {
    json!({
        "integration": "/api/integrations/whatsapp",
        "name": "Michael Scott",
        "headline": "Regional Manager at Dunder Mifflin",
        "avatarUrl": "https://example.com/avatars/michael_scott.png",
        "externalId": "+15551234567",
        "credentials": {"access_token": secret, "phone_number_id": "1234"},
        "config": {"region": "us"}
    })
}

/// Creates a connected account; returns its JSON.
pub async fn connected(app: &TestApp, token: &str, body: Value) -> Value {
    let res = create(app, token, body).await;
    assert_eq!(res.status, 201, "{}", res.text);
    res.json()
}

/// The installation's JWT key for the test secret, derived as documented
/// (`HMAC-SHA256(secret, "onelink/jwt/hs256/v1")`).
pub fn signing_key() -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(b"test-secret-key").unwrap();
    mac.update(b"onelink/jwt/hs256/v1");
    mac.finalize().into_bytes().to_vec()
}

/// A JWT built by hand (so tests can forge every kind of bad token).
pub fn forge(header: &Value, claims: &Value, key: &[u8]) -> String {
    let message = format!("{}.{}", B64URL.encode(header.to_string()), B64URL.encode(claims.to_string()));
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(message.as_bytes());
    format!("{message}.{}", B64URL.encode(mac.finalize().into_bytes()))
}

/// The claims of a token (unverified).
pub fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&B64URL.decode(payload).unwrap()).unwrap()
}

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Object keys in order.
pub fn keys(value: &Value) -> Vec<String> {
    value.as_object().unwrap().keys().cloned().collect()
}
