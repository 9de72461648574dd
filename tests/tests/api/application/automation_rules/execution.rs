//! Rules run from the log: conditions, actions, loop protection, inactive
//! rules, restarts. Each negative assertion waits first for a later event
//! that the same rule does act on (jobs run in log order), never sleeps.

use super::{create_rule, label_rule};
use onelink_tests::seed::Tenant;
use onelink_tests::webhook_receiver::Receiver;
use onelink_tests::{eventually, TestApp};
use serde_json::{json, Value};
use std::time::Duration;

async fn incoming(app: &TestApp, t: &Tenant, inbox_id: i64, content: &str) -> i64 {
    let c = app.conversation(t, inbox_id, json!({})).await;
    let id = c["id"].as_i64().unwrap();
    post_incoming(app, t, id, content).await;
    id
}

async fn post_incoming(app: &TestApp, t: &Tenant, conversation: i64, content: &str) {
    let path = t.path(&format!("/conversations/{conversation}/messages"));
    let res = app.post(&path, &t.admin.token, json!({"content": content, "message_type": "incoming"})).await;
    assert_eq!(res.status, 200, "{}", res.text);
}

async fn labels(app: &TestApp, t: &Tenant, conversation: i64) -> Vec<String> {
    let res = app.get(&t.path(&format!("/conversations/{conversation}/labels")), &t.admin.token).await;
    assert_eq!(res.status, 200, "{}", res.text);
    serde_json::from_value(res.json()["payload"].clone()).unwrap()
}

async fn wait_for_label(app: &TestApp, t: &Tenant, conversation: i64, label: &str) {
    eventually(&format!("label {label} on conversation {conversation}"), || async {
        labels(app, t, conversation).await.iter().any(|l| l == label).then_some(())
    })
    .await;
}

async fn messages(app: &TestApp, t: &Tenant, conversation: i64) -> Vec<Value> {
    let res = app.get(&t.path(&format!("/conversations/{conversation}/messages")), &t.admin.token).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()["payload"].as_array().unwrap().iter().filter(|m| m["message_type"] != 2).cloned().collect()
}

async fn setup(app: &TestApp) -> (Tenant, i64) {
    let a = app.tenant("Alpha").await;
    let inbox = app.api_inbox(&a, "Support").await;
    (a, inbox["id"].as_i64().unwrap())
}

#[tokio::test]
async fn a_message_containing_the_word_gets_the_label_and_one_without_it_does_not() {
    let app = TestApp::spawn().await;
    let (a, inbox) = setup(&app).await;
    create_rule(&app, &a, label_rule("refund", "billing")).await;

    let hit = incoming(&app, &a, inbox, "Hello, I want a REFUND for my order").await;
    wait_for_label(&app, &a, hit, "billing").await;

    let miss = incoming(&app, &a, inbox, "Hello, where is my order?").await;
    let later = incoming(&app, &a, inbox, "refund please").await;
    wait_for_label(&app, &a, later, "billing").await;
    assert_eq!(labels(&app, &a, miss).await, Vec::<String>::new(), "no 'refund': no label");
}

