//! Agent-bot delivery: the bot of a conversation's inbox gets the
//! upstream's bot events at its `outgoing_url` (through the webhook
//! outbox), signed with its access token; a bot that keeps failing hands
//! the pending conversation over to humans.

use hmac::{Hmac, Mac};
use onelink_tests::seed::Tenant;
use onelink_tests::webhook_receiver::{Mode, Received, Receiver};
use onelink_tests::{eventually, TestApp};
use serde_json::{json, Value};
use sha2::Sha256;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// An API inbox served by a new account bot posting to `url`; returns
/// `(inbox_id, bot JSON)`.
async fn bot_inbox(app: &TestApp, t: &Tenant, url: &str) -> (i64, Value) {
    let inbox = app.api_inbox(t, "Bot inbox").await["id"].as_i64().unwrap();
    let res = app
        .post(&t.path("/agent_bots"), &t.admin.token, json!({"name": "Helper", "outgoing_url": url}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let bot = res.json();
    let path = t.path(&format!("/inboxes/{inbox}/set_agent_bot"));
    let set = app.post(&path, &t.admin.token, json!({"agent_bot": bot["id"]})).await;
    assert_eq!(set.status, 200, "{}", set.text);
    (inbox, bot)
}

/// `X-Chatwoot-Signature` computed here with the bot's access token.
fn signed_by_bot(r: &Received, token: &str) -> bool {
    let mut mac = Hmac::<Sha256>::new_from_slice(token.as_bytes()).unwrap();
    mac.update(format!("{}.{}", r.header("x-chatwoot-timestamp"), r.body).as_bytes());
    r.header("x-chatwoot-signature") == format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

#[tokio::test]
async fn the_inbox_bot_receives_messages_and_status_changes_but_not_conversation_created() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let rx = Receiver::start().await;
    let (inbox, bot) = bot_inbox(&app, &a, &rx.url("/bot")).await;
    let token = bot["access_token"].as_str().unwrap().to_owned();
    let c = app
        .conversation(&a, inbox, json!({"message": {"content": "I need help", "message_type": "incoming"}}))
        .await;
    assert_eq!(c["status"], "pending");
    let got = rx.wait_until("the incoming message", WAIT, |r| !r.is_empty()).await;
    let first = got[0].json();
    assert_eq!(first["event"], "message_created");
    assert_eq!(first["content"], "I need help");
    assert_eq!(first["message_type"], "incoming");
    assert_eq!(first["conversation"]["id"], c["id"]);
    assert_eq!(first["conversation"]["status"], "pending");
    assert!(signed_by_bot(&got[0], &token), "signed with the bot's access token");
    let ids: Vec<String> = sqlx::query_scalar::<_, uuid::Uuid>(
        "SELECT event_id FROM events WHERE account_id = $1 AND event_type = 'MessageCreated'",
    )
    .bind(a.account_id)
    .fetch_all(&app.db)
    .await
    .unwrap()
    .into_iter()
    .map(|id| id.to_string())
    .collect();
    assert_eq!(ids, [got[0].header("webhook-id")], "the log event's id");

    // the bot hands off with its own token, then an agent resolves
    let base = a.path(&format!("/conversations/{}", c["id"]));
    let res = app.post(&format!("{base}/toggle_status"), &token, json!({"status": "open"})).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let res = app.post(&format!("{base}/toggle_status"), &a.admin.token, json!({"status": "resolved"})).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let got = rx.wait_until("opened and resolved", WAIT, |r| r.len() >= 3).await;
    // several workers: the two status events may arrive in either order
    let mut events: Vec<String> =
        got.iter().map(|r| r.json()["event"].as_str().unwrap().to_owned()).collect();
    events.sort();
    assert_eq!(events, ["conversation_opened", "conversation_resolved", "message_created"]);
    let resolved = got.iter().map(|r| r.json()).find(|j| j["event"] == "conversation_resolved").unwrap();
    assert_eq!(resolved["status"], "resolved");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(rx.received().len(), 3, "no conversation_created, nothing twice");

    // bots may not manage webhooks
    let res = app.get(&a.path("/webhooks"), &token).await;
    assert_eq!(res.status, 401, "{}", res.text);
}

#[tokio::test]
async fn a_failing_bot_hands_the_pending_conversation_to_humans() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let rx = Receiver::start().await;
    rx.set(Mode::Status(500)).await;
    let (inbox, _) = bot_inbox(&app, &a, &rx.url("/down")).await;
    let c = app
        .conversation(&a, inbox, json!({"message": {"content": "Anyone?", "message_type": "incoming"}}))
        .await;
    assert_eq!(c["status"], "pending");
    let path = a.path(&format!("/conversations/{}", c["id"]));
    eventually("the conversation to be handed to humans", || async {
        let res = app.get(&path, &a.admin.token).await;
        (res.json()["status"] == "open").then_some(())
    })
    .await;
    // the hand-off itself is a `conversation_opened` the bot is told of
    let attempts = rx.received().iter().filter(|r| r.json()["event"] == "message_created").count();
    assert_eq!(attempts, 3, "three attempts before the hand-off");
    let (status, tries): (String, i32) = sqlx::query_as(
        "SELECT status, attempts FROM webhook_deliveries \
         WHERE account_id = $1 AND target = 'agent_bot' AND event_name = 'message_created'",
    )
    .bind(a.account_id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((status.as_str(), tries), ("failed", 3));
    let by: String = sqlx::query_scalar(
        "SELECT actor_type FROM events WHERE account_id = $1 AND event_type = 'ConversationStatusChanged'",
    )
    .bind(a.account_id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(by, "system");
}

#[tokio::test]
async fn bot_deliveries_never_reach_another_accounts_bot_nor_webhook_logs() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let (rx_a, rx_b) = (Receiver::start().await, Receiver::start().await);
    let (inbox_a, _) = bot_inbox(&app, &a, &rx_a.url("/a")).await;
    bot_inbox(&app, &b, &rx_b.url("/b")).await;
    let hook = super::create_webhook(&app, &a, &rx_a.url("/hook"), &["contact_created"]).await;
    app.conversation(&a, inbox_a, json!({"message": {"content": "CANARY-A", "message_type": "incoming"}}))
        .await;
    rx_a.wait_until("A's bot message and contact webhook", WAIT, |r| r.len() >= 2).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(rx_b.received().is_empty(), "B's bot got nothing of A");
    // the webhook's delivery log shows only webhook deliveries
    let log = super::settled_deliveries(&app, &a, &hook["id"], 1).await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["event"], "contact_created");
}
