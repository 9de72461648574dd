//! `GET /conversations` and `/conversations/meta`: filters, counts, pages.

use onelink_tests::TestApp;
use serde_json::{json, Value};

fn ids(res: &Value) -> Vec<i64> {
    res["data"]["payload"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn counts_and_filters_add_up() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let support = app.api_inbox(&a, "Support").await["id"].as_i64().unwrap();
    let sales = app.api_inbox(&a, "Sales").await["id"].as_i64().unwrap();
    app.inbox_members(&a, support, &[a.agent.id]).await;
    // 6 in support: 2 mine (agent), 1 admin's, 3 unassigned; one of them resolved
    let mut support_ids = Vec::new();
    for extra in [
        json!({"assignee_id": a.agent.id}),
        json!({"assignee_id": a.agent.id, "status": "resolved"}),
        json!({"assignee_id": a.admin.id}),
        json!({}),
        json!({"status": "pending"}),
        json!({}),
    ] {
        support_ids.push(app.conversation(&a, support, extra).await["id"].as_i64().unwrap());
    }
    // 3 in sales, invisible to the agent
    for _ in 0..3 {
        app.conversation(&a, sales, json!({})).await;
    }

    let admin_all = app.get(&a.path("/conversations?status=all"), &a.admin.token).await.json();
    assert_eq!(
        admin_all["data"]["meta"],
        json!({"mine_count": 1, "assigned_count": 3, "unassigned_count": 6, "all_count": 9})
    );
    assert_eq!(ids(&admin_all).len(), 9);

    let agent_open = app.get(&a.path("/conversations"), &a.agent.token).await.json();
    assert_eq!(
        agent_open["data"]["meta"],
        json!({"mine_count": 1, "assigned_count": 2, "unassigned_count": 2, "all_count": 4}),
        "default status is open; the agent sees only the support inbox"
    );
    let mine = app.get(&a.path("/conversations?assignee_type=me&status=all"), &a.agent.token).await.json();
    assert_eq!(ids(&mine).len(), 2);
    assert_eq!(mine["data"]["meta"]["all_count"], 6, "counts ignore assignee_type");
    let unassigned = app.get(&a.path("/conversations?assignee_type=unassigned"), &a.agent.token).await.json();
    assert_eq!(ids(&unassigned).len(), 2);
    let pending = app.get(&a.path("/conversations?status=pending"), &a.admin.token).await.json();
    assert_eq!(ids(&pending), vec![support_ids[4]]);
    let by_inbox = app.get(&a.path(&format!("/conversations?inbox_id={sales}")), &a.admin.token).await.json();
    assert_eq!(by_inbox["data"]["meta"]["all_count"], 3);
    let agent_sales =
        app.get(&a.path(&format!("/conversations?inbox_id={sales}")), &a.agent.token).await.json();
    assert_eq!(agent_sales["data"]["meta"]["all_count"], 0);

    let meta = app.get(&a.path("/conversations/meta?status=all"), &a.admin.token).await;
    assert_eq!(meta.json(), json!({"meta": admin_all["data"]["meta"]}));

    assert_eq!(app.get(&a.path("/conversations?team_id=999999"), &a.admin.token).await.status, 404);
}

#[tokio::test]
async fn pages_hold_25_newest_first_and_search_finds_messages() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let inbox = app.api_inbox(&a, "Support").await["id"].as_i64().unwrap();
    for n in 0..27 {
        let body = json!({"message": {"content": format!("order number {n}")}});
        app.conversation(&a, inbox, body).await;
    }
    let first = app.get(&a.path("/conversations"), &a.admin.token).await.json();
    assert_eq!(ids(&first), (3..=27).rev().collect::<Vec<_>>());
    assert_eq!(first["data"]["meta"]["all_count"], 27);
    let second = app.get(&a.path("/conversations?page=2"), &a.admin.token).await.json();
    assert_eq!(ids(&second), vec![2, 1]);
    let oldest_first = app.get(&a.path("/conversations?sort_by=created_at_asc"), &a.admin.token).await.json();
    assert_eq!(ids(&oldest_first)[..3], [1, 2, 3]);

    let found = app.get(&a.path("/conversations?q=number%2012"), &a.admin.token).await.json();
    assert_eq!(ids(&found), vec![13]);
    assert_eq!(found["data"]["meta"]["all_count"], 1, "counts cover all matches, not a page");
    let literal = app.get(&a.path("/conversations?q=%25"), &a.admin.token).await.json();
    assert_eq!(ids(&literal), Vec::<i64>::new(), "% matches literally");
    for hostile in ["'%20OR%20'1'%3D'1", "%27%3B%20DROP%20TABLE%20conversations%3B--", "%5C", "pg_sleep(5)"] {
        let res = app
            .get(
                &a.path(&format!("/conversations?q={hostile}&sort_by={hostile}&page={hostile}")),
                &a.admin.token,
            )
            .await;
        assert_eq!(res.status, 200, "{hostile}");
        assert_eq!(res.json()["data"]["meta"]["all_count"], 0);
    }
}

