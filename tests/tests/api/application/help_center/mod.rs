//! The help center: portals, categories, articles.

mod access;
mod content;
mod portals;

use onelink_tests::seed::Tenant;
use onelink_tests::TestApp;
use serde_json::{json, Value};

/// Creates a portal in `t` (English and French) and returns its JSON.
pub async fn portal(app: &TestApp, t: &Tenant, slug: &str) -> Value {
    let body = json!({"portal": {"name": format!("{slug} docs"), "slug": slug,
                                 "config": {"allowed_locales": ["en", "fr"], "default_locale": "en"}}});
    let res = app.post(&t.path("/portals"), &t.admin.token, body).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()
}

/// Creates a category in the portal and returns its JSON.
pub async fn category(app: &TestApp, t: &Tenant, portal: &str, body: Value) -> Value {
    let res = app.post(&t.path(&format!("/portals/{portal}/categories")), &t.admin.token, body).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()["payload"].clone()
}

/// Creates an article in the portal and returns its JSON.
pub async fn article(app: &TestApp, t: &Tenant, portal: &str, body: Value) -> Value {
    let res = app.post(&t.path(&format!("/portals/{portal}/articles")), &t.admin.token, body).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()["payload"].clone()
}
