//! `GET /contacts`: resolved contacts, pagination, every sort key, labels.

use super::names;
use onelink_tests::TestApp;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contacts_are_paginated_fifteen_at_a_time_over_resolved_contacts() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    for i in 0..40 {
        app.contact(&a, json!({"name": format!("C{i:02}"), "email": format!("c{i}@example.com")})).await;
    }
    // not resolved: no e-mail, phone number or identifier
    let hidden = app.contact(&a, json!({"name": "Visitor"})).await;
    app.contact(&a, json!({"name": "Blank", "email": "", "phone_number": "", "identifier": ""})).await;

    let first = app.get(&a.path("/contacts"), &a.agent.token).await.json();
    assert_eq!(first["meta"], json!({"count": 40, "current_page": 1}));
    assert_eq!(names(&first).len(), 15);
    assert_eq!(names(&first)[0], "C00", "default order is creation (id) order");
    let second = app.get(&a.path("/contacts?page=2"), &a.agent.token).await.json();
    assert_eq!(second["meta"], json!({"count": 40, "current_page": "2"}));
    assert_eq!(names(&second)[0], "C15");
    let third = app.get(&a.path("/contacts?page=3"), &a.agent.token).await.json();
    assert_eq!(names(&third).len(), 10);
    let beyond = app.get(&a.path("/contacts?page=4"), &a.agent.token).await.json();
    assert_eq!(beyond["meta"]["count"], 40);
    assert_eq!(beyond["payload"], json!([]));

    let mut all: Vec<String> = [first, second, third].iter().flat_map(names).collect();
    all.dedup();
    assert_eq!(all.len(), 40, "pages do not overlap");
    assert!(!all.contains(&"Visitor".to_owned()) && !all.contains(&"Blank".to_owned()));
    // an unresolved contact is still reachable by id
    let shown = app.get(&a.path(&format!("/contacts/{}", hidden["id"])), &a.agent.token).await;
    assert_eq!(shown.status, 200);
}

#[tokio::test]
async fn every_sort_key_sorts_both_ways() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let seed = [
        json!({"name": "bravo", "email": "e3@x.io", "phone_number": "+1003",
               "additional_attributes": {"company_name": "Kilo", "city": "Oslo", "country": "Norway"}}),
        json!({"name": "Alpha", "email": "e1@x.io", "identifier": "i2",
               "additional_attributes": {"company_name": "Acme", "city": "Berlin"}}),
        json!({"name": "charlie", "identifier": "i3", "phone_number": "+1001"}),
        json!({"name": "delta", "email": "e2@x.io", "phone_number": "+1002",
               "additional_attributes": {"company_name": "Zeta", "country": "Austria"}}),
    ];
    for body in seed {
        app.contact(&a, body).await;
    }
    let cases = [
        ("name", ["Alpha", "bravo", "charlie", "delta"], ["delta", "charlie", "bravo", "Alpha"]),
        ("email", ["Alpha", "delta", "bravo", "charlie"], ["charlie", "bravo", "delta", "Alpha"]),
        ("phone_number", ["charlie", "delta", "bravo", "Alpha"], ["Alpha", "bravo", "delta", "charlie"]),
        ("created_at", ["bravo", "Alpha", "charlie", "delta"], ["delta", "charlie", "Alpha", "bravo"]),
        ("last_activity_at", ["bravo", "Alpha", "charlie", "delta"], ["bravo", "Alpha", "charlie", "delta"]),
        ("company", ["Alpha", "bravo", "delta", "charlie"], ["delta", "bravo", "Alpha", "charlie"]),
        ("company_name", ["Alpha", "bravo", "delta", "charlie"], ["delta", "bravo", "Alpha", "charlie"]),
        ("city", ["Alpha", "bravo", "charlie", "delta"], ["bravo", "Alpha", "charlie", "delta"]),
        ("country", ["delta", "bravo", "Alpha", "charlie"], ["bravo", "delta", "Alpha", "charlie"]),
        ("bogus", ["bravo", "Alpha", "charlie", "delta"], ["bravo", "Alpha", "charlie", "delta"]),
    ];
    for (key, asc, desc) in cases {
        let got = app.get(&a.path(&format!("/contacts?sort={key}")), &a.agent.token).await.json();
        assert_eq!(names(&got), asc, "sort={key}");
        let got = app.get(&a.path(&format!("/contacts?sort=-{key}")), &a.agent.token).await.json();
        assert_eq!(names(&got), desc, "sort=-{key}");
    }
    let got = app.get(&a.path("/contacts?sort=city,-name"), &a.agent.token).await.json();
    assert_eq!(names(&got), ["Alpha", "bravo", "delta", "charlie"], "several keys apply in order");
}

#[tokio::test]
async fn labels_limit_the_list_to_any_of_them() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    for (name, labels) in [("One", json!(["vip"])), ("Two", json!(["b2b"])), ("Three", json!([]))] {
        let c = app.contact(&a, json!({"name": name, "email": format!("{name}@example.com")})).await;
        let path = a.path(&format!("/contacts/{}/labels", c["id"]));
        assert_eq!(app.post(&path, &a.agent.token, json!({"labels": labels})).await.status, 200);
    }
    let got = app.get(&a.path("/contacts?labels[]=VIP&labels[]=b2b"), &a.agent.token).await.json();
    assert_eq!(names(&got), ["One", "Two"]);
    assert_eq!(got["meta"]["count"], 2);
    let got = app.get(&a.path("/contacts?labels%5B%5D=b2b"), &a.agent.token).await.json();
    assert_eq!(names(&got), ["Two"]);
    let got = app.get(&a.path("/contacts?labels[]=nobody"), &a.agent.token).await.json();
    assert_eq!(got["meta"]["count"], 0);
}

#[tokio::test]
async fn with_crm_v2_the_listing_shows_leads() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    app.contact(&a, json!({"name": "Lead by mail", "email": "lead@example.com"})).await;
    app.contact(&a, json!({"name": "Social lead", "additional_attributes": {"social_x_user": "sl"}})).await;
    app.contact(&a, json!({"name": "Identified visitor", "identifier": "v-1"})).await;
    let before = app.get(&a.path("/contacts"), &a.agent.token).await.json();
    assert_eq!(names(&before), ["Lead by mail", "Identified visitor"]);
    let res = app
        .patch(
            &format!("/platform/api/v1/accounts/{}", a.account_id),
            &a.platform_token,
            json!({"features": {"crm_v2": true}}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let after = app.get(&a.path("/contacts"), &a.agent.token).await.json();
    assert_eq!(names(&after), ["Lead by mail", "Social lead"]);
}

#[tokio::test]
async fn contact_inboxes_can_be_left_out_of_listings() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    app.contact(&a, json!({"name": "Ada", "email": "ada@example.com"})).await;
    let with = app.get(&a.path("/contacts"), &a.agent.token).await.json();
    assert_eq!(with["payload"][0]["contact_inboxes"], json!([]));
    let without = app.get(&a.path("/contacts?include_contact_inboxes=false"), &a.agent.token).await.json();
    assert!(without["payload"][0].get("contact_inboxes").is_none());
}
