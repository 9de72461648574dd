//! `GET /inboxes/{id}/agent_bot` and `POST /inboxes/{id}/set_agent_bot`.

use super::inboxes::{api_inbox, create_inbox, keys, set_members};
use onelink_tests::TestApp;
use serde_json::{json, Value};

async fn bot(app: &TestApp, platform_token: &str, account_id: Option<i64>, name: &str) -> Value {
    let body = json!({"name": name, "outgoing_url": "https://bot.example/hook", "account_id": account_id});
    let res = app.post("/platform/api/v1/agent_bots", platform_token, body).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()
}

#[tokio::test]
async fn an_inbox_binds_its_accounts_bots_and_system_bots() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let inbox = create_inbox(&app, &a, api_inbox("Support")).await;
    set_members(&app, &a, &inbox["id"], &[a.agent.id]).await;
    let path = a.path(&format!("/inboxes/{}", inbox["id"]));
    let none = app.get(&format!("{path}/agent_bot"), &a.admin.token).await;
    assert_eq!(none.status, 200);
    assert_eq!(none.json(), json!({"agent_bot": {}}));

    let own = bot(&app, &a.platform_token, Some(a.account_id), "Helper").await;
    let set =
        app.post(&format!("{path}/set_agent_bot"), &a.admin.token, json!({"agent_bot": own["id"]})).await;
    assert_eq!(set.status, 200, "{}", set.text);
    assert_eq!(set.text, "");
    let shown = app.get(&format!("{path}/agent_bot"), &a.admin.token).await.json()["agent_bot"].clone();
    assert_eq!(
        keys(&shown),
        [
            "id",
            "name",
            "description",
            "thumbnail",
            "outgoing_url",
            "bot_type",
            "bot_config",
            "account_id",
            "access_token",
            "system_bot"
        ]
    );
    assert_eq!(shown["id"], own["id"]);
    assert_eq!(shown["outgoing_url"], "https://bot.example/hook");
    assert_eq!((shown["bot_type"].clone(), shown["system_bot"].clone()), (json!("webhook"), json!(false)));
    assert_eq!(shown["access_token"], own["access_token"]);
    let as_agent = app.get(&format!("{path}/agent_bot"), &a.agent.token).await;
    assert_eq!(as_agent.json()["agent_bot"]["id"], own["id"]);
    assert!(as_agent.json()["agent_bot"].get("access_token").is_none(), "agents never see a bot's token");

    let (_, installation) = app.platform_app("Installation").await;
    let system = bot(&app, &installation, None, "Everyone's bot").await;
    let set =
        app.post(&format!("{path}/set_agent_bot"), &a.admin.token, json!({"agent_bot": system["id"]})).await;
    assert_eq!(set.status, 200, "{}", set.text);
    let shown = app.get(&format!("{path}/agent_bot"), &a.admin.token).await.json()["agent_bot"].clone();
    assert_eq!(shown["system_bot"], true);
    assert!(shown.get("outgoing_url").is_none() && shown.get("access_token").is_none());

    let unset = app.post(&format!("{path}/set_agent_bot"), &a.admin.token, json!({"agent_bot": null})).await;
    assert_eq!(unset.status, 200);
    assert_eq!(app.get(&format!("{path}/agent_bot"), &a.admin.token).await.json(), json!({"agent_bot": {}}));
}

#[tokio::test]
async fn another_accounts_or_an_unknown_bot_is_not_found() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let inbox = create_inbox(&app, &a, api_inbox("Support")).await;
    let foreign = bot(&app, &b.platform_token, Some(b.account_id), "Theirs").await;
    let path = a.path(&format!("/inboxes/{}/set_agent_bot", inbox["id"]));
    let before = app.event_count().await;
    for id in [foreign["id"].clone(), json!(999_999), json!(foreign["id"].to_string())] {
        let res = app.post(&path, &a.admin.token, json!({"agent_bot": id})).await;
        assert_eq!(res.status, 404, "{id}");
        assert_eq!(res.json(), json!({"error": "Resource could not be found"}));
    }
    let res = app.post(&path, &a.admin.token, json!({"agent_bot": [1]})).await;
    assert_eq!(res.status, 422);
    assert_eq!(app.event_count().await, before);
}
