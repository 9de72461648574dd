//! `/api/v1/accounts/{account_id}/custom_filters`: shape, per-user
//! ownership, filter types, the per-user limit, tenancy, mass assignment
//! and bad input.

use super::keys;
use onelink_commands::{custom_filters as commands, CommandContext};
use onelink_domain::custom_filter::{NewCustomFilter, Owner, MAX_FILTERS_PER_USER};
use onelink_domain::ids::{AccountId, UserId};
use onelink_domain::Actor;
use onelink_tests::seed::{Tenant, User};
use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::{json, Value};

const KEYS: [&str; 6] = ["id", "name", "filter_type", "query", "created_at", "updated_at"];

fn query() -> Value {
    json!({"payload": [{"attribute_key": "status", "filter_operator": "equal_to", "values": ["open"],
                        "query_operator": null}]})
}

async fn save(app: &TestApp, t: &Tenant, user: &User, body: Value) -> Value {
    let res = app.post(&t.path("/custom_filters"), &user.token, body).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()
}

fn names(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn a_member_saves_lists_updates_and_deletes_their_filters_in_the_upstream_shape() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let open = save(&app, &a, &a.agent, json!({"custom_filter": {"name": " Open ", "query": query()}})).await;
    assert_eq!(keys(&open), KEYS);
    assert_eq!(open["name"], "Open");
    assert_eq!(open["filter_type"], "conversation", "the default type");
    assert_eq!(open["query"], query(), "the query is stored as given");
    let vips =
        save(&app, &a, &a.agent, json!({"name": "VIPs", "filter_type": "contact", "query": {"payload": []}}))
            .await;
    assert_eq!(vips["filter_type"], "contact");
    let by_number = save(&app, &a, &a.agent, json!({"name": "Weekly", "filter_type": 2, "query": {}})).await;
    assert_eq!(by_number["filter_type"], "report");
    save(&app, &a, &a.agent, json!({"name": "Later", "filter_type": "0", "query": {"payload": []}})).await;

    let list = |q: &'static str| {
        let (app, path, token) = (&app, a.path(&format!("/custom_filters{q}")), a.agent.token.clone());
        async move { names(&app.get(&path, &token).await.json()) }
    };
    assert_eq!(list("").await, ["Open", "Later"], "conversation filters by default");
    assert_eq!(list("?filter_type=contact").await, ["VIPs"]);
    assert_eq!(list("?filter_type=1").await, ["VIPs"]);
    assert_eq!(list("?filter_type=report").await, ["Weekly"]);
    assert_eq!(list("?filter_type=conversation").await, ["Open", "Later"]);
    assert_eq!(list("?filter_type=bogus").await, Vec::<String>::new());
    assert_eq!(app.get(&a.path("/custom_filters"), &a.agent.token).await.json()[0], open);

    let path = a.path(&format!("/custom_filters/{}", open["id"]));
    let shown = app.get(&path, &a.agent.token).await;
    assert_eq!(shown.status, 200);
    assert_eq!(shown.json(), open);
    let new_query = json!({"payload": [{"attribute_key": "priority", "filter_operator": "equal_to", "values": ["high"]}]});
    let patched = app.patch(&path, &a.agent.token, json!({"name": "Urgent", "query": new_query})).await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    assert_eq!(patched.json()["name"], "Urgent");
    assert_eq!(patched.json()["query"], new_query, "the query is replaced whole");
    assert_eq!(patched.json()["filter_type"], "conversation", "absent fields are kept");
    let put = app.put(&path, &a.agent.token, json!({"custom_filter": {"filter_type": "contact"}})).await;
    assert_eq!(put.status, 200);
    assert_eq!(list("?filter_type=contact").await, ["Urgent", "VIPs"]);

    let deleted = app.delete(&path, &a.agent.token).await;
    assert_eq!(deleted.status, 204);
    assert_eq!(deleted.text, "");
    assert_eq!(app.get(&path, &a.agent.token).await.status, 404);
    assert_eq!(app.delete(&path, &a.agent.token).await.status, 404);
}

