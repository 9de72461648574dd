use super::{fixture, keys};
use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn create_returns_the_upstream_user_shape_with_tokens() {
    let f = fixture().await;
    let res = f.app.get(&format!("/platform/api/v1/users/{}", f.user_id), &f.token).await;
    assert_eq!(res.status, 200);
    let user = res.json();
    assert_eq!(
        keys(&user),
        [
            "access_token",
            "account_id",
            "available_name",
            "avatar_url",
            "confirmed",
            "display_name",
            "message_signature",
            "email",
            "id",
            "name",
            "provider",
            "pubsub_token",
            "role",
            "ui_settings",
            "uid",
            "accounts"
        ]
    );
    assert_eq!(user["email"], "ann@example.com");
    assert_eq!(user["uid"], "ann@example.com");
    assert_eq!(user["provider"], "email");
    assert_eq!(user["confirmed"], true);
    assert_eq!(user["available_name"], "Ann");
    assert_eq!(user["account_id"], json!(null));
    assert_eq!(user["accounts"], json!([]));
    assert!(user["access_token"].as_str().unwrap().len() >= 24);
    assert!(user["pubsub_token"].as_str().unwrap().len() >= 24);
    assert_ne!(user["access_token"], user["pubsub_token"]);
}

#[tokio::test]
async fn email_is_case_insensitive_and_an_existing_user_is_returned_unchanged() {
    let f = fixture().await;
    let (_, other) = f.app.platform_app("P2").await;
    let path = format!("/platform/api/v1/users/{}", f.user_id);
    assert_eq!(f.app.get(&path, &other).await.status, 401);
    let again = f
        .app
        .post(
            "/platform/api/v1/users",
            &other,
            json!({"name": "Someone Else", "email": "ANN@example.com", "password": "x"}),
        )
        .await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(again.json()["id"], f.user_id);
    assert_eq!(again.json()["name"], "Ann", "attributes of the request are ignored");
    assert_eq!(f.app.get(&path, &other).await.status, 200, "the existing user is now granted to P2");
}

#[tokio::test]
async fn password_rules_are_enforced() {
    let app = TestApp::spawn().await;
    let (_, token) = app.platform_app("P1").await;
    let cases = [
        ("Ab1!", "Password is too short (minimum is 6 characters)"),
        ("abcdef1!", "Password must contain at least 1 uppercase character"),
        ("ABCDEF1!", "Password must contain at least 1 lowercase character"),
        ("Abcdefg!", "Password must contain at least 1 digit"),
        ("Abcdefg1", "Password must contain at least 1 special character"),
    ];
    for (password, message) in cases {
        let res = app
            .post(
                "/platform/api/v1/users",
                &token,
                json!({"name": "A", "email": "a@x.test", "password": password}),
            )
            .await;
        assert_eq!(res.status, 422, "{password}");
        assert_eq!(res.json()["message"], message);
        assert_eq!(res.json()["attributes"], json!(["password"]));
    }
    let missing =
        app.post("/platform/api/v1/users", &token, json!({"email": "bad", "password": "Passw0rd!"})).await;
    assert_eq!(missing.status, 422);
    assert_eq!(missing.json()["message"], "Name can't be blank, Email is invalid");
    assert_eq!(missing.json()["attributes"], json!(["name", "email"]));
}

#[tokio::test]
async fn update_merges_custom_attributes_and_a_new_password_rotates_the_pubsub_token() {
    let f = fixture().await;
    let path = format!("/platform/api/v1/users/{}", f.user_id);
    let first =
        f.app.patch(&path, &f.token, json!({"custom_attributes": {"a": 1}, "display_name": "Annie"})).await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.json()["available_name"], "Annie");
    let before = first.json()["pubsub_token"].clone();
    let second =
        f.app.put(&path, &f.token, json!({"custom_attributes": {"b": 2}, "password": "N3w-Passw0rd"})).await;
    assert_eq!(second.status, 200, "{}", second.text);
    let body = second.json();
    assert_eq!(body["custom_attributes"], json!({"a": 1, "b": 2}));
    assert_ne!(body["pubsub_token"], before);
    assert_eq!(body["access_token"], first.json()["access_token"]);

    let weak = f.app.patch(&path, &f.token, json!({"password": "weak"})).await;
    assert_eq!(weak.status, 422);
}

