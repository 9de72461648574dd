//! `/api/accounts` happy paths: exact JSON-LD shapes, merge-patch updates,
//! inbox links, deletion and pagination.

use super::{connected, create, delete, get, keys, michael, patch, token};
use onelink_tests::TestApp;
use serde_json::json;

const ITEM_KEYS: &[&str] = &[
    "@context",
    "@id",
    "@type",
    "id",
    "name",
    "headline",
    "avatarUrl",
    "provider",
    "externalId",
    "integration",
    "client",
    "accountId",
    "inbox",
    "status",
    "config",
    "createdAt",
    "updatedAt",
];

#[tokio::test]
async fn connected_accounts_can_be_created_read_updated_and_deleted() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let jwt = token(&app, &a.admin).await;

    let res = create(&app, &jwt, michael("EAAG-secret-token")).await;
    assert_eq!(res.status, 201, "{}", res.text);
    assert!(res.headers["content-type"].to_str().unwrap().starts_with("application/ld+json"));
    let item = res.json();
    assert_eq!(keys(&item), ITEM_KEYS);
    let id = item["id"].as_str().unwrap().to_owned();
    let iri = format!("/api/accounts/{id}");
    assert_eq!(res.headers["location"], iri.as_str());
    assert_eq!(res.headers["content-location"], iri.as_str());
    let created_at = item["createdAt"].clone();
    assert_eq!(
        item,
        json!({
            "@context": "/api/contexts/Account", "@id": iri, "@type": "Account", "id": id,
            "name": "Michael Scott", "headline": "Regional Manager at Dunder Mifflin",
            "avatarUrl": "https://example.com/avatars/michael_scott.png", "provider": "whatsapp",
            "externalId": "+15551234567", "integration": "/api/integrations/whatsapp",
            "client": format!("/api/clients/{}", a.account_id), "accountId": a.account_id, "inbox": null,
            "status": "connecting", "config": {"region": "us"},
            "createdAt": created_at, "updatedAt": created_at
        })
    );
    assert!(created_at.as_str().unwrap().ends_with('Z'));
    assert!(!res.text.contains("credentials") && !res.text.contains("EAAG"), "{}", res.text);

    let shown = get(&app, &iri, &jwt).await;
    assert_eq!(shown.status, 200);
    assert_eq!(shown.json(), item);

    // an agent of the account may read
    let agent = token(&app, &a.agent).await;
    assert_eq!(get(&app, &iri, &agent).await.json(), item);

    let inbox = app
        .post(&a.path("/inboxes"), &a.admin.token, json!({"name": "WhatsApp", "channel": {"type": "api"}}))
        .await
        .json();
    let inbox_iri = format!("/api/v1/accounts/{}/inboxes/{}", a.account_id, inbox["id"]);
    let res = patch(
        &app,
        &iri,
        &jwt,
        json!({"name": "Michael G. Scott", "headline": null, "config": {"region": null, "tier": "gold"},
               "credentials": {"access_token": "EAAG-rotated"}, "inbox": inbox_iri, "status": "active",
               "id": "00000000-0000-0000-0000-000000000000", "accountId": 999}),
    )
    .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let updated = res.json();
    assert_eq!(updated["name"], "Michael G. Scott");
    assert_eq!(updated["headline"], json!(null));
    assert_eq!(updated["config"], json!({"tier": "gold"}));
    assert_eq!(updated["inbox"], inbox_iri.as_str());
    assert_eq!(updated["status"], "connecting", "status is not writable");
    assert_eq!(updated["id"], id.as_str());
    assert_eq!(updated["accountId"], a.account_id);
    assert_eq!(updated["createdAt"], created_at);
    assert!(updated["updatedAt"].as_str() >= created_at.as_str());

    // unlink, then delete
    let unlinked = patch(&app, &iri, &jwt, json!({"inbox": null})).await;
    assert_eq!(unlinked.json()["inbox"], json!(null));
    let res = delete(&app, &iri, &jwt).await;
    assert_eq!(res.status, 204);
    assert_eq!(res.text, "");
    let gone = get(&app, &iri, &jwt).await;
    assert_eq!(gone.status, 404);
    assert_eq!(
        gone.json(),
        json!({"@context": "/api/contexts/Error", "@id": "/api/errors/404", "@type": "Error",
               "title": "An error occurred", "detail": "Not Found", "status": 404, "type": "/errors/404"})
    );
    assert_eq!(delete(&app, &iri, &jwt).await.status, 404);
    assert_eq!(patch(&app, &iri, &jwt, json!({"name": "x"})).await.status, 404);
}

