//! Client API conversations and messages; a contact reaches only its own.

use onelink_tests::client_api::public_path;
use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::{json, Value};

fn conv_path(inbox: &Value, contact: &Value, rest: &str) -> String {
    public_path(inbox, &format!("/contacts/{}/conversations{rest}", contact["source_id"].as_str().unwrap()))
}

#[tokio::test]
async fn a_contact_opens_a_conversation_writes_and_resolves_it() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let inbox = app.api_inbox(&a, "Chat").await;
    let contact = app.client_contact(&inbox, json!({"name": "Ann"})).await;
    let conv = app.client_conversation(&inbox, &contact).await;
    let keys: Vec<_> = conv.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        [
            "id",
            "uuid",
            "inbox_id",
            "contact_last_seen_at",
            "status",
            "agent_last_seen_at",
            "messages",
            "contact"
        ]
    );
    assert_eq!(conv["status"], "open");
    assert_eq!(conv["messages"], json!([]));
    assert_eq!(conv["contact"]["id"], contact["id"]);
    let id = conv["id"].as_i64().unwrap();

    let res = app.client_message(&inbox, &contact, id, json!({"content": "Hello?", "echo_id": "e-1"})).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let m = res.json();
    let keys: Vec<_> = m.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        [
            "id",
            "content",
            "message_type",
            "content_type",
            "content_attributes",
            "created_at",
            "conversation_id",
            "sender"
        ]
    );
    assert_eq!(m["message_type"], 0, "incoming, as an integer");
    assert_eq!(m["conversation_id"], id);
    assert_eq!(m["sender"]["type"], "contact");
    assert!(m.get("echo_id").is_none(), "echo_id only comes back over the websocket");

    let too_long = app.client_message(&inbox, &contact, id, json!({"content": "x".repeat(150_001)})).await;
    assert_eq!(too_long.status, 422);
    assert_eq!(
        too_long.json(),
        json!({"message": "Content is too long (maximum is 150000 characters)", "attributes": ["content"]})
    );

    let listed =
        app.public(Method::GET, &conv_path(&inbox, &contact, &format!("/{id}/messages")), None).await;
    assert_eq!(listed.status, 200);
    assert_eq!(listed.json().as_array().unwrap().len(), 1);

    let list = app.public(Method::GET, &conv_path(&inbox, &contact, ""), None).await;
    assert_eq!(list.status, 200);
    let list = list.json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["messages"][0]["content"], "Hello?");

    let seen = app
        .public(Method::POST, &conv_path(&inbox, &contact, &format!("/{id}/update_last_seen")), None)
        .await;
    assert_eq!(seen.status, 200, "{}", seen.text);
    let typing = app
        .public(
            Method::POST,
            &conv_path(&inbox, &contact, &format!("/{id}/toggle_typing")),
            Some(json!({"typing_status": "on"})),
        )
        .await;
    assert_eq!(typing.status, 200, "{}", typing.text);

    for _ in 0..2 {
        let resolved = app
            .public(Method::POST, &conv_path(&inbox, &contact, &format!("/{id}/toggle_status")), None)
            .await;
        assert_eq!(resolved.status, 200, "{}", resolved.text);
        assert_eq!(resolved.json()["status"], "resolved", "resolves, and never reopens");
    }
    let shown = app.public(Method::GET, &conv_path(&inbox, &contact, &format!("/{id}")), None).await;
    assert!(shown.json()["contact_last_seen_at"].as_i64().unwrap() > 0);

    let reply = app.client_message(&inbox, &contact, id, json!({"content": "one more thing"})).await;
    assert_eq!(reply.status, 200);
    let shown = app.public(Method::GET, &conv_path(&inbox, &contact, &format!("/{id}")), None).await;
    assert_eq!(shown.json()["status"], "open", "an incoming message reopens it");
}

