//! S8d: the JWT matrix. Only an authentic, current token for our issuer
//! and audience opens the API; each refusal is Lexik's 401.

use super::{call, claims_of, forge, get, now, signing_key, token};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::{json, Value};

fn hs256() -> Value {
    json!({"alg": "HS256", "typ": "JWT"})
}

#[tokio::test]
async fn jwt_matrix_only_the_valid_token_gets_in() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let valid = token(&app, &a.admin).await;
    let claims = claims_of(&valid);
    let key = signing_key();
    let with = |changes: Value| {
        let mut c = claims.clone();
        for (k, v) in changes.as_object().unwrap() {
            if v.is_null() {
                c.as_object_mut().unwrap().remove(k);
            } else {
                c[k] = v.clone();
            }
        }
        c
    };
    let unsigned = format!(
        "{}.{}.",
        B64URL.encode(json!({"alg": "none", "typ": "JWT"}).to_string()),
        B64URL.encode(claims.to_string())
    );
    let mut tampered = valid.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    let mut swapped = valid.split('.').map(str::to_owned).collect::<Vec<_>>();
    swapped[1] = B64URL.encode(with(json!({"sub": a.agent.id.to_string()})).to_string());
    let swapped = swapped.join(".");

    let cases: Vec<(&str, String, &str)> = vec![
        ("alg none", unsigned, "Invalid JWT Token"),
        ("alg none, forged with our key", forge(&json!({"alg": "none"}), &claims, &key), "Invalid JWT Token"),
        (
            "HS256 with a wrong key",
            forge(&hs256(), &claims, b"not-the-installation-key"),
            "Invalid JWT Token",
        ),
        (
            "HS256 with the sealing key",
            forge(&hs256(), &claims, &sha256(b"test-secret-key")),
            "Invalid JWT Token",
        ),
        ("RS256 header over an HMAC", forge(&json!({"alg": "RS256"}), &claims, &key), "Invalid JWT Token"),
        ("HS512 header", forge(&json!({"alg": "HS512"}), &claims, &key), "Invalid JWT Token"),
        (
            "expired one second ago",
            forge(&hs256(), &with(json!({"exp": now() - 1})), &key),
            "Expired JWT Token",
        ),
        ("no exp", forge(&hs256(), &with(json!({"exp": null})), &key), "Invalid JWT Token"),
        ("exp as a string", forge(&hs256(), &with(json!({"exp": "9999999999"})), &key), "Invalid JWT Token"),
        ("wrong iss", forge(&hs256(), &with(json!({"iss": "lexik"})), &key), "Invalid JWT Token"),
        ("no iss", forge(&hs256(), &with(json!({"iss": null})), &key), "Invalid JWT Token"),
        ("wrong aud", forge(&hs256(), &with(json!({"aud": "onelink-dashboard"})), &key), "Invalid JWT Token"),
        ("no aud", forge(&hs256(), &with(json!({"aud": null})), &key), "Invalid JWT Token"),
        ("future nbf", forge(&hs256(), &with(json!({"nbf": now() + 60})), &key), "Invalid JWT Token"),
        ("no sub", forge(&hs256(), &with(json!({"sub": null})), &key), "Invalid JWT Token"),
        ("unknown user", forge(&hs256(), &with(json!({"sub": "999999"})), &key), "Invalid JWT Token"),
        (
            "stale password fingerprint",
            forge(&hs256(), &with(json!({"sv": "0000"})), &key),
            "Invalid JWT Token",
        ),
        ("tampered signature", tampered, "Invalid JWT Token"),
        ("claims swapped under the old signature", swapped, "Invalid JWT Token"),
        ("garbage", "garbage".into(), "Invalid JWT Token"),
    ];
    for (what, bad, message) in &cases {
        let res = get(&app, "/api/accounts", bad).await;
        assert_eq!(res.status, 401, "{what}: {}", res.text);
        assert_eq!(res.json(), json!({"code": 401, "message": message}), "{what}");
        assert_eq!(res.headers["www-authenticate"], "Bearer", "{what}");
    }

    // a forged token that is right in every respect is accepted: the
    // refusals above are about the one thing each case changed
    let reforged = forge(&hs256(), &with(json!({"iat": now(), "exp": now() + 60})), &key);
    assert_eq!(get(&app, "/api/accounts", &reforged).await.status, 200);
    assert_eq!(get(&app, "/api/accounts", &valid).await.status, 200);
}

#[tokio::test]
async fn a_missing_or_non_bearer_authorization_is_token_not_found() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let none = call(&app, Method::GET, "/api/accounts", None, None).await;
    assert_eq!(none.status, 401);
    assert_eq!(none.json(), json!({"code": 401, "message": "JWT Token not found"}));
    let basic = app.send(app.build(Method::GET, "/api/accounts").header("authorization", "Basic YTpi")).await;
    assert_eq!(basic.json(), json!({"code": 401, "message": "JWT Token not found"}));
    // the Application API's token is not a JWT
    let api_token = app.send(app.build(Method::GET, "/api/accounts").bearer_auth(&a.admin.token)).await;
    assert_eq!(api_token.json(), json!({"code": 401, "message": "Invalid JWT Token"}));
    let header =
        app.send(app.build(Method::GET, "/api/accounts").header("api_access_token", &a.admin.token)).await;
    assert_eq!(header.status, 401);
}

#[tokio::test]
async fn changing_the_password_ends_the_jwt_sessions() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let jwt = token(&app, &a.admin).await;
    assert_eq!(get(&app, "/api/accounts", &jwt).await.status, 200);
    let res = app
        .patch(
            &format!("/platform/api/v1/users/{}", a.admin.id),
            &a.platform_token,
            json!({"password": "N3w-Passw0rd!"}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let after = get(&app, "/api/accounts", &jwt).await;
    assert_eq!(after.status, 401);
    assert_eq!(after.json()["message"], "Invalid JWT Token");
}

#[tokio::test]
async fn random_bearer_tokens_are_never_accepted() {
    use rand::Rng;
    let app = TestApp::spawn().await;
    let mut rng = rand::thread_rng();
    for _ in 0..200 {
        let mut part = |n: usize| B64URL.encode((0..n).map(|_| rng.gen::<u8>()).collect::<Vec<_>>());
        let token = format!("{}.{}.{}", part(20), part(60), part(32));
        let res = get(&app, "/api/accounts", &token).await;
        assert_eq!(res.status, 401, "{token}");
        assert_eq!(res.json(), json!({"code": 401, "message": "Invalid JWT Token"}));
    }
}

fn sha256(bytes: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).to_vec()
}
