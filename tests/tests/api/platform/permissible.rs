//! The permissible rule: a platform app touches only what it created or was
//! granted; everything else is 401 "Non permissible resource".

use super::fixture;
use onelink_commands::CommandContext;
use onelink_domain::ids::PlatformAppId;
use onelink_domain::platform_app::PermissibleType;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn another_app_is_refused_everything_it_was_not_granted() {
    let f = fixture().await;
    let bot = f.app.post("/platform/api/v1/agent_bots", &f.token, json!({"name": "b"})).await.json();
    let (_, p2) = f.app.platform_app("P2").await;
    let (a, u, b) = (f.account_id, f.user_id, bot["id"].as_i64().unwrap());
    let before = f.app.event_count().await;
    let attempts: Vec<(Method, String, Option<serde_json::Value>)> = vec![
        (Method::GET, format!("/platform/api/v1/accounts/{a}"), None),
        (Method::PATCH, format!("/platform/api/v1/accounts/{a}"), Some(json!({"name": "pwned"}))),
        (Method::PUT, format!("/platform/api/v1/accounts/{a}"), Some(json!({"name": "pwned"}))),
        (Method::DELETE, format!("/platform/api/v1/accounts/{a}"), None),
        (Method::GET, format!("/platform/api/v1/accounts/{a}/account_users"), None),
        (Method::POST, format!("/platform/api/v1/accounts/{a}/account_users"), Some(json!({"user_id": u}))),
        (Method::DELETE, format!("/platform/api/v1/accounts/{a}/account_users"), Some(json!({"user_id": u}))),
        (Method::GET, format!("/platform/api/v1/users/{u}"), None),
        (Method::PATCH, format!("/platform/api/v1/users/{u}"), Some(json!({"name": "pwned"}))),
        (Method::DELETE, format!("/platform/api/v1/users/{u}"), None),
        (Method::GET, format!("/platform/api/v1/users/{u}/login"), None),
        (Method::POST, format!("/platform/api/v1/users/{u}/token"), None),
        (Method::GET, format!("/platform/api/v1/agent_bots/{b}"), None),
        (Method::PATCH, format!("/platform/api/v1/agent_bots/{b}"), Some(json!({"name": "pwned"}))),
        (Method::DELETE, format!("/platform/api/v1/agent_bots/{b}"), None),
        (Method::DELETE, format!("/platform/api/v1/agent_bots/{b}/avatar"), None),
    ];
    assert!(attempts.len() >= 10);
    for (method, path, body) in &attempts {
        let res = f.app.request(method.clone(), path, Some(&p2), body.clone()).await;
        assert_eq!(res.status, 401, "{method} {path}: {}", res.text);
        assert_eq!(res.text, r#"{"error":"Non permissible resource"}"#, "{method} {path}");
    }
    assert_eq!(f.app.event_count().await, before, "refused requests write nothing");
    let listed = f.app.get("/platform/api/v1/accounts", &p2).await.json();
    assert_eq!(listed, json!([]));
    let bots = f.app.get("/platform/api/v1/agent_bots", &p2).await.json();
    assert_eq!(bots, json!([]));
    // positive control: the owner still gets 2xx
    for (method, path, _) in &attempts[..1] {
        assert_eq!(f.app.request(method.clone(), path, Some(&f.token), None).await.status, 200);
    }
}

#[tokio::test]
async fn an_explicit_grant_opens_access() {
    let f = fixture().await;
    let (p2_id, p2) = f.app.platform_app("P2").await;
    let path = format!("/platform/api/v1/accounts/{}", f.account_id);
    assert_eq!(f.app.get(&path, &p2).await.status, 401);
    let done = onelink_commands::platform_apps::grant(
        &f.app.commands(),
        &CommandContext::system(),
        PlatformAppId(p2_id),
        PermissibleType::Account,
        f.account_id,
    )
    .await
    .unwrap();
    f.app.settle(done.position).await;
    assert_eq!(f.app.get(&path, &p2).await.status, 200);
}

#[tokio::test]
async fn bad_tokens_and_wrong_token_kinds_are_401() {
    let f = fixture().await;
    let user = f.app.get(&format!("/platform/api/v1/users/{}", f.user_id), &f.token).await.json();
    let user_token = user["access_token"].as_str().unwrap().to_owned();
    let bot = f.app.post("/platform/api/v1/agent_bots", &f.token, json!({"name": "b"})).await.json();
    let bot_token = bot["access_token"].as_str().unwrap().to_owned();
    let path = format!("/platform/api/v1/accounts/{}", f.account_id);
    for token in [None, Some(""), Some("garbage"), Some(user_token.as_str()), Some(bot_token.as_str())] {
        let res = f.app.request(Method::GET, &path, token, None).await;
        assert_eq!(res.status, 401, "{token:?}");
        assert_eq!(res.text, r#"{"error":"Invalid access_token"}"#);
    }
    // token checked before the id is looked up
    let unknown = f.app.request(Method::GET, "/platform/api/v1/accounts/99999", Some("garbage"), None).await;
    assert_eq!(unknown.status, 401);
}
