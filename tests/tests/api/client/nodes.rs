//! Realtime across nodes: two `onelink serve` processes on one database.

use onelink_tests::cable::{agent_identifier, Cable};
use onelink_tests::client_api::public_path;
use onelink_tests::pg::fresh_database;
use onelink_tests::process::ServerProcess;
use onelink_tests::TestApp;
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test]
async fn a_message_posted_on_one_node_reaches_a_socket_on_another() {
    let db = fresh_database().await;
    let node1 = ServerProcess::start(&db, &[]).await;
    let node2 = ServerProcess::start(&db, &[]).await;
    // seeding through an in-process node on the same database
    let app = TestApp::spawn_on(db.clone()).await;
    let a = app.tenant("Alpha").await;
    let inbox = app.api_inbox(&a, "Chat").await;
    let contact = app.client_contact(&inbox, json!({"name": "Ann"})).await;
    let conv = app.client_conversation(&inbox, &contact).await;
    let id = conv["id"].as_i64().unwrap();
    let token = app.pubsub_token(&a, &a.admin).await;

    let mut socket = Cable::connect(&node2.base_url).await;
    let reply = socket.subscribe(&agent_identifier(&token, a.account_id, a.admin.id)).await;
    assert_eq!(reply.as_deref(), Some("confirm_subscription"));

    let http = reqwest::Client::new();
    let path = public_path(
        &inbox,
        &format!("/contacts/{}/conversations/{id}/messages", contact["source_id"].as_str().unwrap()),
    );
    let sent = Instant::now();
    let res = http
        .post(format!("{}{path}", node1.base_url))
        .json(&json!({"content": "via node 1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let data = socket.expect_event("message.created", Duration::from_secs(2)).await;
    let latency = sent.elapsed();
    assert_eq!(data["content"], "via node 1");
    eprintln!("cross-node delivery latency: {latency:?}");
    assert!(latency < Duration::from_secs(1), "{latency:?}");
}