#[tokio::test]
async fn a_rule_that_sends_a_message_on_message_created_does_not_trigger_itself() {
    let app = TestApp::spawn().await;
    let (a, inbox) = setup(&app).await;
    let rule = create_rule(
        &app,
        &a,
        json!({"name": "Ack", "event_name": "message_created", "conditions": [],
               "actions": [{"action_name": "send_message", "action_params": ["Thanks, we got it"]}]}),
    )
    .await;
    let first = incoming(&app, &a, inbox, "hi").await;
    let replies = eventually("the automatic reply", || async {
        let list = messages(&app, &a, first).await;
        (list.len() >= 2).then_some(list)
    })
    .await;
    let reply = &replies[1];
    assert_eq!(reply["content"], "Thanks, we got it");
    assert_eq!(reply["message_type"], 1, "outgoing");
    assert_eq!(reply["content_attributes"]["automation_rule_id"], rule["id"]);

    // a later conversation's reply has landed: the first one's reply did
    // not trigger the rule again
    let second = incoming(&app, &a, inbox, "hello").await;
    eventually("the second reply", || async { (messages(&app, &a, second).await.len() >= 2).then_some(()) })
        .await;
    assert_eq!(messages(&app, &a, first).await.len(), 2, "exactly one extra message");
    assert_eq!(messages(&app, &a, second).await.len(), 2);

    // the reply is attributed to the rule in the log
    let actor: (String, Option<i64>) = sqlx::query_as(
        "SELECT actor_type, actor_id FROM events WHERE event_type = 'MessageCreated' \
         AND payload->'content_attributes' ? 'automation_rule_id' ORDER BY global_position LIMIT 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(actor, ("automation_rule".to_owned(), rule["id"].as_i64()));
}

#[tokio::test]
async fn inactive_rules_do_not_fire() {
    let app = TestApp::spawn().await;
    let (a, inbox) = setup(&app).await;
    let mut off = label_rule("refund", "inactive");
    off["active"] = json!(false);
    create_rule(&app, &a, off).await;
    let paused = create_rule(&app, &a, label_rule("refund", "paused")).await;
    let path = a.path(&format!("/automation_rules/{}", paused["id"]));
    assert_eq!(app.patch(&path, &a.admin.token, json!({"active": false})).await.status, 200);
    create_rule(&app, &a, label_rule("refund", "billing")).await;

    let c = incoming(&app, &a, inbox, "refund").await;
    wait_for_label(&app, &a, c, "billing").await;
    assert_eq!(labels(&app, &a, c).await, vec!["billing".to_owned()]);
}

#[tokio::test]
async fn and_binds_tighter_than_or_and_conversation_actions_apply() {
    let app = TestApp::spawn().await;
    let (a, inbox) = setup(&app).await;
    // content contains "alpha" AND message_type = outgoing OR content contains "omega"
    create_rule(
        &app,
        &a,
        json!({"name": "Precedence", "event_name": "message_created",
            "conditions": [
                {"attribute_key": "content", "filter_operator": "contains", "values": ["alpha"], "query_operator": "AND"},
                {"attribute_key": "message_type", "filter_operator": "equal_to", "values": ["outgoing"], "query_operator": "OR"},
                {"attribute_key": "content", "filter_operator": "contains", "values": ["omega"], "query_operator": null}],
            "actions": [
                {"action_name": "add_label", "action_params": ["matched"]},
                {"action_name": "change_priority", "action_params": ["urgent"]},
                {"action_name": "assign_agent", "action_params": [a.agent.id]},
                {"action_name": "change_status", "action_params": ["pending"]}]}),
    )
    .await;
    // the agent must be in the inbox to be assigned
    let res = app
        .post(&a.path("/inbox_members"), &a.admin.token, json!({"inbox_id": inbox, "user_ids": [a.agent.id]}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);

    let alpha_incoming = incoming(&app, &a, inbox, "alpha").await;
    let omega = incoming(&app, &a, inbox, "omega").await;
    wait_for_label(&app, &a, omega, "matched").await;
    assert!(
        labels(&app, &a, alpha_incoming).await.is_empty(),
        "alpha AND outgoing does not hold for incoming"
    );
    eventually("status, priority and assignee", || async {
        let c = app.get(&a.path(&format!("/conversations/{omega}")), &a.admin.token).await.json();
        (c["status"] == "pending" && c["priority"] == "urgent" && c["meta"]["assignee"]["id"] == a.agent.id)
            .then_some(())
    })
    .await;
}

#[tokio::test]
async fn send_webhook_event_posts_the_conversation_to_the_rules_url_unsigned() {
    let app = TestApp::spawn().await;
    let (a, inbox) = setup(&app).await;
    let rx = Receiver::start().await;
    create_rule(
        &app,
        &a,
        json!({"name": "Notify", "event_name": "conversation_resolved", "conditions": [],
               "actions": [{"action_name": "send_webhook_event", "action_params": [rx.url("/rule")]}]}),
    )
    .await;
    let c = incoming(&app, &a, inbox, "hi").await;
    let res = app
        .post(
            &a.path(&format!("/conversations/{c}/toggle_status")),
            &a.admin.token,
            json!({"status": "resolved"}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let got = rx.wait_until("the rule's webhook", Duration::from_secs(30), |r| !r.is_empty()).await;
    let body = got[0].json();
    assert_eq!(body["event"], "automation_event.conversation_resolved");
    assert_eq!(body["id"], c);
    assert_eq!(body["status"], "resolved");
    assert_eq!(got[0].header("x-chatwoot-signature"), "", "unsigned, as upstream");
}

#[tokio::test]
async fn a_restart_that_runs_a_job_again_does_not_apply_its_actions_twice() {
    let app = TestApp::spawn().await;
    let (a, inbox) = setup(&app).await;
    create_rule(
        &app,
        &a,
        json!({"name": "Ack", "event_name": "message_created", "conditions": [],
               "actions": [{"action_name": "send_message", "action_params": ["Got it"]},
                           {"action_name": "add_label", "action_params": ["seen"]}]}),
    )
    .await;
    let c = incoming(&app, &a, inbox, "hi").await;
    wait_for_label(&app, &a, c, "seen").await;
    eventually("the job to finish", || async {
        let done: i64 = sqlx::query_scalar("SELECT count(*) FROM automation_jobs WHERE status = 'done'")
            .fetch_one(&app.db)
            .await
            .unwrap();
        (done == 1).then_some(())
    })
    .await;
    let database_url = app.database_url.clone();
    let events_before = app.event_count().await;
    drop(app);

    // as if the node died after acting but before recording anything: the
    // executor re-reads the log from the start and the job runs again
    let db = sqlx::PgPool::connect(&database_url).await.unwrap();
    sqlx::query(
        "UPDATE projection_checkpoints SET tx = '0', position = 0 WHERE name = 'automation_executor'",
    )
    .execute(&db)
    .await
    .unwrap();
    sqlx::query("UPDATE automation_jobs SET status = 'pending', done_rule_ids = '{}', claim = NULL, next_attempt_at = now()")
        .execute(&db)
        .await
        .unwrap();
    let app = TestApp::spawn_on(database_url).await;
    eventually("the job to run again", || async {
        let done: i64 = sqlx::query_scalar("SELECT count(*) FROM automation_jobs WHERE status = 'done'")
            .fetch_one(&app.db)
            .await
            .unwrap();
        (done == 1).then_some(())
    })
    .await;
    let jobs: i64 =
        sqlx::query_scalar("SELECT count(*) FROM automation_jobs").fetch_one(&app.db).await.unwrap();
    assert_eq!(jobs, 1, "re-reading the log enqueues nothing twice");
    assert_eq!(messages(&app, &a, c).await.len(), 2, "one reply, not two");
    assert_eq!(labels(&app, &a, c).await, vec!["seen".to_owned()]);
    assert_eq!(app.event_count().await, events_before, "the second run wrote nothing");
}

#[tokio::test]
async fn attribute_changed_fires_on_the_watched_transition_only() {
    let app = TestApp::spawn().await;
    let (a, inbox) = setup(&app).await;
    create_rule(
        &app,
        &a,
        json!({"name": "Closed", "event_name": "conversation_updated",
            "conditions": [{"attribute_key": "status", "filter_operator": "attribute_changed",
                            "values": {"from": ["open"], "to": ["resolved"]}, "query_operator": null}],
            "actions": [{"action_name": "add_label", "action_params": ["closed"]}]}),
    )
    .await;
    let toggle = |id: i64, status: &'static str| {
        let path = a.path(&format!("/conversations/{id}/toggle_status"));
        let token = a.admin.token.clone();
        let app = &app;
        async move {
            let res = app.post(&path, &token, json!({"status": status})).await;
            assert_eq!(res.status, 200, "{}", res.text);
        }
    };
    // open -> pending, and a priority change: updates, not the transition
    let other = incoming(&app, &a, inbox, "hi").await;
    toggle(other, "pending").await;
    let priority = a.path(&format!("/conversations/{other}/toggle_priority"));
    assert_eq!(app.post(&priority, &a.admin.token, json!({"priority": "high"})).await.status, 200);
    // open -> resolved: the transition
    let closed = incoming(&app, &a, inbox, "hi").await;
    toggle(closed, "resolved").await;
    wait_for_label(&app, &a, closed, "closed").await;
    assert!(
        labels(&app, &a, other).await.is_empty(),
        "pending and priority changes are not open -> resolved"
    );
}

#[tokio::test]
async fn conversation_created_and_opened_rules_run_but_changes_made_by_a_rule_trigger_no_rule() {
    let app = TestApp::spawn().await;
    let (a, inbox) = setup(&app).await;
    let other_inbox = app.api_inbox(&a, "Sales").await["id"].as_i64().unwrap();
    let team = app.post(&a.path("/teams"), &a.admin.token, json!({"name": "billing"})).await;
    assert_eq!(team.status, 200, "{}", team.text);
    let team_id = team.json()["id"].as_i64().unwrap();
    create_rule(
        &app,
        &a,
        json!({"name": "Route", "event_name": "conversation_created",
            "conditions": [{"attribute_key": "inbox_id", "filter_operator": "equal_to", "values": [inbox], "query_operator": null}],
            "actions": [{"action_name": "assign_team", "action_params": [team_id]},
                        {"action_name": "add_label", "action_params": ["routed"]}]}),
    )
    .await;
    create_rule(
        &app,
        &a,
        json!({"name": "Reopened", "event_name": "conversation_opened", "conditions": [],
            "actions": [{"action_name": "add_label", "action_params": ["reopened"]}]}),
    )
    .await;
    // a rule resolves "close me" messages; the resolution is the rule's, so
    // the resolved rule below must not fire for it
    create_rule(
        &app,
        &a,
        json!({"name": "Close", "event_name": "message_created",
            "conditions": [{"attribute_key": "content", "filter_operator": "contains", "values": ["close me"], "query_operator": null}],
            "actions": [{"action_name": "resolve_conversation", "action_params": []}]}),
    )
    .await;
    create_rule(
        &app,
        &a,
        json!({"name": "Resolved", "event_name": "conversation_resolved", "conditions": [],
            "actions": [{"action_name": "add_label", "action_params": ["resolved-by-someone"]}]}),
    )
    .await;

    let elsewhere = app.conversation(&a, other_inbox, json!({})).await["id"].as_i64().unwrap();
    let routed = app.conversation(&a, inbox, json!({})).await["id"].as_i64().unwrap();
    wait_for_label(&app, &a, routed, "routed").await;
    let conversation = app.get(&a.path(&format!("/conversations/{routed}")), &a.admin.token).await.json();
    assert_eq!(conversation["meta"]["team"]["id"], team_id);
    assert!(labels(&app, &a, elsewhere).await.is_empty(), "the inbox condition does not hold elsewhere");

    // closed by the rule: no conversation_resolved rule runs
    post_incoming(&app, &a, routed, "please close me").await;
    eventually("the rule to resolve it", || async {
        let c = app.get(&a.path(&format!("/conversations/{routed}")), &a.admin.token).await.json();
        (c["status"] == "resolved").then_some(())
    })
    .await;
    // reopened by an agent: the opened rule runs; resolved by an agent: the resolved rule runs
    let toggle = a.path(&format!("/conversations/{routed}/toggle_status"));
    assert_eq!(app.post(&toggle, &a.admin.token, json!({"status": "open"})).await.status, 200);
    wait_for_label(&app, &a, routed, "reopened").await;
    let by_agent = app.conversation(&a, other_inbox, json!({})).await["id"].as_i64().unwrap();
    let toggle_other = a.path(&format!("/conversations/{by_agent}/toggle_status"));
    assert_eq!(app.post(&toggle_other, &a.admin.token, json!({"status": "resolved"})).await.status, 200);
    wait_for_label(&app, &a, by_agent, "resolved-by-someone").await;
    assert!(
        !labels(&app, &a, routed).await.contains(&"resolved-by-someone".to_owned()),
        "a resolution made by a rule triggers no rule"
    );
}

#[tokio::test]
async fn each_action_sees_the_previous_actions_changes() {
    let app = TestApp::spawn().await;
    let (a, inbox) = setup(&app).await;
    create_rule(
        &app,
        &a,
        json!({"name": "Steps", "event_name": "message_created", "conditions": [],
            "actions": [{"action_name": "add_label", "action_params": ["one"]},
                        {"action_name": "add_label", "action_params": ["two"]},
                        {"action_name": "remove_label", "action_params": ["one"]},
                        {"action_name": "add_label", "action_params": ["three"]}]}),
    )
    .await;
    let c = incoming(&app, &a, inbox, "hi").await;
    wait_for_label(&app, &a, c, "three").await;
    let mut got = labels(&app, &a, c).await;
    got.sort();
    assert_eq!(got, vec!["three".to_owned(), "two".to_owned()]);
}