#[tokio::test]
async fn another_tenant_never_sees_a_tenants_conversations() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let inbox = app.api_inbox(&a, "Support").await["id"].as_i64().unwrap();
    app.conversation(&a, inbox, json!({"message": {"content": "CANARY-A"}})).await;
    let theirs = app.get(&b.path("/conversations?status=all"), &b.admin.token).await;
    assert_eq!(theirs.json()["data"]["meta"]["all_count"], 0);
    assert!(!theirs.text.contains("CANARY-A"));
    let foreign = app.get(&a.path("/conversations"), &b.admin.token).await;
    assert_eq!(foreign.status, 401);
    assert!(!foreign.text.contains("CANARY-A"));
}

#[tokio::test]
async fn a_contacts_conversations_are_listed_for_those_who_may_see_them() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let inbox = app.api_inbox(&a, "Support").await["id"].as_i64().unwrap();
    let contact = app.contact(&a, json!({"name": "Kim"})).await;
    for status in ["open", "resolved"] {
        let body = json!({"inbox_id": inbox, "contact_id": contact["id"], "status": status});
        assert_eq!(app.post(&a.path("/conversations"), &a.admin.token, body).await.status, 200);
    }
    let path = a.path(&format!("/contacts/{}/conversations", contact["id"]));
    let listed = app.get(&path, &a.admin.token).await.json();
    let ids: Vec<_> = listed["payload"].as_array().unwrap().iter().map(|c| c["id"].clone()).collect();
    assert_eq!(ids, [json!(2), json!(1)], "every status, most recent first");
    let agent = app.get(&path, &a.agent.token).await.json();
    assert_eq!(agent["payload"], json!([]), "not a member of the inbox");
    let b = app.tenant("Beta").await;
    assert_eq!(app.get(&path, &b.admin.token).await.status, 401);
    assert_eq!(
        app.get(&b.path(&format!("/contacts/{}/conversations", contact["id"])), &b.admin.token).await.status,
        404
    );
}

#[tokio::test]
async fn label_views_count_exactly_through_label_changes_and_visibility() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let support = app.api_inbox(&a, "Support").await["id"].as_i64().unwrap();
    let sales = app.api_inbox(&a, "Sales").await["id"].as_i64().unwrap();
    app.inbox_members(&a, support, &[a.agent.id]).await;
    let mut convs = Vec::new();
    for (inbox, extra) in [
        (support, json!({"assignee_id": a.agent.id})),
        (support, json!({})),
        (support, json!({"status": "resolved"})),
        (sales, json!({})),
    ] {
        convs.push(app.conversation(&a, inbox, extra).await["id"].as_i64().unwrap());
    }
    let label = |id: i64, labels: Value| {
        let path = a.path(&format!("/conversations/{id}/labels"));
        let token = a.admin.token.clone();
        let app = &app;
        async move { assert_eq!(app.post(&path, &token, json!({ "labels": labels })).await.status, 200) }
    };
    label(convs[0], json!(["billing", "vip"])).await;
    label(convs[1], json!(["vip"])).await;
    label(convs[1], json!(["billing"])).await; // overwrite
    label(convs[2], json!(["billing"])).await;
    label(convs[3], json!(["billing", "vip"])).await;
    let meta = |path: &'static str, token: String| {
        let app = &app;
        let path = a.path(path);
        async move { app.get(&path, &token).await.json()["meta"].clone() }
    };
    assert_eq!(
        meta("/conversations/meta?labels[]=billing", a.admin.token.clone()).await,
        json!({"mine_count": 0, "assigned_count": 1, "unassigned_count": 2, "all_count": 3}),
        "open conversations labelled billing, all inboxes"
    );
    assert_eq!(
        meta("/conversations/meta?labels[]=billing", a.agent.token.clone()).await,
        json!({"mine_count": 1, "assigned_count": 1, "unassigned_count": 1, "all_count": 2}),
        "the agent counts only the support inbox"
    );
    assert_eq!(
        meta("/conversations/meta?labels[]=vip&status=all", a.admin.token.clone()).await["all_count"],
        2
    );
    assert_eq!(
        meta("/conversations/meta?labels[]=vip&labels[]=billing&status=all", a.admin.token.clone()).await
            ["all_count"],
        4,
        "several labels match any of them"
    );
    let listed = app.get(&a.path("/conversations?labels[]=billing&status=all"), &a.admin.token).await.json();
    assert_eq!(listed["data"]["meta"]["all_count"], ids(&listed).len());
    let deleted = app.delete(&a.path(&format!("/conversations/{}", convs[3])), &a.admin.token).await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    assert_eq!(meta("/conversations/meta?labels[]=billing", a.admin.token.clone()).await["all_count"], 2);
}