#[tokio::test]
async fn a_contact_never_reaches_another_contacts_conversations() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let inbox = app.api_inbox(&a, "Chat").await;
    let other_inbox = app.api_inbox(&a, "Other").await;
    let x = app.client_contact(&inbox, json!({"name": "X"})).await;
    let y = app.client_contact(&inbox, json!({"name": "Y"})).await;
    let y_conv = app.client_conversation(&inbox, &y).await;
    let id = y_conv["id"].as_i64().unwrap();
    let agent_conv = app.conversation(&a, inbox["id"].as_i64().unwrap(), json!({})).await;
    let agent_id = agent_conv["id"].as_i64().unwrap();

    for display_id in [id, agent_id] {
        for (method, rest, body) in [
            (Method::GET, format!("/{display_id}"), None),
            (Method::GET, format!("/{display_id}/messages"), None),
            (Method::POST, format!("/{display_id}/messages"), Some(json!({"content": "hi"}))),
            (Method::POST, format!("/{display_id}/toggle_status"), None),
            (Method::POST, format!("/{display_id}/toggle_typing"), Some(json!({"typing_status": "on"}))),
            (Method::POST, format!("/{display_id}/update_last_seen"), None),
            (Method::PATCH, format!("/{display_id}/messages/1"), Some(json!({"submitted_values": {}}))),
        ] {
            let res = app.public(method.clone(), &conv_path(&inbox, &x, &rest), body).await;
            assert_eq!(res.status, 404, "{method} {rest}: {}", res.text);
        }
    }
    let listed = app.public(Method::GET, &conv_path(&inbox, &x, ""), None).await;
    assert_eq!(listed.json(), json!([]));
    let wrong_inbox = app.public(Method::GET, &conv_path(&other_inbox, &y, &format!("/{id}")), None).await;
    assert_eq!(wrong_inbox.status, 404, "a source id is only valid in its own inbox");
    let unchanged = app.public(Method::GET, &conv_path(&inbox, &y, &format!("/{id}")), None).await;
    assert_eq!(unchanged.json()["status"], "open");
    assert_eq!(unchanged.json()["messages"], json!([]));
}

#[tokio::test]
async fn a_contact_answers_a_csat_survey_once_validated() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let inbox = app.api_inbox(&a, "Chat").await;
    let contact = app.client_contact(&inbox, json!({"name": "Ann"})).await;
    let conv = app.client_conversation(&inbox, &contact).await;
    let id = conv["id"].as_i64().unwrap();
    let survey = app
        .post(
            &a.path(&format!("/conversations/{id}/messages")),
            &a.admin.token,
            json!({"content": "Rate us", "content_type": "input_csat"}),
        )
        .await;
    assert_eq!(survey.status, 200, "{}", survey.text);
    let survey_id = survey.json()["id"].as_i64().unwrap();
    let path = conv_path(&inbox, &contact, &format!("/{id}/messages/{survey_id}"));

    for bad in [
        json!({"submitted_values": {"csat_survey_response": {"rating": 6}}}),
        json!({"submitted_values": {"csat_survey_response": {"rating": "five"}}}),
        json!({"submitted_values": "great"}),
        json!({}),
    ] {
        let res = app.public(Method::PATCH, &path, Some(bad.clone())).await;
        assert_eq!(res.status, 422, "{bad}: {}", res.text);
    }
    let values = json!({"csat_survey_response": {"rating": 5, "feedback_message": "great"}});
    let res = app.public(Method::PATCH, &path, Some(json!({"submitted_values": values}))).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json()["content_attributes"]["submitted_values"], values);

    let own = app.client_message(&inbox, &contact, id, json!({"content": "mine"})).await.json();
    let own_path = conv_path(&inbox, &contact, &format!("/{id}/messages/{}", own["id"]));
    let res = app.public(Method::PATCH, &own_path, Some(json!({"submitted_values": values}))).await;
    assert_eq!(res.status, 422, "a contact's own text message takes no answers: {}", res.text);
}
