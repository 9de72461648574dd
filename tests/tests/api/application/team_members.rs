//! `/api/v1/accounts/{account_id}/teams/{team_id}/team_members`

use super::keys;
use onelink_tests::seed::Tenant;
use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::{json, Value};

const INVALID: &str = r#"{"error":"Invalid User IDs"}"#;

/// A team of the tenant; returns the path of its members.
async fn team(app: &TestApp, t: &Tenant, name: &str) -> String {
    let res = app.post(&t.path("/teams"), &t.admin.token, json!({"name": name})).await;
    assert_eq!(res.status, 200, "{}", res.text);
    t.path(&format!("/teams/{}/team_members", res.json()["id"]))
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect()
}

async fn member_ids(app: &TestApp, t: &Tenant, path: &str) -> Vec<i64> {
    let res = app.get(path, &t.admin.token).await;
    assert_eq!(res.status, 200, "{}", res.text);
    ids(&res.json())
}

#[tokio::test]
async fn members_are_added_replaced_listed_and_removed() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let path = team(&app, &a, "Sales").await;
    assert_eq!(app.get(&path, &a.agent.token).await.json(), json!([]));

    let added = app.post(&path, &a.admin.token, json!({"user_ids": [a.agent.id]})).await;
    assert_eq!(added.status, 200, "{}", added.text);
    let agent = &added.json()[0];
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

    // only the newly added come back; ids may be strings; repeats are ignored
    let more = app
        .post(
            &path,
            &a.admin.token,
            json!({"team_member": {"user_ids": [a.agent.id, a.admin.id.to_string(), a.admin.id]}}),
        )
        .await;
    assert_eq!(more.status, 200, "{}", more.text);
    assert_eq!(ids(&more.json()), [a.admin.id]);
    let again = app.post(&path, &a.admin.token, json!({"user_ids": [a.admin.id]})).await;
    assert_eq!(again.json(), json!([]));
    assert_eq!(member_ids(&app, &a, &path).await, [a.admin.id, a.agent.id], "sorted by name");

    let replaced = app.patch(&path, &a.admin.token, json!({"user_ids": [a.admin.id]})).await;
    assert_eq!(replaced.status, 200, "{}", replaced.text);
    assert_eq!(ids(&replaced.json()), [a.admin.id], "the whole member set comes back");
    let swapped = app.patch(&path, &a.admin.token, json!({"user_ids": [a.agent.id, a.admin.id]})).await;
    assert_eq!(ids(&swapped.json()), [a.admin.id, a.agent.id]);

    let removed = app
        .request(Method::DELETE, &path, Some(&a.admin.token), Some(json!({"user_ids": [a.agent.id]})))
        .await;
    assert_eq!(removed.status, 200, "{}", removed.text);
    assert_eq!(removed.text, "");
    assert_eq!(member_ids(&app, &a, &path).await, [a.admin.id]);
    let emptied = app.patch(&path, &a.admin.token, json!({"user_ids": []})).await;
    assert_eq!(emptied.json(), json!([]));
}

#[tokio::test]
async fn user_ids_outside_the_account_are_401_and_change_nothing() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let path = team(&app, &a, "Sales").await;
    app.post(&path, &a.admin.token, json!({"user_ids": [a.agent.id]})).await;
    let before = app.event_count().await;
    for user_ids in
        [json!([a.admin.id, b.agent.id]), json!([999_999]), json!(["abc"]), json!([a.admin.id, "1x"])]
    {
        for method in [Method::POST, Method::PATCH, Method::DELETE] {
            let body = json!({"user_ids": user_ids});
            let res = app.request(method.clone(), &path, Some(&a.admin.token), Some(body)).await;
            assert_eq!(res.status, 401, "{method} {user_ids}");
            assert_eq!(res.text, INVALID, "{method} {user_ids}");
        }
    }
    assert_eq!(app.event_count().await, before, "nothing was written");
    assert_eq!(member_ids(&app, &a, &path).await, [a.agent.id]);
}