#[tokio::test]
async fn an_email_can_only_belong_to_one_user() {
    let f = fixture().await;
    let bob = f
        .app
        .post(
            "/platform/api/v1/users",
            &f.token,
            json!({"name": "Bob", "email": "bob@example.com", "password": "Passw0rd!"}),
        )
        .await
        .json();
    let path = format!("/platform/api/v1/users/{}", bob["id"]);
    let taken = f.app.patch(&path, &f.token, json!({"email": "ann@example.com"})).await;
    assert_eq!(taken.status, 422);
    assert_eq!(taken.json(), json!({"message": "Email has already been taken", "attributes": ["email"]}));
    let moved = f.app.patch(&path, &f.token, json!({"email": "robert@example.com"})).await;
    assert_eq!(moved.json()["email"], "robert@example.com");
    // the old address is free again
    let reuse = f
        .app
        .post(
            "/platform/api/v1/users",
            &f.token,
            json!({"name": "New Bob", "email": "bob@example.com", "password": "Passw0rd!"}),
        )
        .await;
    assert_eq!(reuse.status, 200);
    assert_ne!(reuse.json()["id"], bob["id"]);
}

#[tokio::test]
async fn concurrent_sign_ups_with_one_email_create_one_user() {
    let app = TestApp::spawn().await;
    let (_, token) = app.platform_app("P1").await;
    let body = json!({"name": "Dup", "email": "dup@example.com", "password": "Passw0rd!"});
    let results = futures_join(&app, &token, body, 8).await;
    for r in &results {
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let ids: std::collections::BTreeSet<_> =
        results.iter().map(|r| r.json()["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), 1, "{ids:?}");
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(&app.db).await.unwrap();
    assert_eq!(users, 1);
}

async fn futures_join(
    app: &TestApp,
    token: &str,
    body: serde_json::Value,
    n: usize,
) -> Vec<onelink_tests::Response> {
    let mut handles = Vec::new();
    for _ in 0..n {
        let client = app.http.clone();
        let url = format!("{}/platform/api/v1/users", app.base_url);
        let token = token.to_owned();
        let body = body.clone();
        handles.push(tokio::spawn(async move {
            let res = client.post(url).header("api_access_token", token).json(&body).send().await.unwrap();
            let status = res.status().as_u16();
            let headers = res.headers().clone();
            onelink_tests::Response { status, headers, text: res.text().await.unwrap() }
        }));
    }
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

#[tokio::test]
async fn delete_removes_the_user_and_its_memberships() {
    let f = fixture().await;
    let members = format!("/platform/api/v1/accounts/{}/account_users", f.account_id);
    f.app.post(&members, &f.token, json!({"user_id": f.user_id, "role": "agent"})).await;
    let path = format!("/platform/api/v1/users/{}", f.user_id);
    let res = f.app.delete(&path, &f.token).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.text, "");
    assert_eq!(f.app.get(&path, &f.token).await.status, 404);
    assert_eq!(f.app.get(&members, &f.token).await.json(), json!([]));
}

#[tokio::test]
async fn the_sso_link_signs_in_once_within_five_minutes() {
    let f = fixture().await;
    let res = f.app.get(&format!("/platform/api/v1/users/{}/login", f.user_id), &f.token).await;
    assert_eq!(res.status, 200);
    let url = res.json()["url"].as_str().unwrap().to_owned();
    assert!(
        url.starts_with("https://app.onelink.test/app/login?email=ann%40example.com&sso_auth_token="),
        "{url}"
    );
    let token = url.rsplit('=').next().unwrap().to_owned();
    assert_eq!(token.len(), 64);
    let sign_in = |t: String| {
        let app = &f.app;
        async move {
            app.request(
                Method::POST,
                "/auth/sign_in",
                None,
                Some(json!({"email": "ann@example.com", "sso_auth_token": t})),
            )
            .await
        }
    };
    let first = sign_in(token.clone()).await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.json()["data"]["id"], f.user_id);
    let second = sign_in(token).await;
    assert_eq!(second.status, 401);
    assert_eq!(sign_in("0".repeat(64)).await.status, 401);
}

#[tokio::test]
async fn token_returns_the_users_api_token() {
    let f = fixture().await;
    let user = f.app.get(&format!("/platform/api/v1/users/{}", f.user_id), &f.token).await.json();
    let res = f.app.post(&format!("/platform/api/v1/users/{}/token", f.user_id), &f.token, json!({})).await;
    assert_eq!(res.status, 200);
    let body = res.json();
    assert_eq!(keys(&body), ["access_token", "expiry", "user"]);
    assert_eq!(body["access_token"], user["access_token"]);
    assert_eq!(body["expiry"], json!(null));
    assert_eq!(
        body["user"],
        json!({"id": f.user_id, "name": "Ann", "display_name": null, "email": "ann@example.com",
               "pubsub_token": user["pubsub_token"]})
    );
}
