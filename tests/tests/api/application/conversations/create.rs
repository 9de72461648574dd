//! `POST /conversations` and `GET /conversations/{id}`.

use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::json;

const CONVERSATION_KEYS: [&str; 26] = [
    "meta",
    "id",
    "messages",
    "account_id",
    "uuid",
    "additional_attributes",
    "agent_last_seen_at",
    "assignee_last_seen_at",
    "can_reply",
    "contact_last_seen_at",
    "custom_attributes",
    "inbox_id",
    "labels",
    "muted",
    "snoozed_until",
    "status",
    "created_at",
    "updated_at",
    "timestamp",
    "first_reply_created_at",
    "unread_count",
    "last_non_activity_message",
    "last_activity_at",
    "priority",
    "waiting_since",
    "sla_policy_id",
];

#[tokio::test]
async fn a_conversation_with_a_first_message_has_the_upstream_shape() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let inbox = app.api_inbox(&a, "Support").await;
    let contact = app.contact(&a, json!({"name": "Kim", "email": "kim@example.com"})).await;
    let res = app
        .post(
            &a.path("/conversations"),
            &a.admin.token,
            json!({"inbox_id": inbox["id"], "contact_id": contact["id"], "source_id": "kim-src",
                   "additional_attributes": {"browser": "firefox"}, "custom_attributes": {"plan": "gold"},
                   "message": {"content": "Hello Kim", "message_type": "outgoing"}}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let c = res.json();
    let keys: Vec<_> = c.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, CONVERSATION_KEYS, "the upstream's keys in the upstream's order");
    assert_eq!(c["id"], 1, "the account's first conversation has display id 1");
    assert_eq!(c["status"], "open");
    assert_eq!(c["inbox_id"], inbox["id"]);
    assert_eq!(c["account_id"], a.account_id);
    assert_eq!(c["custom_attributes"], json!({"plan": "gold"}));
    assert!(uuid::Uuid::parse_str(c["uuid"].as_str().unwrap()).is_ok());
    assert_eq!(c["meta"]["sender"]["id"], contact["id"]);
    assert_eq!(c["meta"]["sender"]["email"], "kim@example.com");
    assert_eq!(c["meta"]["channel"], "Channel::Api");
    assert!(c["meta"].get("assignee").is_none(), "no assignee keys when unassigned");
    let messages = c["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["content"], "Hello Kim");
    assert_eq!(messages[0]["message_type"], 1);
    assert_eq!(messages[0]["conversation_id"], 1);
    assert_eq!(messages[0]["sender"]["type"], "user");
    assert_eq!(messages[0]["sender"]["id"], a.admin.id);
    assert_eq!(messages[0]["conversation"]["contact_inbox"]["source_id"], "kim-src");
    assert_eq!(c["last_non_activity_message"]["id"], messages[0]["id"]);
    assert!(
        c["first_reply_created_at"].as_i64().unwrap() > 0,
        "an agent's outgoing message is the first reply"
    );

    let shown = app.get(&a.path("/conversations/1"), &a.admin.token).await;
    assert_eq!(shown.status, 200);
    assert_eq!(shown.json()["uuid"], c["uuid"]);

    // by source id alone
    let again = app.post(&a.path("/conversations"), &a.admin.token, json!({"source_id": "kim-src"})).await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(again.json()["id"], 2);
    assert_eq!(again.json()["meta"]["sender"]["id"], contact["id"]);
}

#[tokio::test]
async fn initial_status_assignee_and_team_follow_the_rules() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let inbox = app.api_inbox(&a, "Support").await;
    let team = app.post(&a.path("/teams"), &a.admin.token, json!({"name": "billing"})).await.json();
    let snoozed = app
        .conversation(
            &a,
            inbox["id"].as_i64().unwrap(),
            json!({"status": "snoozed", "snoozed_until": 1_900_000_000}),
        )
        .await;
    assert_eq!(snoozed["status"], "snoozed");
    assert_eq!(snoozed["snoozed_until"], "2030-03-17T17:46:40.000Z");

    let assigned =
        app.conversation(&a, inbox["id"].as_i64().unwrap(), json!({"assignee_id": a.agent.id})).await;
    assert_eq!(assigned["meta"]["assignee"]["id"], a.agent.id);
    assert_eq!(assigned["meta"]["assignee_type"], "User");

    // the agent is not in the team: the assignee is dropped, the team kept
    let teamed = app
        .conversation(
            &a,
            inbox["id"].as_i64().unwrap(),
            json!({"assignee_id": a.agent.id, "team_id": team["id"]}),
        )
        .await;
    assert!(teamed["meta"].get("assignee").is_none());
    assert_eq!(teamed["meta"]["team"]["name"], "billing");

    let blocked = app.contact(&a, json!({"name": "Spam", "blocked": true})).await;
    let res = app
        .post(
            &a.path("/conversations"),
            &a.admin.token,
            json!({"inbox_id": inbox["id"], "contact_id": blocked["id"]}),
        )
        .await;
    assert_eq!(res.json()["status"], "resolved", "a blocked contact's conversation starts resolved");
}

