//! `/api/v1/accounts/{account_id}/agent_bots`

use super::keys;
use onelink_tests::seed::Tenant;
use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::{json, Value};

const BOT_KEYS: [&str; 10] = [
    "id",
    "name",
    "description",
    "thumbnail",
    "outgoing_url",
    "bot_type",
    "bot_config",
    "account_id",
    "access_token",
    "system_bot",
];

async fn create_bot(app: &TestApp, t: &Tenant, body: Value) -> Value {
    let res = app.post(&t.path("/agent_bots"), &t.admin.token, body).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()
}

/// A system bot (no account), created through the Platform API.
async fn system_bot(app: &TestApp, t: &Tenant) -> Value {
    let res =
        app.post("/platform/api/v1/agent_bots", &t.platform_token, json!({"name": "Installation Bot"})).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()
}

/// Who a token authenticates as, judged by a user-only endpoint of `t`.
async fn authenticates_as_bot(app: &TestApp, t: &Tenant, token: &str) -> bool {
    let res = app.get(&t.path("/agents"), token).await;
    assert_eq!(res.status, 401);
    match res.json()["error"].as_str() {
        Some("Access to this endpoint is not authorized for bots") => true,
        Some("Invalid Access Token") => false,
        other => panic!("unexpected answer {other:?}"),
    }
}

#[tokio::test]
async fn account_bots_are_managed_in_the_upstream_shape() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let bot = create_bot(
        &app,
        &a,
        json!({"name": "Helper", "description": "answers", "outgoing_url": "https://bot.example/hook",
               "bot_type": "webhook", "bot_config": {"lang": "de"}}),
    )
    .await;
    assert_eq!(keys(&bot), BOT_KEYS);
    assert_eq!(bot["name"], "Helper");
    assert_eq!(bot["thumbnail"], "");
    assert_eq!(bot["outgoing_url"], "https://bot.example/hook");
    assert_eq!(bot["bot_type"], "webhook");
    assert_eq!(bot["bot_config"], json!({"lang": "de"}));
    assert_eq!(bot["account_id"], a.account_id);
    assert_eq!(bot["system_bot"], false);
    let token = bot["access_token"].as_str().unwrap().to_owned();
    assert!(token.len() >= 24);
    assert!(authenticates_as_bot(&app, &a, &token).await);

    let nested = create_bot(&app, &a, json!({"agent_bot": {"name": "Nested"}})).await;
    assert_eq!(nested["outgoing_url"], Value::Null, "an account bot shows its (empty) url");
    assert_eq!(nested["bot_config"], json!({}));

    let path = a.path(&format!("/agent_bots/{}", bot["id"]));
    let shown = app.get(&path, &a.admin.token).await;
    assert_eq!(shown.status, 200);
    assert_eq!(shown.json(), bot);
    let patched =
        app.patch(&path, &a.admin.token, json!({"name": "Helper 2", "bot_config": {"lang": "fr"}})).await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    assert_eq!(patched.json()["name"], "Helper 2");
    assert_eq!(patched.json()["bot_config"], json!({"lang": "fr"}));
    assert_eq!(patched.json()["description"], "answers");
    let put = app.put(&path, &a.admin.token, json!({"description": null, "outgoing_url": null})).await;
    assert_eq!(put.status, 200, "{}", put.text);
    assert_eq!(put.json()["description"], Value::Null);
    assert_eq!(put.json()["outgoing_url"], Value::Null);

    let avatar = app.delete(&format!("{path}/avatar"), &a.admin.token).await;
    assert_eq!(avatar.status, 200);
    assert_eq!(keys(&avatar.json()), BOT_KEYS);

    let deleted = app.delete(&path, &a.admin.token).await;
    assert_eq!(deleted.status, 200);
    assert_eq!(deleted.text, "");
    assert_eq!(app.get(&path, &a.admin.token).await.status, 404);
    assert!(!authenticates_as_bot(&app, &a, &token).await, "a deleted bot's token stops working");
}

