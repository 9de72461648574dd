//! Status, priority, attributes, assignment, labels and deletion.

use onelink_tests::seed::Tenant;
use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::{json, Value};

async fn setup() -> (TestApp, Tenant, i64, Value) {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let inbox = app.api_inbox(&a, "Support").await["id"].as_i64().unwrap();
    app.inbox_members(&a, inbox, &[a.agent.id]).await;
    let conversation = app.conversation(&a, inbox, json!({})).await;
    (app, a, inbox, conversation)
}

#[tokio::test]
async fn toggle_status_follows_the_upstream_rules() {
    let (app, a, _, c) = setup().await;
    let path = a.path(&format!("/conversations/{}/toggle_status", c["id"]));
    let resolved = app.post(&path, &a.admin.token, json!({})).await;
    assert_eq!(resolved.status, 200, "{}", resolved.text);
    assert_eq!(
        resolved.json(),
        json!({"meta": {}, "payload": {"success": true, "conversation_id": c["id"], "current_status": "resolved",
               "snoozed_until": null}})
    );
    let snoozed =
        app.post(&path, &a.admin.token, json!({"status": "snoozed", "snoozed_until": 1_900_000_000})).await;
    assert_eq!(snoozed.json()["payload"]["current_status"], "snoozed");
    assert_eq!(snoozed.json()["payload"]["snoozed_until"], "2030-03-17T17:46:40.000Z");
    // an agent reopening an unassigned conversation takes it
    let reopened = app.post(&path, &a.agent.token, json!({"status": "open"})).await;
    assert_eq!(reopened.json()["payload"]["current_status"], "open");
    let shown = app.get(&a.path(&format!("/conversations/{}", c["id"])), &a.admin.token).await.json();
    assert_eq!(shown["meta"]["assignee"]["id"], a.agent.id);
    assert_eq!(shown["snoozed_until"], Value::Null);
    let bad = app.post(&path, &a.admin.token, json!({"status": "archived"})).await;
    assert_eq!(bad.status, 422);
    assert!(bad.json()["error"].is_string());
}

#[tokio::test]
async fn a_bot_hands_a_pending_conversation_over() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let inbox = app.api_inbox(&a, "Bot inbox").await["id"].as_i64().unwrap();
    let bot = app.post(&a.path("/agent_bots"), &a.admin.token, json!({"name": "Helper"})).await.json();
    let set = app
        .post(
            &a.path(&format!("/inboxes/{inbox}/set_agent_bot")),
            &a.admin.token,
            json!({"agent_bot": bot["id"]}),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.text);
    let c = app.conversation(&a, inbox, json!({})).await;
    assert_eq!(c["status"], "pending", "an inbox with a bot starts conversations pending");
    let token = bot["access_token"].as_str().unwrap();
    let res = app
        .post(&a.path(&format!("/conversations/{}/toggle_status", c["id"])), token, json!({"status": "open"}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json()["payload"]["success"], Value::Null);
    assert_eq!(res.json()["payload"]["current_status"], "open");
    let labels = app.get(&a.path(&format!("/conversations/{}/labels", c["id"])), token).await;
    assert_eq!(labels.status, 401, "bots may not read labels");
    assert_eq!(labels.json(), json!({"error": "Access to this endpoint is not authorized for bots"}));
}

#[tokio::test]
async fn priority_attributes_and_labels() {
    let (app, a, _, c) = setup().await;
    let base = a.path(&format!("/conversations/{}", c["id"]));
    let set =
        app.post(&format!("{base}/toggle_priority"), &a.agent.token, json!({"priority": "urgent"})).await;
    assert_eq!((set.status, set.text.as_str()), (200, ""));
    assert_eq!(app.get(&base, &a.agent.token).await.json()["priority"], "urgent");
    let patched = app.patch(&base, &a.agent.token, json!({"priority": "low"})).await;
    assert_eq!(patched.json()["priority"], "low");
    app.post(&format!("{base}/toggle_priority"), &a.agent.token, json!({"priority": "none"})).await;
    assert_eq!(app.get(&base, &a.agent.token).await.json()["priority"], Value::Null);
    assert_eq!(
        app.post(&format!("{base}/toggle_priority"), &a.agent.token, json!({"priority": "p0"})).await.status,
        422
    );

    let attrs = app
        .post(
            &format!("{base}/custom_attributes"),
            &a.agent.token,
            json!({"custom_attributes": {"plan": "gold"}}),
        )
        .await;
    assert_eq!(attrs.json(), json!({"custom_attributes": {"plan": "gold"}}));
    let replaced = app
        .post(&format!("{base}/custom_attributes"), &a.agent.token, json!({"custom_attributes": {"tier": 2}}))
        .await;
    assert_eq!(
        replaced.json(),
        json!({"custom_attributes": {"tier": 2}}),
        "the hash is replaced, not merged"
    );

    let labels = app
        .post(&format!("{base}/labels"), &a.agent.token, json!({"labels": ["VIP", "billing", "vip"]}))
        .await;
    assert_eq!(labels.json(), json!({"payload": ["vip", "billing"]}));
    assert_eq!(
        app.get(&format!("{base}/labels"), &a.agent.token).await.json(),
        json!({"payload": ["vip", "billing"]})
    );
    let listed = app.get(&a.path("/conversations?labels[]=billing"), &a.agent.token).await.json();
    assert_eq!(listed["data"]["meta"]["all_count"], 1);
    let cleared = app.post(&format!("{base}/labels"), &a.agent.token, json!({"labels": []})).await;
    assert_eq!(cleared.json(), json!({"payload": []}));
    assert_eq!(
        app.post(&format!("{base}/labels"), &a.agent.token, json!({"labels": {"a": 1}})).await.status,
        422
    );
}

