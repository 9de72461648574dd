//! `/api/v1/accounts/{account_id}/teams`

use super::keys;
use onelink_tests::seed::Tenant;
use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::{json, Value};

const DENIED: &str = "You are not authorized to do this action";

async fn create_team(app: &TestApp, t: &Tenant, body: Value) -> Value {
    let res = app.post(&t.path("/teams"), &t.admin.token, body).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()
}

#[tokio::test]
async fn teams_are_created_read_updated_and_deleted_in_the_upstream_shape() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let team = create_team(
        &app,
        &a,
        json!({"team": {"name": "Sales EMEA", "description": "Deals", "allow_auto_assign": false}}),
    )
    .await;
    assert_eq!(keys(&team), ["id", "name", "description", "allow_auto_assign", "account_id", "is_member"]);
    assert_eq!(team["name"], "sales emea", "names are lower-cased");
    assert_eq!(team["description"], "Deals");
    assert_eq!(team["allow_auto_assign"], false);
    assert_eq!(team["account_id"], a.account_id);
    assert_eq!(team["is_member"], false);

    let flat = create_team(&app, &a, json!({"name": "Support"})).await;
    assert_eq!(flat["allow_auto_assign"], true, "auto assignment is on by default");
    assert_eq!(flat["description"], Value::Null);

    let list = app.get(&a.path("/teams"), &a.agent.token).await;
    assert_eq!(list.status, 200);
    let names: Vec<_> = list.json().as_array().unwrap().iter().map(|t| t["name"].clone()).collect();
    assert_eq!(names, [json!("sales emea"), json!("support")]);

    let path = a.path(&format!("/teams/{}", team["id"]));
    let shown = app.get(&path, &a.agent.token).await;
    assert_eq!(shown.status, 200);
    assert_eq!(shown.json(), team);

    let patched =
        app.patch(&path, &a.admin.token, json!({"name": "Sales", "allow_auto_assign": "true"})).await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    assert_eq!(patched.json()["name"], "sales");
    assert_eq!(patched.json()["allow_auto_assign"], true);
    assert_eq!(patched.json()["description"], "Deals", "absent fields are kept");
    let put = app.put(&path, &a.admin.token, json!({"team": {"description": null}})).await;
    assert_eq!(put.status, 200, "{}", put.text);
    assert_eq!(put.json()["description"], Value::Null);

    let deleted = app.delete(&path, &a.admin.token).await;
    assert_eq!(deleted.status, 200);
    assert_eq!(deleted.text, "");
    assert_eq!(app.get(&path, &a.admin.token).await.status, 404);
    assert_eq!(app.delete(&path, &a.admin.token).await.status, 404);
    assert_eq!(app.get(&a.path("/teams"), &a.admin.token).await.json().as_array().unwrap().len(), 1);
    // the name of a deleted team is free again
    create_team(&app, &a, json!({"name": "SALES"})).await;
}

#[tokio::test]
async fn team_names_are_required_and_unique_per_account_whatever_their_case() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let blank = json!({"message": "Name must not be blank", "attributes": ["name"]});
    for body in [json!({}), json!({"name": ""}), json!({"name": "   "}), json!({"team": {"name": null}})] {
        let res = app.post(&a.path("/teams"), &a.admin.token, body.clone()).await;
        assert_eq!(res.status, 422, "{body}");
        assert_eq!(res.json(), blank);
    }
    let sales = create_team(&app, &a, json!({"name": "Sales"})).await;
    let taken = json!({"message": "Name has already been taken", "attributes": ["name"]});
    for name in ["sales", "SALES", " Sales "] {
        let res = app.post(&a.path("/teams"), &a.admin.token, json!({"name": name})).await;
        assert_eq!(res.status, 422, "{name}");
        assert_eq!(res.json(), taken);
    }
    create_team(&app, &b, json!({"name": "Sales"})).await; // another account may use it

    let support = create_team(&app, &a, json!({"name": "Support"})).await;
    let path = a.path(&format!("/teams/{}", support["id"]));
    let rename = app.patch(&path, &a.admin.token, json!({"name": "SALES"})).await;
    assert_eq!(rename.status, 422);
    assert_eq!(rename.json(), taken);
    let blank_rename = app.patch(&path, &a.admin.token, json!({"name": null})).await;
    assert_eq!(blank_rename.json(), blank);

    // renaming frees the old name
    let sales_path = a.path(&format!("/teams/{}", sales["id"]));
    assert_eq!(app.patch(&sales_path, &a.admin.token, json!({"name": "Deals"})).await.status, 200);
    create_team(&app, &a, json!({"name": "sales"})).await;
    let same = app.patch(&sales_path, &a.admin.token, json!({"name": "DEALS"})).await;
    assert_eq!(same.status, 200, "renaming to its own name in another case is a no-op: {}", same.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_creates_with_one_name_have_exactly_one_winner() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let mut set = tokio::task::JoinSet::new();
    for i in 0..8 {
        let (http, url, token) =
            (app.http.clone(), format!("{}{}", app.base_url, a.path("/teams")), a.admin.token.clone());
        set.spawn(async move {
            let name = if i % 2 == 0 { "Night Shift" } else { "NIGHT SHIFT" };
            let res =
                http.post(url).header("api_access_token", token).json(&json!({"name": name})).send().await;
            let res = res.unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        });
    }
    let mut statuses = Vec::new();
    while let Some(done) = set.join_next().await {
        let (status, text) = done.unwrap();
        if status == 422 {
            assert_eq!(text, r#"{"message":"Name has already been taken","attributes":["name"]}"#);
        }
        statuses.push(status);
    }
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 422, 422, 422, 422, 422, 422, 422]);
    assert_eq!(app.get(&a.path("/teams"), &a.admin.token).await.json().as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn agents_read_teams_but_only_administrators_change_them() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let team = create_team(&app, &a, json!({"name": "Sales"})).await;
    let path = a.path(&format!("/teams/{}", team["id"]));
    let before = app.event_count().await;
    for (method, path, body) in [
        (Method::POST, a.path("/teams"), Some(json!({"name": "Mine"}))),
        (Method::PATCH, path.clone(), Some(json!({"name": "Mine"}))),
        (Method::PUT, path.clone(), Some(json!({"name": "Mine"}))),
        (Method::DELETE, path.clone(), None),
    ] {
        let res = app.request(method.clone(), &path, Some(&a.agent.token), body).await;
        assert_eq!(res.status, 401, "{method} {path}");
        assert_eq!(res.json(), json!({"error": DENIED}));
    }
    assert_eq!(app.event_count().await, before, "refused requests write nothing");
    assert_eq!(app.get(&path, &a.agent.token).await.status, 200);
    assert_eq!(app.get(&a.path("/teams"), &a.agent.token).await.status, 200);
}

