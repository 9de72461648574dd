//! What messages do to their conversation: `last_activity_at`,
//! `unread_count`, `first_reply_created_at`, `waiting_since`, and
//! `update_last_seen`.

use super::{bot, message, Setup};
use onelink_tests::TestApp;
use serde_json::{json, Value};

async fn show(app: &TestApp, s: &Setup, token: &str) -> Value {
    let res = app.get(&s.tenant.path(&format!("/conversations/{}", s.id())), token).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()
}

#[tokio::test]
async fn messages_keep_the_conversation_bookkeeping() {
    let app = TestApp::spawn().await;
    let s = Setup::new(&app).await;
    let a = &s.tenant;
    let token = &a.admin.token;
    let path = s.messages("");
    let fresh = show(&app, &s, token).await;
    assert_eq!(fresh["unread_count"], 0);
    assert_eq!(fresh["waiting_since"], fresh["created_at"], "waiting from the start, as upstream");
    assert_eq!(fresh["first_reply_created_at"], 0);
    assert_eq!(fresh["last_activity_at"], fresh["created_at"], "created_at until messages arrive");

    let first_in = message(&app, &path, token, json!({"content": "help", "message_type": "incoming"})).await;
    message(&app, &path, token, json!({"content": "again", "message_type": "incoming"})).await;
    let c = show(&app, &s, token).await;
    assert_eq!(c["unread_count"], 2);
    assert_eq!(c["waiting_since"], fresh["created_at"], "still waiting since the start");
    assert_eq!(c["first_reply_created_at"], 0);
    assert_eq!(c["messages"][0]["content"], "again");

    message(&app, &path, token, json!({"content": "a note", "private": true})).await;
    let (_, bot_token) = bot(&app, a).await;
    message(&app, &path, &bot_token, json!({"content": "beep"})).await;
    let c = show(&app, &s, token).await;
    assert_eq!(c["first_reply_created_at"], 0, "private notes and bots are not a first reply");
    assert_eq!(c["waiting_since"], fresh["created_at"]);

    let reply = message(&app, &path, token, json!({"content": "on it"})).await;
    let activity = message(&app, &path, token, json!({"content": "noted", "message_type": "activity"})).await;
    let c = show(&app, &s, token).await;
    assert_eq!(c["first_reply_created_at"], reply["created_at"]);
    assert_eq!(c["waiting_since"], 0, "a human reply ends the wait");
    assert_eq!(c["last_activity_at"], activity["created_at"], "activity messages count as activity");
    assert_eq!(c["timestamp"], c["last_activity_at"]);
    assert_eq!(c["last_non_activity_message"]["id"], reply["id"]);
    assert_eq!(c["unread_count"], 2, "still unread");
    assert!(first_in["created_at"].as_i64().unwrap() >= fresh["created_at"].as_i64().unwrap());

    let next_in = message(&app, &path, token, json!({"content": "thanks", "message_type": "incoming"})).await;
    let c = show(&app, &s, token).await;
    assert_eq!(c["waiting_since"], next_in["created_at"], "waiting again since the new message");
    assert_eq!(c["first_reply_created_at"], reply["created_at"], "the first reply stays");
    assert_eq!(c["unread_count"], 3);
}

#[tokio::test]
async fn update_last_seen_resets_the_unread_count() {
    let app = TestApp::spawn().await;
    let s = Setup::new(&app).await;
    let a = &s.tenant;
    let path = s.messages("");
    app.inbox_members(a, s.inbox_id, &[a.agent.id]).await;
    for i in 0..12 {
        message(
            &app,
            &path,
            &a.admin.token,
            json!({"content": format!("in {i}"), "message_type": "incoming"}),
        )
        .await;
    }
    let before = show(&app, &s, &a.admin.token).await;
    assert_eq!(before["unread_count"], 10, "capped at 10 as upstream");
    assert_eq!(before["agent_last_seen_at"], 0);

    let seen = a.path(&format!("/conversations/{}/update_last_seen", s.id()));
    let res = app.post(&seen, &a.admin.token, json!({})).await;
    assert_eq!((res.status, res.text.as_str()), (204, ""));
    let after = show(&app, &s, &a.admin.token).await;
    assert_eq!(after["unread_count"], 0);
    assert!(after["agent_last_seen_at"].as_i64().unwrap() >= before["created_at"].as_i64().unwrap());
    assert_eq!(after["assignee_last_seen_at"], 0, "the admin is not the assignee");
    assert_eq!(after["updated_at"], before["updated_at"], "like update_column: updated_at stays");
    let listed = app.get(&path, &a.admin.token).await.json();
    assert!(listed["meta"]["agent_last_seen_at"].is_string(), "ISO in the listing's meta");
    assert_eq!(listed["meta"]["assignee_last_seen_at"], json!(null));

    message(&app, &path, &a.admin.token, json!({"content": "one more", "message_type": "incoming"})).await;
    assert_eq!(show(&app, &s, &a.admin.token).await["unread_count"], 1);

    // the assignee's visit also sets assignee_last_seen_at
    let assign = a.path(&format!("/conversations/{}/assignments", s.id()));
    assert_eq!(app.post(&assign, &a.admin.token, json!({"assignee_id": a.agent.id})).await.status, 200);
    assert_eq!(app.post(&seen, &a.agent.token, json!({})).await.status, 204);
    let by_assignee = show(&app, &s, &a.admin.token).await;
    assert_eq!(by_assignee["unread_count"], 0);
    assert!(by_assignee["assignee_last_seen_at"].as_i64().unwrap() > 0);

    // bots, strangers and other tenants may not
    let (_, bot_token) = bot(&app, a).await;
    let events = app.event_count().await;
    assert_eq!(app.post(&seen, &bot_token, json!({})).await.status, 401);
    let b = app.tenant("Beta").await;
    let events_b = app.event_count().await;
    assert_eq!(app.post(&seen, &b.admin.token, json!({})).await.status, 401);
    let res = app
        .post(&b.path(&format!("/conversations/{}/update_last_seen", s.id())), &b.admin.token, json!({}))
        .await;
    assert_eq!((res.status, res.json()), (404, json!({"error": "Resource could not be found"})));
    assert!(events_b >= events);
    assert_eq!(app.event_count().await, events_b, "refusals write nothing");
}