#[tokio::test]
async fn only_administrators_of_the_account_change_members() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let path = team(&app, &a, "Sales").await;
    let team_id: i64 = path.split('/').nth(6).unwrap().parse().unwrap();
    let before = app.event_count().await;
    let body = json!({"user_ids": [a.agent.id]});
    for method in [Method::POST, Method::PATCH, Method::DELETE] {
        let res = app.request(method.clone(), &path, Some(&a.agent.token), Some(body.clone())).await;
        assert_eq!(res.status, 401, "{method}");
        assert_eq!(res.json(), json!({"error": "You are not authorized to do this action"}));
    }
    for method in [Method::GET, Method::POST, Method::PATCH, Method::DELETE] {
        let res = app.request(method.clone(), &path, Some(&b.admin.token), Some(body.clone())).await;
        assert_eq!(res.status, 401, "{method}");
        assert_eq!(res.json(), json!({"error": "You are not authorized to access this account"}));
        let ours = b.path(&format!("/teams/{team_id}/team_members"));
        let body = json!({"user_ids": [b.agent.id]});
        let res = app.request(method.clone(), &ours, Some(&b.admin.token), Some(body)).await;
        assert_eq!(res.status, 404, "{method} {ours}");
    }
    assert_eq!(app.event_count().await, before);
    for missing in ["/teams/999999/team_members", "/teams/abc/team_members"] {
        let res = app.get(&a.path(missing), &a.admin.token).await;
        assert_eq!(res.status, 404, "{missing}");
        let res = app.post(&a.path(missing), &a.admin.token, body.clone()).await;
        assert_eq!(res.status, 404, "{missing}");
    }
}

#[tokio::test]
async fn malformed_member_requests_are_422() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let path = team(&app, &a, "Sales").await;
    let before = app.event_count().await;
    let missing = app.post(&path, &a.admin.token, json!({})).await;
    assert_eq!(missing.status, 422);
    assert_eq!(missing.json(), json!({"error": "param is missing or the value is empty: user_ids"}));
    let no_body = app.delete(&path, &a.admin.token).await;
    assert_eq!(no_body.status, 422);
    for user_ids in [json!(5), json!("1,2"), json!([{"id": 1}]), json!([true])] {
        let res = app.patch(&path, &a.admin.token, json!({"user_ids": user_ids})).await;
        assert_eq!(res.status, 422, "{user_ids}");
        assert_eq!(res.json()["attributes"], json!(["user_ids"]), "{user_ids}");
    }
    assert_eq!(app.event_count().await, before);
}

#[tokio::test]
async fn leaving_the_account_leaves_its_teams_and_coming_back_does_not_restore_them() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let path = team(&app, &a, "Sales").await;
    let both = app.member(&a.platform_token, a.account_id, "Both", "agent").await;
    app.post(&path, &a.admin.token, json!({"user_ids": [both.id, a.agent.id]})).await;
    assert_eq!(member_ids(&app, &a, &path).await, [a.agent.id, both.id]);

    let remove = format!("/platform/api/v1/accounts/{}/account_users?user_id={}", a.account_id, both.id);
    assert_eq!(app.delete(&remove, &a.platform_token).await.status, 200);
    assert_eq!(member_ids(&app, &a, &path).await, [a.agent.id]);

    let add_back = format!("/platform/api/v1/accounts/{}/account_users", a.account_id);
    let res = app.post(&add_back, &a.platform_token, json!({"user_id": both.id, "role": "agent"})).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(member_ids(&app, &a, &path).await, [a.agent.id], "a new membership starts outside the teams");
    let readded = app.post(&path, &a.admin.token, json!({"user_ids": [both.id]})).await;
    assert_eq!(ids(&readded.json()), [both.id], "they can be added again");

    // an agent removed by an administrator (and so deleted) leaves too
    let agent = app.delete(&a.path(&format!("/agents/{}", a.agent.id)), &a.admin.token).await;
    assert_eq!(agent.status, 200);
    assert_eq!(member_ids(&app, &a, &path).await, [both.id]);
    let gone = app.post(&path, &a.admin.token, json!({"user_ids": [a.agent.id]})).await;
    assert_eq!(gone.status, 401);
}
