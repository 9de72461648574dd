//! `/api/v1/accounts/{account_id}/labels`: the upstream JSON shape, titles
//! lower-cased and unique per account (case-insensitively, race-free),
//! the title format, administrators write while any member reads, tenancy,
//! bad input, and a rebuild of the read model.

use super::keys;
use onelink_tests::readmodels::{dump, rebuild_all};
use onelink_tests::seed::Tenant;
use onelink_tests::TestApp;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use reqwest::Method;
use serde_json::{json, Value};

const KEYS: [&str; 5] = ["id", "title", "description", "color", "show_on_sidebar"];

async fn create(app: &TestApp, t: &Tenant, body: Value) -> Value {
    let res = app.post(&t.path("/labels"), &t.admin.token, body).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.json()
}

fn titles(list: &Value) -> Vec<String> {
    list["payload"].as_array().unwrap().iter().map(|l| l["title"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn administrators_create_show_list_update_and_delete_labels_in_the_upstream_shape() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let vip = create(
        &app,
        &a,
        json!({"label": {"title": "VIP-Customer_1", "description": "Pays a lot", "color": "#ff0000",
                         "show_on_sidebar": true}}),
    )
    .await;
    assert_eq!(keys(&vip), KEYS);
    assert_eq!(vip["title"], "vip-customer_1", "titles are lower-cased");
    assert_eq!(vip["description"], "Pays a lot");
    assert_eq!(vip["color"], "#ff0000");
    assert_eq!(vip["show_on_sidebar"], true);
    let bare = create(&app, &a, json!({"title": "billing"})).await;
    assert_eq!(
        bare,
        json!({"id": bare["id"], "title": "billing", "description": null, "color": "#1f93ff",
               "show_on_sidebar": null}),
        "the upstream defaults"
    );
    assert!(bare["id"].as_i64().unwrap() > vip["id"].as_i64().unwrap());

    // any member reads
    let list = app.get(&a.path("/labels"), &a.agent.token).await;
    assert_eq!(list.status, 200, "{}", list.text);
    assert_eq!(list.json(), json!({"payload": [vip, bare]}));
    let bare_path = a.path(&format!("/labels/{}", bare["id"]));
    let shown = app.get(&bare_path, &a.agent.token).await;
    assert_eq!(shown.status, 200);
    assert_eq!(shown.json(), bare);

    let patched = app
        .patch(&bare_path, &a.admin.token, json!({"title": "Billing-EU", "show_on_sidebar": "false"}))
        .await;
    assert_eq!(patched.status, 200, "{}", patched.text);
    assert_eq!(
        patched.json(),
        json!({"id": bare["id"], "title": "billing-eu", "description": null, "color": "#1f93ff",
               "show_on_sidebar": false}),
        "absent fields are kept"
    );
    let put = app
        .put(&bare_path, &a.admin.token, json!({"label": {"description": "Invoices", "color": "#000000"}}))
        .await;
    assert_eq!(put.status, 200, "{}", put.text);
    assert_eq!(put.json()["description"], "Invoices");
    assert_eq!(put.json()["color"], "#000000");
    let cleared =
        app.patch(&bare_path, &a.admin.token, json!({"description": null, "show_on_sidebar": null})).await;
    assert_eq!(cleared.json()["description"], Value::Null);
    assert_eq!(cleared.json()["show_on_sidebar"], Value::Null);
    assert_eq!(app.get(&bare_path, &a.agent.token).await.json(), cleared.json());

    let deleted = app.delete(&bare_path, &a.admin.token).await;
    assert_eq!(deleted.status, 200);
    assert_eq!(deleted.text, "");
    assert_eq!(app.get(&bare_path, &a.agent.token).await.status, 404);
    assert_eq!(app.delete(&bare_path, &a.admin.token).await.status, 404);
    assert_eq!(titles(&app.get(&a.path("/labels"), &a.admin.token).await.json()), ["vip-customer_1"]);
    // a deleted label's title is free again
    create(&app, &a, json!({"title": "Billing-EU"})).await;
}

#[tokio::test]
async fn titles_are_unique_per_account_whatever_their_case() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let vip = create(&app, &a, json!({"title": "vip"})).await;
    let taken = json!({"message": "Title has already been taken", "attributes": ["title"]});
    for title in ["vip", "VIP", "Vip"] {
        let res = app.post(&a.path("/labels"), &a.admin.token, json!({"title": title})).await;
        assert_eq!(res.status, 422, "{title}");
        assert_eq!(res.json(), taken, "{title}");
    }
    create(&app, &b, json!({"title": "VIP"})).await;

    let other = create(&app, &a, json!({"title": "other"})).await;
    let other_path = a.path(&format!("/labels/{}", other["id"]));
    let rename = app.patch(&other_path, &a.admin.token, json!({"title": "ViP"})).await;
    assert_eq!(rename.status, 422);
    assert_eq!(rename.json(), taken);
    // renaming frees the old title; re-casing one's own title is no change
    let vip_path = a.path(&format!("/labels/{}", vip["id"]));
    let same = app.patch(&vip_path, &a.admin.token, json!({"title": "VIP"})).await;
    assert_eq!(same.status, 200, "{}", same.text);
    assert_eq!(same.json(), vip);
    assert_eq!(app.patch(&vip_path, &a.admin.token, json!({"title": "gold"})).await.status, 200);
    create(&app, &a, json!({"title": "Vip"})).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_creates_with_one_title_have_exactly_one_winner() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let mut set = tokio::task::JoinSet::new();
    for i in 0..6 {
        let (http, url, token) =
            (app.http.clone(), format!("{}{}", app.base_url, a.path("/labels")), a.admin.token.clone());
        set.spawn(async move {
            let title = if i % 2 == 0 { "dup" } else { "DUP" };
            let body = json!({"title": title, "description": format!("try {i}")});
            let res = http.post(url).header("api_access_token", token).json(&body).send().await.unwrap();
            res.status().as_u16()
        });
    }
    let mut statuses = Vec::new();
    while let Some(done) = set.join_next().await {
        statuses.push(done.unwrap());
    }
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 422, 422, 422, 422, 422]);
    assert_eq!(titles(&app.get(&a.path("/labels"), &a.agent.token).await.json()), ["dup"]);
}

