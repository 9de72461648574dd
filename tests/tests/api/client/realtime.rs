//! `/cable`: the widget round trip, audiences, rejected tokens, tenancy.

use onelink_tests::cable::{agent_identifier, contact_identifier, Cable};
use onelink_tests::client_api::public_path;
use onelink_tests::seed::{Tenant, User};
use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const SECOND: Duration = Duration::from_secs(1);

async fn agent_socket(app: &TestApp, tenant: &Tenant, user: &User) -> Cable {
    let token = app.pubsub_token(tenant, user).await;
    let mut cable = Cable::connect(&app.base_url).await;
    let reply = cable.subscribe(&agent_identifier(&token, tenant.account_id, user.id)).await;
    assert_eq!(reply.as_deref(), Some("confirm_subscription"));
    cable
}

async fn contact_socket(app: &TestApp, contact: &Value) -> Cable {
    let mut cable = Cable::connect(&app.base_url).await;
    let reply = cable.subscribe(&contact_identifier(contact["pubsub_token"].as_str().unwrap())).await;
    assert_eq!(reply.as_deref(), Some("confirm_subscription"));
    cable
}

#[tokio::test]
async fn a_widget_conversation_round_trips_through_the_sockets_within_a_second() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let inbox = app.api_inbox(&a, "Chat").await;
    let inbox_id = inbox["id"].as_i64().unwrap();
    app.inbox_members(&a, inbox_id, &[a.agent.id]).await;
    let outsider = app.member(&a.platform_token, a.account_id, "Outsider", "agent").await;
    let mut agent = agent_socket(&app, &a, &a.agent).await;
    let mut admin = agent_socket(&app, &a, &a.admin).await;
    let mut stranger = agent_socket(&app, &a, &outsider).await;

    let contact = app.client_contact(&inbox, json!({"name": "Ann"})).await;
    let contact_token = contact["pubsub_token"].as_str().unwrap().to_owned();
    let mut widget = contact_socket(&app, &contact).await;
    let conv = app.client_conversation(&inbox, &contact).await;
    let id = conv["id"].as_i64().unwrap();
    let created = widget.expect_event("conversation.created", SECOND).await;
    assert_eq!(created["id"], id);
    assert_eq!(
        created["contact_inbox"]["pubsub_token"], contact_token,
        "the contact's own token, to itself only"
    );

    let sent = Instant::now();
    let res =
        app.client_message(&inbox, &contact, id, json!({"content": "Hello?", "echo_id": "echo-1"})).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let data = agent.expect_event("message.created", SECOND).await;
    let to_agent = sent.elapsed();
    assert_eq!(data["content"], "Hello?");
    assert_eq!(data["echo_id"], "echo-1");
    assert_eq!(data["account_id"], a.account_id);
    assert_eq!(data["conversation_id"], id);
    assert_eq!(data["message_type"], 0);
    assert_eq!(
        admin.expect_event("message.created", SECOND).await["id"],
        data["id"],
        "administrators see every inbox"
    );
    assert_eq!(widget.expect_event("message.created", SECOND).await["echo_id"], "echo-1");

    let sent = Instant::now();
    let reply = app
        .post(
            &a.path(&format!("/conversations/{id}/messages")),
            &a.agent.token,
            json!({"content": "Hi Ann!"}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let data = widget.expect_event("message.created", SECOND).await;
    let to_contact = sent.elapsed();
    assert_eq!(data["content"], "Hi Ann!");
    assert_eq!(data["message_type"], 1);
    assert_eq!(data["sender"]["type"], "user");
    eprintln!("delivery latency: contact→agent {to_agent:?}, agent→contact {to_contact:?}");
    assert_eq!(
        agent.expect_event("message.created", SECOND).await["content"],
        "Hi Ann!",
        "agents see replies too"
    );

    let note = app
        .post(
            &a.path(&format!("/conversations/{id}/messages")),
            &a.agent.token,
            json!({"content": "psst", "private": true}),
        )
        .await;
    assert_eq!(note.status, 200, "{}", note.text);
    assert_eq!(agent.expect_event("message.created", SECOND).await["private"], true);

    let typing = public_path(
        &inbox,
        &format!("/contacts/{}/conversations/{id}/toggle_typing", contact["source_id"].as_str().unwrap()),
    );
    assert_eq!(app.public(Method::POST, &typing, Some(json!({"typing_status": "on"}))).await.status, 200);
    let typing_on = agent.expect_event("conversation.typing_on", SECOND).await;
    assert_eq!(typing_on["user"]["type"], "contact");
    assert_eq!(typing_on["conversation"]["id"], id);

    let widget_events = widget.events_during(Duration::from_millis(500)).await;
    let names: Vec<_> = widget_events.iter().map(|e| e["message"]["event"].clone()).collect();
    assert!(
        !names.contains(&json!("message.created")),
        "no private note, no typing echo to the contact: {names:?}"
    );
    assert!(!names.contains(&json!("conversation.typing_on")));

    let all_agent_events = agent.events_during(Duration::from_millis(300)).await;
    let stranger_events = stranger.events_during(Duration::from_millis(300)).await;
    let names: Vec<_> = stranger_events.iter().map(|e| e["message"]["event"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["contact.created"],
        "an agent outside the inbox sees account-wide contact events only"
    );
    for frame in all_agent_events.iter().chain(std::iter::once(&json!(created))) {
        let text = frame.to_string();
        if frame.get("message").is_some() {
            assert!(!text.contains(&contact_token), "never another principal's token: {text}");
        }
    }
    assert!(to_agent < SECOND && to_contact < SECOND);
}

#[tokio::test]
async fn bad_tokens_are_rejected_and_receive_nothing() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let inbox = app.api_inbox(&a, "Chat").await;
    let contact = app.client_contact(&inbox, json!({"name": "Ann"})).await;
    let conv = app.client_conversation(&inbox, &contact).await;
    let admin_token = app.pubsub_token(&a, &a.admin).await;

    let mut cable = Cable::connect(&app.base_url).await;
    let bad = [
        contact_identifier("not-a-token"),
        contact_identifier(""),
        agent_identifier(&admin_token, b.account_id, a.admin.id),
        agent_identifier(&admin_token, a.account_id, a.agent.id),
        agent_identifier("nope", a.account_id, a.admin.id),
        json!({"channel": "NotificationChannel", "pubsub_token": contact["pubsub_token"]}).to_string(),
        "not json".to_owned(),
    ];
    for identifier in &bad {
        assert_eq!(cable.subscribe(identifier).await.as_deref(), Some("reject_subscription"), "{identifier}");
    }
    let id = conv["id"].as_i64().unwrap();
    let res = app.client_message(&inbox, &contact, id, json!({"content": "secret"})).await;
    assert_eq!(res.status, 200);
    let events = cable.events_during(SECOND).await;
    assert!(events.is_empty(), "{events:?}");
    let pings: Vec<_> = cable.control.iter().filter(|f| f["type"] == "ping").collect();
    assert!(pings.is_empty() || pings[0]["message"].is_i64());
}

#[tokio::test]
async fn a_hundred_events_of_one_account_reach_no_subscriber_of_another() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let a_inbox = app.api_inbox(&a, "Chat").await;
    let b_inbox = app.api_inbox(&b, "Chat").await;
    let b_contact = app.client_contact(&b_inbox, json!({"name": "Bea"})).await;
    let mut b_admin = agent_socket(&app, &b, &b.admin).await;
    let mut b_agent = agent_socket(&app, &b, &b.agent).await;
    let mut b_widget = contact_socket(&app, &b_contact).await;
    let mut a_admin = agent_socket(&app, &a, &a.admin).await;

    let contact = app.client_contact(&a_inbox, json!({"name": "Ann"})).await;
    let conv = app.client_conversation(&a_inbox, &contact).await;
    let id = conv["id"].as_i64().unwrap();
    for n in 0..100 {
        let res = app.client_message(&a_inbox, &contact, id, json!({"content": format!("m{n}")})).await;
        assert_eq!(res.status, 200, "{}", res.text);
    }
    let mut seen = 0;
    while seen < 100 {
        let data = a_admin.expect_event("message.created", Duration::from_secs(10)).await;
        assert_eq!(data["account_id"], a.account_id);
        seen += 1;
    }
    for (who, cable) in [("B admin", &mut b_admin), ("B agent", &mut b_agent), ("B contact", &mut b_widget)] {
        let events = cable.events_during(Duration::from_millis(300)).await;
        assert!(events.is_empty(), "{who} received {events:?}");
    }
}

