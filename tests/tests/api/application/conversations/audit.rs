//! The audit trail (`…/conversations/{id}/events`) and past states
//! (`…/conversations/{id}?as_of=`).

use super::super::keys;
use onelink_commands::conversations::{self as commands};
use onelink_commands::CommandContext;
use onelink_domain::conversation::ConversationCommand;
use onelink_domain::ids::{AccountId, ConversationId};
use onelink_tests::seed::Tenant;
use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::{json, Value};

async fn global_id(app: &TestApp, account_id: i64, display_id: &Value) -> ConversationId {
    let id: i64 =
        sqlx::query_scalar("SELECT id FROM conversations WHERE account_id = $1 AND display_id = $2")
            .bind(account_id)
            .bind(display_id.as_i64().unwrap())
            .fetch_one(&app.db)
            .await
            .unwrap();
    ConversationId(id)
}

fn events_path(t: &Tenant, display_id: &Value, query: &str) -> String {
    t.path(&format!("/conversations/{display_id}/events{query}"))
}

async fn ok(res: onelink_tests::Response) -> Value {
    assert_eq!(res.status, 200, "{}", res.text);
    if res.text.is_empty() {
        Value::Null
    } else {
        res.json()
    }
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
                .request_with_headers(
                    Method::POST,
                    &messages,
                    Some(&token),
                    Some(body),
                    &[("x-request-id", request_id)],
                )
                .await;
            assert_eq!(res.status, 200, "{}", res.text);
            res.json()
        }
    };
    let by_agent = post(a.agent.token.clone(), json!({"content": "From the agent"}), "req-agent").await;
    let bot = app.post(&a.path("/agent_bots"), &a.admin.token, json!({"name": "Helper"})).await.json();
    let bot_token = bot["access_token"].as_str().unwrap().to_owned();
    post(bot_token, json!({"content": "Beep"}), "req-bot").await;
    post(a.admin.token.clone(), json!({"content": "Back again", "message_type": "incoming"}), "req-incoming")
        .await;
    let one = format!("{messages}/{}", by_agent["id"]);
    assert_eq!(app.delete(&one, &a.admin.token).await.status, 200);
    assert_eq!(app.patch(&one, &a.admin.token, json!({"status": "read"})).await.status, 200);
    let labels = a.path(&format!("/conversations/{}/labels", c["id"]));
    ok(app.post(&labels, &a.agent.token, json!({"labels": ["vip"]})).await).await;
    // a change by the system (no HTTP request behind it)
    let id = global_id(&app, a.account_id, &c["id"]).await;
    let system = CommandContext::system();
    let command = ConversationCommand::SetLabels(vec!["vip".into(), "later".into()]);
    let done = commands::change(&app.commands(), &system, AccountId(a.account_id), id, || command.clone())
        .await
        .unwrap();
    app.settle(done.position).await;

    let before = app.event_count().await;
    let res = app.get(&trail, &a.agent.token).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let page = res.json();
    assert_eq!(keys(&page), ["meta", "payload"]);
    assert_eq!(
        page["meta"],
        json!({"total_count": 10, "per_page": 25, "after_version": 0, "next_after_version": null})
    );
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
            "ConversationLabelsChanged",
        ]
    );
    for (i, e) in events.iter().enumerate() {
        assert_eq!(keys(e), ["id", "version", "type", "recorded_at", "actor", "request_id", "data"]);
        assert_eq!(keys(&e["actor"]), ["type", "id", "name"]);
        assert_eq!(e["version"], i as i64 + 1);
        assert!(uuid::Uuid::parse_str(e["id"].as_str().unwrap()).is_ok());
        assert!(chrono::DateTime::parse_from_rfc3339(e["recorded_at"].as_str().unwrap()).is_ok());
    }
    let recorded: Vec<&str> = events.iter().map(|e| e["recorded_at"].as_str().unwrap()).collect();
    assert!(recorded.windows(2).all(|w| w[0] <= w[1]), "in time order");
    let actor = |i: usize| events[i]["actor"].clone();
    let admin = json!({"type": "user", "id": a.admin.id, "name": "Alpha Admin"});
    let agent = json!({"type": "user", "id": a.agent.id, "name": "Alpha Agent"});
    assert_eq!(actor(0), admin);
    assert_eq!(actor(1), admin);
    assert_eq!(actor(2), agent);
    assert_eq!(actor(3), json!({"type": "agent_bot", "id": bot["id"], "name": "Helper"}));
    assert_eq!(actor(6), admin);
    assert_eq!(actor(8), agent);
    assert_eq!(actor(9), json!({"type": "system", "id": null, "name": null}));
    let request_ids: Vec<Value> = events.iter().map(|e| e["request_id"].clone()).collect();
    assert_eq!(request_ids[0], json!(create_request), "the creation's request id");
    assert_eq!(request_ids[1], json!(create_request), "its first message came with it");
    assert_eq!(
        request_ids[2..6],
        [json!("req-agent"), json!("req-bot"), json!("req-incoming"), json!("req-incoming")]
    );
    assert!(request_ids[8].is_string());
    assert_eq!(request_ids[9], json!(null));
    assert_eq!(events[0]["data"]["status"], "resolved");
    assert_eq!(events[1]["data"]["content"], "First");
    assert_eq!(events[2]["data"]["content"], "From the agent");
    assert_eq!(events[5]["data"]["status"], "open", "the incoming message reopened it");
    assert_eq!(events[6]["data"], json!({"message_id": by_agent["id"]}));
    assert_eq!(events[7]["data"]["status"], "read");
    assert_eq!(events[8]["data"]["labels"], json!(["vip"]));
    assert_eq!(app.event_count().await, before, "reading the trail writes nothing");

    // paging: by cursor and by page number address the same events
    let get = |query: &'static str| {
        let (app, a, c) = (&app, &a, c.clone());
        async move { app.get(&events_path(a, &c["id"], query), &a.admin.token).await }
    };
    let versions = |page: &Value| -> Vec<i64> {
        page["payload"].as_array().unwrap().iter().map(|e| e["version"].as_i64().unwrap()).collect()
    };
    let next = |page: &Value| page["meta"]["next_after_version"].clone();
    let first = get("?per_page=4").await.json();
    assert_eq!((versions(&first), next(&first)), (vec![1, 2, 3, 4], json!(4)));
    let second = get("?per_page=4&after_version=4").await.json();
    assert_eq!((versions(&second), next(&second)), (vec![5, 6, 7, 8], json!(8)));
    let last = get("?per_page=4&after_version=8").await.json();
    assert_eq!((versions(&last), next(&last)), (vec![9, 10], json!(null)));
    assert_eq!(get("?per_page=4&page=2").await.json()["payload"], second["payload"]);
    assert_eq!(versions(&get("?after_version=10").await.json()), Vec::<i64>::new());
    for bad in [
        "?per_page=101",
        "?per_page=0",
        "?after_version=abc",
        "?page=0",
        "?after_version=-1",
        "?per_page=1e2",
    ] {
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
    let as_of = "?as_of=2100-01-01T00:00:00Z";
    let show = |t: &Tenant| t.path(&format!("/conversations/{}{as_of}", c["id"]));
    let a_before = account_events(&app, a.account_id).await;
    for path in [events_path(&a, &c["id"], ""), show(&a)] {
        let res = app.get(&path, &b.admin.token).await;
        assert_eq!(res.status, 401, "B's token on A's account");
        assert!(!res.text.contains("alpha-only"));
        assert_eq!(app.get(&path, &a.agent.token).await.status, 401, "an agent outside the inbox");
    }
    for path in [events_path(&b, &c["id"], ""), show(&b)] {
        let res = app.get(&path, &b.admin.token).await;
        assert_eq!(res.status, 404, "A's display id does not exist in B");
        assert_eq!(res.json(), json!({"error": "Resource could not be found"}));
    }
    let b_inbox = app.api_inbox(&b, "Theirs").await["id"].as_i64().unwrap();
    let mine = app.conversation(&b, b_inbox, json!({})).await;
    assert_eq!(mine["id"], c["id"], "same display id, other account");
    let page = app.get(&events_path(&b, &mine["id"], ""), &b.admin.token).await.json();
    assert_eq!(page["meta"]["total_count"], 1);
    assert!(!page.to_string().contains("alpha-only"));
    let past = app.get(&show(&b), &b.admin.token).await;
    assert_eq!(past.status, 200, "{}", past.text);
    assert!(!past.text.contains("alpha-only"));
    assert_eq!(past.json()["custom_attributes"], json!({}));
    assert_eq!(app.get(&a.path("/conversations/abc/events"), &a.admin.token).await.status, 404);
    assert_eq!(account_events(&app, a.account_id).await, a_before, "A's history is untouched");
}