#[tokio::test]
async fn the_list_has_the_account_bots_and_the_read_only_system_bots() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let system = system_bot(&app, &a).await;
    let own = create_bot(&app, &a, json!({"name": "Own", "outgoing_url": "https://own.example/"})).await;
    let list = app.get(&a.path("/agent_bots"), &a.admin.token).await;
    assert_eq!(list.status, 200);
    let list = list.json();
    let ids: Vec<_> = list.as_array().unwrap().iter().map(|b| b["id"].clone()).collect();
    assert_eq!(ids, [system["id"].clone(), own["id"].clone()]);
    let shown_system = &list[0];
    assert_eq!(
        keys(shown_system),
        ["id", "name", "description", "thumbnail", "bot_type", "bot_config", "account_id", "system_bot"],
        "no outgoing_url and no token for a system bot"
    );
    assert_eq!(shown_system["system_bot"], true);
    assert_eq!(shown_system["account_id"], Value::Null);
    assert!(!list.to_string().contains(system["access_token"].as_str().unwrap()));

    let path = a.path(&format!("/agent_bots/{}", system["id"]));
    assert_eq!(app.get(&path, &a.agent.token).await.json(), *shown_system);
    let before = app.event_count().await;
    for (method, suffix) in [
        (Method::PATCH, ""),
        (Method::PUT, ""),
        (Method::DELETE, ""),
        (Method::DELETE, "/avatar"),
        (Method::POST, "/reset_access_token"),
    ] {
        let body = matches!(method, Method::PATCH | Method::PUT).then(|| json!({"name": "mine"}));
        let res = app.request(method.clone(), &format!("{path}{suffix}"), Some(&a.admin.token), body).await;
        assert_eq!(res.status, 404, "{method} {suffix}");
        assert_eq!(res.json(), json!({"error": "Resource could not be found"}));
    }
    assert_eq!(app.event_count().await, before, "system bots are read-only here");
}

#[tokio::test]
async fn agents_see_bots_without_tokens_and_cannot_change_them() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let bot = create_bot(&app, &a, json!({"name": "Helper"})).await;
    let token = bot["access_token"].as_str().unwrap();
    let list = app.get(&a.path("/agent_bots"), &a.agent.token).await;
    assert_eq!(list.status, 200);
    assert!(list.json()[0].get("access_token").is_none());
    assert!(!list.text.contains(token));
    let path = a.path(&format!("/agent_bots/{}", bot["id"]));
    let shown = app.get(&path, &a.agent.token).await.json();
    assert!(shown.get("access_token").is_none());
    assert_eq!(shown["outgoing_url"], Value::Null);

    let before = app.event_count().await;
    for (method, path, body) in [
        (Method::POST, a.path("/agent_bots"), Some(json!({"name": "Mine"}))),
        (Method::PATCH, path.clone(), Some(json!({"name": "Mine"}))),
        (Method::PUT, path.clone(), Some(json!({"name": "Mine"}))),
        (Method::DELETE, path.clone(), None),
        (Method::DELETE, format!("{path}/avatar"), None),
        (Method::POST, format!("{path}/reset_access_token"), None),
    ] {
        let res = app.request(method.clone(), &path, Some(&a.agent.token), body).await;
        assert_eq!(res.status, 401, "{method} {path}");
        assert_eq!(res.json(), json!({"error": "You are not authorized to do this action"}));
    }
    assert_eq!(app.event_count().await, before);
}

#[tokio::test]
async fn another_tenants_bots_can_never_be_reached() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let ours = create_bot(&app, &a, json!({"name": "Alpha Bot"})).await;
    let theirs = create_bot(&app, &b, json!({"name": "Beta Bot"})).await;
    let their_token = theirs["access_token"].as_str().unwrap().to_owned();
    let before = app.event_count().await;

    for (method, suffix) in [
        (Method::GET, ""),
        (Method::PATCH, ""),
        (Method::PUT, ""),
        (Method::DELETE, ""),
        (Method::DELETE, "/avatar"),
        (Method::POST, "/reset_access_token"),
    ] {
        let body = matches!(method, Method::PATCH | Method::PUT).then(|| json!({"name": "pwned"}));
        // B's administrator on A's paths: not a member of A
        let on_a = a.path(&format!("/agent_bots/{}{suffix}", ours["id"]));
        let res = app.request(method.clone(), &on_a, Some(&b.admin.token), body.clone()).await;
        assert_eq!(res.status, 401, "{method} {on_a}");
        assert_eq!(res.json(), json!({"error": "You are not authorized to access this account"}));
        // B's administrator with A's bot id on B's path: no such bot in B
        let on_b = b.path(&format!("/agent_bots/{}{suffix}", ours["id"]));
        let res = app.request(method.clone(), &on_b, Some(&b.admin.token), body).await;
        assert_eq!(res.status, 404, "{method} {on_b}");
    }
    // B's bot, with its own token, never reads anything of A
    for path in [a.path("/agent_bots"), a.path(&format!("/agent_bots/{}", theirs["id"])), a.path("/teams")] {
        let res = app.get(&path, &their_token).await;
        assert_eq!(res.status, 401, "{path}");
        assert_eq!(res.json(), json!({"error": "Bot is not authorized to access this account"}));
    }
    let listing = app.get(&a.path("/agent_bots"), &a.admin.token).await;
    assert_eq!(listing.json().as_array().unwrap().len(), 1);
    assert!(!listing.text.contains(&their_token) && !listing.text.contains("Beta Bot"));
    let by_id = app.get(&a.path(&format!("/agent_bots/{}", theirs["id"])), &a.admin.token).await;
    assert_eq!(by_id.status, 404);
    assert_eq!(app.event_count().await, before, "refused requests write nothing");
    assert_eq!(app.get(&a.path(&format!("/agent_bots/{}", ours["id"])), &a.admin.token).await.json(), ours);
}

