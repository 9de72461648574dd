//! Conversation and message events reach webhooks in the upstream shapes:
//! `conversation_created`, `message_created`, a status change as both
//! `conversation_status_changed` and `conversation_updated`, other changes
//! as `conversation_updated` with `changed_attributes`.

use super::{create_webhook, event_ids, settled_deliveries};
use onelink_tests::webhook_receiver::Receiver;
use onelink_tests::TestApp;
use serde_json::{json, Value};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test]
async fn conversation_and_message_events_arrive_in_the_upstream_shapes() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let inbox = app.api_inbox(&a, "Support").await;
    let inbox_id = inbox["id"].as_i64().unwrap();
    let rx = Receiver::start().await;
    let names = [
        "conversation_created",
        "conversation_status_changed",
        "conversation_updated",
        "message_created",
        "message_updated",
    ];
    let hook = create_webhook(&app, &a, &rx.url("/conv"), &names).await;
    let secret = hook["secret"].as_str().unwrap().to_owned();

    let c = app
        .conversation(
            &a,
            inbox_id,
            json!({"message": {"content": "Hello there", "message_type": "incoming"}}),
        )
        .await;
    let display_id = c["id"].as_i64().unwrap();
    let base = a.path(&format!("/conversations/{display_id}"));
    let res = app.post(&format!("{base}/toggle_status"), &a.admin.token, json!({"status": "resolved"})).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let res = app.post(&format!("{base}/toggle_priority"), &a.admin.token, json!({"priority": "high"})).await;
    assert_eq!(res.status, 200, "{}", res.text);
    // a no-op (same priority again) sends nothing
    app.post(&format!("{base}/toggle_priority"), &a.admin.token, json!({"priority": "high"})).await;

    // created, message, status changed + updated, updated (priority)
    rx.wait_until("five conversation messages", WAIT, |r| r.len() >= 5).await;
    settled_deliveries(&app, &a, &hook["id"], 5).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let got = rx.received();
    let events: Vec<String> = got.iter().map(|r| r.json()["event"].as_str().unwrap().to_owned()).collect();
    let mut sorted = events.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            "conversation_created",
            "conversation_status_changed",
            "conversation_updated",
            "conversation_updated",
            "message_created"
        ],
        "{events:?}"
    );
    for r in &got {
        assert!(r.signed_with(&secret), "every message is signed with the webhook's secret");
    }
    let by =
        |name: &str| -> Vec<Value> { got.iter().map(|r| r.json()).filter(|j| j["event"] == name).collect() };

    let created = &by("conversation_created")[0];
    assert_eq!(created["id"], display_id);
    assert_eq!(created["inbox_id"], inbox_id);
    assert_eq!(created["status"], "open");
    assert_eq!(created["channel"], "Channel::Api");
    assert!(created["meta"]["sender"]["name"].as_str().unwrap().starts_with("Customer"));
    assert_eq!(created["meta"]["sender"]["type"], "contact");
    assert!(created.get("changed_attributes").is_none());

    let message = &by("message_created")[0];
    assert_eq!(message["content"], "Hello there");
    assert_eq!(message["message_type"], "incoming");
    assert_eq!(message["private"], false);
    assert_eq!(message["account"], json!({"id": a.account_id, "name": "Alpha"}));
    assert_eq!(message["inbox"], json!({"id": inbox_id, "name": "Support"}));
    assert_eq!(message["conversation"]["id"], display_id);
    assert_eq!(message["conversation"]["messages"][0]["content"], "Hello there");
    assert!(message["sender"]["name"].as_str().unwrap().starts_with("Customer"));
    assert!(message["sender"].get("type").is_none(), "ContactWebhook has no type key");
    assert!(message["created_at"].as_str().unwrap().ends_with('Z'));

    let status = &by("conversation_status_changed")[0];
    assert_eq!(status["status"], "resolved");
    let changed = status["changed_attributes"].as_array().unwrap();
    assert!(changed.contains(&json!({"status": {"previous_value": "open", "current_value": "resolved"}})));
    assert!(changed.iter().any(|c| c.get("updated_at").is_some()));
    let updates = by("conversation_updated");
    assert!(updates.iter().any(|u| u["changed_attributes"] == status["changed_attributes"]));
    assert!(updates.iter().any(|u| {
        u["priority"] == "high"
            && u["changed_attributes"]
                .as_array()
                .unwrap()
                .contains(&json!({"priority": {"previous_value": null, "current_value": "high"}}))
    }));

    // webhook ids: the log event's id; the second message of one status
    // change gets a derived id of its own
    let id_of = |name: &str| -> Vec<String> {
        got.iter().filter(|r| r.json()["event"] == name).map(|r| r.header("webhook-id").to_owned()).collect()
    };
    let created_ids = event_ids(&app, a.account_id, "ConversationCreated").await;
    assert_eq!(id_of("conversation_created"), created_ids);
    assert_eq!(id_of("message_created"), event_ids(&app, a.account_id, "MessageCreated").await);
    let status_ids = event_ids(&app, a.account_id, "ConversationStatusChanged").await;
    assert_eq!(id_of("conversation_status_changed"), status_ids);
    let all: std::collections::BTreeSet<String> =
        got.iter().map(|r| r.header("webhook-id").to_owned()).collect();
    assert_eq!(all.len(), 5, "five distinct webhook ids");
}

#[tokio::test]
async fn conversation_events_reach_only_subscribed_webhooks() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let inbox = app.api_inbox(&a, "Support").await;
    let (contacts_rx, conv_rx) = (Receiver::start().await, Receiver::start().await);
    create_webhook(&app, &a, &contacts_rx.url("/contacts"), &["contact_created"]).await;
    let hook = create_webhook(&app, &a, &conv_rx.url("/conv"), &["conversation_status_changed"]).await;
    let c = app.conversation(&a, inbox["id"].as_i64().unwrap(), json!({})).await;
    let path = a.path(&format!("/conversations/{}/toggle_status", c["id"]));
    assert_eq!(app.post(&path, &a.admin.token, json!({"status": "pending"})).await.status, 200);
    conv_rx.wait_until("the status change", WAIT, |r| !r.is_empty()).await;
    contacts_rx.wait_until("the contact", WAIT, |r| !r.is_empty()).await;
    settled_deliveries(&app, &a, &hook["id"], 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let got = conv_rx.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].json()["event"], "conversation_status_changed");
    assert_eq!(got[0].json()["status"], "pending");
    let contacts = contacts_rx.received();
    assert_eq!(contacts.len(), 1, "only the conversation's new contact");
    assert_eq!(contacts[0].json()["event"], "contact_created");
}
