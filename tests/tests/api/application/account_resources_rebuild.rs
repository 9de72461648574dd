//! The canned response, custom attribute definition and custom filter read
//! models are disposable: after random traffic (with refused writes,
//! renames, deletions, a deleted user and a deleted account) a rebuild from
//! the log reproduces them exactly.

use onelink_tests::readmodels::{dump, rebuild_all};
use onelink_tests::seed::{Tenant, User};
use onelink_tests::TestApp;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use reqwest::Method;
use serde_json::{json, Value};

const TABLES: [&str; 3] = ["canned_responses", "custom_attribute_definitions", "custom_filters"];

/// Seeds every resource for `users` of `t` (so deletions have something to take).
async fn seed_all(app: &TestApp, t: &Tenant, users: &[&User]) {
    let res = app
        .post(&t.path("/canned_responses"), &t.agent.token, json!({"short_code": "seed", "content": "x"}))
        .await;
    assert_eq!(res.status, 200, "{}", res.text);
    let body = json!({"attribute_display_name": "Seed", "attribute_key": "seed", "attribute_model": 1});
    assert_eq!(app.post(&t.path("/custom_attribute_definitions"), &t.admin.token, body).await.status, 200);
    for user in users {
        let res =
            app.post(&t.path("/custom_filters"), &user.token, json!({"name": "Seed", "query": {}})).await;
        assert_eq!(res.status, 200);
    }
}

/// One random write against a random record of `t`; refused writes
/// (taken keys, blanks) are part of the traffic.
async fn random_write(app: &TestApp, t: &Tenant, user: &User, rng: &mut StdRng, step: usize) {
    let ids = |list: Value| -> Vec<i64> {
        list.as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect()
    };
    let code = format!("code{}", rng.gen_range(0..6));
    let key = format!("key_{}", rng.gen_range(0..6));
    let (method, path, token, body) = match rng.gen_range(0..9) {
        0 => (
            Method::POST,
            t.path("/canned_responses"),
            &user.token,
            Some(json!({"short_code": code, "content": format!("C{step}")})),
        ),
        1 | 2 => {
            let list = ids(app.get(&t.path("/canned_responses"), &user.token).await.json());
            let Some(id) = list.choose(rng) else { return };
            let path = t.path(&format!("/canned_responses/{id}"));
            if rng.gen_bool(0.3) {
                (Method::DELETE, path, &user.token, None)
            } else {
                (
                    Method::PATCH,
                    path,
                    &user.token,
                    Some(json!({"short_code": code, "content": format!("U{step}")})),
                )
            }
        }
        3 => {
            let types = ["text", "number", "date", "checkbox", "list"];
            let body = json!({"attribute_display_name": format!("K{step}"), "attribute_key": key,
                              "attribute_model": rng.gen_range(0..2), "attribute_display_type": types.choose(rng),
                              "attribute_values": ["a", "b"], "attribute_description": "d"});
            (Method::POST, t.path("/custom_attribute_definitions"), &t.admin.token, Some(body))
        }
        4 | 5 => {
            let list = ids(app.get(&t.path("/custom_attribute_definitions"), &t.admin.token).await.json());
            let Some(id) = list.choose(rng) else { return };
            let path = t.path(&format!("/custom_attribute_definitions/{id}"));
            if rng.gen_bool(0.3) {
                (Method::DELETE, path, &t.admin.token, None)
            } else {
                let body = json!({"attribute_key": key, "attribute_model": rng.gen_range(0..2),
                                  "attribute_description": null, "regex_cue": format!("R{step}"),
                                  "default_value": if rng.gen_bool(0.5) { json!(step) } else { json!(null) }});
                (Method::PATCH, path, &t.admin.token, Some(body))
            }
        }
        6 => {
            let body = json!({"name": format!("F{step}"), "filter_type": rng.gen_range(0..3), "query": {"step": step}});
            (Method::POST, t.path("/custom_filters"), &user.token, Some(body))
        }
        _ => {
            let kind = ["conversation", "contact", "report"].choose(rng).copied().unwrap_or("conversation");
            let list = ids(app
                .get(&t.path(&format!("/custom_filters?filter_type={kind}")), &user.token)
                .await
                .json());
            let Some(id) = list.choose(rng) else { return };
            let path = t.path(&format!("/custom_filters/{id}"));
            if rng.gen_bool(0.3) {
                (Method::DELETE, path, &user.token, None)
            } else {
                (
                    Method::PUT,
                    path,
                    &user.token,
                    Some(json!({"name": format!("R{step}"), "query": {"payload": [step]}})),
                )
            }
        }
    };
    let res = app.request(method.clone(), &path, Some(token), body).await;
    assert!(matches!(res.status, 200 | 204 | 422), "{method} {path}: {} {}", res.status, res.text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rebuilding_reproduces_canned_responses_custom_attributes_and_custom_filters() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let doomed = app.tenant("Doomed").await;
    let leaver = app.member(&a.platform_token, a.account_id, "Leaver", "agent").await;
    seed_all(&app, &doomed, &[&doomed.agent]).await;
    seed_all(&app, &a, &[&a.agent, &leaver]).await;
    let mut rng = StdRng::seed_from_u64(20_260_119);
    for step in 0..80 {
        let tenant = if rng.gen_bool(0.5) { &a } else { &b };
        let user = if tenant.account_id == a.account_id && rng.gen_bool(0.3) {
            &leaver
        } else if rng.gen_bool(0.5) {
            &tenant.admin
        } else {
            &tenant.agent
        };
        random_write(&app, tenant, user, &mut rng, step).await;
    }
    let res =
        app.delete(&format!("/platform/api/v1/accounts/{}", doomed.account_id), &doomed.platform_token).await;
    assert_eq!(res.status, 200);
    let res = app.delete(&format!("/platform/api/v1/users/{}", leaver.id), &a.platform_token).await;
    assert_eq!(res.status, 200, "{}", res.text);
    let settle = app
        .post(&a.path("/canned_responses"), &a.agent.token, json!({"short_code": "settle", "content": "x"}))
        .await;
    assert_eq!(settle.status, 200);

    let live = dump(&app.db).await;
    for table in TABLES {
        let rows = live[table].as_array().unwrap();
        assert!(!rows.is_empty(), "the scenario should leave {table} behind");
        assert!(rows.iter().all(|r| r["account_id"] != doomed.account_id), "a deleted account's {table} go");
    }
    let filters = live["custom_filters"].as_array().unwrap();
    assert!(filters.iter().all(|f| f["user_id"] != leaver.id), "a deleted user's filters go");

    rebuild_all(&app.db).await;
    let rebuilt = dump(&app.db).await;
    for table in TABLES {
        assert_eq!(rebuilt[table], live[table], "rebuilt {table} differs from the live read model");
    }
    assert_eq!(rebuilt, live);
}
