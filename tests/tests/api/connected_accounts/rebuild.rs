//! The connected-accounts read model is disposable: after connects,
//! updates, credential rotations, inbox links and deletions, and a deleted
//! account, a rebuild from the log reproduces every table exactly.

use super::{connected, delete, michael, patch, token};
use onelink_tests::readmodels::{dump, rebuild_all};
use onelink_tests::TestApp;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rebuilding_reproduces_the_connected_accounts_read_model() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let jwt_a = token(&app, &a.admin).await;
    let jwt_b = token(&app, &b.admin).await;
    let doomed = app.tenant("Doomed").await;
    let jwt_doomed = token(&app, &doomed.admin).await;
    connected(&app, &jwt_doomed, michael("gone")).await;

    let inbox = app
        .post(&a.path("/inboxes"), &a.admin.token, json!({"name": "Link", "channel": {"type": "api"}}))
        .await
        .json();
    let inbox_iri = format!("/api/v1/accounts/{}/inboxes/{}", a.account_id, inbox["id"]);
    let mut items = Vec::new();
    for (n, jwt) in [&jwt_a, &jwt_b, &jwt_a, &jwt_b, &jwt_a].into_iter().enumerate() {
        let provider = ["whatsapp", "linkedin", "telegram", "gmail", "outlook"][n];
        let body = json!({"provider": provider,
                          "name": format!("Connection {n}"), "externalId": format!("+1555000{n:04}"),
                          "credentials": {"token": format!("t{n}")}, "config": {"n": n}});
        items.push((jwt, connected(&app, jwt, body).await["@id"].as_str().unwrap().to_owned()));
    }
    let (jwt, first) = &items[0];
    let res = patch(&app, first, jwt, json!({"inbox": inbox_iri, "config": {"m": 1}, "headline": "H"})).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let (jwt, second) = &items[1];
    let res = patch(
        &app,
        second,
        jwt,
        json!({"credentials": {"token": "rotated"}, "avatarUrl": "https://x.test/a.png"}),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let (jwt, third) = &items[2];
    assert_eq!(delete(&app, third, jwt).await.status, 204);
    assert_eq!(app.delete(&a.path(&format!("/inboxes/{}", inbox["id"])), &a.admin.token).await.status, 200);
    let res =
        app.delete(&format!("/platform/api/v1/accounts/{}", doomed.account_id), &doomed.platform_token).await;
    assert_eq!(res.status, 200);
    // one more write, so every projection has passed the deletions
    connected(&app, &jwt_b, michael("last")).await;

    let live = dump(&app.db).await;
    let rows = live["connected_accounts"].as_array().unwrap();
    assert_eq!(rows.len(), 5, "{rows:?}");
    assert!(rows.iter().all(|r| r["account_id"] != doomed.account_id));
    assert!(rows.iter().all(|r| r["inbox_id"].is_null()), "the deleted inbox is unlinked");
    rebuild_all(&app.db).await;
    assert_eq!(dump(&app.db).await, live, "rebuild differs from the live read model");
}