#[tokio::test]
async fn bad_conversations_are_refused_and_write_nothing() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let inbox = app.api_inbox(&a, "Support").await;
    let b_inbox = app.api_inbox(&b, "Theirs").await;
    let contact = app.contact(&a, json!({"name": "Kim"})).await;
    let b_contact = app.contact(&b, json!({"name": "Other"})).await;
    let before = app.event_count().await;
    let path = a.path("/conversations");
    for (body, status) in [
        (json!({"inbox_id": 999999, "contact_id": contact["id"]}), 404),
        (json!({"inbox_id": inbox["id"], "contact_id": 999999}), 404),
        (json!({"inbox_id": b_inbox["id"], "contact_id": contact["id"]}), 404),
        (json!({"inbox_id": inbox["id"], "contact_id": b_contact["id"]}), 404),
        (json!({"source_id": "nope"}), 404),
        (json!({}), 404),
        (json!({"inbox_id": inbox["id"], "contact_id": contact["id"], "status": "frozen"}), 422),
        (json!({"inbox_id": inbox["id"], "contact_id": contact["id"], "assignee_id": b.admin.id}), 422),
        (json!({"inbox_id": inbox["id"], "contact_id": contact["id"], "team_id": 999999}), 404),
        (json!({"inbox_id": "abc", "contact_id": contact["id"]}), 422),
        (
            json!({"inbox_id": inbox["id"], "contact_id": contact["id"], "message": {"content": "x", "content_type": "hologram"}}),
            422,
        ),
        (
            json!({"inbox_id": inbox["id"], "contact_id": contact["id"], "message": {"content": "x".repeat(150_001)}}),
            422,
        ),
    ] {
        let res = app.post(&path, &a.admin.token, body.clone()).await;
        assert_eq!(res.status, status, "{body}: {}", res.text);
        assert!(res.json().is_object());
    }
    // no conversation was created (contact inboxes may have been)
    let conversations: i64 =
        sqlx::query_scalar("SELECT count(*) FROM events WHERE event_type = 'ConversationCreated'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(conversations, 0);
    assert!(app.event_count().await >= before);

    let too_long = app
        .post(
            &path,
            &a.admin.token,
            json!({"inbox_id": inbox["id"], "contact_id": contact["id"],
              "message": {"content": "x".repeat(150_001)}}),
        )
        .await;
    assert_eq!(
        too_long.json(),
        json!({"error": "Validation failed: Content is too long (maximum is 150000 characters)"})
    );
}

#[tokio::test]
async fn agents_need_the_inbox_and_other_tenants_see_nothing() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let inbox = app.api_inbox(&a, "Support").await;
    let inbox_id = inbox["id"].as_i64().unwrap();
    let contact = app.contact(&a, json!({"name": "Kim"})).await;
    let body = json!({"inbox_id": inbox_id, "contact_id": contact["id"]});
    let denied = app.post(&a.path("/conversations"), &a.agent.token, body.clone()).await;
    assert_eq!(denied.status, 401);
    assert_eq!(denied.json(), json!({"error": "You are not authorized to do this action"}));
    let conversation = app.conversation(&a, inbox_id, json!({})).await;
    let path = a.path(&format!("/conversations/{}", conversation["id"]));
    assert_eq!(app.get(&path, &a.agent.token).await.status, 401, "not a member of the inbox");
    app.inbox_members(&a, inbox_id, &[a.agent.id]).await;
    assert_eq!(app.get(&path, &a.agent.token).await.status, 200);
    assert_eq!(app.post(&a.path("/conversations"), &a.agent.token, body).await.status, 200);

    assert_eq!(app.get(&path, &b.admin.token).await.status, 401, "B's token on A's account");
    let cross = app.get(&b.path(&format!("/conversations/{}", conversation["id"])), &b.admin.token).await;
    assert_eq!(cross.status, 404, "A's display id does not exist in B");
    assert!(!cross.text.contains("Kim"));
    let bad = app.request(Method::GET, &a.path("/conversations/abc"), Some(&a.admin.token), None).await;
    assert_eq!(bad.status, 404);
}
