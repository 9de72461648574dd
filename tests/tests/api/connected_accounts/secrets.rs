//! S15 for connected accounts: credentials, passwords and JWTs never
//! appear in clear in the log or any table; the sealed copy opens with the
//! installation key only, for the channel workers that will use it.

use super::{connected, michael, patch, token, PASSWORD};
use onelink_commands::secrets::SecretBox;
use onelink_tests::TestApp;
use serde_json::json;

/// Every row of every table (events included) as text.
async fn everything(app: &TestApp) -> String {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    let mut all = String::new();
    for table in tables {
        let rows: Vec<String> = sqlx::query_scalar(&format!("SELECT t::text FROM \"{table}\" t"))
            .fetch_all(&app.db)
            .await
            .unwrap();
        all.push_str(&rows.join("\n"));
    }
    all
}

#[tokio::test]
async fn connected_account_secrets_never_rest_in_clear() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let jwt = token(&app, &a.admin).await;
    let first = format!("CANARY-first-{}", uuid::Uuid::new_v4());
    let second = format!("CANARY-second-{}", uuid::Uuid::new_v4());
    let item = connected(&app, &jwt, michael(&first)).await;
    let iri = item["@id"].as_str().unwrap();
    let res = patch(&app, iri, &jwt, json!({"credentials": {"access_token": second}})).await;
    assert_eq!(res.status, 200, "{}", res.text);

    let stored = everything(&app).await;
    for secret in [first.as_str(), second.as_str(), jwt.as_str(), PASSWORD] {
        assert!(!stored.contains(secret), "{secret} is stored in clear");
    }
    let events: Vec<(String, serde_json::Value)> = sqlx::query_as(
        "SELECT event_type, payload FROM events WHERE aggregate_type = 'ConnectedAccount' ORDER BY global_position",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    let types: Vec<&str> = events.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(types, ["ConnectedAccountConnected", "ConnectedAccountCredentialsReplaced"]);
    assert!(events[1].1["credentials"]["sealed"].is_string());

    // the read model's sealed copy is the latest credentials, for the
    // installation key only
    let sealed: String =
        sqlx::query_scalar("SELECT credentials_sealed FROM connected_accounts WHERE id = $1::uuid")
            .bind(item["id"].as_str().unwrap())
            .fetch_one(&app.db)
            .await
            .unwrap();
    let opened = SecretBox::from_secret(&app.secret_key).open(&sealed).unwrap();
    assert_eq!(serde_json::from_str::<serde_json::Value>(&opened).unwrap(), json!({"access_token": second}));
    assert_eq!(SecretBox::from_secret("another key").open(&sealed), None);

    let hashes: Vec<Option<String>> =
        sqlx::query_scalar("SELECT password_hash FROM users").fetch_all(&app.db).await.unwrap();
    for hash in hashes.into_iter().flatten() {
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
    }
}