#[tokio::test]
async fn resetting_the_access_token_retires_the_old_one() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let bot = create_bot(&app, &a, json!({"name": "Helper"})).await;
    let old = bot["access_token"].as_str().unwrap().to_owned();
    let path = a.path(&format!("/agent_bots/{}/reset_access_token", bot["id"]));
    let reset = app.request(Method::POST, &path, Some(&a.admin.token), None).await;
    assert_eq!(reset.status, 200, "{}", reset.text);
    let reset = reset.json();
    assert_eq!(keys(&reset), BOT_KEYS);
    let new = reset["access_token"].as_str().unwrap().to_owned();
    assert_ne!(new, old);
    assert!(authenticates_as_bot(&app, &a, &new).await, "the new token works");
    assert!(!authenticates_as_bot(&app, &a, &old).await, "the old token does not");
    let shown = app.get(&a.path(&format!("/agent_bots/{}", bot["id"])), &a.admin.token).await.json();
    assert_eq!(shown["access_token"], new.as_str());
    // neither token is in the log in clear text
    let log: Vec<String> =
        sqlx::query_scalar("SELECT payload::text FROM events").fetch_all(&app.db).await.unwrap();
    assert!(log.iter().all(|p| !p.contains(&old) && !p.contains(&new)));
}

#[tokio::test]
async fn bad_bot_input_is_a_clear_4xx() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let bot = create_bot(&app, &a, json!({"name": "Helper"})).await;
    let path = a.path(&format!("/agent_bots/{}", bot["id"]));
    let before = app.event_count().await;
    for (body, attribute) in [
        (json!({"bot_type": "rasa"}), "bot_type"),
        (json!({"bot_type": 1}), "bot_type"),
        (json!({"bot_config": "x"}), "bot_config"),
        (json!({"bot_config": [1]}), "bot_config"),
        (json!({"outgoing_url": "ftp://bot.example"}), "outgoing_url"),
        (json!({"outgoing_url": format!("https://x.example/{}", "a".repeat(2048))}), "outgoing_url"),
        (json!({"name": 5}), "name"),
        (json!({"name": "x".repeat(256)}), "name"),
    ] {
        let created = app.post(&a.path("/agent_bots"), &a.admin.token, body.clone()).await;
        assert_eq!(created.status, 422, "{body}");
        assert_eq!(created.json()["attributes"], json!([attribute]), "{body}");
        let updated = app.patch(&path, &a.admin.token, body.clone()).await;
        assert_eq!(updated.status, 422, "{body}");
    }
    let malformed = app
        .raw(Method::POST, &a.path("/agent_bots"), &a.admin.token, "application/json", b"[".to_vec())
        .await;
    assert_eq!(malformed.status, 400);
    assert_eq!(app.event_count().await, before);
    for id in ["999999", "abc", "-3"] {
        let res = app.get(&a.path(&format!("/agent_bots/{id}")), &a.admin.token).await;
        assert_eq!(res.status, 404, "{id}");
        let res = app
            .request(
                Method::POST,
                &a.path(&format!("/agent_bots/{id}/reset_access_token")),
                Some(&a.admin.token),
                None,
            )
            .await;
        assert_eq!(res.status, 404, "{id}");
    }
}
