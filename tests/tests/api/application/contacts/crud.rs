//! Create, show, update, delete, labels and custom attribute removal.

use onelink_tests::TestApp;
use serde_json::json;

/// The Contact JSON keys in order (`last_activity_at` is omitted while null).
const CONTACT_KEYS: [&str; 12] = [
    "additional_attributes",
    "availability_status",
    "email",
    "id",
    "name",
    "phone_number",
    "blocked",
    "identifier",
    "thumbnail",
    "custom_attributes",
    "created_at",
    "contact_inboxes",
];

fn keys(value: &serde_json::Value) -> Vec<String> {
    value.as_object().unwrap().keys().cloned().collect()
}

#[tokio::test]
async fn a_member_creates_a_contact_in_the_upstream_shape() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let res = app
        .post(
            &a.path("/contacts"),
            &a.agent.token,
            json!({"contact": {"name": "Ada Lovelace", "email": " Ada@Example.COM ", "phone_number": "+447700900123",
                   "identifier": "ada-1", "blocked": "false", "additional_attributes": {"city": "London"},
                   "custom_attributes": {"plan": "pro"}}}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let body = res.json();
    assert_eq!(keys(&body), ["payload"]);
    assert_eq!(keys(&body["payload"]), ["contact", "contact_inbox"]);
    assert_eq!(body["payload"]["contact_inbox"], json!({"inbox": null, "source_id": null}));
    let contact = &body["payload"]["contact"];
    assert_eq!(keys(contact), CONTACT_KEYS);
    assert_eq!(contact["email"], "ada@example.com");
    assert_eq!(contact["name"], "Ada Lovelace");
    assert_eq!(contact["phone_number"], "+447700900123");
    assert_eq!(contact["identifier"], "ada-1");
    assert_eq!(contact["blocked"], false);
    assert_eq!(contact["availability_status"], "offline");
    assert_eq!(contact["thumbnail"], "");
    assert_eq!(contact["contact_inboxes"], json!([]));
    assert_eq!(contact["additional_attributes"], json!({"city": "London"}));
    assert_eq!(contact["custom_attributes"], json!({"plan": "pro"}));
    assert!(contact["created_at"].as_i64().unwrap() > 1_700_000_000);

    let path = a.path(&format!("/contacts/{}", contact["id"]));
    let shown = app.get(&path, &a.agent.token).await;
    assert_eq!(shown.status, 200);
    assert_eq!(keys(&shown.json()), ["payload"]);
    assert_eq!(&shown.json()["payload"], contact);
    let slim = app.get(&format!("{path}?include_contact_inboxes=false"), &a.agent.token).await.json();
    assert!(slim["payload"].get("contact_inboxes").is_none());
}

#[tokio::test]
async fn a_contact_may_be_created_with_nothing_and_defaults_apply() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let contact = app.contact(&a, json!({"email": ""})).await;
    assert_eq!(contact["name"], "");
    assert_eq!(contact["email"], json!(null));
    assert_eq!(contact["phone_number"], json!(null));
    assert_eq!(contact["identifier"], json!(null));
    assert_eq!(contact["additional_attributes"], json!({}));
    assert_eq!(contact["custom_attributes"], json!({}));
    assert_eq!(contact["blocked"], false);
}

#[tokio::test]
async fn an_update_replaces_scalars_and_merges_hashes() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let contact = app
        .contact(
            &a,
            json!({"name": "Ada", "email": "ada@example.com", "additional_attributes": {"city": "London", "x": 1},
                   "custom_attributes": {"plan": "free", "seats": 3}}),
        )
        .await;
    let path = a.path(&format!("/contacts/{}", contact["id"]));
    let res = app
        .patch(
            &path,
            &a.agent.token,
            json!({"name": "Ada L.", "email": null, "phone_number": "+15550100", "blocked": true,
                   "additional_attributes": {"city": "Paris"}, "custom_attributes": {"plan": "pro", "new": true}}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let updated = &res.json()["payload"];
    assert_eq!(updated["name"], "Ada L.");
    assert_eq!(updated["email"], json!(null));
    assert_eq!(updated["phone_number"], "+15550100");
    assert_eq!(updated["blocked"], true);
    assert_eq!(updated["additional_attributes"], json!({"city": "Paris", "x": 1}));
    assert_eq!(updated["custom_attributes"], json!({"plan": "pro", "seats": 3, "new": true}));
    assert_eq!(updated["contact_inboxes"], json!([]));
    // PUT behaves the same; an empty body changes nothing
    let before = app.event_count().await;
    let put = app.put(&path, &a.agent.token, json!({})).await;
    assert_eq!(put.status, 200);
    assert_eq!(&put.json()["payload"], updated);
    assert_eq!(app.event_count().await, before, "no change, no event");
}

#[tokio::test]
async fn custom_attributes_are_removed_by_key() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let contact =
        app.contact(&a, json!({"name": "Ada", "custom_attributes": {"a": 1, "b": 2, "c": 3}})).await;
    let path = a.path(&format!("/contacts/{}/destroy_custom_attributes", contact["id"]));
    let res = app.post(&path, &a.agent.token, json!({"custom_attributes": ["a", "c", "missing"]})).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json()["payload"]["custom_attributes"], json!({"b": 2}));
    assert_eq!(res.json()["payload"]["contact_inboxes"], json!([]));
    let res = app.post(&path, &a.agent.token, json!({"custom_attributes": "b"})).await;
    assert_eq!(res.json()["payload"]["custom_attributes"], json!({}));
}

#[tokio::test]
async fn labels_are_listed_and_overwritten() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let contact = app.contact(&a, json!({"name": "Ada", "email": "ada@example.com"})).await;
    let path = a.path(&format!("/contacts/{}/labels", contact["id"]));
    assert_eq!(app.get(&path, &a.agent.token).await.json(), json!({"payload": []}));
    let res = app.post(&path, &a.agent.token, json!({"labels": ["VIP", "b2b", "vip", "not a label"]})).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.json(), json!({"payload": ["vip", "b2b"]}));
    let res = app.post(&path, &a.agent.token, json!({"labels": ["churn-risk"]})).await;
    assert_eq!(res.json(), json!({"payload": ["churn-risk"]}));
    assert_eq!(app.get(&path, &a.agent.token).await.json(), json!({"payload": ["churn-risk"]}));
    let res = app.post(&path, &a.agent.token, json!({})).await;
    assert_eq!(res.json(), json!({"payload": []}), "no labels clears them, as upstream");
    let bad = app.post(&path, &a.agent.token, json!({"labels": [1, 2]})).await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json(), json!({"message": "Labels is invalid", "attributes": ["labels"]}));
}

#[tokio::test]
async fn an_admin_deletes_a_contact_and_its_values_become_free() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let body =
        json!({"name": "Ada", "email": "ada@example.com", "phone_number": "+15550100", "identifier": "A1"});
    let contact = app.contact(&a, body.clone()).await;
    let path = a.path(&format!("/contacts/{}", contact["id"]));
    let res = app.delete(&path, &a.admin.token).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.text, "");
    assert_eq!(app.get(&path, &a.admin.token).await.status, 404);
    assert_eq!(app.delete(&path, &a.admin.token).await.status, 404);
    let again = app.contact(&a, body).await;
    assert_ne!(again["id"], contact["id"]);
}
