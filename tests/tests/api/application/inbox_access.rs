//! Who may do what with inboxes: the role matrix, tenancy, and read models
//! that survive a rebuild.

use super::inboxes::{api_inbox, create_inbox, set_members, widget_inbox};
use onelink_tests::readmodels::{dump, rebuild_all};
use onelink_tests::seed::Tenant;
use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::{json, Value};

/// Every inbox endpoint that needs an administrator, with a valid body.
fn admin_only(t: &Tenant, inbox_id: &Value, user_id: i64) -> Vec<(Method, String, Option<Value>)> {
    let inbox = t.path(&format!("/inboxes/{inbox_id}"));
    let members = json!({"inbox_id": inbox_id, "user_ids": [user_id]});
    vec![
        (Method::POST, t.path("/inboxes"), Some(api_inbox("New"))),
        (Method::PATCH, inbox.clone(), Some(json!({"name": "Renamed"}))),
        (Method::PUT, inbox.clone(), Some(json!({"name": "Renamed"}))),
        (Method::DELETE, inbox.clone(), None),
        (Method::DELETE, format!("{inbox}/avatar"), None),
        (Method::POST, format!("{inbox}/set_agent_bot"), Some(json!({"agent_bot": null}))),
        (Method::POST, t.path("/inbox_members"), Some(members.clone())),
        (Method::PATCH, t.path("/inbox_members"), Some(members.clone())),
        (Method::DELETE, t.path("/inbox_members"), Some(members)),
    ]
}

/// Every inbox endpoint a member of the inbox may read.
fn readable(t: &Tenant, inbox_id: &Value) -> Vec<String> {
    vec![
        t.path(&format!("/inboxes/{inbox_id}")),
        t.path(&format!("/inboxes/{inbox_id}/agent_bot")),
        t.path(&format!("/inbox_members/{inbox_id}")),
    ]
}

#[tokio::test]
async fn agents_cannot_administer_inboxes_even_their_own() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let inbox = create_inbox(&app, &a, api_inbox("Support")).await;
    set_members(&app, &a, &inbox["id"], &[a.agent.id]).await;
    let before = app.event_count().await;
    for (method, path, body) in admin_only(&a, &inbox["id"], a.agent.id) {
        let res = app.request(method.clone(), &path, Some(&a.agent.token), body).await;
        assert_eq!(res.status, 401, "{method} {path}");
        assert_eq!(
            res.json(),
            json!({"error": "You are not authorized to do this action"}),
            "{method} {path}"
        );
    }
    assert_eq!(app.event_count().await, before, "refused requests write nothing");
    for path in readable(&a, &inbox["id"]) {
        assert_eq!(app.get(&path, &a.agent.token).await.status, 200, "{path}");
    }
}

#[tokio::test]
async fn an_agent_cannot_read_an_inbox_they_do_not_belong_to() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let inbox = create_inbox(&app, &a, widget_inbox("Website")).await;
    for path in readable(&a, &inbox["id"]) {
        let res = app.get(&path, &a.agent.token).await;
        assert_eq!(res.status, 401, "{path}");
        assert_eq!(res.json(), json!({"error": "You are not authorized to do this action"}));
        assert_eq!(app.get(&path, &a.admin.token).await.status, 200, "{path}");
    }
}

#[tokio::test]
async fn other_tenants_cannot_reach_an_accounts_inboxes() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let inbox = create_inbox(&app, &a, api_inbox("Support")).await;
    set_members(&app, &a, &inbox["id"], &[a.agent.id]).await;
    let before = app.event_count().await;
    let foreign = json!({"error": "You are not authorized to access this account"});
    // B's administrator on A's paths: not a member of the account
    for (method, path, body) in admin_only(&a, &inbox["id"], a.agent.id) {
        let res = app.request(method.clone(), &path, Some(&b.admin.token), body).await;
        assert_eq!((res.status, res.json()), (401, foreign.clone()), "{method} {path}");
    }
    for path in readable(&a, &inbox["id"]).into_iter().chain([a.path("/inboxes")]) {
        let res = app.get(&path, &b.admin.token).await;
        assert_eq!(res.status, 401, "{path}");
        assert!(!res.text.contains("Support"));
    }
    // B's administrator on B's paths with A's inbox id: no such inbox in B
    for (method, path, body) in admin_only(&b, &inbox["id"], b.agent.id).into_iter().skip(1) {
        let res = app.request(method.clone(), &path, Some(&b.admin.token), body).await;
        assert_eq!(res.status, 404, "{method} {path}");
        assert_eq!(res.json(), json!({"error": "Resource could not be found"}));
    }
    for path in readable(&b, &inbox["id"]) {
        assert_eq!(app.get(&path, &b.admin.token).await.status, 404, "{path}");
    }
    assert_eq!(app.get(&b.path("/inboxes"), &b.admin.token).await.json(), json!({"payload": []}));
    assert_eq!(app.event_count().await, before, "A's inbox is untouched");
    let shown = app.get(&a.path(&format!("/inboxes/{}", inbox["id"])), &a.admin.token).await.json();
    assert_eq!(shown["name"], "Support");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rebuilding_reproduces_the_inbox_read_models() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let bot = app
        .post(
            "/platform/api/v1/agent_bots",
            &a.platform_token,
            json!({"name": "Bot", "account_id": a.account_id}),
        )
        .await
        .json();
    let mut inboxes = Vec::new();
    for (i, t) in [&a, &a, &b, &a].into_iter().enumerate() {
        let body =
            if i % 2 == 0 { api_inbox(&format!("Inbox {i}")) } else { widget_inbox(&format!("Inbox {i}")) };
        inboxes.push(create_inbox(&app, t, body).await["id"].clone());
    }
    set_members(&app, &a, &inboxes[0], &[a.agent.id, a.admin.id]).await;
    set_members(&app, &a, &inboxes[1], &[a.agent.id]).await;
    set_members(&app, &b, &inboxes[2], &[b.agent.id]).await;
    let (first, second) =
        (a.path(&format!("/inboxes/{}", inboxes[0])), a.path(&format!("/inboxes/{}", inboxes[1])));
    let body = json!({"name": "Renamed", "working_hours": [{"day_of_week": 3, "closed_all_day": true}],
                      "channel": {"webhook_url": "https://hooks.example/x"}});
    assert_eq!(app.patch(&first, &a.admin.token, body).await.status, 200);
    let bound =
        app.post(&format!("{second}/set_agent_bot"), &a.admin.token, json!({"agent_bot": bot["id"]})).await;
    assert_eq!(bound.status, 200);
    assert_eq!(app.delete(&a.path(&format!("/inboxes/{}", inboxes[3])), &a.admin.token).await.status, 200);
    set_members(&app, &a, &inboxes[0], &[a.admin.id]).await;
    let live = dump(&app.db).await;
    assert_eq!(live["inboxes"].as_array().unwrap().len(), 3);
    assert_eq!(live["inbox_members"].as_array().unwrap().len(), 3);

    rebuild_all(&app.db).await;
    assert_eq!(dump(&app.db).await, live, "rebuild differs from the live read models");

    // the live runner keeps working on the swapped-in tables
    assert_eq!(
        app.delete(&format!("/platform/api/v1/agent_bots/{}", bot["id"]), &a.platform_token).await.status,
        200
    );
    let after = dump(&app.db).await;
    assert_ne!(after, live, "deleting the bot unbinds it");
    rebuild_all(&app.db).await;
    assert_eq!(dump(&app.db).await, after);
    let unbound = app.get(&format!("{second}/agent_bot"), &a.admin.token).await.json();
    assert_eq!(unbound, json!({"agent_bot": {}}));
}