#[tokio::test]
async fn bad_label_input_is_a_clear_422_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let existing = create(&app, &a, json!({"title": "existing"})).await;
    let before = app.event_count().await;
    let blank = json!({"message": "Title must not be blank, Title is invalid", "attributes": ["title"]});
    let invalid = json!({"message": "Title is invalid", "attributes": ["title"]});
    for (body, expected) in [
        (json!({}), blank.clone()),
        (json!({"title": null}), blank.clone()),
        (json!({"label": {"title": "  "}}), blank.clone()),
        (json!({"title": "with space"}), invalid.clone()),
        (json!({"title": "_leading"}), invalid.clone()),
        (json!({"title": "-leading"}), invalid.clone()),
        (json!({"title": "x"}), invalid.clone()),
        (json!({"title": "dots.not.allowed"}), invalid.clone()),
        (json!({"title": "emoji🎉"}), invalid.clone()),
        (json!({"title": "trailing\n"}), invalid.clone()),
        (json!({"title": "nul\u{0}inside"}), invalid.clone()),
    ] {
        let res = app.post(&a.path("/labels"), &a.admin.token, body.clone()).await;
        assert_eq!(res.status, 422, "{body}: {}", res.text);
        assert_eq!(res.json(), expected, "{body}");
    }
    for (body, attribute) in [
        (json!({"title": 5}), "title"),
        (json!({"title": ["vip"]}), "title"),
        (json!({"title": {"a": 1}}), "title"),
        (json!({"title": "ok", "description": 5}), "description"),
        (json!({"title": "ok", "color": false}), "color"),
        (json!({"title": "ok", "show_on_sidebar": "maybe"}), "show_on_sidebar"),
        (json!({"title": "ok", "show_on_sidebar": [true]}), "show_on_sidebar"),
        (json!({"title": "x".repeat(256)}), "title"),
        (json!({"title": "ok", "description": "x".repeat(20_001)}), "description"),
        (json!({"title": "ok", "description": "nul \u{0} inside"}), "description"),
        (json!({"title": "ok", "color": "x".repeat(256)}), "color"),
    ] {
        let res = app.post(&a.path("/labels"), &a.admin.token, body.clone()).await;
        assert_eq!(res.status, 422, "{body}: {}", res.text);
        assert_eq!(res.json()["attributes"], json!([attribute]), "{body}");
        assert!(res.json()["message"].is_string(), "{body}");
    }
    let path = a.path(&format!("/labels/{}", existing["id"]));
    for body in
        [json!({"title": null}), json!({"title": "not ok"}), json!({"title": 1}), json!({"color": []})]
    {
        let res = app.patch(&path, &a.admin.token, body.clone()).await;
        assert_eq!(res.status, 422, "{body}: {}", res.text);
    }
    let malformed = app
        .raw(Method::POST, &a.path("/labels"), &a.admin.token, "application/json", b"{\"title".to_vec())
        .await;
    assert_eq!(malformed.status, 400);
    assert!(malformed.json()["error"].is_string());
    for path in ["/labels/999999", "/labels/abc", "/labels/1.5", "/labels/-1"] {
        for method in [Method::GET, Method::PATCH, Method::PUT, Method::DELETE] {
            let body = matches!(method, Method::PATCH | Method::PUT).then(|| json!({"color": "#fff"}));
            let res = app.request(method.clone(), &a.path(path), Some(&a.admin.token), body).await;
            assert_eq!(res.status, 404, "{method} {path}");
            assert_eq!(res.json(), json!({"error": "Resource could not be found"}));
        }
    }
    assert_eq!(app.event_count().await, before, "refused writes record nothing");
    assert_eq!(app.get(&path, &a.agent.token).await.json(), existing);
}

