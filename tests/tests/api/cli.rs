//! The `onelink` command line against a real database.

use onelink_tests::pg::fresh_database;
use onelink_tests::process::{cli, ServerProcess};
use serde_json::Value;
use std::time::Duration;

#[tokio::test]
async fn platform_app_create_grant_projections_and_events() {
    let db = fresh_database().await;
    let (ok, out, err) = cli(&db, &["migrate"]).await;
    assert!(ok, "{err}");
    assert!(out.contains("migrations applied"));

    let (ok, out, err) = cli(&db, &["platform-app", "create", "Console app"]).await;
    assert!(ok, "{err}");
    let created: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(created["name"], "Console app");
    let token = created["access_token"].as_str().unwrap().to_owned();
    let (_, out, _) = cli(&db, &["platform-app", "create", "Other"]).await;
    let other: Value = serde_json::from_str(out.trim()).unwrap();

    let server = ServerProcess::start(&db, &[]).await;
    let http = reqwest::Client::new();
    // apps created before the server started become visible as it catches up
    let mut status = 0;
    for _ in 0..200 {
        let url = format!("{}/platform/api/v1/accounts", server.base_url);
        status = http.get(url).header("api_access_token", &token).send().await.unwrap().status().as_u16();
        if status == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(status, 200);
    let account: Value = http
        .post(format!("{}/platform/api/v1/accounts", server.base_url))
        .header("api_access_token", &token)
        .json(&serde_json::json!({"name": "Granted later"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let account_id = account["id"].as_i64().unwrap();
    let other_token = other["access_token"].as_str().unwrap();
    let url = format!("{}/platform/api/v1/accounts/{account_id}", server.base_url);
    let before = http.get(&url).header("api_access_token", other_token).send().await.unwrap();
    assert_eq!(before.status(), 401);

    let other_id = other["id"].to_string();
    let (ok, out, err) =
        cli(&db, &["platform-app", "grant", &other_id, "--account", &account_id.to_string()]).await;
    assert!(ok, "{err}");
    assert!(out.contains("granted Account"), "{out}");
    let after = http.get(&url).header("api_access_token", other_token).send().await.unwrap();
    assert_eq!(after.status(), 200, "the CLI returns once the running server sees the grant");

    let (ok, _, err) = cli(&db, &["platform-app", "grant", &other_id, "--account", "987654"]).await;
    assert!(!ok, "granting an unknown account must fail");
    assert!(err.contains("grant failed"), "{err}");

    let (ok, out, err) = cli(&db, &["projections", "status"]).await;
    assert!(ok, "{err}");
    for name in ["accounts", "users", "platform_apps", "agent_bots", "contacts"] {
        assert!(out.contains(name), "{out}");
    }

    let (ok, out, err) = cli(&db, &["projections", "rebuild", "all"]).await;
    assert!(ok, "{err}");
    let projections = onelink_projections::all_projections().len();
    assert_eq!(out.lines().filter(|l| l.starts_with("rebuilt ")).count(), projections, "{out}");
    let (ok, _, err) = cli(&db, &["projections", "rebuild", "nope"]).await;
    assert!(!ok);
    assert!(err.contains("unknown projection"), "{err}");

    let (ok, out, err) = cli(&db, &["events", "--stream", &format!("Account/{account_id}")]).await;
    assert!(ok, "{err}");
    let first: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(first["type"], "AccountCreated");
    assert_eq!(first["sequence"], 1);
    assert_eq!(first["actor"]["type"], "platform_app");
    assert_eq!(first["actor"]["id"], created["id"]);
    assert!(first["request_id"].is_string(), "the HTTP request id is recorded");
    assert_eq!(first["data"]["name"], "Granted later");
}
