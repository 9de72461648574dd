//! The OpenAPI document lists exactly the routes the router serves.

use onelink_tests::TestApp;
use reqwest::Method;

const UNMATCHED: &str = "x-onelink-unmatched-route";

#[tokio::test]
async fn every_documented_operation_is_routed() {
    let app = TestApp::spawn().await;
    let doc = app.request(Method::GET, "/api-docs/openapi.json", None, None).await;
    assert_eq!(doc.status, 200);
    let doc = doc.json();
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.len() >= 12, "suspiciously few paths: {}", paths.len());
    let mut operations = 0;
    for (path, item) in paths {
        let concrete = path.replace("{id}", "999999").replace("{account_id}", "999999");
        for method in item.as_object().unwrap().keys() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let res = app.request(method.clone(), &concrete, None, None).await;
            assert!(!res.headers.contains_key(UNMATCHED), "{method} {path} is documented but not routed");
            assert!(res.status < 500, "{method} {path} -> {}", res.status);
            operations += 1;
        }
    }
    assert!(operations >= 20, "{operations}");
}

#[tokio::test]
async fn undocumented_paths_are_not_routed() {
    let app = TestApp::spawn().await;
    for (method, path) in [
        (Method::GET, "/platform/api/v1/users"),
        (Method::GET, "/debug"),
        (Method::GET, "/metrics"),
        (Method::POST, "/platform/api/v1/accounts/1/users"),
    ] {
        let res = app.request(method.clone(), path, None, None).await;
        assert!(res.headers.contains_key(UNMATCHED), "{method} {path} is served but not documented");
    }
}
