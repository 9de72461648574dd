//! The listing's windows (`before`, `after`, both) and the internal-message
//! filter.

use super::{message, Setup};
use onelink_tests::TestApp;
use serde_json::{json, Value};

fn ids(list: &Value) -> Vec<i64> {
    list["payload"].as_array().unwrap().iter().map(|m| m["id"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn message_windows_follow_the_upstream() {
    let app = TestApp::spawn().await;
    let s = Setup::new(&app).await;
    let token = &s.tenant.admin.token;
    let path = s.messages("");
    let mut all = Vec::new();
    for i in 0..130 {
        all.push(
            message(&app, &path, token, json!({"content": format!("m{i}")})).await["id"].as_i64().unwrap(),
        );
    }
    assert!(all.windows(2).all(|w| w[0] < w[1]), "ids grow with time");
    let get = |query: String| {
        let app = &app;
        let path = path.clone();
        async move {
            let res = app.get(&format!("{path}{query}"), token).await;
            assert_eq!(res.status, 200, "{query}: {}", res.text);
            ids(&res.json())
        }
    };
    assert_eq!(get(String::new()).await, all[110..130], "the newest 20, oldest first");
    assert_eq!(get(format!("?before={}", all[50])).await, all[30..50], "the 20 before, oldest first");
    assert_eq!(get(format!("?after={}", all[10])).await, all[11..111], "the 100 after");
    assert_eq!(
        get(format!("?after={}&before={}", all[10], all[120])).await,
        all[10..120],
        "between: after inclusive, before exclusive"
    );
    assert_eq!(get(format!("?before={}", all[0])).await, Vec::<i64>::new());
    assert_eq!(get("?before=&after=".into()).await, all[110..130], "blank values are ignored");

    let first = app.get(&format!("{path}?before={}", all[5]), token).await.json();
    let contents: Vec<&str> =
        first["payload"].as_array().unwrap().iter().map(|m| m["content"].as_str().unwrap()).collect();
    assert_eq!(contents, ["m0", "m1", "m2", "m3", "m4"]);

    for bad in ["?before=abc", "?after=1.5", "?after=%00"] {
        let res = app.get(&format!("{path}{bad}"), token).await;
        assert_eq!(res.status, 422, "{bad}: {}", res.text);
        assert!(res.json()["error"].as_str().unwrap().contains("must be a message id"));
    }
}

#[tokio::test]
async fn private_notes_and_activity_are_filtered_on_request() {
    let app = TestApp::spawn().await;
    let s = Setup::new(&app).await;
    let token = &s.tenant.admin.token;
    let path = s.messages("");
    let public = message(&app, &path, token, json!({"content": "public"})).await;
    let note = message(&app, &path, token, json!({"content": "note", "private": true})).await;
    assert_eq!(note["private"], true);
    let activity =
        message(&app, &path, token, json!({"content": "assigned", "message_type": "activity"})).await;
    assert_eq!(activity["message_type"], 2);
    let incoming = message(&app, &path, token, json!({"content": "hi", "message_type": "incoming"})).await;

    let everything =
        vec![public["id"].clone(), note["id"].clone(), activity["id"].clone(), incoming["id"].clone()];
    let listed = |q: &'static str| {
        let (app, path) = (&app, path.clone());
        async move {
            let res = app.get(&format!("{path}{q}"), token).await;
            assert_eq!(res.status, 200, "{}", res.text);
            res.json()["payload"].as_array().unwrap().iter().map(|m| m["id"].clone()).collect::<Vec<_>>()
        }
    };
    assert_eq!(listed("").await, everything, "included by default");
    assert_eq!(listed("?filter_internal_messages=false").await, everything, "\"false\" does not filter");
    let public_only = vec![public["id"].clone(), incoming["id"].clone()];
    assert_eq!(listed("?filter_internal_messages=true").await, public_only);
    assert_eq!(listed("?filter_internal_messages=1").await, public_only);
}
