//! E-mail, phone number and identifier are unique per account, also under
//! concurrent writes; formats are checked in the upstream's wording.

use super::join_all;
use onelink_tests::TestApp;
use serde_json::json;

#[tokio::test]
async fn duplicates_are_refused_per_account_with_the_upstream_messages() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    app.contact(
        &a,
        json!({"name": "Ada", "email": "ada@example.com", "phone_number": "+15550100", "identifier": "ABC"}),
    )
    .await;
    let contacts = a.path("/contacts");
    let post = |body: serde_json::Value| app.post(&contacts, &a.agent.token, body);
    for (body, message, attributes) in [
        (json!({"email": "ADA@example.com"}), "Email has already been taken", json!(["email"])),
        (json!({"phone_number": "+15550100"}), "Phone number has already been taken", json!(["phone_number"])),
        (json!({"identifier": "ABC"}), "Identifier has already been taken", json!(["identifier"])),
        (
            json!({"email": "ada@example.com", "phone_number": "+15550100", "identifier": "ABC"}),
            "Email has already been taken, Identifier has already been taken, Phone number has already been taken",
            json!(["email", "identifier", "phone_number"]),
        ),
        (json!({"email": "not an email"}), "Email Invalid email", json!(["email"])),
        (json!({"phone_number": "5550100"}), "Phone number should be in e164 format", json!(["phone_number"])),
        (json!({"name": "x".repeat(256)}), "Name is too long (maximum is 255 characters)", json!(["name"])),
    ] {
        let res = post(body.clone()).await;
        assert_eq!(res.status, 422, "{body}: {}", res.text);
        assert_eq!(res.json(), json!({"message": message, "attributes": attributes}), "{body}");
    }
    // identifiers are case-sensitive; other accounts are independent
    assert_eq!(post(json!({"identifier": "abc"})).await.status, 200);
    app.contact(&b, json!({"email": "ada@example.com", "phone_number": "+15550100", "identifier": "ABC"}))
        .await;
}

#[tokio::test]
async fn an_update_moves_the_claim_and_frees_the_old_value() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let ada = app.contact(&a, json!({"name": "Ada", "email": "ada@example.com"})).await;
    let bob = app.contact(&a, json!({"name": "Bob", "email": "bob@example.com"})).await;
    let ada_path = a.path(&format!("/contacts/{}", ada["id"]));
    let bob_path = a.path(&format!("/contacts/{}", bob["id"]));
    let taken = app.patch(&bob_path, &a.agent.token, json!({"email": "Ada@Example.com"})).await;
    assert_eq!(taken.status, 422);
    assert_eq!(taken.json(), json!({"message": "Email has already been taken", "attributes": ["email"]}));
    let same =
        app.patch(&ada_path, &a.agent.token, json!({"email": "ADA@example.com", "name": "Ada L"})).await;
    assert_eq!(same.status, 200, "keeping one's own value is fine: {}", same.text);
    let moved = app.patch(&ada_path, &a.agent.token, json!({"email": "ada@new.example"})).await;
    assert_eq!(moved.status, 200);
    let reused = app.patch(&bob_path, &a.agent.token, json!({"email": "ada@example.com"})).await;
    assert_eq!(reused.status, 200, "the old value is free again: {}", reused.text);
    assert_eq!(reused.json()["payload"]["email"], "ada@example.com");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creates_with_one_email_let_exactly_one_win() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let contacts = a.path("/contacts");
    let attempts = (0..8).map(|i| {
        let body = json!({"name": format!("Racer {i}"), "email": "race@example.com", "phone_number": format!("+1555000{i}")});
        app.post(&contacts, &a.agent.token, body)
    });
    let results = join_all(attempts.map(Box::pin).collect()).await;
    let won = results.iter().filter(|r| r.status == 200).count();
    assert_eq!(won, 1, "{:?}", results.iter().map(|r| (r.status, r.text.clone())).collect::<Vec<_>>());
    for lost in results.iter().filter(|r| r.status != 200) {
        assert_eq!(lost.status, 422, "{}", lost.text);
        assert_eq!(lost.json(), json!({"message": "Email has already been taken", "attributes": ["email"]}));
    }
    let listed = app.get(&a.path("/contacts/search?q=race@"), &a.agent.token).await.json();
    assert_eq!(listed["meta"]["count"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_updates_to_one_identifier_let_exactly_one_win() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let mut paths = Vec::new();
    for i in 0..6 {
        let c = app.contact(&a, json!({"name": format!("C{i}"), "email": format!("c{i}@example.com")})).await;
        paths.push(a.path(&format!("/contacts/{}", c["id"])));
    }
    let attempts = paths.iter().map(|p| app.patch(p, &a.agent.token, json!({"identifier": "SHARED"})));
    let results = join_all(attempts.map(Box::pin).collect()).await;
    assert_eq!(results.iter().filter(|r| r.status == 200).count(), 1);
    assert!(results.iter().all(|r| r.status == 200 || r.status == 422));
}