#[tokio::test]
async fn a_user_never_sees_or_changes_another_users_filter() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let mine = save(&app, &a, &a.agent, json!({"name": "Agent's", "query": query()})).await;
    let theirs = save(&app, &a, &a.admin, json!({"name": "Admin's", "query": query()})).await;
    assert_eq!(names(&app.get(&a.path("/custom_filters"), &a.agent.token).await.json()), ["Agent's"]);
    assert_eq!(names(&app.get(&a.path("/custom_filters"), &a.admin.token).await.json()), ["Admin's"]);
    let before = app.event_count().await;
    for (user, filter) in [(&a.admin, &mine), (&a.agent, &theirs)] {
        let path = a.path(&format!("/custom_filters/{}", filter["id"]));
        for method in [Method::GET, Method::PATCH, Method::PUT, Method::DELETE] {
            let body = matches!(method, Method::PATCH | Method::PUT).then(|| json!({"name": "Hijacked"}));
            let res = app.request(method.clone(), &path, Some(&user.token), body).await;
            assert_eq!(res.status, 404, "{method} {path}");
            assert_eq!(res.json(), json!({"error": "Resource could not be found"}));
        }
    }
    assert_eq!(app.event_count().await, before, "refused requests write nothing");
    let still = app.get(&a.path(&format!("/custom_filters/{}", mine["id"])), &a.agent.token).await;
    assert_eq!(still.json(), mine);
}

#[tokio::test]
async fn another_tenant_can_neither_see_nor_touch_a_filter() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let secret = save(&app, &a, &a.admin, json!({"name": "CANARY", "query": query()})).await;
    let id = secret["id"].as_i64().unwrap();
    let before = app.event_count().await;
    for method in [Method::GET, Method::PATCH, Method::PUT, Method::DELETE] {
        let body = matches!(method, Method::PATCH | Method::PUT).then(|| json!({"name": "pwned"}));
        let rest = format!("/custom_filters/{id}");
        let res = app.request(method.clone(), &a.path(&rest), Some(&b.admin.token), body.clone()).await;
        assert_eq!(res.status, 401, "{method} A's path");
        assert_eq!(res.json(), json!({"error": "You are not authorized to access this account"}));
        let res = app.request(method.clone(), &b.path(&rest), Some(&b.admin.token), body).await;
        assert_eq!(res.status, 404, "{method} B's path");
    }
    let res = app.post(&a.path("/custom_filters"), &b.admin.token, json!({"name": "x", "query": {}})).await;
    assert_eq!(res.status, 401);
    assert_eq!(app.get(&a.path("/custom_filters"), &b.admin.token).await.status, 401);
    assert_eq!(app.event_count().await, before);
    assert_eq!(app.get(&b.path("/custom_filters"), &b.admin.token).await.json(), json!([]));
}

#[tokio::test]
async fn owner_account_ids_and_timestamps_in_bodies_are_ignored() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let made = save(
        &app,
        &a,
        &a.agent,
        json!({"name": "Mine", "query": {}, "id": 999_999, "user_id": a.admin.id, "account_id": b.account_id,
               "created_at": "2000-01-01T00:00:00.000Z"}),
    )
    .await;
    assert_ne!(made["id"], 999_999);
    assert!(!made["created_at"].as_str().unwrap().starts_with("2000"));
    assert_eq!(names(&app.get(&a.path("/custom_filters"), &a.agent.token).await.json()), ["Mine"]);
    assert_eq!(
        app.get(&a.path("/custom_filters"), &a.admin.token).await.json(),
        json!([]),
        "not the admin's"
    );
    let path = a.path(&format!("/custom_filters/{}", made["id"]));
    let before = app.event_count().await;
    let res =
        app.patch(&path, &a.agent.token, json!({"user_id": a.admin.id, "account_id": b.account_id})).await;
    assert_eq!(res.json(), made);
    assert_eq!(app.event_count().await, before);
    assert_eq!(app.get(&b.path("/custom_filters"), &b.admin.token).await.json(), json!([]));
}

