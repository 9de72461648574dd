//! The audit trail (`…/conversations/{id}/events`) and past states
//! (`…/events/state?as_of=`).

use super::super::keys;
use onelink_commands::conversations::{self as commands};
use onelink_commands::CommandContext;
use onelink_domain::conversation::{Assignee, ConversationCommand, Priority, StatusRequest, Status, Toggler};
use onelink_domain::ids::{AccountId, ConversationId, UserId};
use onelink_domain::Actor;
use onelink_tests::seed::Tenant;
use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::{json, Value};

async fn global_id(app: &TestApp, account_id: i64, display_id: &Value) -> ConversationId {
    let id: i64 = sqlx::query_scalar("SELECT id FROM conversations WHERE account_id = $1 AND display_id = $2")
        .bind(account_id)
        .bind(display_id.as_i64().unwrap())
        .fetch_one(&app.db)
        .await
        .unwrap();
    ConversationId(id)
}

/// Runs a conversation command as the installation would (no HTTP route
/// exists for it yet) and waits for the read models.
async fn run(app: &TestApp, t: &Tenant, id: ConversationId, ctx: CommandContext, command: ConversationCommand) {
    let done = commands::change(&app.commands(), &ctx, AccountId(t.account_id), id, || command.clone()).await.unwrap();
    app.settle(done.position).await;
}

fn events_path(t: &Tenant, display_id: &Value, query: &str) -> String {
    t.path(&format!("/conversations/{display_id}/events{query}"))
}

#[tokio::test]
async fn the_audit_trail_lists_every_change_in_order_with_actors() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let inbox = app.api_inbox(&a, "Support").await["id"].as_i64().unwrap();
    let contact = app.contact(&a, json!({"name": "Kim"})).await;
    let created = app
        .post(
            &a.path("/conversations"),
            &a.admin.token,
            json!({"inbox_id": inbox, "contact_id": contact["id"], "status": "resolved", "message": {"content": "First"}}),
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.text);
    let create_request = created.headers["x-request-id"].to_str().unwrap().to_owned();
    let c = created.json();
    let messages = a.path(&format!("/conversations/{}/messages", c["id"]));
    let trail = events_path(&a, &c["id"], "");
    assert_eq!(app.get(&trail, &a.agent.token).await.status, 401, "the agent is not in the inbox yet");
    app.inbox_members(&a, inbox, &[a.agent.id]).await;

    let post = |token: String, body: Value, request_id: &'static str| {
        let (app, messages) = (&app, messages.clone());
        async move {
            let res = app
                .request_with_headers(Method::POST, &messages, Some(&token), Some(body), &[("x-request-id", request_id)])
                .await;
            assert_eq!(res.status, 200, "{}", res.text);
            res.json()
        }
    };
    let by_agent = post(a.agent.token.clone(), json!({"content": "From the agent"}), "req-agent").await;
    let bot = app.post(&a.path("/agent_bots"), &a.admin.token, json!({"name": "Helper"})).await.json();
    let bot_token = bot["access_token"].as_str().unwrap().to_owned();
    post(bot_token, json!({"content": "Beep"}), "req-bot").await;
    post(a.admin.token.clone(), json!({"content": "Back again", "message_type": "incoming"}), "req-incoming").await;
    let one = format!("{messages}/{}", by_agent["id"]);
    assert_eq!(app.delete(&one, &a.admin.token).await.status, 200);
    assert_eq!(app.patch(&one, &a.admin.token, json!({"status": "read"})).await.status, 200);
    let id = global_id(&app, a.account_id, &c["id"]).await;
    run(&app, &a, id, CommandContext::system(), ConversationCommand::SetLabels(vec!["vip".into()])).await;

    let res = app.get(&trail, &a.agent.token).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let page = res.json();
    assert_eq!(keys(&page), ["meta", "payload"]);
    assert_eq!(page["meta"], json!({"total_count": 9, "per_page": 25, "after": 0, "next_after": null}));
    let events = page["payload"].as_array().unwrap();
    let types: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "ConversationCreated",
            "MessageCreated",
            "MessageCreated",
            "MessageCreated",
            "MessageCreated",
            "ConversationStatusChanged",
            "MessageDeleted",
            "MessageStatusChanged",
            "ConversationLabelsChanged",
        ]
    );
    for (i, e) in events.iter().enumerate() {
        assert_eq!(keys(e), ["id", "sequence", "type", "recorded_at", "actor", "request_id", "data"]);
        assert_eq!(keys(&e["actor"]), ["type", "id", "name"]);
        assert_eq!(e["sequence"], i as i64 + 1);
        assert!(uuid::Uuid::parse_str(e["id"].as_str().unwrap()).is_ok());
        assert!(chrono::DateTime::parse_from_rfc3339(e["recorded_at"].as_str().unwrap()).is_ok());
    }
    let recorded: Vec<&str> = events.iter().map(|e| e["recorded_at"].as_str().unwrap()).collect();
    assert!(recorded.windows(2).all(|w| w[0] <= w[1]), "in time order");
    let actor = |i: usize| events[i]["actor"].clone();
    let admin = json!({"type": "user", "id": a.admin.id, "name": "Alpha Admin"});
    assert_eq!(actor(0), admin);
    assert_eq!(actor(1), admin);
    assert_eq!(actor(2), json!({"type": "user", "id": a.agent.id, "name": "Alpha Agent"}));
    assert_eq!(actor(3), json!({"type": "agent_bot", "id": bot["id"], "name": "Helper"}));
    assert_eq!(actor(8), json!({"type": "system", "id": null, "name": null}));
    let request_ids: Vec<Value> = events.iter().map(|e| e["request_id"].clone()).collect();
    assert_eq!(request_ids[0], json!(create_request), "the creation's request id");
    assert_eq!(request_ids[1], json!(create_request), "its first message came with it");
    assert_eq!(request_ids[2..6], [json!("req-agent"), json!("req-bot"), json!("req-incoming"), json!("req-incoming")]);
    assert_eq!(request_ids[8], json!(null));
    assert_eq!(events[0]["data"]["status"], "resolved");
    assert_eq!(events[1]["data"]["content"], "First");
    assert_eq!(events[2]["data"]["content"], "From the agent");
    assert_eq!(events[5]["data"]["status"], "open", "the incoming message reopened it");
    assert_eq!(events[6]["data"], json!({"message_id": by_agent["id"]}));
    assert_eq!(events[7]["data"]["status"], "read");
    assert_eq!(events[8]["data"]["labels"], json!(["vip"]));

    // paging: by cursor and by page number address the same events
    let get = |query: &'static str| {
        let (app, a, c) = (&app, &a, c.clone());
        async move { app.get(&events_path(a, &c["id"], query), &a.admin.token).await }
    };
    let sequences = |page: &Value| -> Vec<i64> {
        page["payload"].as_array().unwrap().iter().map(|e| e["sequence"].as_i64().unwrap()).collect()
    };
    let first = get("?per_page=4").await.json();
    assert_eq!((sequences(&first), first["meta"]["next_after"].clone()), (vec![1, 2, 3, 4], json!(4)));
    let second = get("?per_page=4&after=4").await.json();
    assert_eq!((sequences(&second), second["meta"]["next_after"].clone()), (vec![5, 6, 7, 8], json!(8)));
    let last = get("?per_page=4&after=8").await.json();
    assert_eq!((sequences(&last), last["meta"]["next_after"].clone()), (vec![9], json!(null)));
    assert_eq!(get("?per_page=4&page=2").await.json()["payload"], second["payload"]);
    assert_eq!(sequences(&get("?after=9").await.json()), Vec::<i64>::new());
    for bad in ["?per_page=101", "?per_page=0", "?after=abc", "?page=0", "?after=-1", "?per_page=1e2"] {
        let res = get(bad).await;
        assert_eq!(res.status, 422, "{bad}: {}", res.text);
        assert!(res.json()["error"].is_string());
    }
}

