//! Application API authentication and account resolution.

use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn tokens_accounts_and_membership_are_checked_in_the_upstream_order() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let path = a.path("/agents");

    let none = app.request(Method::GET, &path, None, None).await;
    assert_eq!(none.status, 401);
    assert_eq!(none.json(), json!({"errors": ["You need to sign in or sign up before continuing."]}));
    let garbage = app.get(&path, "garbage").await;
    assert_eq!(garbage.status, 401);
    assert_eq!(garbage.json(), json!({"error": "Invalid Access Token"}));
    let platform = app.get(&path, &a.platform_token).await;
    assert_eq!(platform.status, 401, "a platform app token is not a user token");
    assert_eq!(platform.json(), json!({"error": "Invalid Access Token"}));

    let unknown_account = app.get("/api/v1/accounts/999999/agents", &a.admin.token).await;
    assert_eq!(unknown_account.status, 404);
    assert_eq!(unknown_account.json(), json!({"error": "Resource could not be found"}));
    let not_numeric = app.get("/api/v1/accounts/abc/agents", &a.admin.token).await;
    assert_eq!(not_numeric.status, 404);

    let foreign = app.get(&path, &b.admin.token).await;
    assert_eq!(foreign.status, 401);
    assert_eq!(foreign.json(), json!({"error": "You are not authorized to access this account"}));
    assert!(!foreign.text.contains("Alpha"));

    assert_eq!(app.get(&path, &a.agent.token).await.status, 200);
}

#[tokio::test]
async fn a_suspended_account_refuses_its_members() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let suspend = app
        .patch(
            &format!("/platform/api/v1/accounts/{}", a.account_id),
            &a.platform_token,
            json!({"status": "suspended"}),
        )
        .await;
    assert_eq!(suspend.status, 200);
    let res = app.get(&a.path("/agents"), &a.admin.token).await;
    assert_eq!(res.status, 401);
    assert_eq!(res.json(), json!({"error": "Account is suspended"}));
}

#[tokio::test]
async fn bot_tokens_are_refused_on_user_only_endpoints() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let bot = app
        .post(
            "/platform/api/v1/agent_bots",
            &a.platform_token,
            json!({"name": "Bot", "account_id": a.account_id}),
        )
        .await
        .json();
    let res = app.get(&a.path("/agents"), bot["access_token"].as_str().unwrap()).await;
    assert_eq!(res.status, 401);
    assert_eq!(res.json(), json!({"error": "Access to this endpoint is not authorized for bots"}));
}
