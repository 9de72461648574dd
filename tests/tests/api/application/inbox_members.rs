//! `/api/v1/accounts/{account_id}/inbox_members`.

use super::inboxes::{api_inbox, create_inbox, keys};
use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::{json, Value};

fn ids(res: &Value) -> Vec<i64> {
    res["payload"].as_array().unwrap().iter().map(|a| a["id"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn members_are_added_listed_replaced_and_removed() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let inbox = create_inbox(&app, &a, api_inbox("Support")).await;
    let (members, show) = (a.path("/inbox_members"), a.path(&format!("/inbox_members/{}", inbox["id"])));
    assert_eq!(app.get(&show, &a.admin.token).await.json(), json!({"payload": []}));

    let added =
        app.post(&members, &a.admin.token, json!({"inbox_id": inbox["id"], "user_ids": [a.agent.id]})).await;
    assert_eq!(added.status, 200, "{}", added.text);
    let agent = &added.json()["payload"][0];
    assert_eq!(
        keys(agent),
        [
            "id",
            "account_id",
            "availability_status",
            "auto_offline",
            "confirmed",
            "email",
            "provider",
            "available_name",
            "name",
            "role",
            "thumbnail"
        ]
    );
    assert_eq!(agent["id"], a.agent.id);
    assert_eq!(agent["role"], "agent");

    // re-adding is skipped; ids may be numeric strings; the answer lists every member, by name
    let before = app.event_count().await;
    let body =
        json!({"inbox_member": {"inbox_id": inbox["id"].to_string(), "user_ids": [a.agent.id.to_string()]}});
    let again = app.post(&members, &a.admin.token, body).await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(app.event_count().await, before, "an existing member is not added twice");
    let both = app
        .post(
            &members,
            &a.admin.token,
            json!({"inbox_id": inbox["id"], "user_ids": [a.admin.id, a.agent.id]}),
        )
        .await;
    assert_eq!(ids(&both.json()), [a.admin.id, a.agent.id]);
    assert_eq!(ids(&app.get(&show, &a.agent.token).await.json()), [a.admin.id, a.agent.id]);

    let replaced =
        app.patch(&members, &a.admin.token, json!({"inbox_id": inbox["id"], "user_ids": [a.admin.id]})).await;
    assert_eq!(replaced.status, 200);
    assert_eq!(ids(&replaced.json()), [a.admin.id]);

    let body = json!({"inbox_id": inbox["id"], "user_ids": [a.admin.id]});
    let removed = app.request(Method::DELETE, &members, Some(&a.admin.token), Some(body)).await;
    assert_eq!(removed.status, 200);
    assert_eq!(removed.text, "");
    assert_eq!(app.get(&show, &a.admin.token).await.json(), json!({"payload": []}));
    let cleared = app.put(&members, &a.admin.token, json!({"inbox_id": inbox["id"], "user_ids": []})).await;
    assert_eq!(cleared.json(), json!({"payload": []}));
}

#[tokio::test]
async fn user_ids_outside_the_account_are_422_and_write_nothing() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let inbox = create_inbox(&app, &a, api_inbox("Support")).await;
    let before = app.event_count().await;
    for method in [Method::POST, Method::PATCH, Method::DELETE] {
        for foreign in [b.agent.id, 999_999] {
            let body = json!({"inbox_id": inbox["id"], "user_ids": [a.agent.id, foreign]});
            let res = app
                .request(method.clone(), &a.path("/inbox_members"), Some(&a.admin.token), Some(body))
                .await;
            assert_eq!(res.status, 422, "{method} {foreign}");
            assert_eq!(res.json(), json!({"error": "Invalid User IDs"}));
        }
    }
    assert_eq!(app.event_count().await, before);
}

#[tokio::test]
async fn malformed_member_requests_are_4xx() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let inbox = create_inbox(&app, &a, api_inbox("Support")).await;
    let path = a.path("/inbox_members");
    let before = app.event_count().await;
    for (body, status) in [
        (json!({"user_ids": [a.agent.id]}), 404),
        (json!({"inbox_id": 999_999, "user_ids": [a.agent.id]}), 404),
        (json!({"inbox_id": "abc", "user_ids": [a.agent.id]}), 422),
        (json!({"inbox_id": inbox["id"]}), 422),
        (json!({"inbox_id": inbox["id"], "user_ids": ["x"]}), 422),
        (json!({"inbox_id": inbox["id"], "user_ids": 5}), 422),
    ] {
        let res = app.post(&path, &a.admin.token, body.clone()).await;
        assert_eq!(res.status, status, "{body}: {}", res.text);
    }
    let missing = app.post(&path, &a.admin.token, json!({"inbox_id": inbox["id"]})).await;
    assert_eq!(missing.json(), json!({"error": "param is missing or the value is empty: user_ids"}));
    assert_eq!(app.event_count().await, before);
}