#[tokio::test]
async fn the_audit_trail_never_crosses_tenants() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let inbox = app.api_inbox(&a, "Support").await["id"].as_i64().unwrap();
    let c = app.conversation(&a, inbox, json!({"custom_attributes": {"secret": "alpha-only"}})).await;
    for path in [events_path(&a, &c["id"], ""), events_path(&a, &c["id"], "/state")] {
        let res = app.get(&path, &b.admin.token).await;
        assert_eq!(res.status, 401, "B's token on A's account");
        assert!(!res.text.contains("alpha-only"));
        assert_eq!(app.get(&path, &a.agent.token).await.status, 401, "an agent outside the inbox");
    }
    for path in [events_path(&b, &c["id"], ""), events_path(&b, &c["id"], "/state")] {
        let res = app.get(&path, &b.admin.token).await;
        assert_eq!(res.status, 404, "A's display id does not exist in B");
        assert!(!res.text.contains("alpha-only"));
    }
    let b_inbox = app.api_inbox(&b, "Theirs").await["id"].as_i64().unwrap();
    let mine = app.conversation(&b, b_inbox, json!({})).await;
    assert_eq!(mine["id"], c["id"], "same display id, other account");
    let page = app.get(&events_path(&b, &mine["id"], ""), &b.admin.token).await.json();
    assert_eq!(page["meta"]["total_count"], 1);
    assert!(!page.to_string().contains("alpha-only"));
    assert_eq!(app.get(&a.path("/conversations/abc/events"), &a.admin.token).await.status, 404);
}

