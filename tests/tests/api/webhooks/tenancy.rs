//! Tenancy of deliveries: one account's events never reach another
//! account's webhook, in either direction.

use super::{contacts, create_webhook, settled_deliveries};
use onelink_tests::webhook_receiver::Receiver;
use onelink_tests::TestApp;
use std::time::Duration;

#[tokio::test]
async fn webhook_deliveries_never_cross_accounts() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let (rx_a, rx_b) = (Receiver::start().await, Receiver::start().await);
    let hook_a = create_webhook(&app, &a, &rx_a.url("/a"), &["contact_created", "contact_updated"]).await;
    let hook_b = create_webhook(&app, &b, &rx_b.url("/b"), &["contact_created", "contact_updated"]).await;
    contacts(&app, &a, 22, "CANARY-A").await;
    contacts(&app, &b, 3, "CANARY-B").await;

    rx_a.wait_until("A's 22 events", Duration::from_secs(30), |r| r.len() >= 22).await;
    rx_b.wait_until("B's 3 events", Duration::from_secs(30), |r| r.len() >= 3).await;
    settled_deliveries(&app, &a, &hook_a["id"], 22).await;
    settled_deliveries(&app, &b, &hook_b["id"], 3).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (got_a, got_b) = (rx_a.received(), rx_b.received());
    assert_eq!(got_a.len(), 22);
    assert_eq!(got_b.len(), 3);
    for r in &got_a {
        assert_eq!(r.json()["account"]["id"], a.account_id);
        assert!(r.body.contains("CANARY-A") && !r.body.contains("CANARY-B"));
        assert!(r.signed_with(hook_a["secret"].as_str().unwrap()));
        assert!(!r.signed_with(hook_b["secret"].as_str().unwrap()));
    }
    for r in &got_b {
        assert_eq!(r.json()["account"]["id"], b.account_id);
        assert!(r.body.contains("CANARY-B") && !r.body.contains("CANARY-A"));
    }
    // the delivery logs are per account too
    let foreign = app.get(&b.path(&format!("/webhooks/{}/deliveries", hook_a["id"])), &b.admin.token).await;
    assert_eq!(foreign.status, 404);
    let rows: Vec<(i64, i64)> =
        sqlx::query_as("SELECT DISTINCT account_id, webhook_id FROM webhook_deliveries ORDER BY 1")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(
        rows,
        [(a.account_id, hook_a["id"].as_i64().unwrap()), (b.account_id, hook_b["id"].as_i64().unwrap())]
    );
}
