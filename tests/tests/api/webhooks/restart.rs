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
    let first = TestApp::spawn_configured(db.clone(), slow).await;
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
    let second = TestApp::spawn_configured(db, slow).await;
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

/// The real `onelink serve`, with webhooks allowed to reach 127.0.0.1 only.
async fn server(db: &str) -> onelink_tests::process::ServerProcess {
    onelink_tests::process::ServerProcess::start(
        db,
        &[
            ("ONELINK_WEBHOOK_ALLOW_CIDRS", "127.0.0.1/32"),
            ("ONELINK_WEBHOOK_PUBLIC_EGRESS", "false"),
            ("ONELINK_WEBHOOK_RETRY_SCHEDULE", "100ms,200ms,400ms,800ms,1600ms,3200ms,6400ms"),
            ("ONELINK_WEBHOOK_TIMEOUT", "500ms"),
        ],
    )
    .await
}

#[tokio::test]
async fn a_webhook_backlog_survives_kill_9_mid_delivery() {
    use serde_json::{json, Value};
    let db = fresh_database().await;
    let (ok, out, err) = onelink_tests::process::cli(&db, &["platform-app", "create", "P"]).await;
    assert!(ok, "{err}");
    let platform =
        serde_json::from_str::<Value>(out.trim()).unwrap()["access_token"].as_str().unwrap().to_owned();
    let mut doomed = server(&db).await;
    let http = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap();
    let call = |base: &str, path: &str, token: &str, body: Value| {
        http.post(format!("{base}{path}")).header("api_access_token", token).json(&body).send()
    };
    let base = doomed.base_url.clone();
    let account: Value = onelink_tests::eventually("the platform app to be visible", || async {
        let res =
            call(&base, "/platform/api/v1/accounts", &platform, json!({"name": "Alpha"})).await.unwrap();
        (res.status() == 200).then_some(res)
    })
    .await
    .json()
    .await
    .unwrap();
    let account_id = account["id"].as_i64().unwrap();
    let user: Value = call(
        &base,
        "/platform/api/v1/users",
        &platform,
        json!({"name": "Admin", "email": "admin@example.com", "password": "Passw0rd!"}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let admin = user["access_token"].as_str().unwrap().to_owned();
    let path = format!("/platform/api/v1/accounts/{account_id}/account_users");
    let res =
        call(&base, &path, &platform, json!({"user_id": user["id"], "role": "administrator"})).await.unwrap();
    assert_eq!(res.status(), 200);
    let rx = Receiver::start().await;
    let hooks = format!("/api/v1/accounts/{account_id}/webhooks");
    let res =
        call(&base, &hooks, &admin, json!({"url": rx.url("/k9"), "subscriptions": ["contact_created"]}))
            .await
            .unwrap();
    assert_eq!(res.status(), 200);

    rx.set(Mode::Refuse).await;
    let contacts = format!("/api/v1/accounts/{account_id}/contacts");
    for i in 0..30 {
        let body = json!({"name": format!("k9 {i}"), "email": format!("k9-{i}@example.com")});
        assert_eq!(call(&base, &contacts, &admin, body).await.unwrap().status(), 200);
    }
    // some attempts are in flight (stalled) when the process dies
    rx.set(Mode::Stall(Duration::from_secs(5))).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    doomed.child.kill().await.unwrap();
    let pool = sqlx::PgPool::connect(&db).await.unwrap();
    let pending: i64 = sqlx::query_scalar("SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(pending > 0, "a backlog was left behind");

    rx.set(Mode::Ok).await;
    let _survivor = server(&db).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let (delivered, total): (i64, i64) = sqlx::query_as(
            "SELECT count(*) FILTER (WHERE status = 'delivered'), count(*) FROM webhook_deliveries",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        if delivered == 30 {
            assert_eq!(total, 30, "each event enqueued exactly once");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{delivered}/{total} delivered");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let expected: BTreeSet<String> = sqlx::query_scalar::<_, uuid::Uuid>(
        "SELECT event_id FROM events WHERE event_type = 'ContactCreated'",
    )
    .fetch_all(&pool)
    .await
    .unwrap()
    .into_iter()
    .map(|id| id.to_string())
    .collect();
    let arrived: BTreeSet<String> = rx.received().iter().map(|r| r.header("webhook-id").to_owned()).collect();
    assert_eq!(arrived, expected, "every event reached the receiver");
}
