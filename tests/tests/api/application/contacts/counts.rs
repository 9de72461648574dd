//! `meta.count` of the unfiltered listing comes from `contact_counts`,
//! which the contacts projection keeps per account: it must stay equal to
//! the number of contacts the listing shows through every kind of write.

use super::filter;
use onelink_tests::seed::Tenant;
use onelink_tests::TestApp;
use serde_json::{json, Value};

/// The unfiltered listing's `meta.count`, checked against the number of
/// contacts its pages hold and against an (exactly counted) empty filter.
async fn listed(app: &TestApp, tenant: &Tenant) -> i64 {
    let first = app.get(&tenant.path("/contacts"), &tenant.agent.token).await.json();
    let count = first["meta"]["count"].as_i64().unwrap();
    let mut shown = 0;
    for page in 1.. {
        let body = app.get(&tenant.path(&format!("/contacts?page={page}")), &tenant.agent.token).await.json();
        let n = body["payload"].as_array().unwrap().len();
        if n == 0 {
            break;
        }
        shown += n as i64;
    }
    assert_eq!(count, shown, "meta.count vs the contacts the pages hold");
    let filtered = filter(app, tenant, json!([])).await;
    assert_eq!(filtered.status, 200, "{}", filtered.text);
    assert_eq!(filtered.json()["meta"]["count"], count, "meta.count vs an exact count");
    count
}

async fn patch(app: &TestApp, tenant: &Tenant, contact: &Value, body: Value) {
    let res =
        app.patch(&tenant.path(&format!("/contacts/{}", contact["id"])), &tenant.agent.token, body).await;
    assert_eq!(res.status, 200, "{}", res.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_count_follows_contacts_becoming_reachable_or_not_and_deletions() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    assert_eq!(listed(&app, &a).await, 0, "an account without contacts");

    let mail = app.contact(&a, json!({"name": "Mail", "email": "mail@example.com"})).await;
    let phone = app.contact(&a, json!({"name": "Phone", "phone_number": "+15550001"})).await;
    let ident = app.contact(&a, json!({"name": "Ident", "identifier": "id-1"})).await;
    let visitor = app.contact(&a, json!({"name": "Visitor"})).await;
    app.contact(&a, json!({"name": "Blank", "email": "", "phone_number": "", "identifier": ""})).await;
    app.contact(&b, json!({"name": "Other tenant", "email": "other@example.com"})).await;
    assert_eq!(listed(&app, &a).await, 3);
    assert_eq!(listed(&app, &b).await, 1);

    patch(&app, &a, &visitor, json!({"email": "visitor@example.com"})).await;
    assert_eq!(listed(&app, &a).await, 4, "a visitor gains an e-mail");
    patch(&app, &a, &visitor, json!({"phone_number": "+15550002"})).await;
    assert_eq!(listed(&app, &a).await, 4, "a second way to reach it counts once");
    patch(&app, &a, &visitor, json!({"email": null})).await;
    assert_eq!(listed(&app, &a).await, 4, "still reachable by phone");
    patch(&app, &a, &visitor, json!({"phone_number": null})).await;
    assert_eq!(listed(&app, &a).await, 3, "reachable no more");
    patch(&app, &a, &ident, json!({"identifier": ""})).await;
    assert_eq!(listed(&app, &a).await, 2, "an empty identifier does not count");
    patch(&app, &a, &mail, json!({"name": "Renamed", "blocked": true})).await;
    assert_eq!(listed(&app, &a).await, 2, "other fields leave the count alone");

    for (contact, expected) in [(&phone, 1), (&visitor, 1), (&mail, 0)] {
        let res = app.delete(&a.path(&format!("/contacts/{}", contact["id"])), &a.admin.token).await;
        assert_eq!(res.status, 200, "{}", res.text);
        assert_eq!(listed(&app, &a).await, expected);
    }
    assert_eq!(listed(&app, &b).await, 1, "another account's count is its own");

    let rows: Vec<(i64, i64, i64)> =
        sqlx::query_as("SELECT account_id, reachable, leads FROM contact_counts")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert!(
        rows.iter().all(|(account, _, _)| *account != a.account_id),
        "a zero count leaves no row: {rows:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_crm_v2_the_list_count_is_the_number_of_leads() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    app.contact(&a, json!({"name": "Lead by mail", "email": "lead@example.com"})).await;
    let social =
        app.contact(&a, json!({"name": "Social", "additional_attributes": {"social_x_user": "s"}})).await;
    app.contact(&a, json!({"name": "Identified visitor", "identifier": "v-1"})).await;
    let res = app
        .patch(
            &format!("/platform/api/v1/accounts/{}", a.account_id),
            &a.platform_token,
            json!({"features": {"crm_v2": true}}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(listed(&app, &a).await, 2);
    let res = app.delete(&a.path(&format!("/contacts/{}", social["id"])), &a.admin.token).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(listed(&app, &a).await, 1);
}