#[tokio::test]
async fn another_tenant_can_neither_see_nor_touch_a_team() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let team = create_team(&app, &a, json!({"name": "Secret Ops"})).await;
    let id = team["id"].as_i64().unwrap();
    let before = app.event_count().await;
    for method in [Method::GET, Method::PATCH, Method::PUT, Method::DELETE] {
        let body = (method != Method::GET && method != Method::DELETE).then(|| json!({"name": "pwned"}));
        let theirs = a.path(&format!("/teams/{id}"));
        let res = app.request(method.clone(), &theirs, Some(&b.admin.token), body.clone()).await;
        assert_eq!(res.status, 401, "{method} {theirs}");
        assert_eq!(res.json(), json!({"error": "You are not authorized to access this account"}));
        let ours = b.path(&format!("/teams/{id}"));
        let res = app.request(method.clone(), &ours, Some(&b.admin.token), body).await;
        assert_eq!(res.status, 404, "{method} {ours}");
        assert_eq!(res.json(), json!({"error": "Resource could not be found"}));
    }
    let foreign_list = app.get(&a.path("/teams"), &b.admin.token).await;
    assert_eq!(foreign_list.status, 401);
    let list = app.get(&b.path("/teams"), &b.admin.token).await;
    assert_eq!(list.json(), json!([]));
    assert!(!list.text.contains("secret"));
    assert_eq!(app.event_count().await, before);
}

#[tokio::test]
async fn bad_team_input_is_a_clear_4xx() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let before = app.event_count().await;
    for (body, attribute) in [
        (json!({"name": 5}), "name"),
        (json!({"name": ["a"]}), "name"),
        (json!({"name": "x", "allow_auto_assign": "maybe"}), "allow_auto_assign"),
        (json!({"name": "x", "description": {"a": 1}}), "description"),
        (json!({"name": "x".repeat(256)}), "name"),
    ] {
        let res = app.post(&a.path("/teams"), &a.admin.token, body.clone()).await;
        assert_eq!(res.status, 422, "{body}");
        assert_eq!(res.json()["attributes"], json!([attribute]), "{body}");
    }
    let malformed = app
        .raw(Method::POST, &a.path("/teams"), &a.admin.token, "application/json", b"{\"name\":".to_vec())
        .await;
    assert_eq!(malformed.status, 400);
    assert!(malformed.json()["error"].is_string());
    assert_eq!(app.event_count().await, before);

    for path in ["/teams/999999", "/teams/abc", "/teams/1.5", "/teams/-1"] {
        for method in [Method::GET, Method::PATCH, Method::DELETE] {
            let body = (method == Method::PATCH).then(|| json!({"name": "x"}));
            let res = app.request(method.clone(), &a.path(path), Some(&a.admin.token), body).await;
            assert_eq!(res.status, 404, "{method} {path}");
            assert_eq!(res.json(), json!({"error": "Resource could not be found"}));
        }
    }
}

#[tokio::test]
async fn is_member_tells_the_caller_whether_they_belong_to_the_team() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let sales = create_team(&app, &a, json!({"name": "Sales"})).await;
    create_team(&app, &a, json!({"name": "Support"})).await;
    let members = a.path(&format!("/teams/{}/team_members", sales["id"]));
    assert_eq!(app.post(&members, &a.admin.token, json!({"user_ids": [a.agent.id]})).await.status, 200);
    let flags = |list: Value| -> Vec<bool> {
        list.as_array().unwrap().iter().map(|t| t["is_member"].as_bool().unwrap()).collect()
    };
    assert_eq!(flags(app.get(&a.path("/teams"), &a.agent.token).await.json()), [true, false]);
    assert_eq!(flags(app.get(&a.path("/teams"), &a.admin.token).await.json()), [false, false]);
    let shown = app.get(&a.path(&format!("/teams/{}", sales["id"])), &a.agent.token).await.json();
    assert_eq!(shown["is_member"], true);
}
