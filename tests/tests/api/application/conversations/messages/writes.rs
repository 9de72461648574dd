//! Creating (incoming rules, reopening), soft-deleting and status updates,
//! and a rebuild of the read models after all of them.

use super::{bot, message, post, widget_inbox, Setup};
use onelink_tests::readmodels::{dump, rebuild_all};
use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn incoming_messages_only_in_api_inboxes() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let widget = widget_inbox(&app, &a).await;
    let c = app.conversation(&a, widget, json!({})).await;
    let path = a.path(&format!("/conversations/{}/messages", c["id"]));
    let before = app.event_count().await;
    let refused =
        post(&app, &path, &a.admin.token, json!({"content": "hi", "message_type": "incoming"})).await;
    assert_eq!(refused.status, 422);
    assert_eq!(refused.json(), json!({"error": "Incoming messages are only allowed in Api inboxes"}));
    assert_eq!(app.event_count().await, before, "nothing written");
    let outgoing = message(&app, &path, &a.admin.token, json!({"content": "hello"})).await;
    assert_eq!(outgoing["message_type"], 1);
}

async fn status_of(app: &TestApp, s: &Setup, display_id: &serde_json::Value) -> String {
    let res = app.get(&s.tenant.path(&format!("/conversations/{display_id}")), &s.tenant.admin.token).await;
    res.json()["status"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_incoming_message_reopens_the_conversation() {
    let app = TestApp::spawn().await;
    let s = Setup::new(&app).await;
    let a = &s.tenant;
    for start in ["resolved", "snoozed"] {
        let c =
            app.conversation(a, s.inbox_id, json!({"status": start, "snoozed_until": 1_900_000_000})).await;
        assert_eq!(c["status"], start);
        let path = a.path(&format!("/conversations/{}/messages", c["id"]));
        message(&app, &path, &a.admin.token, json!({"content": "reply", "private": false})).await;
        assert_eq!(status_of(&app, &s, &c["id"]).await, start, "outgoing messages do not reopen");
        message(&app, &path, &a.admin.token, json!({"content": "again?", "message_type": "incoming"})).await;
        assert_eq!(status_of(&app, &s, &c["id"]).await, "open", "{start} → open");
        let shown = app.get(&a.path(&format!("/conversations/{}", c["id"])), &a.admin.token).await.json();
        assert_eq!(shown["snoozed_until"], json!(null));
    }
    // with a bot on the inbox, the conversation goes back to the bot
    let resolved = app.conversation(a, s.inbox_id, json!({"status": "resolved"})).await;
    let (bot_id, _) = bot(&app, a).await;
    let set = app
        .post(
            &a.path(&format!("/inboxes/{}/set_agent_bot", s.inbox_id)),
            &a.admin.token,
            json!({"agent_bot": bot_id}),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.text);
    let path = a.path(&format!("/conversations/{}/messages", resolved["id"]));
    message(&app, &path, &a.admin.token, json!({"content": "back", "message_type": "incoming"})).await;
    assert_eq!(status_of(&app, &s, &resolved["id"]).await, "pending");
}

#[tokio::test]
async fn messages_are_soft_deleted() {
    let app = TestApp::spawn().await;
    let s = Setup::new(&app).await;
    let a = &s.tenant;
    let path = s.messages("");
    let m = message(
        &app,
        &path,
        &a.admin.token,
        json!({"content": "Pick one", "content_type": "input_select", "private": true,
               "content_attributes": {"items": [{"title": "A", "value": "a"}]}}),
    )
    .await;
    let one = s.messages(&format!("/{}", m["id"]));
    let deleted = app.delete(&one, &a.agent.token).await;
    assert_eq!(deleted.status, 401, "the agent is not in the inbox");
    let deleted = app.delete(&one, &a.admin.token).await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    let d = deleted.json();
    assert_eq!(d["id"], m["id"]);
    assert_eq!(d["content"], "This message was deleted");
    assert_eq!(d["content_type"], "text");
    assert_eq!(d["content_attributes"], json!({"deleted": true}), "other attributes are wiped");
    assert_eq!(d["private"], true, "everything else is kept");
    let events =
        super::stream_events(&app, super::global_id(&app, a.account_id, s.id()).await, "MessageDeleted");
    assert_eq!(events.await, 1);
    let again = app.delete(&one, &a.admin.token).await;
    assert_eq!((again.status, again.json()), (200, d.clone()), "deleting again changes nothing");
    let events =
        super::stream_events(&app, super::global_id(&app, a.account_id, s.id()).await, "MessageDeleted");
    assert_eq!(events.await, 1, "and writes nothing");
    let listed = app.get(&path, &a.admin.token).await.json();
    assert_eq!(listed["payload"][0], d);

    let other = app.conversation(a, s.inbox_id, json!({})).await;
    let elsewhere = a.path(&format!("/conversations/{}/messages/{}", other["id"], m["id"]));
    assert_eq!(app.delete(&elsewhere, &a.admin.token).await.status, 404, "a message of another conversation");
    for bad in ["/999999999", "/abc", "/-1"] {
        let res = app.delete(&s.messages(bad), &a.admin.token).await;
        assert_eq!(res.status, 404, "{bad}");
        assert_eq!(res.json(), json!({"error": "Resource could not be found"}));
    }
}

#[tokio::test]
async fn status_updates_only_in_api_inboxes() {
    let app = TestApp::spawn().await;
    let s = Setup::new(&app).await;
    let a = &s.tenant;
    let m = message(&app, &s.messages(""), &a.admin.token, json!({"content": "Sent out"})).await;
    let one = s.messages(&format!("/{}", m["id"]));
    let patch = |body: serde_json::Value| {
        let (app, one) = (&app, one.clone());
        async move { app.patch(&one, &a.admin.token, body).await }
    };
    let delivered = patch(json!({"status": "delivered"})).await;
    assert_eq!(delivered.status, 200, "{}", delivered.text);
    assert_eq!(delivered.json()["status"], "delivered");
    assert_eq!(patch(json!({"status": "read"})).await.json()["status"], "read");
    assert_eq!(
        patch(json!({"status": "delivered"})).await.json()["status"],
        "read",
        "read → delivered is ignored"
    );
    let failed = patch(json!({"status": "failed", "external_error": "Number unreachable"})).await.json();
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["content_attributes"]["external_error"], "Number unreachable");
    let resent = patch(json!({"message": {"status": "sent", "external_error": "ignored"}})).await.json();
    assert_eq!(resent["status"], "sent");
    assert_eq!(resent["content_attributes"], json!({}), "the error goes with the failure");
    for bad in [
        json!({}),
        json!({"status": "lost"}),
        json!({"status": 3}),
        json!({"status": "read", "external_error": "\u{0}"}),
    ] {
        let res = patch(bad.clone()).await;
        assert_eq!(res.status, 422, "{bad}: {}", res.text);
    }
    assert_eq!(
        app.patch(&s.messages("/999999999"), &a.admin.token, json!({"status": "read"})).await.status,
        404
    );

    let widget = widget_inbox(&app, a).await;
    let c = app.conversation(a, widget, json!({})).await;
    let wm = message(
        &app,
        &a.path(&format!("/conversations/{}/messages", c["id"])),
        &a.admin.token,
        json!({"content": "x"}),
    )
    .await;
    let res = app
        .patch(
            &a.path(&format!("/conversations/{}/messages/{}", c["id"], wm["id"])),
            &a.admin.token,
            json!({"status": "read"}),
        )
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(res.json(), json!({"error": "Message status update is only allowed for API inboxes"}));
}

#[tokio::test]
async fn read_models_after_message_writes_equal_a_rebuild() {
    let app = TestApp::spawn().await;
    let s = Setup::new(&app).await;
    let a = &s.tenant;
    let path = s.messages("");
    let mut ids = Vec::new();
    for i in 0..12 {
        let body = match i % 4 {
            0 => json!({"content": format!("in {i}"), "message_type": "incoming"}),
            1 => json!({"content": format!("note {i}"), "private": true}),
            2 => json!({"content": format!("out {i}"), "echo_id": format!("e{i}")}),
            _ => json!({"content": format!("act {i}"), "message_type": "activity"}),
        };
        ids.push(message(&app, &path, &a.admin.token, body).await["id"].clone());
    }
    let keyed = app
        .request_with_headers(
            Method::POST,
            &path,
            Some(&a.admin.token),
            Some(json!({"content": "k"})),
            &[("Idempotency-Key", "k1")],
        )
        .await;
    assert_eq!(keyed.status, 200);
    for id in [&ids[0], &ids[5]] {
        assert_eq!(app.delete(&s.messages(&format!("/{id}")), &a.admin.token).await.status, 200);
    }
    for (id, status) in [(&ids[2], "read"), (&ids[6], "failed"), (&ids[2], "delivered")] {
        let res = app
            .patch(
                &s.messages(&format!("/{id}")),
                &a.admin.token,
                json!({"status": status, "external_error": "x"}),
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.text);
    }
    let seen = a.path(&format!("/conversations/{}/update_last_seen", s.id()));
    assert_eq!(app.post(&seen, &a.admin.token, json!({})).await.status, 204);
    message(&app, &path, &a.admin.token, json!({"content": "after seen", "message_type": "incoming"})).await;
    let live = dump(&app.db).await;
    rebuild_all(&app.db).await;
    assert_eq!(dump(&app.db).await, live);
}