#[tokio::test]
async fn leaving_the_account_ends_inbox_membership_until_added_again() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let inbox = create_inbox(&app, &a, api_inbox("Support")).await;
    let show = a.path(&format!("/inbox_members/{}", inbox["id"]));
    // B's agent joins A too (and stays a user when A drops them)
    let joined =
        app.post(&a.path("/agents"), &a.admin.token, json!({"name": "x", "email": b.agent.email})).await;
    assert_eq!(joined.status, 200, "{}", joined.text);
    let members = a.path("/inbox_members");
    let body = json!({"inbox_id": inbox["id"], "user_ids": [b.agent.id, a.agent.id]});
    assert_eq!(app.post(&members, &a.admin.token, body).await.status, 200);

    assert_eq!(app.delete(&a.path(&format!("/agents/{}", b.agent.id)), &a.admin.token).await.status, 200);
    assert_eq!(ids(&app.get(&show, &a.admin.token).await.json()), [a.agent.id]);
    let inbox_id = inbox["id"].as_i64().unwrap();
    assert!(!onelink_projections::inboxes::is_member(&app.db, a.account_id, inbox_id, b.agent.id)
        .await
        .unwrap());
    // a user deleted through the Platform API leaves every inbox
    let deleted = app.delete(&format!("/platform/api/v1/users/{}", a.agent.id), &a.platform_token).await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM inbox_members WHERE account_id = $1")
        .bind(a.account_id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(rows, 0);

    // invited again: not a member of the inbox until added again
    let rejoined =
        app.post(&a.path("/agents"), &a.admin.token, json!({"name": "x", "email": b.agent.email})).await;
    assert_eq!(rejoined.status, 200);
    assert_eq!(app.get(&show, &a.admin.token).await.json(), json!({"payload": []}));
    assert_eq!(app.get(&a.path("/inboxes"), &b.agent.token).await.json(), json!({"payload": []}));
    // a row left by an add that raced with the removal names the old membership: it does not count
    sqlx::query("INSERT INTO inbox_members VALUES ($1, $2, $3, 0, now())")
        .bind(a.account_id)
        .bind(inbox_id)
        .bind(b.agent.id)
        .execute(&app.db)
        .await
        .unwrap();
    assert!(!onelink_projections::inboxes::is_member(&app.db, a.account_id, inbox_id, b.agent.id)
        .await
        .unwrap());
    assert_eq!(app.get(&show, &a.admin.token).await.json(), json!({"payload": []}));
    assert_eq!(app.get(&a.path("/inboxes"), &b.agent.token).await.json(), json!({"payload": []}));
    let body = json!({"inbox_id": inbox["id"], "user_ids": [b.agent.id]});
    let added = app.post(&members, &a.admin.token, body).await;
    assert_eq!(ids(&added.json()), [b.agent.id]);
    let listed = app.get(&a.path("/inboxes"), &b.agent.token).await.json();
    assert_eq!(listed["payload"].as_array().unwrap().len(), 1);
    let theirs =
        onelink_projections::inboxes::member_inbox_ids(&app.db, a.account_id, b.agent.id).await.unwrap();
    assert_eq!(theirs, [inbox["id"].as_i64().unwrap()]);
    let elsewhere =
        onelink_projections::inboxes::member_inbox_ids(&app.db, b.account_id, b.agent.id).await.unwrap();
    assert!(elsewhere.is_empty(), "memberships are per account");
}