#[tokio::test]
async fn as_of_equals_the_state_seen_at_that_time() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let inbox = app.api_inbox(&a, "Support").await["id"].as_i64().unwrap();
    let team = app.post(&a.path("/teams"), &a.admin.token, json!({"name": "billing"})).await.json();
    let c = app.conversation(&a, inbox, json!({"team_id": team["id"], "custom_attributes": {"plan": "gold"}})).await;
    let id = global_id(&app, a.account_id, &c["id"]).await;
    let messages = a.path(&format!("/conversations/{}/messages", c["id"]));
    for content in ["one", "two"] {
        assert_eq!(app.post(&messages, &a.admin.token, json!({"content": content})).await.status, 200);
    }
    let ctx = CommandContext::new(Actor::User(a.admin.id), None);
    run(&app, &a, id, ctx.clone(), ConversationCommand::Assign(Some(Assignee::User(UserId(a.agent.id))))).await;
    run(&app, &a, id, ctx.clone(), ConversationCommand::SetPriority(Some(Priority::High))).await;
    run(&app, &a, id, ctx.clone(), ConversationCommand::SetLabels(vec!["vip".into(), "billing".into()])).await;

    let captured = app.get(&a.path(&format!("/conversations/{}", c["id"])), &a.admin.token).await.json();
    let captured_count = app.get(&messages, &a.admin.token).await.json()["payload"].as_array().unwrap().len();
    let at = chrono::Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;

    // later changes
    let later = app.post(&messages, &a.admin.token, json!({"content": "three", "message_type": "incoming"})).await.json();
    assert_eq!(app.delete(&format!("{messages}/{}", later["id"]), &a.admin.token).await.status, 200);
    run(&app, &a, id, ctx.clone(), ConversationCommand::SetPriority(Some(Priority::Low))).await;
    run(&app, &a, id, ctx.clone(), ConversationCommand::SetLabels(vec!["done".into()])).await;
    run(&app, &a, id, ctx.clone(), ConversationCommand::Assign(None)).await;
    run(&app, &a, id, ctx.clone(), ConversationCommand::ReplaceCustomAttributes(Default::default())).await;
    let resolve = StatusRequest { status: Some(Status::Resolved), snoozed_until: None };
    run(&app, &a, id, ctx.clone(), ConversationCommand::ToggleStatus { request: resolve, by: Toggler::Administrator(UserId(a.admin.id)) }).await;

    let state_path = |query: String| events_path(&a, &c["id"], &format!("/state{query}"));
    let millis = at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let seconds = format!("{:.3}", at.timestamp_millis() as f64 / 1000.0);
    for query in [format!("?as_of={}", millis.replace('+', "%2B")), format!("?as_of={seconds}")] {
        let res = app.get(&state_path(query.clone()), &a.admin.token).await;
        assert_eq!(res.status, 200, "{query}: {}", res.text);
        let past = res.json();
        assert_eq!(keys(&past), ["meta", "payload"]);
        let p = &past["payload"];
        assert_eq!(p["id"], captured["id"]);
        assert_eq!(p["uuid"], captured["uuid"]);
        assert_eq!(p["status"], captured["status"], "{query}");
        assert_eq!(p["priority"], captured["priority"]);
        assert_eq!(p["labels"], captured["labels"]);
        assert_eq!(p["custom_attributes"], captured["custom_attributes"]);
        assert_eq!(p["snoozed_until"], captured["snoozed_until"]);
        assert_eq!(p["assignee_id"], captured["meta"]["assignee"]["id"]);
        assert_eq!(p["assignee_type"], captured["meta"]["assignee_type"]);
        assert_eq!(p["team_id"], captured["meta"]["team"]["id"]);
        assert_eq!(p["message_count"], captured_count);
        assert_eq!(p["last_message"]["id"], captured["messages"][0]["id"]);
        assert_eq!(p["last_message"]["content"], captured["messages"][0]["content"]);
        assert_eq!(p["created_at"], captured["created_at"]);
    }

    let now = app.get(&state_path(String::new()), &a.admin.token).await.json();
    let p = &now["payload"];
    assert_eq!((p["status"].clone(), p["priority"].clone(), p["labels"].clone()), (json!("resolved"), json!("low"), json!(["done"])));
    assert_eq!((p["assignee_id"].clone(), p["custom_attributes"].clone()), (json!(null), json!({})));
    assert_eq!(p["message_count"], captured_count + 1);
    assert_eq!(p["last_message"]["content"], "This message was deleted", "later changes to the message show");
    assert_eq!(p["last_non_activity_message"]["id"], later["id"]);
    let head: i64 = sqlx::query_scalar("SELECT max(sequence) FROM events WHERE aggregate_type = 'Conversation' AND aggregate_id = $1")
        .bind(id.0.to_string())
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(now["meta"]["version"], head);

    assert_eq!(app.get(&state_path("?as_of=2000-01-01T00:00:00Z".into()), &a.admin.token).await.status, 404, "before it existed");
    for bad in ["?as_of=yesterday", "?as_of=1e9", "?as_of=2026-13-01T00:00:00Z"] {
        let res = app.get(&state_path(bad.into()), &a.admin.token).await;
        assert_eq!(res.status, 422, "{bad}");
        assert_eq!(res.json(), json!({"error": "as_of must be an RFC 3339 time or unix seconds"}));
    }
}