#[tokio::test]
async fn agents_read_labels_but_only_administrators_write_them() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let label = create(&app, &a, json!({"title": "vip"})).await;
    let path = a.path(&format!("/labels/{}", label["id"]));
    let before = app.event_count().await;
    let not_authorized = json!({"error": "You are not authorized to do this action"});
    for (method, path, body) in [
        (Method::POST, a.path("/labels"), Some(json!({"title": "agent-made"}))),
        (Method::PATCH, path.clone(), Some(json!({"title": "renamed"}))),
        (Method::PUT, path.clone(), Some(json!({"title": "renamed"}))),
        (Method::DELETE, path.clone(), None),
        // the role is checked before the label is looked up
        (Method::DELETE, a.path("/labels/999999"), None),
    ] {
        let res = app.request(method.clone(), &path, Some(&a.agent.token), body).await;
        assert_eq!(res.status, 401, "{method} {path}");
        assert_eq!(res.json(), not_authorized, "{method} {path}");
    }
    assert_eq!(app.event_count().await, before);
    assert_eq!(app.get(&a.path("/labels"), &a.agent.token).await.json(), json!({"payload": [label]}));
    assert_eq!(app.get(&path, &a.agent.token).await.json(), label);
}

#[tokio::test]
async fn another_tenant_can_neither_see_nor_touch_a_label() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let secret = create(&app, &a, json!({"title": "secret", "description": "CANARY"})).await;
    let id = secret["id"].as_i64().unwrap();
    let before = app.event_count().await;
    let body = Some(json!({"title": "pwned", "description": "pwned"}));
    for (method, rest, body) in [
        (Method::GET, "/labels".to_owned(), None),
        (Method::POST, "/labels".to_owned(), body.clone()),
        (Method::GET, format!("/labels/{id}"), None),
        (Method::PATCH, format!("/labels/{id}"), body.clone()),
        (Method::PUT, format!("/labels/{id}"), body.clone()),
        (Method::DELETE, format!("/labels/{id}"), None),
    ] {
        let theirs = a.path(&rest);
        for token in [&b.admin.token, &b.agent.token] {
            let res = app.request(method.clone(), &theirs, Some(token), body.clone()).await;
            assert_eq!(res.status, 401, "{method} {theirs}");
            assert_eq!(res.json(), json!({"error": "You are not authorized to access this account"}));
        }
        if rest != "/labels" {
            let ours = b.path(&rest);
            let res = app.request(method.clone(), &ours, Some(&b.admin.token), body.clone()).await;
            assert_eq!(res.status, 404, "{method} {ours}");
            assert_eq!(res.json(), json!({"error": "Resource could not be found"}));
        }
    }
    assert_eq!(app.event_count().await, before, "refused requests write nothing");
    assert_eq!(app.get(&b.path("/labels"), &b.admin.token).await.json(), json!({"payload": []}));
    assert_eq!(app.get(&a.path("/labels"), &a.admin.token).await.json(), json!({"payload": [secret]}));
}

