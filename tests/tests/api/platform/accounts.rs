use super::{fixture, keys};
use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn create_returns_the_upstream_account_shape() {
    let app = TestApp::spawn().await;
    let (_, token) = app.platform_app("P1").await;
    let res = app
        .post(
            "/platform/api/v1/accounts",
            &token,
            json!({"name": "Acme", "locale": "pt_BR", "domain": "acme.test", "support_email": "help@acme.test",
                   "limits": {"agents": 5}, "custom_attributes": {"plan": "gold"},
                   "features": {"campaigns": true, "help_center": false}}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let body = res.json();
    assert_eq!(
        keys(&body),
        [
            "id",
            "name",
            "locale",
            "domain",
            "support_email",
            "features",
            "custom_attributes",
            "limits",
            "status"
        ]
    );
    assert_eq!(body["name"], "Acme");
    assert_eq!(body["locale"], "pt_BR");
    assert_eq!(body["domain"], "acme.test");
    assert_eq!(body["support_email"], "help@acme.test");
    assert_eq!(body["limits"], json!({"agents": 5}));
    assert_eq!(body["custom_attributes"], json!({"plan": "gold"}));
    assert_eq!(body["status"], "active");
    let features = body["features"].as_object().unwrap();
    assert_eq!(features["campaigns"], true);
    assert!(!features.contains_key("help_center"), "disabled features are not listed");
    assert!(features.values().all(|v| v == true));
    assert_eq!(features["channel_website"], true, "defaults apply");
}

#[tokio::test]
async fn a_nested_body_works_like_a_flat_one() {
    let app = TestApp::spawn().await;
    let (_, token) = app.platform_app("P1").await;
    let res = app.post("/platform/api/v1/accounts", &token, json!({"account": {"name": "Nested"}})).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json()["name"], "Nested");
}

#[tokio::test]
async fn show_update_and_delete() {
    let f = fixture().await;
    let path = format!("/platform/api/v1/accounts/{}", f.account_id);
    let shown = f.app.get(&path, &f.token).await;
    assert_eq!(shown.status, 200);
    assert_eq!(shown.json()["name"], "Acme");

    let updated = f
        .app
        .patch(
            &path,
            &f.token,
            json!({"name": "Acme 2", "status": "suspended", "features": {"campaigns": "true"}}),
        )
        .await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    let body = updated.json();
    assert_eq!(body["name"], "Acme 2");
    assert_eq!(body["status"], "suspended");
    assert_eq!(body["features"]["campaigns"], true);
    assert_eq!(body["features"]["help_center"], true, "flags not named keep their value");

    let cleared = f.app.put(&path, &f.token, json!({"features": {"campaigns": false}, "domain": null})).await;
    assert_eq!(cleared.status, 200);
    assert!(cleared.json()["features"].get("campaigns").is_none());
    assert_eq!(cleared.json()["name"], "Acme 2");

    let deleted = f.app.delete(&path, &f.token).await;
    assert_eq!(deleted.status, 200);
    assert_eq!(deleted.text, "");
    assert_eq!(f.app.get(&path, &f.token).await.status, 404);
    assert_eq!(f.app.delete(&path, &f.token).await.status, 404);
}

#[tokio::test]
async fn index_lists_only_granted_accounts() {
    let f = fixture().await;
    let (_, other) = f.app.platform_app("P2").await;
    f.app.post("/platform/api/v1/accounts", &other, json!({"name": "Theirs"})).await;
    let mine = f.app.get("/platform/api/v1/accounts", &f.token).await;
    assert_eq!(mine.status, 200);
    let names: Vec<_> = mine.json().as_array().unwrap().iter().map(|a| a["name"].clone()).collect();
    assert_eq!(names, [json!("Acme")]);
}

#[tokio::test]
async fn invalid_accounts_get_422_in_the_upstream_shape_and_write_nothing() {
    let app = TestApp::spawn().await;
    let (_, token) = app.platform_app("P1").await;
    let before = app.event_count().await;
    let cases = [
        (json!({}), "Name can't be blank", "name"),
        (json!({"name": "   "}), "Name can't be blank", "name"),
        (json!({"name": "x".repeat(256)}), "Name is too long (maximum is 255 characters)", "name"),
        (json!({"name": "A", "locale": "klingon"}), "Locale is not included in the list", "locale"),
        (json!({"name": "A", "status": "frozen"}), "Status is not included in the list", "status"),
        (json!({"name": "A", "limits": {"planets": 1}}), "Limits : Invalid data", "limits"),
        (
            json!({"name": "A", "features": {"warp": true}}),
            "Features warp is not a known feature",
            "features",
        ),
        (json!({"name": 42}), "", "name"),
        (json!({"name": "A", "custom_attributes": "nope"}), "", "custom_attributes"),
    ];
    for (body, message, attribute) in cases {
        let res = app.post("/platform/api/v1/accounts", &token, body.clone()).await;
        assert_eq!(res.status, 422, "{body}: {}", res.text);
        let json = res.json();
        if !message.is_empty() {
            assert_eq!(json["message"], message, "{body}");
        }
        assert_eq!(json["attributes"], json!([attribute]), "{body}");
    }
    assert_eq!(app.event_count().await, before);
}

#[tokio::test]
async fn malformed_bodies_are_400_not_500() {
    let app = TestApp::spawn().await;
    let (_, token) = app.platform_app("P1").await;
    for (content_type, body) in [
        ("application/json", b"{\"name\": ".to_vec()),
        ("application/json", b"[1,2,3]".to_vec()),
        ("application/json", vec![0xff, 0xfe, 0x00]),
        ("text/plain", b"name=Acme".to_vec()),
    ] {
        let res =
            app.raw(Method::POST, "/platform/api/v1/accounts", &token, content_type, body.clone()).await;
        assert_eq!(res.status, 400, "{:?}: {}", String::from_utf8_lossy(&body), res.text);
        assert!(res.json()["error"].is_string());
    }
    let huge = format!("{{\"name\": \"{}\"}}", "a".repeat(3 * 1024 * 1024));
    let res = app
        .raw(Method::POST, "/platform/api/v1/accounts", &token, "application/json", huge.into_bytes())
        .await;
    assert_eq!(res.status, 413);
    assert!(res.json()["error"].is_string());
}

#[tokio::test]
async fn non_numeric_and_unknown_ids_are_404() {
    let f = fixture().await;
    for path in
        ["/platform/api/v1/accounts/abc", "/platform/api/v1/accounts/99999", "/platform/api/v1/accounts/-1"]
    {
        let res = f.app.get(path, &f.token).await;
        assert_eq!(res.status, 404, "{path}");
        assert_eq!(res.text, r#"{"status":404,"error":"Not Found"}"#);
    }
}
