//! Replays go out in log order (one worker sends in queue order; with
//! several, order is best effort, like every webhook system), and the
//! delivery rate of a backlog.

use super::{contacts, create_webhook, event_ids, settled_deliveries};
use onelink_tests::pg::fresh_database;
use onelink_tests::webhook_receiver::Receiver;
use onelink_tests::TestApp;
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test]
async fn a_replay_delivers_exactly_its_range_in_log_order() {
    let app =
        TestApp::spawn_configured(fresh_database().await, |config, _| config.webhooks.workers = 1).await;
    let a = app.tenant("Alpha").await;
    contacts(&app, &a, 12, "ordered").await;
    let rx = Receiver::start().await;
    // created after the events: nothing live, only what the replay queues
    let hook = create_webhook(&app, &a, &rx.url("/ordered"), &["contact_created"]).await;
    let ids = event_ids(&app, a.account_id, "ContactCreated").await;
    let positions: Vec<i64> = sqlx::query_scalar(
        "SELECT global_position FROM events WHERE account_id = $1 AND event_type = 'ContactCreated' \
         ORDER BY global_position",
    )
    .bind(a.account_id)
    .fetch_all(&app.db)
    .await
    .unwrap();
    // the 3rd to the 9th event, inclusive
    let body = json!({"from_position": positions[2], "to_position": positions[8]});
    let res = app.post(&a.path(&format!("/webhooks/{}/replay", hook["id"])), &a.admin.token, body).await;
    assert_eq!(res.status, 202, "{}", res.text);
    assert_eq!(res.json()["payload"]["replay"]["queued"], 7);
    rx.wait_until("seven replayed messages", Duration::from_secs(30), |r| r.len() >= 7).await;
    settled_deliveries(&app, &a, &hook["id"], 7).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let got: Vec<String> = rx.received().iter().map(|r| r.header("webhook-id").to_owned()).collect();
    assert_eq!(got, ids[2..=8], "exactly the range, in log order, with the original ids");
}

#[tokio::test]
async fn a_backlog_of_three_hundred_messages_drains_quickly() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    contacts(&app, &a, 300, "rate").await;
    let rx = Receiver::start().await;
    let hook = create_webhook(&app, &a, &rx.url("/rate"), &["contact_created"]).await;
    let started = Instant::now();
    let res = app
        .post(
            &a.path(&format!("/webhooks/{}/replay", hook["id"])),
            &a.admin.token,
            json!({"from_position": 0}),
        )
        .await;
    assert_eq!(res.json()["payload"]["replay"]["queued"], 300, "{}", res.text);
    rx.wait_until("the whole backlog", Duration::from_secs(60), |r| r.len() >= 300).await;
    let took = started.elapsed();
    eprintln!(
        "webhook throughput: 300 messages in {:.2} s ({:.0} messages/s, 4 workers, signed, loopback receiver)",
        took.as_secs_f64(),
        300.0 / took.as_secs_f64()
    );
    assert_eq!(rx.received().len(), 300);
}