#[tokio::test]
async fn assignments_take_agents_bots_and_teams() {
    let (app, a, _, c) = setup().await;
    let path = a.path(&format!("/conversations/{}/assignments", c["id"]));
    let agent = app.post(&path, &a.admin.token, json!({"assignee_id": a.agent.id})).await;
    assert_eq!(agent.status, 200, "{}", agent.text);
    assert_eq!(agent.json()["id"], a.agent.id);
    assert_eq!(agent.json()["role"], "agent");
    let mine = app.get(&a.path("/conversations?assignee_type=me"), &a.agent.token).await.json();
    assert_eq!(mine["data"]["meta"]["mine_count"], 1);

    let b = app.tenant("Beta").await;
    let foreign = app.post(&path, &a.admin.token, json!({"assignee_id": b.admin.id})).await;
    assert_eq!(foreign.status, 422, "another tenant's user cannot be assigned");

    let team = app.post(&a.path("/teams"), &a.admin.token, json!({"name": "billing"})).await.json();
    let teamed = app.post(&path, &a.admin.token, json!({"team_id": team["id"]})).await;
    let keys: Vec<_> = teamed.json().as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        ["id", "name", "description", "allow_auto_assign", "account_id", "created_at", "updated_at"]
    );
    let shown = app.get(&a.path(&format!("/conversations/{}", c["id"])), &a.admin.token).await.json();
    assert_eq!(shown["meta"]["team"]["id"], team["id"]);
    assert!(shown["meta"].get("assignee").is_none(), "the assignee outside the team was dropped");

    let bot = app.post(&a.path("/agent_bots"), &a.admin.token, json!({"name": "Helper"})).await.json();
    let to_bot =
        app.post(&path, &a.admin.token, json!({"assignee_id": bot["id"], "assignee_type": "AgentBot"})).await;
    assert_eq!(to_bot.json()["id"], bot["id"]);
    let shown = app.get(&a.path(&format!("/conversations/{}", c["id"])), &a.admin.token).await.json();
    assert_eq!(shown["meta"]["assignee_type"], "AgentBot");

    let unassigned = app.post(&path, &a.admin.token, json!({"assignee_id": null})).await;
    assert_eq!(unassigned.text, "null");
    let nothing = app.post(&path, &a.admin.token, json!({})).await;
    assert_eq!((nothing.status, nothing.text.as_str()), (200, "null"));
    assert_eq!(app.post(&path, &a.admin.token, json!({"assignee_id": [1]})).await.status, 422);
}

#[tokio::test]
async fn deletion_is_for_administrators_and_tenants_stay_apart() {
    let (app, a, _, c) = setup().await;
    let b = app.tenant("Beta").await;
    let path = a.path(&format!("/conversations/{}", c["id"]));
    let before = app.event_count().await;
    for (method, suffix, body) in [
        (Method::POST, "/toggle_status", Some(json!({"status": "resolved"}))),
        (Method::POST, "/toggle_priority", Some(json!({"priority": "high"}))),
        (Method::POST, "/custom_attributes", Some(json!({"custom_attributes": {}}))),
        (Method::POST, "/assignments", Some(json!({"assignee_id": b.admin.id}))),
        (Method::POST, "/labels", Some(json!({"labels": ["x"]}))),
        (Method::GET, "/labels", None),
        (Method::PATCH, "", Some(json!({"priority": "high"}))),
        (Method::DELETE, "", None),
    ] {
        let url = format!("{path}{suffix}");
        let res = app.request(method.clone(), &url, Some(&b.admin.token), body.clone()).await;
        assert_eq!(res.status, 401, "{method} {url}");
        let cross = b.path(&format!("/conversations/{}{suffix}", c["id"]));
        let res = app.request(method.clone(), &cross, Some(&b.admin.token), body).await;
        assert_eq!(res.status, 404, "{method} {cross}");
    }
    let denied = app.delete(&path, &a.agent.token).await;
    assert_eq!(denied.status, 401);
    assert_eq!(app.event_count().await, before, "refused requests write nothing");

    let deleted = app.delete(&path, &a.admin.token).await;
    assert_eq!((deleted.status, deleted.text.as_str()), (200, ""));
    assert_eq!(app.get(&path, &a.admin.token).await.status, 404);
    let meta = app.get(&a.path("/conversations/meta?status=all"), &a.admin.token).await.json();
    assert_eq!(meta["meta"]["all_count"], 0);
}
