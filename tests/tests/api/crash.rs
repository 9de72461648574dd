//! A crash between an event's commit and its projection: the write is kept,
//! the read model is stale until restart, then catches up exactly once.

use onelink_tests::eventually;
use onelink_tests::pg::fresh_database;
use onelink_tests::process::{cli, ServerProcess};
use onelink_tests::readmodels::{dump, rebuild_all};
use serde_json::{json, Value};
use std::time::Duration;

async fn list_accounts(http: &reqwest::Client, base_url: &str, token: &str) -> reqwest::Response {
    http.get(format!("{base_url}/platform/api/v1/accounts"))
        .header("api_access_token", token)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_crash_before_the_projection_commit_loses_nothing_and_applies_nothing_twice() {
    let db = fresh_database().await;
    let (ok, out, err) = cli(&db, &["platform-app", "create", "P"]).await;
    assert!(ok, "{err}");
    let token =
        serde_json::from_str::<Value>(out.trim()).unwrap()["access_token"].as_str().unwrap().to_owned();
    let pool = sqlx::PgPool::connect(&db).await.unwrap();
    let http = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap();

    let mut doomed =
        ServerProcess::start(&db, &[("ONELINK_FAILPOINT", "projection_abort_before_commit:AccountCreated")])
            .await;
    eventually("the platform app to become visible", || async {
        (list_accounts(&http, &doomed.base_url, &token).await.status() == 200).then_some(())
    })
    .await;

    let accounts = format!("{}/platform/api/v1/accounts", doomed.base_url);
    let outcome = http
        .post(&accounts)
        .header("api_access_token", &token)
        .json(&json!({"name": "Survivor"}))
        .send()
        .await;
    assert!(outcome.is_err(), "the server should have died mid-request: {outcome:?}");
    assert!(!doomed.wait_exit(Duration::from_secs(10)).await.success());

    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM events WHERE event_type = 'AccountCreated'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, 1, "the event committed before the crash is durable");
    let projected: i64 = sqlx::query_scalar("SELECT count(*) FROM accounts").fetch_one(&pool).await.unwrap();
    assert_eq!(projected, 0, "the read model is stale before the restart");

    let server = ServerProcess::start(&db, &[]).await;
    let listed: Value = eventually("the restarted server to project the account", || async {
        let listed: Value = list_accounts(&http, &server.base_url, &token).await.json().await.unwrap();
        listed.as_array().is_some_and(|a| !a.is_empty()).then_some(listed)
    })
    .await;
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed[0]["name"], "Survivor");
    let projected: i64 = sqlx::query_scalar("SELECT count(*) FROM accounts").fetch_one(&pool).await.unwrap();
    assert_eq!(projected, 1);

    let head: i64 =
        sqlx::query_scalar("SELECT max(global_position) FROM events").fetch_one(&pool).await.unwrap();
    eventually("every projection to reach the head of the log", || async {
        let behind: i64 =
            sqlx::query_scalar("SELECT count(*) FROM projection_checkpoints WHERE position < $1")
                .bind(head)
                .fetch_one(&pool)
                .await
                .unwrap();
        (behind == 0).then_some(())
    })
    .await;

    let live = dump(&pool).await;
    rebuild_all(&pool).await;
    assert_eq!(dump(&pool).await, live, "after catch-up the read models equal a rebuild");
}
