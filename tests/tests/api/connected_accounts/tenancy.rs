//! Tenancy: a user reaches only the connected accounts of the accounts
//! they belong to. Another tenant's item is 404 (its existence does not
//! leak); naming another tenant's account is 403; writes take an
//! administrator (403 for agents). Refused calls write nothing.

use super::{call, connected, create, delete, get, michael, patch, token};
use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::json;

fn forbidden() -> serde_json::Value {
    json!({"@context": "/api/contexts/Error", "@id": "/api/errors/403", "@type": "Error",
           "title": "An error occurred", "detail": "Access Denied.", "status": 403, "type": "/errors/403"})
}

#[tokio::test]
async fn another_tenant_cannot_read_change_or_delete_connected_accounts() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let jwt_a = token(&app, &a.admin).await;
    let jwt_b = token(&app, &b.admin).await;
    let item = connected(&app, &jwt_a, michael("CANARY-A-secret")).await;
    let iri = item["@id"].as_str().unwrap().to_owned();
    let inbox = app
        .post(&a.path("/inboxes"), &a.admin.token, json!({"name": "A inbox", "channel": {"type": "api"}}))
        .await
        .json();
    let events_before = app.event_count().await;

    let list = get(&app, "/api/accounts", &jwt_b).await;
    assert_eq!(list.status, 200);
    assert_eq!(list.json()["totalItems"], 0);
    let not_found = get(&app, &iri, &jwt_b).await;
    assert_eq!(not_found.status, 404);
    assert_eq!(not_found.json()["detail"], "Not Found");
    assert_eq!(patch(&app, &iri, &jwt_b, json!({"name": "Hijacked"})).await.status, 404);
    assert_eq!(delete(&app, &iri, &jwt_b).await.status, 404);
    let foreign_list = get(&app, &format!("/api/accounts?account_id={}", a.account_id), &jwt_b).await;
    assert_eq!(foreign_list.status, 403);
    assert_eq!(foreign_list.json(), forbidden());
    let mut body = michael("x");
    body["accountId"] = json!(a.account_id);
    let foreign_create = create(&app, &jwt_b, body).await;
    assert_eq!(foreign_create.status, 403);
    assert_eq!(foreign_create.json(), forbidden());
    // a foreign inbox cannot be linked
    let foreign_inbox = format!("/api/v1/accounts/{}/inboxes/{}", a.account_id, inbox["id"]);
    let mut body = michael("x");
    body["inbox"] = json!(foreign_inbox);
    let res = create(&app, &jwt_b, body).await;
    assert_eq!(res.status, 400);
    assert_eq!(res.json()["detail"], format!("Item not found for \"{foreign_inbox}\"."));

    for res in [&list, &not_found, &foreign_list, &foreign_create, &res] {
        assert!(!res.text.contains("CANARY") && !res.text.contains("Michael"), "{}", res.text);
    }
    assert_eq!(app.event_count().await, events_before, "refused calls wrote events");
    assert_eq!(get(&app, &iri, &jwt_a).await.json(), item, "A's connected account is unchanged");
}

#[tokio::test]
async fn agents_read_but_only_administrators_connect_change_and_disconnect() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let admin = token(&app, &a.admin).await;
    let agent = token(&app, &a.agent).await;
    let item = connected(&app, &admin, michael("s")).await;
    let iri = item["@id"].as_str().unwrap();
    let before = app.event_count().await;

    assert_eq!(get(&app, "/api/accounts", &agent).await.json()["totalItems"], 1);
    assert_eq!(get(&app, iri, &agent).await.status, 200);
    for res in [
        create(&app, &agent, michael("s")).await,
        patch(&app, iri, &agent, json!({"name": "Agent edit"})).await,
        delete(&app, iri, &agent).await,
    ] {
        assert_eq!(res.status, 403, "{}", res.text);
        assert_eq!(res.json(), forbidden());
    }
    assert_eq!(app.event_count().await, before);
}

#[tokio::test]
async fn a_member_of_two_accounts_lists_the_active_one_unless_it_names_another() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let second =
        app.post("/platform/api/v1/accounts", &a.platform_token, json!({"name": "Alpha 2"})).await.json();
    let second_id = second["id"].as_i64().unwrap();
    let added = app
        .post(
            &format!("/platform/api/v1/accounts/{second_id}/account_users"),
            &a.platform_token,
            json!({"user_id": a.admin.id, "role": "administrator"}),
        )
        .await;
    assert_eq!(added.status, 200, "{}", added.text);
    let jwt = token(&app, &a.admin).await;

    let in_first = connected(&app, &jwt, michael("one")).await;
    assert_eq!(in_first["accountId"], a.account_id, "the oldest membership is the active one");
    let mut body = michael("two");
    body["accountId"] = json!(second_id);
    let in_second = connected(&app, &jwt, body).await;
    assert_eq!(in_second["accountId"], second_id);
    assert_eq!(in_second["client"], format!("/api/clients/{second_id}"));

    let first_list = get(&app, "/api/accounts", &jwt).await.json();
    assert_eq!(first_list["member"].as_array().unwrap().len(), 1);
    assert_eq!(first_list["member"][0]["id"], in_first["id"]);
    let second_list = get(&app, &format!("/api/accounts?account_id={second_id}"), &jwt).await.json();
    assert_eq!(second_list["member"][0]["id"], in_second["id"]);
    // items of either account are reachable by id
    assert_eq!(get(&app, in_second["@id"].as_str().unwrap(), &jwt).await.status, 200);

    // the agent of the first account is no member of the second
    let agent = token(&app, &a.agent).await;
    assert_eq!(get(&app, in_second["@id"].as_str().unwrap(), &agent).await.status, 404);
    let res =
        call(&app, Method::GET, &format!("/api/accounts?account_id={second_id}"), Some(&agent), None).await;
    assert_eq!(res.status, 403);
}

#[tokio::test]
async fn a_suspended_or_deleted_account_takes_its_connected_accounts_out_of_reach() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let jwt = token(&app, &a.admin).await;
    let item = connected(&app, &jwt, michael("s")).await;
    let iri = item["@id"].as_str().unwrap();
    let account = format!("/platform/api/v1/accounts/{}", a.account_id);
    assert_eq!(app.patch(&account, &a.platform_token, json!({"status": "suspended"})).await.status, 200);
    assert_eq!(get(&app, iri, &jwt).await.status, 404);
    assert_eq!(get(&app, "/api/accounts", &jwt).await.status, 403);
    assert_eq!(app.patch(&account, &a.platform_token, json!({"status": "active"})).await.status, 200);
    assert_eq!(get(&app, iri, &jwt).await.status, 200);
    assert_eq!(app.delete(&account, &a.platform_token).await.status, 200);
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM connected_accounts WHERE account_id = $1")
        .bind(a.account_id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(rows, 0, "a deleted account's connected accounts go");
}