#[tokio::test]
async fn agent_actions_reach_the_contact_and_contacts_reach_the_agents() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let inbox = app.api_inbox(&a, "Chat").await;
    let mut admin = agent_socket(&app, &a, &a.admin).await;
    let contact = app.client_contact(&inbox, json!({"name": "Ann", "email": "ann@example.com"})).await;
    let created = admin.expect_event("contact.created", SECOND).await;
    assert_eq!(created["id"], contact["id"]);
    assert_eq!(created["email"], "ann@example.com");
    assert_eq!(created["account_id"], a.account_id);

    let mut widget = contact_socket(&app, &contact).await;
    let conv = app.client_conversation(&inbox, &contact).await;
    let id = conv["id"].as_i64().unwrap();
    let on_agent_side = admin.expect_event("conversation.created", SECOND).await;
    assert_eq!(on_agent_side["id"], id);
    assert!(
        on_agent_side["contact_inbox"].get("pubsub_token").is_none(),
        "agents never get the contact's token"
    );
    widget.expect_event("conversation.created", SECOND).await;

    let res = app
        .post(
            &a.path(&format!("/conversations/{id}/toggle_status")),
            &a.admin.token,
            json!({"status": "resolved"}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(widget.expect_event("conversation.status_changed", SECOND).await["status"], "resolved");
    assert_eq!(widget.expect_event("conversation.updated", SECOND).await["status"], "resolved");
    assert_eq!(admin.expect_event("conversation.status_changed", SECOND).await["status"], "resolved");

    let res = app
        .post(
            &a.path(&format!("/conversations/{id}/assignments")),
            &a.admin.token,
            json!({"assignee_id": a.admin.id}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let assigned = admin.expect_event("assignee.changed", SECOND).await;
    assert_eq!(assigned["meta"]["assignee"]["id"], a.admin.id);
    let widget_events = widget.events_during(Duration::from_millis(300)).await;
    assert!(
        widget_events.iter().all(|e| e["message"]["event"] != "assignee.changed"),
        "assignments are for agents: {widget_events:?}"
    );
}
