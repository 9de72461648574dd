//! The contacts read model is disposable: after a mix of contact writes a
//! rebuild from the log reproduces it exactly.

use onelink_tests::readmodels::{dump, rebuild_all};
use onelink_tests::TestApp;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rebuilding_reproduces_the_contacts_read_model() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let doomed = app.tenant("Doomed").await;
    app.contact(&doomed, json!({"name": "Gone soon", "email": "gone@example.com"})).await;
    let mut rng = StdRng::seed_from_u64(20261123);
    let mut ids: Vec<(usize, i64)> = Vec::new();
    let tenants = [&a, &b];
    for step in 0..70 {
        let t = rng.gen_range(0..2);
        let tenant = tenants[t];
        let pick = ids.iter().filter(|(owner, _)| *owner == t).map(|(_, id)| *id).collect::<Vec<_>>();
        let target = pick.choose(&mut rng).copied();
        match (rng.gen_range(0..7), target) {
            (0 | 1, _) | (_, None) => {
                let body = json!({"name": format!("Contact {step}"), "email": format!("c{}@example.com", rng.gen_range(0..30)),
                                  "phone_number": format!("+1555{:04}", rng.gen_range(0..30)),
                                  "additional_attributes": {"city": if step % 2 == 0 { "Paris" } else { "Oslo" }},
                                  "custom_attributes": {"n": step, "tier": "gold"}});
                let res = app.post(&tenant.path("/contacts"), &tenant.agent.token, body).await;
                assert!(res.status == 200 || res.status == 422, "{}", res.text);
                if res.status == 200 {
                    ids.push((t, res.json()["payload"]["contact"]["id"].as_i64().unwrap()));
                }
            }
            (2, Some(id)) => {
                let body = json!({"name": format!("Renamed {step}"), "blocked": rng.gen_bool(0.5),
                                  "identifier": format!("id-{}", rng.gen_range(0..10)),
                                  "custom_attributes": {"n": -1}});
                let res =
                    app.patch(&tenant.path(&format!("/contacts/{id}")), &tenant.agent.token, body).await;
                assert!(res.status == 200 || res.status == 422, "{}", res.text);
            }
            (3, Some(id)) => {
                let labels = ["vip", "b2b", "churn"].choose_multiple(&mut rng, 2).collect::<Vec<_>>();
                let path = tenant.path(&format!("/contacts/{id}/labels"));
                assert_eq!(app.post(&path, &tenant.agent.token, json!({"labels": labels})).await.status, 200);
            }
            (4, Some(id)) => {
                let path = tenant.path(&format!("/contacts/{id}/destroy_custom_attributes"));
                let res = app.post(&path, &tenant.agent.token, json!({"custom_attributes": ["tier"]})).await;
                assert_eq!(res.status, 200);
            }
            (5, Some(id)) => {
                let res = app
                    .put(
                        &tenant.path(&format!("/contacts/{id}")),
                        &tenant.agent.token,
                        json!({"email": null}),
                    )
                    .await;
                assert_eq!(res.status, 200, "{}", res.text);
            }
            (_, Some(id)) => {
                assert_eq!(
                    app.delete(&tenant.path(&format!("/contacts/{id}")), &tenant.admin.token).await.status,
                    200
                );
                ids.retain(|(_, i)| *i != id);
            }
        }
    }
    let res =
        app.delete(&format!("/platform/api/v1/accounts/{}", doomed.account_id), &doomed.platform_token).await;
    assert_eq!(res.status, 200);
    app.contact(&a, json!({"name": "Settle", "email": "settle@example.com"})).await;

    let live = dump(&app.db).await;
    let contacts = live["contacts"].as_array().unwrap();
    assert!(contacts.len() > 10, "the scenario should leave contacts behind");
    assert!(!live["contact_labels"].as_array().unwrap().is_empty());
    assert!(contacts.iter().all(|c| c["account_id"] != doomed.account_id), "a deleted account's contacts go");

    let counted: serde_json::Value = sqlx::query_scalar(
        "SELECT COALESCE(jsonb_agg(to_jsonb(t) ORDER BY to_jsonb(t)::text), '[]'::jsonb) FROM ( \
           SELECT account_id, \
                  count(*) FILTER (WHERE (email <> '' OR phone_number <> '' OR identifier <> '')) AS reachable, \
                  count(*) FILTER (WHERE contact_type = 'lead') AS leads \
           FROM contacts GROUP BY account_id) t WHERE reachable > 0 OR leads > 0",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(live["contact_counts"], counted, "contact_counts holds the contacts' counts");

    rebuild_all(&app.db).await;
    assert_eq!(dump(&app.db).await, live, "rebuild differs from the live read model");
}