#[tokio::test]
async fn deleting_a_linked_inbox_unlinks_the_connected_account() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let jwt = token(&app, &a.admin).await;
    let inbox = app
        .post(&a.path("/inboxes"), &a.admin.token, json!({"name": "Insta", "channel": {"type": "api"}}))
        .await
        .json();
    let inbox_iri = format!("/api/v1/accounts/{}/inboxes/{}", a.account_id, inbox["id"]);
    let body = json!({"integration": "/api/integrations/instagram", "name": "@dundermifflin",
                      "externalId": "17841400000000000", "credentials": {"token": "IGQ-x"}, "inbox": inbox_iri});
    let item = connected(&app, &jwt, body).await;
    assert_eq!(item["inbox"], inbox_iri.as_str());
    assert_eq!(item["provider"], "instagram");
    let res = app.delete(&a.path(&format!("/inboxes/{}", inbox["id"])), &a.admin.token).await;
    assert_eq!(res.status, 200);
    let after = get(&app, item["@id"].as_str().unwrap(), &jwt).await.json();
    assert_eq!(after["inbox"], json!(null));
}

#[tokio::test]
async fn connected_accounts_are_paginated_thirty_per_page() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let jwt = token(&app, &a.admin).await;

    let empty = get(&app, "/api/accounts", &jwt).await;
    assert_eq!(empty.status, 200);
    assert_eq!(
        empty.json(),
        json!({"@context": "/api/contexts/Account", "@id": "/api/accounts", "@type": "Collection",
               "totalItems": 0, "member": []})
    );

    let mut ids = Vec::new();
    for n in 0..32 {
        let body =
            json!({"provider": "telegram", "name": format!("Bot {n:02}"), "credentials": {"bot_token": "t"}});
        ids.push(connected(&app, &jwt, body).await["id"].clone());
    }
    let first = get(&app, "/api/accounts", &jwt).await.json();
    assert_eq!(first["totalItems"], 32);
    let members = first["member"].as_array().unwrap();
    assert_eq!(members.len(), 30);
    assert_eq!(members.iter().map(|m| m["id"].clone()).collect::<Vec<_>>(), ids[..30]);
    assert_eq!(members[0]["@type"], "Account");
    assert!(members[0].get("@context").is_none(), "members carry no @context");
    assert_eq!(
        first["view"],
        json!({"@id": "/api/accounts?page=1", "@type": "PartialCollectionView", "first": "/api/accounts?page=1",
               "last": "/api/accounts?page=2", "next": "/api/accounts?page=2"})
    );
    let second = get(&app, "/api/accounts?page=2", &jwt).await.json();
    assert_eq!(
        second["member"].as_array().unwrap().iter().map(|m| m["id"].clone()).collect::<Vec<_>>(),
        ids[30..]
    );
    assert_eq!(
        second["view"],
        json!({"@id": "/api/accounts?page=2", "@type": "PartialCollectionView", "first": "/api/accounts?page=1",
               "last": "/api/accounts?page=2", "previous": "/api/accounts?page=1"})
    );
    let beyond = get(&app, "/api/accounts?page=9", &jwt).await.json();
    assert_eq!(beyond["member"], json!([]));
    assert_eq!(beyond["totalItems"], 32);

    let explicit = get(&app, &format!("/api/accounts?account_id={}&page=2", a.account_id), &jwt).await.json();
    assert_eq!(explicit["view"]["@id"], format!("/api/accounts?account_id={}&page=2", a.account_id));
}
