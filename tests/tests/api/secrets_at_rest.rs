//! Secrets never rest in clear: after creating every kind of credential
//! through the API, no table — the event log, snapshots, read models,
//! checkpoints — holds a password, token or signing secret as given.

use onelink_tests::TestApp;
use serde_json::json;

#[tokio::test]
async fn no_table_holds_a_password_token_or_secret_in_clear() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let password = "Correct-Horse-Battery-9";
    let user = app
        .post(
            "/platform/api/v1/users",
            &a.platform_token,
            json!({"name": "Secretive", "email": "secretive@example.com", "password": password}),
        )
        .await
        .json();
    let changed = "Another-Long-Passw0rd!";
    let res = app
        .patch(
            &format!("/platform/api/v1/users/{}", user["id"]),
            &a.platform_token,
            json!({"password": changed}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let bot = app
        .post(
            &a.path("/agent_bots"),
            &a.admin.token,
            json!({"name": "Bot", "outgoing_url": "https://bot.example.com/hook"}),
        )
        .await
        .json();
    let platform_bot =
        app.post("/platform/api/v1/agent_bots", &a.platform_token, json!({"name": "PBot"})).await.json();
    let web = app
        .post(
            &a.path("/inboxes"),
            &a.admin.token,
            json!({"name": "Site", "channel": {"type": "web_widget", "website_url": "https://acme.example"}}),
        )
        .await
        .json();
    let api = app.api_inbox(&a, "API").await;

    let mut secrets: Vec<(String, String)> = vec![
        ("first password".into(), password.into()),
        ("changed password".into(), changed.into()),
        ("platform app token".into(), a.platform_token.clone()),
        ("admin token".into(), a.admin.token.clone()),
        ("agent token".into(), a.agent.token.clone()),
        ("user token".into(), user["access_token"].as_str().unwrap().into()),
    ];
    for (name, value) in [
        ("account bot token", &bot["access_token"]),
        ("platform bot token", &platform_bot["access_token"]),
        ("web inbox hmac token", &web["hmac_token"]),
        ("api inbox hmac token", &api["hmac_token"]),
    ] {
        let value = value.as_str().unwrap_or_else(|| panic!("{name} missing"));
        assert!(value.len() >= 16, "{name}: {value}");
        secrets.push((name.into(), value.into()));
    }

    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT quote_ident(table_name) FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert!(tables.iter().any(|t| t == "events") && tables.len() > 10, "{tables:?}");
    let mut leaks = Vec::new();
    for table in &tables {
        let text: Option<String> =
            sqlx::query_scalar(&format!("SELECT string_agg(t::text, E'\\n') FROM {table} t"))
                .fetch_one(&app.db)
                .await
                .unwrap();
        let text = text.unwrap_or_default();
        for (name, secret) in &secrets {
            if text.contains(secret.as_str()) {
                leaks.push(format!("{name} in {table}"));
            }
        }
    }
    assert!(leaks.is_empty(), "secrets at rest in clear: {leaks:?}");
}
