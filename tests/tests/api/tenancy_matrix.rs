//! The cross-tenant matrix over every route of the OpenAPI document:
//! account B's credentials on account A's resources get 401/404 — never a
//! 2xx, never a 5xx — and A's history does not change. A route the matrix
//! does not know how to classify fails the test, so every new route is
//! covered or consciously exempted.

use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::{json, Value};

/// Routes outside the matrix, with the reason (`*` or a trailing `/`: every
/// path below it; otherwise the path itself and its id-less sub-paths).
const EXEMPT: &[(&str, &str)] = &[
    ("/health", "no tenant data"),
    ("/ready", "no tenant data"),
    ("/api-docs/openapi.json", "no tenant data"),
    ("/auth/sign_in", "credentials, not a token: covered by the sign-in tests"),
    ("/authentication/login_check", "credentials, not a token: covered by the JWT tests"),
    (
        "/api/accounts*",
        "connected accounts: JWT-scoped, their tenancy matrix is in the connected_accounts tests",
    ),
    ("/public/api/v1/", "Client API: inbox identifier + contact source id, covered by the Client API tests"),
    ("/cable", "websocket: covered by the realtime tests"),
    (
        "/blobs/",
        "signed download URLs, no token: a URL of account A altered to B is a 403 (attachments download tests)",
    ),
    ("/platform/api/v1/agent_bots", "installation bots owned by the app, covered by the platform tests"),
    ("/platform/api/v1/users", "creates a new user (no tenant)"),
    ("/platform/api/v1/accounts", "creates a new account (no tenant)"),
];

fn exempt(path: &str) -> bool {
    EXEMPT.iter().any(|(prefix, _)| {
        if let Some(prefix) = prefix.strip_suffix('*') {
            path.starts_with(prefix)
        } else if prefix.ends_with('/') {
            path.starts_with(prefix)
        } else {
            path == *prefix
                || (path.starts_with(prefix) && !path.contains("{account_id}") && !path.contains("{id}"))
        }
    })
}

/// Fills every path parameter: the account with `account`, any other id
/// with `other`.
fn concrete(path: &str, account: i64, other: i64) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').map_or(rest.len(), |e| start + e + 1);
        let name = &rest[start + 1..end - 1];
        out.push_str(&if name == "account_id" { account.to_string() } else { other.to_string() });
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_token_of_account_b_reaches_account_a_through_any_route() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    // something of A's behind the usual ids
    let inbox = app.api_inbox(&a, "Support").await;
    app.conversation(&a, inbox["id"].as_i64().unwrap(), json!({"message": {"content": "CANARY-A"}})).await;
    // A's first label has id 1, the id every `{id}` below is filled with
    let label = app
        .post(&a.path("/labels"), &a.admin.token, json!({"title": "canary-a", "description": "CANARY-A"}))
        .await;
    assert_eq!(label.json()["id"], 1, "{}", label.text);
    let events = app.event_count().await;

    let doc = app.request(Method::GET, "/api-docs/openapi.json", None, None).await.json();
    let paths = doc["paths"].as_object().expect("paths");
    let mut checked = 0;
    let mut unclassified = Vec::new();
    for (path, item) in paths {
        let (token, concrete_path) = if path.starts_with("/api/v1/accounts/{account_id}")
            || path.starts_with("/api/v2/accounts/{account_id}")
        {
            // B's administrator and B's agent on A's account
            (vec![b.admin.token.clone(), b.agent.token.clone()], concrete(path, a.account_id, 1))
        } else if path.starts_with("/platform/api/v1/")
            && (path.contains("{account_id}") || path.contains("{id}"))
        {
            // B's platform app on A's account / A's users
            let id = if path.starts_with("/platform/api/v1/users") { a.admin.id } else { a.account_id };
            (vec![b.platform_token.clone()], concrete(path, a.account_id, id))
        } else if exempt(path) {
            continue;
        } else {
            unclassified.push(path.clone());
            continue;
        };
        for method in item.as_object().unwrap().keys() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let body = matches!(method, Method::POST | Method::PATCH | Method::PUT).then(|| json!({}));
            for token in &token {
                let res = app.request(method.clone(), &concrete_path, Some(token), body.clone()).await;
                assert!(
                    res.status == 401 || res.status == 404,
                    "{method} {path} as another tenant -> {} {}",
                    res.status,
                    res.text
                );
                assert!(!res.text.contains("CANARY-A"), "{method} {path} leaked A's data");
                assert!(
                    serde_json::from_str::<Value>(&res.text).is_ok() || res.text.is_empty(),
                    "{method} {path}: not JSON"
                );
                checked += 1;
            }
        }
    }
    assert!(unclassified.is_empty(), "routes the tenancy matrix does not cover: {unclassified:#?}");
    assert!(checked >= 50, "only {checked} checks");
    assert_eq!(app.event_count().await, events, "another tenant's requests wrote nothing");
}
