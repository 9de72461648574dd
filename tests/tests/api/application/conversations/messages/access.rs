//! Who may read and write messages, tenancy, and bad input: always a clear
//! 4xx JSON, and nothing written.

use super::{message, Setup};
use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn agents_need_the_inbox_and_tenants_are_isolated() {
    let app = TestApp::spawn().await;
    let s = Setup::new(&app).await;
    let a = &s.tenant;
    let b = app.tenant("Beta").await;
    let b_inbox = app.api_inbox(&b, "Theirs").await["id"].as_i64().unwrap();
    let b_conversation = app.conversation(&b, b_inbox, json!({})).await;
    assert_eq!(b_conversation["id"], 1, "B has a conversation with the same display id");
    let m = message(&app, &s.messages(""), &a.admin.token, json!({"content": "Secret of A"})).await;
    let one = s.messages(&format!("/{}", m["id"]));
    let before = app.event_count().await;
    let a_count = || async {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM events WHERE account_id = $1")
            .bind(a.account_id)
            .fetch_one(&app.db)
            .await
            .unwrap();
        n
    };
    let a_before = a_count().await;

    let calls = |token: String, list: String, one: String| {
        let app = &app;
        async move {
            vec![
                app.get(&list, &token).await,
                app.post(&list, &token, json!({"content": "intrusion"})).await,
                app.delete(&one, &token).await,
                app.patch(&one, &token, json!({"status": "read"})).await,
            ]
        }
    };
    for res in calls(a.agent.token.clone(), s.messages(""), one.clone()).await {
        assert_eq!(res.status, 401, "the agent is not in the inbox: {}", res.text);
        assert_eq!(res.json(), json!({"error": "You are not authorized to do this action"}));
    }
    for res in calls(b.admin.token.clone(), s.messages(""), one.clone()).await {
        assert_eq!(res.status, 401, "B's token on A's account: {}", res.text);
        assert!(!res.text.contains("Secret of A"));
    }
    // B's administrator naming A's display id and message on B's own path
    let b_list = b.path(&format!("/conversations/{}/messages", s.id()));
    let b_one = format!("{b_list}/{}", m["id"]);
    let [list, _, delete, patch]: [_; 4] =
        calls(b.admin.token.clone(), b_list, b_one).await.try_into().unwrap();
    assert_eq!(list.status, 200, "B's own conversation 1");
    assert!(!list.text.contains("Secret of A"));
    assert_eq!((delete.status, patch.status), (404, 404), "A's message is not in B's conversation");
    assert_eq!(app.event_count().await, before + 1, "only B's own message was written");
    assert_eq!(a_count().await, a_before, "A's stream is untouched by refused writes");

    // the agent gets access with the inbox
    app.inbox_members(a, s.inbox_id, &[a.agent.id]).await;
    assert_eq!(app.get(&s.messages(""), &a.agent.token).await.status, 200);
    let by_agent = message(&app, &s.messages(""), &a.agent.token, json!({"content": "agent here"})).await;
    assert_eq!(by_agent["sender"]["id"], a.agent.id);
}

#[tokio::test]
async fn bad_message_input_is_a_clear_4xx_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let s = Setup::new(&app).await;
    let a = &s.tenant;
    let path = s.messages("");
    let before = app.event_count().await;
    let validation = |m: &str| json!({"error": format!("Validation failed: {m}")});
    let cases: Vec<(Value, u16, Option<Value>)> = vec![
        (json!({"content": 5}), 422, None),
        (json!({}), 422, Some(validation("Content can't be blank"))),
        (json!({"content": null, "private": true}), 422, Some(validation("Content can't be blank"))),
        (json!({"content": "   "}), 422, Some(validation("Content can't be blank"))),
        (json!([1, 2]), 400, Some(json!({"error": "The request body must be a JSON object"}))),
        (json!("text"), 400, Some(json!({"error": "The request body must be a JSON object"}))),
        (json!({"content": "x", "private": "maybe"}), 422, None),
        (
            json!({"content": "x", "message_type": "sideways"}),
            422,
            Some(json!({"error": "Message type is not included in the list"})),
        ),
        (
            json!({"content": "x", "content_type": "hologram"}),
            422,
            Some(json!({"error": "Content type is not included in the list"})),
        ),
        (
            json!({"content": "x".repeat(150_001)}),
            422,
            Some(validation("Content is too long (maximum is 150000 characters)")),
        ),
        (json!({"content_type": "input_select"}), 422, Some(validation("Content attributes is invalid"))),
        (
            json!({"content_type": "input_select", "content_attributes": {"items": [{"title": "A", "evil": 1}]}}),
            422,
            Some(validation("Content attributes is invalid")),
        ),
        (
            json!({"content_type": "cards", "content_attributes": {"items": [{"title": "T"}]}}),
            422,
            Some(validation("Content attributes is invalid")),
        ),
        (
            json!({"content": "x", "content_attributes": "not json"}),
            422,
            Some(json!({"error": "Content attributes must be a JSON object"})),
        ),
        (json!({"content": "x", "content_attributes": [1]}), 422, None),
        (json!({"content": "x", "template_params": "welcome"}), 422, None),
        (
            json!({"content": "x", "template_params": {"language": "en"}}),
            422,
            Some(json!({"error": "Template params name is required"})),
        ),
        (json!({"content": "a\u{0}b"}), 422, Some(json!({"error": "Content contains a NUL character"}))),
        (json!({"content": "x", "content_attributes": {"k": "\u{0}"}}), 422, None),
        (json!({"content": "x", "content_attributes": "{\"k\": \"\\u0000\"}"}), 422, None),
        (json!({"content": "x", "echo_id": "e\u{0}"}), 422, None),
        (json!({"content": "x", "source_id": "s".repeat(256)}), 422, None),
        (json!({"content": "x", "sender_type": "AgentBot", "sender_id": 999999}), 422, None),
        (json!({"content": "x", "sender_type": "AgentBot", "sender_id": "abc"}), 422, None),
    ];
    for (body, status, expected) in cases {
        let res = app.post(&path, &a.admin.token, body.clone()).await;
        let shown: String = body.to_string().chars().take(120).collect();
        assert_eq!(res.status, status, "{shown}: {}", res.text);
        let json = res.json();
        assert!(json.is_object(), "{shown}");
        if let Some(expected) = expected {
            assert_eq!(json, expected, "{shown}");
        }
    }
    let malformed =
        app.raw(Method::POST, &path, &a.admin.token, "application/json", b"{\"content\":".to_vec()).await;
    assert_eq!(malformed.status, 400);
    assert!(malformed.json()["error"].is_string());
    for (path, status) in [
        (a.path("/conversations/999999/messages"), 404),
        (a.path("/conversations/abc/messages"), 404),
        (a.path("/conversations/1.5/messages"), 404),
    ] {
        let res = app.post(&path, &a.admin.token, json!({"content": "x"})).await;
        assert_eq!(res.status, status, "{path}");
        assert_eq!(res.json(), json!({"error": "Resource could not be found"}));
        assert_eq!(app.get(&path, &a.admin.token).await.status, status);
    }
    assert_eq!(app.event_count().await, before, "nothing was written");
}
