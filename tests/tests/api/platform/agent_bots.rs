use super::{fixture, keys};
use serde_json::json;

#[tokio::test]
async fn bots_crud_with_the_real_outgoing_url() {
    let f = fixture().await;
    let created = f
        .app
        .post(
            "/platform/api/v1/agent_bots",
            &f.token,
            json!({"name": "Helper", "description": "answers", "outgoing_url": "https://bot.example/hook",
                   "account_id": f.account_id}),
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.text);
    let bot = created.json();
    assert_eq!(keys(&bot), ["id", "name", "description", "outgoing_url", "account_id", "access_token"]);
    assert_eq!(bot["outgoing_url"], "https://bot.example/hook", "upstream echoes the name here; we do not");
    assert_eq!(bot["account_id"], f.account_id);
    assert!(bot["access_token"].as_str().unwrap().len() >= 24);

    let path = format!("/platform/api/v1/agent_bots/{}", bot["id"]);
    let updated = f.app.patch(&path, &f.token, json!({"name": "Helper 2", "description": null})).await;
    assert_eq!(updated.status, 200);
    assert_eq!(updated.json()["name"], "Helper 2");
    assert_eq!(updated.json()["description"], json!(null));
    assert_eq!(updated.json()["outgoing_url"], "https://bot.example/hook");

    let system = f.app.post("/platform/api/v1/agent_bots", &f.token, json!({"name": "System"})).await.json();
    assert_eq!(system["account_id"], json!(null));
    let list = f.app.get("/platform/api/v1/agent_bots", &f.token).await.json();
    assert_eq!(list.as_array().unwrap().len(), 2);

    let avatar = f.app.delete(&format!("{path}/avatar"), &f.token).await;
    assert_eq!(avatar.status, 200);
    assert_eq!(avatar.json()["id"], bot["id"]);

    assert_eq!(f.app.delete(&path, &f.token).await.status, 200);
    assert_eq!(f.app.get(&path, &f.token).await.status, 404);
}

#[tokio::test]
async fn a_bot_cannot_be_attached_to_an_account_the_app_may_not_touch() {
    let f = fixture().await;
    let (_, other) = f.app.platform_app("P2").await;
    let before = f.app.event_count().await;
    let res = f
        .app
        .post("/platform/api/v1/agent_bots", &other, json!({"name": "x", "account_id": f.account_id}))
        .await;
    assert_eq!(res.status, 401);
    assert_eq!(res.json(), json!({"error": "Non permissible resource"}));
    assert_eq!(f.app.event_count().await, before);
}

#[tokio::test]
async fn bad_bot_urls_are_422() {
    let f = fixture().await;
    for url in ["ftp://x.example", "not a url", "javascript:alert(1)"] {
        let res = f.app.post("/platform/api/v1/agent_bots", &f.token, json!({"outgoing_url": url})).await;
        assert_eq!(res.status, 422, "{url}");
        assert_eq!(res.json()["attributes"], json!(["outgoing_url"]));
    }
}
