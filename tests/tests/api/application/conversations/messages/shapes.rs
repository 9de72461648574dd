//! The REST shapes of messages and of the messages listing, key for key.

use super::super::super::keys;
use super::{bot, message, Setup};
use onelink_tests::TestApp;
use serde_json::json;

const MESSAGE_KEYS: [&str; 13] = [
    "id",
    "content",
    "inbox_id",
    "echo_id",
    "conversation_id",
    "message_type",
    "content_type",
    "status",
    "content_attributes",
    "created_at",
    "private",
    "source_id",
    "sender",
];
const USER_PUSH_KEYS: [&str; 7] =
    ["id", "name", "available_name", "avatar_url", "type", "availability_status", "thumbnail"];
const CONTACT_PUSH_KEYS: [&str; 10] = [
    "additional_attributes",
    "custom_attributes",
    "email",
    "id",
    "identifier",
    "name",
    "phone_number",
    "thumbnail",
    "blocked",
    "type",
];

#[tokio::test]
async fn messages_have_the_upstream_rest_shape() {
    let app = TestApp::spawn().await;
    let s = Setup::new(&app).await;
    let a = &s.tenant;
    let path = s.messages("");
    let m = message(
        &app,
        &path,
        &a.admin.token,
        json!({"content": "Hello", "echo_id": "echo-1", "source_id": "ext-1",
               "content_attributes": "{\"in_reply_to\": 7}"}),
    )
    .await;
    assert_eq!(keys(&m), MESSAGE_KEYS, "the upstream's keys in the upstream's order");
    assert_eq!(m["content"], "Hello");
    assert_eq!(m["echo_id"], "echo-1");
    assert_eq!(m["source_id"], "ext-1");
    assert_eq!(m["inbox_id"], s.inbox_id);
    assert_eq!(m["conversation_id"], s.id(), "the display id");
    assert_eq!(m["message_type"], 1, "outgoing by default, as an integer");
    assert_eq!(m["content_type"], "text");
    assert_eq!(m["status"], "sent");
    assert_eq!(m["private"], false);
    assert_eq!(m["content_attributes"], json!({"in_reply_to": 7}), "a JSON string is parsed");
    assert!(m["created_at"].as_i64().unwrap() > 1_700_000_000, "unix seconds");
    assert_eq!(keys(&m["sender"]), USER_PUSH_KEYS);
    assert_eq!(m["sender"]["type"], "user");
    assert_eq!(m["sender"]["id"], a.admin.id);

    let incoming =
        message(&app, &path, &a.admin.token, json!({"content": "Hi", "message_type": "incoming"})).await;
    assert!(incoming.get("echo_id").is_none(), "echo_id only when given");
    assert_eq!(incoming["message_type"], 0);
    assert_eq!(keys(&incoming["sender"]), CONTACT_PUSH_KEYS);
    assert_eq!(incoming["sender"]["id"], s.conversation["meta"]["sender"]["id"]);

    let activity =
        message(&app, &path, &a.admin.token, json!({"content": "x", "message_type": "activity"})).await;
    assert!(activity.get("sender").is_none(), "activity messages have no sender");

    let template = json!({"name": "welcome", "language": "en"});
    let t = message(&app, &path, &a.admin.token, json!({"content": "T", "template_params": template})).await;
    assert_eq!(t["status"], "sent");

    // the listing: meta in the upstream's order, no assignee key when unassigned
    let list = app.get(&path, &a.admin.token).await;
    assert_eq!(list.status, 200, "{}", list.text);
    let list = list.json();
    assert_eq!(keys(&list), ["meta", "payload"]);
    assert_eq!(
        keys(&list["meta"]),
        ["labels", "additional_attributes", "contact", "agent_last_seen_at", "assignee_last_seen_at"]
    );
    assert_eq!(keys(&list["meta"]["contact"]), CONTACT_PUSH_KEYS);
    assert_eq!(list["meta"]["agent_last_seen_at"], json!(null));
    let payload = list["payload"].as_array().unwrap();
    assert_eq!(payload.len(), 4);
    assert_eq!(payload[0]["id"], m["id"]);
    assert_eq!(payload[0], m, "the listing renders the same shape");
}

#[tokio::test]
async fn the_listing_shows_a_user_assignee_and_bots_post_as_themselves() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let inbox = app.api_inbox(&a, "Support").await["id"].as_i64().unwrap();
    let c = app.conversation(&a, inbox, json!({"assignee_id": a.agent.id})).await;
    let path = a.path(&format!("/conversations/{}/messages", c["id"]));
    let list = app.get(&path, &a.admin.token).await.json();
    assert_eq!(
        keys(&list["meta"]),
        [
            "labels",
            "additional_attributes",
            "contact",
            "assignee",
            "agent_last_seen_at",
            "assignee_last_seen_at"
        ]
    );
    assert_eq!(keys(&list["meta"]["assignee"]), USER_PUSH_KEYS);
    assert_eq!(list["meta"]["assignee"]["id"], a.agent.id);

    let (bot_id, bot_token) = bot(&app, &a).await;
    let by_bot = message(&app, &path, &bot_token, json!({"content": "Beep"})).await;
    assert_eq!(
        by_bot["sender"],
        json!({"id": bot_id, "name": "Helper", "avatar_url": "", "type": "agent_bot"})
    );
    let as_bot = message(
        &app,
        &path,
        &a.admin.token,
        json!({"content": "Posted as the bot", "sender_type": "AgentBot", "sender_id": bot_id}),
    )
    .await;
    assert_eq!(as_bot["sender"]["type"], "agent_bot");
    assert_eq!(as_bot["sender"]["id"], bot_id);
    // bots may create messages only
    let listed = app.get(&path, &bot_token).await;
    assert_eq!(listed.status, 401);
    assert_eq!(listed.json(), json!({"error": "Access to this endpoint is not authorized for bots"}));
}
