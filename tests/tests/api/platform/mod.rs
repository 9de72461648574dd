mod account_users;
mod accounts;
mod agent_bots;
mod permissible;
mod users;

use onelink_tests::TestApp;
use serde_json::{json, Value};

/// A platform app with one account and one user it created.
pub struct Fixture {
    pub app: TestApp,
    pub token: String,
    pub account_id: i64,
    pub user_id: i64,
}

pub async fn fixture() -> Fixture {
    let app = TestApp::spawn().await;
    let (_, token) = app.platform_app("P1").await;
    let account = app.post("/platform/api/v1/accounts", &token, json!({"name": "Acme"})).await;
    assert_eq!(account.status, 200, "{}", account.text);
    let user = app
        .post(
            "/platform/api/v1/users",
            &token,
            json!({"name": "Ann", "email": "ann@example.com", "password": "Passw0rd!"}),
        )
        .await;
    assert_eq!(user.status, 200, "{}", user.text);
    Fixture {
        account_id: account.json()["id"].as_i64().unwrap(),
        user_id: user.json()["id"].as_i64().unwrap(),
        app,
        token,
    }
}

pub fn keys(v: &Value) -> Vec<String> {
    v.as_object().unwrap().keys().cloned().collect()
}
