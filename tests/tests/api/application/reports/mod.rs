//! Reports v2 from a scripted history. The script below is played through
//! the API with the test clock (`X-OneLink-Clock`), and every expected
//! figure is computed here from the script's own list of facts — never
//! read back from OneLink.

mod history;
mod params;

use chrono::{DateTime, Duration, Utc};
use onelink_tests::seed::{Tenant, User};
use onelink_tests::{Response, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

/// Monday 2 March 2026, 00:00 UTC.
pub fn day0() -> DateTime<Utc> {
    "2026-03-02T00:00:00Z".parse().unwrap()
}

/// `day0` + `days` days + `hh:mm`.
pub fn t(days: i64, hh: i64, mm: i64) -> DateTime<Utc> {
    day0() + Duration::days(days) + Duration::hours(hh) + Duration::minutes(mm)
}

pub async fn spawn() -> TestApp {
    onelink_api::clock::allow_header();
    TestApp::spawn().await
}

/// A request that happens at `at`.
pub async fn at(
    app: &TestApp,
    at: DateTime<Utc>,
    method: Method,
    path: &str,
    token: &str,
    body: Value,
) -> Response {
    let clock = at.to_rfc3339();
    let res =
        app.request_with_headers(method, path, Some(token), Some(body), &[("x-onelink-clock", &clock)]).await;
    assert!(res.status < 300, "{path}: {} {}", res.status, res.text);
    res
}

/// `GET /api/v2/accounts/{a}/reports{rest}` as `user`.
pub async fn report(app: &TestApp, tenant: &Tenant, user: &User, rest: &str) -> Response {
    app.get(&format!("/api/v2/accounts/{}/reports{rest}", tenant.account_id), &user.token).await
}

pub fn range(since: DateTime<Utc>, until: DateTime<Utc>) -> String {
    format!("since={}&until={}", since.timestamp(), until.timestamp())
}

pub fn ok(res: Response) -> Value {
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()
}

/// The agent JSON body of a new conversation in `inbox` with a new contact.
pub async fn contact_id(app: &TestApp, tenant: &Tenant) -> Value {
    app.contact(tenant, json!({"name": format!("C {}", uuid::Uuid::new_v4().simple())})).await["id"].clone()
}
