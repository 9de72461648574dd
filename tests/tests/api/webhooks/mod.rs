//! `/api/v1/accounts/{account_id}/webhooks` and webhook delivery, against
//! real receivers on 127.0.0.1.

mod agent_bots;
mod conversations;
mod crud;
mod delivery;
mod faults;
mod ordering;
mod rebuild;
mod replay;
mod restart;
mod ssrf;
mod tenancy;

use onelink_tests::seed::Tenant;
use onelink_tests::{eventually, TestApp};
use serde_json::{json, Value};

/// Creates a webhook as the tenant's administrator; returns its JSON.
pub async fn create_webhook(app: &TestApp, t: &Tenant, url: &str, subscriptions: &[&str]) -> Value {
    let res = app
        .post(
            &t.path("/webhooks"),
            &t.admin.token,
            json!({"webhook": {"url": url, "subscriptions": subscriptions}}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()["payload"]["webhook"].clone()
}

/// The webhook's delivery log (first page, or filtered).
pub async fn deliveries(app: &TestApp, t: &Tenant, webhook_id: &Value, query: &str) -> Vec<Value> {
    let res = app.get(&t.path(&format!("/webhooks/{webhook_id}/deliveries{query}")), &t.admin.token).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()["payload"]["deliveries"].as_array().unwrap().clone()
}

/// Every page of the delivery log.
pub async fn all_deliveries(app: &TestApp, t: &Tenant, webhook_id: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    for page in 1.. {
        let res =
            app.get(&t.path(&format!("/webhooks/{webhook_id}/deliveries?page={page}")), &t.admin.token).await;
        assert_eq!(res.status, 200, "{}", res.text);
        let body = res.json();
        assert_eq!(body["meta"]["current_page"], page);
        let rows = body["payload"]["deliveries"].as_array().unwrap().clone();
        let done = rows.len() < 25;
        out.extend(rows);
        if done {
            assert_eq!(body["meta"]["count"], out.len());
            break;
        }
    }
    out
}

/// Waits until the delivery log shows `n` deliveries, none pending.
pub async fn settled_deliveries(app: &TestApp, t: &Tenant, webhook_id: &Value, n: usize) -> Vec<Value> {
    let mut last = Vec::new();
    for _ in 0..1500 {
        last = all_deliveries(app, t, webhook_id).await;
        if last.len() >= n && last.iter().all(|d| d["status"] != "pending") {
            return last;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("deliveries did not settle: {}", serde_json::to_string_pretty(&last).unwrap());
}

/// `n` contacts in the tenant (each a `contact_created` event).
pub async fn contacts(app: &TestApp, t: &Tenant, n: usize, tag: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for i in 0..n {
        out.push(
            app.contact(t, json!({"name": format!("{tag} {i}"), "email": format!("{tag}-{i}@example.com")}))
                .await,
        );
    }
    out
}

/// The event ids of the log events of `event_type` in the account, in order.
pub async fn event_ids(app: &TestApp, account_id: i64, event_type: &str) -> Vec<String> {
    sqlx::query_scalar::<_, uuid::Uuid>(
        "SELECT event_id FROM events WHERE account_id = $1 AND event_type = $2 ORDER BY global_position",
    )
    .bind(account_id)
    .bind(event_type)
    .fetch_all(&app.db)
    .await
    .unwrap()
    .into_iter()
    .map(|id| id.to_string())
    .collect()
}

/// Waits for the outbox to have taken every event so far.
pub async fn outbox_caught_up(app: &TestApp) {
    eventually("the webhook outbox to reach the head of the log", || async {
        let behind: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM events e, projection_checkpoints c \
             WHERE c.name = 'webhook_outbox' AND (e.tx, e.global_position) > (c.tx, c.position))",
        )
        .fetch_one(&app.db)
        .await
        .unwrap();
        (!behind).then_some(())
    })
    .await;
}
