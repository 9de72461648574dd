use onelink_tests::TestApp;
use reqwest::Method;

#[tokio::test]
async fn health_and_ready_answer_without_credentials() {
    let app = TestApp::spawn().await;
    let health = app.request(Method::GET, "/health", None, None).await;
    assert_eq!(health.status, 200);
    assert_eq!(health.json()["status"], "ok");
    let ready = app.request(Method::GET, "/ready", None, None).await;
    assert_eq!(ready.status, 200);
    assert_eq!(ready.json()["status"], "ready");
}

#[tokio::test]
async fn every_response_carries_nosniff_and_a_request_id() {
    let app = TestApp::spawn().await;
    for path in ["/health", "/no/such/route", "/platform/api/v1/accounts"] {
        let res = app.request(Method::GET, path, None, None).await;
        assert_eq!(res.headers["x-content-type-options"], "nosniff", "{path}");
        assert!(res.headers.contains_key("x-request-id"), "{path}");
    }
}

#[tokio::test]
async fn unknown_routes_and_methods_get_json_errors() {
    let app = TestApp::spawn().await;
    let missing = app.request(Method::GET, "/api/v1/nothing-here", None, None).await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.text, r#"{"status":404,"error":"Not Found"}"#);
    let trace = app.request(Method::TRACE, "/health", None, None).await;
    assert_eq!(trace.status, 405);
    assert!(trace.json()["error"].is_string());
    let wrong_method = app.request(Method::DELETE, "/health", None, None).await;
    assert_eq!(wrong_method.status, 405);
}
