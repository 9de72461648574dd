//! The flood guard (exact, also under concurrency: R4b) and idempotency
//! keys (R12).

use super::{global_id, message, post, stream_events, Setup};
use onelink_tests::{Response, TestApp};
use reqwest::Method;
use serde_json::json;

async fn limited(limit: usize) -> TestApp {
    TestApp::spawn_with(|config| config.settings.flood_limit_per_minute = limit).await
}

#[tokio::test]
async fn the_flood_guard_accepts_exactly_the_limit() {
    let app = limited(5).await;
    let s = Setup::new(&app).await;
    let path = s.messages("");
    for i in 0..5 {
        message(&app, &path, &s.tenant.admin.token, json!({"content": format!("m{i}")})).await;
    }
    let before = app.event_count().await;
    for body in [json!({"content": "one too many"}), json!({"content": "hi", "message_type": "incoming"})] {
        let refused = post(&app, &path, &s.tenant.admin.token, body).await;
        assert_eq!(refused.status, 429);
        assert_eq!(refused.headers.get("retry-after").unwrap(), "60");
        assert_eq!(refused.json(), json!({"error": "Too many messages"}));
    }
    assert_eq!(app.event_count().await, before, "a refused message writes nothing");
    // the guard is per conversation
    let other = app.conversation(&s.tenant, s.inbox_id, json!({})).await;
    let elsewhere = s.tenant.path(&format!("/conversations/{}/messages", other["id"]));
    message(&app, &elsewhere, &s.tenant.admin.token, json!({"content": "fine"})).await;
}

/// R4b: with L = 50, 10 writers × 10 messages at once → exactly 50 accepted.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_flood_guard_is_exact_under_concurrency() {
    let app = std::sync::Arc::new(limited(50).await);
    let s = Setup::new(&app).await;
    let path = s.messages("");
    let mut writers = Vec::new();
    for w in 0..10 {
        let (app, path, token) = (app.clone(), path.clone(), s.tenant.admin.token.clone());
        writers.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            for n in 0..10 {
                statuses
                    .push(post(&app, &path, &token, json!({"content": format!("w{w}-{n}")})).await.status);
            }
            statuses
        }));
    }
    let mut statuses = Vec::new();
    for w in writers {
        statuses.extend(w.await.unwrap());
    }
    let accepted = statuses.iter().filter(|s| **s == 200).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((accepted, refused), (50, 50), "{statuses:?}");
    let id = global_id(&app, s.tenant.account_id, s.id()).await;
    assert_eq!(stream_events(&app, id, "MessageCreated").await, 50);
    let listed = app.get(&format!("{path}?after=0"), &s.tenant.admin.token).await.json();
    assert_eq!(listed["payload"].as_array().unwrap().len(), 50);
}

async fn keyed(app: &TestApp, path: &str, token: &str, key: &str, content: &str) -> Response {
    let body = json!({"content": content});
    app.request_with_headers(Method::POST, path, Some(token), Some(body), &[("Idempotency-Key", key)]).await
}

#[tokio::test]
async fn an_idempotency_key_returns_the_original_message() {
    let app = TestApp::spawn().await;
    let s = Setup::new(&app).await;
    let (path, token) = (s.messages(""), s.tenant.admin.token.clone());
    let first = keyed(&app, &path, &token, "retry-1", "Hello").await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert!(first.headers.get("idempotent-replayed").is_none());
    let again = keyed(&app, &path, &token, "retry-1", "Hello").await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(again.json(), first.json(), "the same message, same id");
    assert_eq!(again.headers.get("idempotent-replayed").unwrap(), "true");
    let id = global_id(&app, s.tenant.account_id, s.id()).await;
    assert_eq!(stream_events(&app, id, "MessageCreated").await, 1, "one event");
    let recorded: String = sqlx::query_scalar(
        "SELECT payload->>'idempotency_key' FROM events WHERE event_type = 'MessageCreated' AND aggregate_id = $1",
    )
    .bind(id.to_string())
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(recorded, "retry-1", "the key is recorded in MessageCreated");

    let other_key = keyed(&app, &path, &token, "retry-2", "Hello").await.json();
    assert_ne!(other_key["id"], first.json()["id"]);
    let other = app.conversation(&s.tenant, s.inbox_id, json!({})).await;
    let elsewhere = s.tenant.path(&format!("/conversations/{}/messages", other["id"]));
    let there = keyed(&app, &elsewhere, &token, "retry-1", "Hello").await.json();
    assert_ne!(there["id"], first.json()["id"], "keys are per conversation");
    assert_eq!(app.get(&path, &token).await.json()["payload"].as_array().unwrap().len(), 2);

    let before = app.event_count().await;
    for bad in ["", &"k".repeat(256)] {
        let res = keyed(&app, &path, &token, bad, "x").await;
        assert_eq!(res.status, 422, "{bad:?}");
        assert_eq!(res.json(), json!({"error": "Idempotency-Key must be 1 to 255 printable characters"}));
    }
    assert_eq!(app.event_count().await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_requests_with_one_key_create_one_message() {
    let app = std::sync::Arc::new(TestApp::spawn().await);
    let s = Setup::new(&app).await;
    let path = s.messages("");
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (app, path, token) = (app.clone(), path.clone(), s.tenant.admin.token.clone());
        tasks.push(tokio::spawn(async move { keyed(&app, &path, &token, "the-one", "Only once").await }));
    }
    let mut ids = Vec::new();
    for t in tasks {
        let res = t.await.unwrap();
        assert_eq!(res.status, 200, "{}", res.text);
        ids.push(res.json()["id"].clone());
    }
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
    let id = global_id(&app, s.tenant.account_id, s.id()).await;
    assert_eq!(stream_events(&app, id, "MessageCreated").await, 1);
}
