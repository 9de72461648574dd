//! The outbox lives in Postgres: stopping the server mid-backlog and
//! starting another on the same database loses nothing.

use super::{contacts, create_webhook, event_ids, settled_deliveries};
use onelink_projections::webhooks::RetrySchedule;
use onelink_tests::pg::fresh_database;
use onelink_tests::webhook_receiver::{Mode, Receiver};
use onelink_tests::TestApp;
use std::collections::BTreeSet;
use std::time::Duration;

#[tokio::test]
async fn a_webhook_backlog_survives_a_restart_of_the_server() {
    let db = fresh_database().await;
    let slow = |config: &mut onelink_api::AppConfig, _: &_| {
        config.webhooks.schedule =
            RetrySchedule::parse("100ms,200ms,400ms,800ms,1600ms,3200ms,6400ms").unwrap();
    };
    let first = TestApp::spawn_with(db.clone(), slow).await;
    let a = first.tenant("Alpha").await;
    let rx = Receiver::start().await;
    let hook = create_webhook(&first, &a, &rx.url("/backlog"), &["contact_created"]).await;
    rx.set(Mode::Refuse).await;
    contacts(&first, &a, 30, "backlog").await;
    let pending: i64 = sqlx::query_scalar("SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'")
        .fetch_one(&first.db)
        .await
        .unwrap();
    assert!(pending > 0, "a backlog built up");
    drop(first);
    tokio::time::sleep(Duration::from_millis(200)).await;

    rx.set(Mode::Ok).await;
    let second = TestApp::spawn_with(db, slow).await;
    let log = settled_deliveries(&second, &a, &hook["id"], 30).await;
    assert!(log.iter().all(|d| d["status"] == "delivered"), "every message delivered after the restart");
    let expected: BTreeSet<String> =
        event_ids(&second, a.account_id, "ContactCreated").await.into_iter().collect();
    let arrived: BTreeSet<String> = rx.received().iter().map(|r| r.header("webhook-id").to_owned()).collect();
    assert_eq!(arrived, expected);
    assert_eq!(log.len(), 30, "each event enqueued exactly once across both servers");
    let outbox_rows: i64 =
        sqlx::query_scalar("SELECT count(*) FROM webhook_deliveries").fetch_one(&second.db).await.unwrap();
    assert_eq!(outbox_rows, 30);
}