#[tokio::test]
async fn bad_filter_input_is_a_clear_4xx() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let before = app.event_count().await;
    let invalid = |message: &str, attribute: &str| json!({"message": message, "attributes": [attribute]});
    for (body, expected) in [
        (json!({"query": {}}), invalid("Name can't be blank", "name")),
        (json!({"name": " ", "query": {}}), invalid("Name can't be blank", "name")),
        (json!({"name": "x"}), invalid("Query can't be blank", "query")),
        (json!({"name": "x", "query": null}), invalid("Query can't be blank", "query")),
        (
            json!({"name": "x", "query": {}, "filter_type": "inbox"}),
            invalid("Filter type is not included in the list", "filter_type"),
        ),
        (
            json!({"name": "x", "query": {}, "filter_type": 3}),
            invalid("Filter type is not included in the list", "filter_type"),
        ),
        (
            json!({"name": "x", "query": {}, "filter_type": null}),
            invalid("Filter type can't be blank", "filter_type"),
        ),
        (json!({"name": "x", "query": {"k": "a\u{0}"}}), invalid("Query is invalid", "query")),
        (
            json!({"name": "x", "query": {"payload": "x".repeat(70_000)}}),
            invalid("Query is too long (maximum is 65536 bytes)", "query"),
        ),
    ] {
        let res = app.post(&a.path("/custom_filters"), &a.agent.token, body.clone()).await;
        assert_eq!(res.status, 422, "{body}: {}", res.text);
        assert_eq!(res.json(), expected, "{body}");
    }
    for (body, attribute) in [
        (json!({"name": 5, "query": {}}), "name"),
        (json!({"name": "x", "query": "status=open"}), "query"),
        (json!({"name": "x", "query": [1, 2]}), "query"),
        (json!({"name": "x".repeat(256), "query": {}}), "name"),
    ] {
        let res = app.post(&a.path("/custom_filters"), &a.agent.token, body.clone()).await;
        assert_eq!(res.status, 422, "{body}: {}", res.text);
        assert_eq!(res.json()["attributes"], json!([attribute]), "{body}");
    }
    let malformed = app
        .raw(
            Method::POST,
            &a.path("/custom_filters"),
            &a.agent.token,
            "application/json",
            b"{\"name\":}".to_vec(),
        )
        .await;
    assert_eq!(malformed.status, 400);
    assert_eq!(app.event_count().await, before);

    let saved = save(&app, &a, &a.agent, json!({"name": "x", "query": {}})).await;
    let path = a.path(&format!("/custom_filters/{}", saved["id"]));
    let res = app.patch(&path, &a.agent.token, json!({"query": null})).await;
    assert_eq!(res.json(), invalid("Query can't be blank", "query"));
    let res = app.patch(&path, &a.agent.token, json!({"name": null})).await;
    assert_eq!(res.json(), invalid("Name can't be blank", "name"));
    for id in ["999999", "abc", "1.5"] {
        for method in [Method::GET, Method::PATCH, Method::DELETE] {
            let body = (method == Method::PATCH).then(|| json!({"name": "y"}));
            let res = app
                .request(
                    method.clone(),
                    &a.path(&format!("/custom_filters/{id}")),
                    Some(&a.agent.token),
                    body,
                )
                .await;
            assert_eq!(res.status, 404, "{method} {id}");
        }
    }
}

#[tokio::test]
async fn a_user_may_keep_at_most_a_thousand_filters_per_account() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    // fill the quota through the command services (1000 requests would be slow)
    let owner = Owner { account_id: AccountId(a.account_id), user_id: UserId(a.agent.id) };
    let ctx = CommandContext::new(Actor::User(a.agent.id), None);
    let mut last = None;
    for i in 0..MAX_FILTERS_PER_USER {
        let input = NewCustomFilter {
            name: Some(format!("Filter {i}")),
            query: Some(serde_json::Map::new()),
            ..NewCustomFilter::default()
        };
        last = commands::create(&app.commands(), &ctx, owner, input).await.unwrap().position.or(last);
    }
    app.settle(last).await;
    let full =
        app.post(&a.path("/custom_filters"), &a.agent.token, json!({"name": "One more", "query": {}})).await;
    assert_eq!(full.status, 422);
    assert_eq!(
        full.json(),
        json!({"message": "Account Limit reached. The maximum number of allowed custom filters for a user per account is 1000.",
               "attributes": ["account_id"]})
    );
    // others are not affected; freeing a slot lets the user save again
    save(&app, &a, &a.admin, json!({"name": "Admin's", "query": {}})).await;
    let first = app.get(&a.path("/custom_filters"), &a.agent.token).await.json()[0]["id"].clone();
    let renamed = app
        .patch(&a.path(&format!("/custom_filters/{first}")), &a.agent.token, json!({"name": "Renamed"}))
        .await;
    assert_eq!(renamed.status, 200, "updates are not limited: {}", renamed.text);
    assert_eq!(app.delete(&a.path(&format!("/custom_filters/{first}")), &a.agent.token).await.status, 204);
    save(&app, &a, &a.agent, json!({"name": "One more", "query": {}})).await;
}
