//! `POST /authentication/login_check`.

use super::{claims_of, get, login, now, PASSWORD};
use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn login_check_issues_a_short_lived_jwt_for_the_right_password() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let res = login(&app, json!({"email": a.admin.email, "password": PASSWORD})).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let body = res.json();
    assert_eq!(super::keys(&body), ["token"]);
    let token = body["token"].as_str().unwrap();

    let header = super::claims_of(&format!("x.{}", token.split('.').next().unwrap()));
    assert_eq!(header["alg"], "HS256");
    let claims = claims_of(token);
    assert_eq!(claims["sub"], a.admin.id.to_string());
    assert_eq!(claims["email"], a.admin.email);
    assert_eq!(
        (claims["iss"].as_str(), claims["aud"].as_str()),
        (Some("onelink"), Some("onelink-connected-accounts"))
    );
    let (iat, exp) = (claims["iat"].as_i64().unwrap(), claims["exp"].as_i64().unwrap());
    assert!(exp - iat <= 3600 && exp - iat > 0, "TTL {}", exp - iat);
    assert!((iat - now()).abs() <= 5);
    assert!(token.len() < 1024);

    // the username alias and case-insensitive e-mails work too
    let alias = login(&app, json!({"username": a.agent.email.to_uppercase(), "password": PASSWORD})).await;
    assert_eq!(alias.status, 200, "{}", alias.text);
    assert_eq!(get(&app, "/api/accounts", token).await.status, 200);
}

#[tokio::test]
async fn wrong_passwords_and_unknown_emails_get_one_and_the_same_401() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let wrong = login(&app, json!({"email": a.admin.email, "password": "not-it"})).await;
    let unknown = login(&app, json!({"email": "nobody@example.com", "password": PASSWORD})).await;
    let empty = login(&app, json!({"email": a.admin.email, "password": ""})).await;
    for res in [&wrong, &unknown, &empty] {
        assert_eq!(res.status, 401);
        assert_eq!(res.json(), json!({"code": 401, "message": "Invalid credentials."}));
    }
    assert_eq!(wrong.text, unknown.text);
}

#[tokio::test]
async fn login_check_needs_a_json_object_with_both_keys() {
    let app = TestApp::spawn().await;
    let cases = [
        ("{not json", "Invalid JSON."),
        ("[]", "Invalid JSON."),
        (r#"{"password": "x"}"#, "The key \"email\" must be provided."),
        (r#"{"email": "a@example.com"}"#, "The key \"password\" must be provided."),
        (r#"{"email": 5, "password": "x"}"#, "The key \"email\" must be a string."),
    ];
    for (body, detail) in cases {
        let req = app
            .build(Method::POST, "/authentication/login_check")
            .header("content-type", "application/json")
            .body(body);
        let res = app.send(req).await;
        assert_eq!(res.status, 400, "{body}");
        assert_eq!(res.json()["detail"], detail, "{body}");
        assert_eq!(res.json()["@type"], "Error");
    }
}