async fn account_events(app: &TestApp, account_id: i64) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM events WHERE account_id = $1")
        .bind(account_id)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// Reads the conversation now, and returns it with the moment just after.
async fn capture(app: &TestApp, path: &str, token: &str) -> (Value, chrono::DateTime<chrono::Utc>) {
    let json = ok(app.get(path, token).await).await;
    let at = chrono::Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    (json, at)
}

#[tokio::test]
async fn as_of_equals_the_conversation_read_at_that_time() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let token = &a.admin.token;
    let inbox = app.api_inbox(&a, "Support").await["id"].as_i64().unwrap();
    let team = app.post(&a.path("/teams"), token, json!({"name": "billing"})).await.json();
    let c = app
        .conversation(&a, inbox, json!({"team_id": team["id"], "custom_attributes": {"plan": "gold"}}))
        .await;
    let show = a.path(&format!("/conversations/{}", c["id"]));
    let base = show.clone();
    let messages = format!("{base}/messages");
    let mut captured = vec![capture(&app, &show, token).await];

    for content in ["one", "two"] {
        ok(app.post(&messages, token, json!({"content": content})).await).await;
    }
    ok(app.post(&format!("{base}/assignments"), token, json!({"assignee_id": a.agent.id})).await).await;
    ok(app.post(&format!("{base}/toggle_priority"), token, json!({"priority": "high"})).await).await;
    ok(app.post(&format!("{base}/labels"), token, json!({"labels": ["vip", "billing"]})).await).await;
    captured.push(capture(&app, &show, token).await);

    let incoming =
        ok(app.post(&messages, token, json!({"content": "three", "message_type": "incoming"})).await).await;
    captured.push(capture(&app, &show, token).await);

    ok(app.delete(&format!("{messages}/{}", incoming["id"]), token).await).await;
    ok(app.post(&format!("{base}/toggle_priority"), token, json!({"priority": "low"})).await).await;
    ok(app.post(&format!("{base}/labels"), token, json!({"labels": ["done"]})).await).await;
    ok(app.post(&format!("{base}/assignments"), token, json!({"assignee_id": null})).await).await;
    ok(app.post(&format!("{base}/custom_attributes"), token, json!({"custom_attributes": {}})).await).await;
    ok(app.post(&format!("{base}/toggle_status"), token, json!({"status": "resolved"})).await).await;
    captured.push(capture(&app, &show, token).await);

    let before = app.event_count().await;
    for (i, (then, at)) in captured.iter().enumerate() {
        let millis = at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let seconds = format!("{:.6}", at.timestamp_micros() as f64 / 1_000_000.0);
        for query in [format!("?as_of={millis}"), format!("?as_of={seconds}")] {
            let past = ok(app.get(&format!("{show}{query}"), token).await).await;
            assert_eq!(&past, then, "capture {i}, {query}");
        }
    }
    assert_eq!(captured[1].0["status"], "open");
    assert_eq!(captured[2].0["unread_count"], 1);
    assert_eq!(captured[3].0["status"], "resolved");
    assert_eq!(captured[3].0["messages"][0]["content"], "This message was deleted");

    let too_early = app.get(&format!("{show}?as_of=2000-01-01T00:00:00Z"), token).await;
    assert_eq!(too_early.status, 404, "before it existed");
    for bad in ["?as_of=yesterday", "?as_of=1e9", "?as_of=2026-13-01T00:00:00Z", "?as_of=%00"] {
        let res = app.get(&format!("{show}{bad}"), token).await;
        assert_eq!(res.status, 422, "{bad}");
        assert_eq!(res.json(), json!({"error": "as_of must be an RFC 3339 time or unix seconds"}));
    }
    assert_eq!(app.get(&format!("{show}?as_of="), token).await.json(), captured[3].0, "blank: now");
    assert_eq!(app.event_count().await, before, "reading the past writes nothing");
}
