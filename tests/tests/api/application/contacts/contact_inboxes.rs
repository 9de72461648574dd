//! A contact's inboxes: created with the contact, added later, shown in
//! the Contact JSON, unique source ids per inbox, freed on delete.

use onelink_tests::TestApp;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn a_contact_created_in_an_inbox_gets_a_source_id_there() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let inbox = app.api_inbox(&a, "Support").await;
    let inbox_id = inbox["id"].as_i64().unwrap();
    let res = app
        .post(
            &a.path("/contacts"),
            &a.agent.token,
            json!({"name": "Kim", "inbox_id": inbox_id, "source_id": "kim-1"}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let body = res.json();
    let contact_inbox = &body["payload"]["contact_inbox"];
    assert_eq!(contact_inbox["source_id"], "kim-1");
    assert_eq!(contact_inbox["inbox"]["id"], inbox_id);
    assert_eq!(contact_inbox["inbox"]["channel_type"], "Channel::Api");
    assert!(contact_inbox["inbox"].get("hmac_token").is_none(), "no secrets in the raw inbox record");
    let listed = &body["payload"]["contact"]["contact_inboxes"];
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["source_id"], "kim-1");
    let keys: Vec<_> = listed[0]["inbox"].as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["id", "avatar_url", "channel_id", "name", "channel_type", "provider"]);

    // without a source id a UUID is generated
    let other =
        app.post(&a.path("/contacts"), &a.agent.token, json!({"name": "Lee", "inbox_id": inbox_id})).await;
    let source = other.json()["payload"]["contact_inbox"]["source_id"].as_str().unwrap().to_owned();
    assert!(uuid::Uuid::parse_str(&source).is_ok(), "{source}");

    // the same source id for another contact is refused, and no contact is created
    let before = app.event_count().await;
    let dup = app
        .post(
            &a.path("/contacts"),
            &a.agent.token,
            json!({"name": "Dup", "inbox_id": inbox_id, "source_id": "kim-1"}),
        )
        .await;
    assert_eq!(dup.status, 422);
    assert_eq!(dup.json(), json!({"error": "source_id should be unique"}));
    assert_eq!(app.event_count().await, before);

    // another tenant's inbox is not found
    let b = app.tenant("Beta").await;
    let foreign =
        app.post(&b.path("/contacts"), &b.admin.token, json!({"name": "X", "inbox_id": inbox_id})).await;
    assert_eq!(foreign.status, 404);
}

#[tokio::test]
async fn contact_inboxes_are_added_by_inbox_members_and_freed_on_delete() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let inbox = app.api_inbox(&a, "Support").await;
    let inbox_id = inbox["id"].as_i64().unwrap();
    let contact = app.contact(&a, json!({"name": "Kim"})).await;
    let path = a.path(&format!("/contacts/{}/contact_inboxes", contact["id"]));

    let denied = app.post(&path, &a.agent.token, json!({"inbox_id": inbox_id})).await;
    assert_eq!(denied.status, 401, "the agent is not a member of the inbox");
    app.inbox_members(&a, inbox_id, &[a.agent.id]).await;
    let added = app.post(&path, &a.agent.token, json!({"inbox_id": inbox_id, "source_id": "s-1"})).await;
    assert_eq!(added.status, 200, "{}", added.text);
    assert_eq!(added.json()["source_id"], "s-1");
    assert_eq!(added.json()["inbox"]["id"], inbox_id);
    let again = app.post(&path, &a.agent.token, json!({"inbox_id": inbox_id, "source_id": "s-1"})).await;
    assert_eq!(again.status, 200, "adding the same source id again is idempotent");

    let contactable =
        app.get(&a.path(&format!("/contacts/{}/contactable_inboxes", contact["id"])), &a.agent.token).await;
    assert_eq!(contactable.status, 200);
    assert_eq!(contactable.json()["payload"][0]["source_id"], "s-1");

    let shown = app.get(&a.path(&format!("/contacts/{}", contact["id"])), &a.agent.token).await.json();
    assert_eq!(shown["payload"]["contact_inboxes"][0]["source_id"], "s-1");

    assert_eq!(
        app.delete(&a.path(&format!("/contacts/{}", contact["id"])), &a.admin.token).await.status,
        200
    );
    let reused = app
        .post(
            &a.path("/contacts"),
            &a.agent.token,
            json!({"name": "Next", "inbox_id": inbox_id, "source_id": "s-1"}),
        )
        .await;
    assert_eq!(reused.status, 200, "a deleted contact's source id is free again: {}", reused.text);

    let b = app.tenant("Beta").await;
    let cross =
        app.request(Method::POST, &path, Some(&b.admin.token), Some(json!({"inbox_id": inbox_id}))).await;
    assert_eq!(cross.status, 401);
    let missing = app
        .post(&a.path("/contacts/999999/contact_inboxes"), &a.admin.token, json!({"inbox_id": inbox_id}))
        .await;
    assert_eq!(missing.status, 404);
}
