//! `…/conversations/{id}/messages`: shapes, windows, writes, the flood
//! guard and idempotency, access and bad input.

mod access;
mod bookkeeping;
mod limits;
mod shapes;
mod windows;
mod writes;

use onelink_tests::seed::Tenant;
use onelink_tests::{Response, TestApp};
use serde_json::{json, Value};

/// A tenant with an API inbox and one open conversation in it.
pub struct Setup {
    pub tenant: Tenant,
    pub inbox_id: i64,
    pub conversation: Value,
}

impl Setup {
    pub async fn new(app: &TestApp) -> Setup {
        let tenant = app.tenant("Alpha").await;
        let inbox_id = app.api_inbox(&tenant, "Support").await["id"].as_i64().unwrap();
        let conversation = app.conversation(&tenant, inbox_id, json!({})).await;
        Setup { tenant, inbox_id, conversation }
    }

    pub fn id(&self) -> i64 {
        self.conversation["id"].as_i64().unwrap()
    }

    /// `/api/v1/accounts/{a}/conversations/{id}/messages{rest}`
    pub fn messages(&self, rest: &str) -> String {
        self.tenant.path(&format!("/conversations/{}/messages{rest}", self.id()))
    }
}

/// Posts a message as `token`.
pub async fn post(app: &TestApp, path: &str, token: &str, body: Value) -> Response {
    app.post(path, token, body).await
}

/// Posts a message as `token` and returns its JSON (asserting 200).
pub async fn message(app: &TestApp, path: &str, token: &str, body: Value) -> Value {
    let res = app.post(path, token, body).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()
}

/// Number of `event_type` events in one conversation's stream.
pub async fn stream_events(app: &TestApp, conversation_global_id: i64, event_type: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM events WHERE aggregate_type = 'Conversation' AND aggregate_id = $1 \
         AND event_type = $2",
    )
    .bind(conversation_global_id.to_string())
    .bind(event_type)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

/// The global id behind a display id (for storage-level assertions).
pub async fn global_id(app: &TestApp, account_id: i64, display_id: i64) -> i64 {
    sqlx::query_scalar("SELECT id FROM conversations WHERE account_id = $1 AND display_id = $2")
        .bind(account_id)
        .bind(display_id)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// A web widget inbox of the tenant.
pub async fn widget_inbox(app: &TestApp, t: &Tenant) -> i64 {
    let body =
        json!({"name": "Website", "channel": {"type": "web_widget", "website_url": "https://acme.example"}});
    let res = app.post(&t.path("/inboxes"), &t.admin.token, body).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()["id"].as_i64().unwrap()
}

/// An agent bot of the tenant; returns `(id, token)`.
pub async fn bot(app: &TestApp, t: &Tenant) -> (i64, String) {
    let res = app.post(&t.path("/agent_bots"), &t.admin.token, json!({"name": "Helper"})).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let bot = res.json();
    (bot["id"].as_i64().unwrap(), bot["access_token"].as_str().unwrap().to_owned())
}