#[tokio::test]
async fn ids_and_account_ids_in_bodies_are_ignored() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let made = create(&app, &a, json!({"title": "forged", "id": 999_999, "account_id": b.account_id})).await;
    assert_ne!(made["id"], 999_999);
    let path = a.path(&format!("/labels/{}", made["id"]));
    let before = app.event_count().await;
    let res = app.patch(&path, &a.admin.token, json!({"account_id": b.account_id, "id": 1})).await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json(), made, "nothing changed");
    assert_eq!(app.event_count().await, before, "an update changing nothing records nothing");
    assert_eq!(app.get(&b.path("/labels"), &b.admin.token).await.json(), json!({"payload": []}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rebuilding_reproduces_the_labels_read_model() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let doomed = app.tenant("Doomed").await;
    create(&app, &doomed, json!({"title": "doomed"})).await;
    let mut rng = StdRng::seed_from_u64(20_261_123);
    for step in 0..60 {
        let t = if rng.gen_bool(0.5) { &a } else { &b };
        let title =
            ["vip", "VIP", "billing", "Urgent", "bad title", "x-1"].choose(&mut rng).copied().unwrap();
        let list = app.get(&t.path("/labels"), &t.agent.token).await.json();
        let ids: Vec<i64> =
            list["payload"].as_array().unwrap().iter().map(|l| l["id"].as_i64().unwrap()).collect();
        let (method, path, body) = match (rng.gen_range(0..3), ids.choose(&mut rng)) {
            (1, Some(id)) => {
                let body = json!({"title": if rng.gen_bool(0.5) { json!(title) } else { json!(null) },
                                  "description": if rng.gen_bool(0.5) { json!(format!("D{step}")) } else { json!(null) },
                                  "show_on_sidebar": rng.gen_bool(0.5), "color": format!("#{step:06}")});
                (Method::PATCH, t.path(&format!("/labels/{id}")), Some(body))
            }
            (2, Some(id)) => (Method::DELETE, t.path(&format!("/labels/{id}")), None),
            _ => {
                let body = json!({"title": title, "description": format!("C{step}")});
                (Method::POST, t.path("/labels"), Some(body))
            }
        };
        let res = app.request(method.clone(), &path, Some(&t.admin.token), body).await;
        assert!(matches!(res.status, 200 | 422), "{method} {path}: {} {}", res.status, res.text);
    }
    let res =
        app.delete(&format!("/platform/api/v1/accounts/{}", doomed.account_id), &doomed.platform_token).await;
    assert_eq!(res.status, 200);
    create(&app, &a, json!({"title": "settle"})).await;

    let live = dump(&app.db).await;
    let rows = live["labels"].as_array().unwrap();
    assert!(rows.len() > 2, "the scenario should leave labels behind");
    assert!(rows.iter().all(|r| r["account_id"] != doomed.account_id), "a deleted account's labels go");
    assert!(rows.iter().any(|r| r["description"].is_null()), "cleared descriptions are part of the scenario");
    rebuild_all(&app.db).await;
    let rebuilt = dump(&app.db).await;
    assert_eq!(rebuilt["labels"], live["labels"], "rebuilt labels differ from the live read model");
    assert_eq!(rebuilt, live);
}
