//! The `webhooks` read model is disposable: after random CRUD traffic
//! (refused writes, renames, deletions, a deleted account) a rebuild from
//! the log reproduces it exactly — and the delivery tables, which are not
//! read models, are left alone.

use onelink_tests::readmodels::{dump, rebuild_all};
use onelink_tests::seed::Tenant;
use onelink_tests::TestApp;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use reqwest::Method;
use serde_json::{json, Value};

const EVENTS: [&str; 6] = [
    "contact_created",
    "contact_updated",
    "conversation_created",
    "message_created",
    "inbox_updated",
    "conversation_typing_on",
];

async fn random_write(app: &TestApp, t: &Tenant, rng: &mut StdRng, step: usize) {
    let list = app.get(&t.path("/webhooks"), &t.admin.token).await.json();
    let ids: Vec<i64> =
        list["payload"]["webhooks"].as_array().unwrap().iter().map(|w| w["id"].as_i64().unwrap()).collect();
    let url = format!("https://hooks{}.example.com/{}", rng.gen_range(0..5), rng.gen_range(0..3));
    let n = rng.gen_range(0..4);
    let subscriptions: Vec<&str> = EVENTS.choose_multiple(rng, n).copied().collect();
    let (method, path, body) = match (rng.gen_range(0..6), ids.choose(rng)) {
        (0..=2, _) | (_, None) => {
            let body = json!({"url": url, "name": format!("W{step}"), "subscriptions": subscriptions});
            (Method::POST, t.path("/webhooks"), Some(body))
        }
        (3 | 4, Some(id)) => {
            let body = if rng.gen_bool(0.5) {
                json!({"webhook": {"url": url, "subscriptions": subscriptions}})
            } else {
                json!({"name": if rng.gen_bool(0.5) { Value::Null } else { json!(format!("R{step}")) }})
            };
            (Method::PATCH, t.path(&format!("/webhooks/{id}")), Some(body))
        }
        (_, Some(id)) => (Method::DELETE, t.path(&format!("/webhooks/{id}")), None),
    };
    let res = app.request(method.clone(), &path, Some(&t.admin.token), body).await;
    assert!(matches!(res.status, 200 | 422), "{method} {path}: {} {}", res.status, res.text);
}

async fn deliveries(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM webhook_deliveries").fetch_one(&app.db).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rebuilding_reproduces_the_webhooks_read_model_and_leaves_deliveries_alone() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let doomed = app.tenant("Doomed").await;
    let mut rng = StdRng::seed_from_u64(20_261_123);
    for step in 0..60 {
        let tenant = [&a, &b, &doomed].choose(&mut rng).copied().unwrap_or(&a);
        random_write(&app, tenant, &mut rng, step).await;
    }
    let res =
        app.delete(&format!("/platform/api/v1/accounts/{}", doomed.account_id), &doomed.platform_token).await;
    assert_eq!(res.status, 200);
    // settle: a write the response of which comes from the read model
    let res =
        app.post(&a.path("/webhooks"), &a.admin.token, json!({"url": "https://settle.example.com"})).await;
    assert_eq!(res.status, 200, "{}", res.text);

    let live = dump(&app.db).await;
    let rows = live["webhooks"].as_array().unwrap();
    assert!(rows.len() > 3, "the scenario leaves webhooks behind");
    assert!(rows.iter().all(|r| r["account_id"] != doomed.account_id), "a deleted account's webhooks go");
    let before = deliveries(&app).await;

    rebuild_all(&app.db).await;
    let rebuilt = dump(&app.db).await;
    assert_eq!(rebuilt["webhooks"], live["webhooks"], "rebuilt webhooks differ from the live read model");
    assert_eq!(rebuilt, live);
    assert_eq!(deliveries(&app).await, before, "a rebuild enqueues nothing");
}
