//! Read models are disposable: a rebuild from the log yields the same
//! contents as the live projections (DESIGN.md invariant 4).

use onelink_tests::readmodels::{dump, rebuild_all};
use onelink_tests::TestApp;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use reqwest::Method;
use serde_json::json;

/// Every index and constraint in the public schema, with its definition.
async fn schema(db: &sqlx::PgPool) -> Vec<(String, String, String)> {
    let mut items: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT tablename::text, indexname::text, indexdef FROM pg_indexes WHERE schemaname = 'public' \
         UNION ALL \
         SELECT conrelid::regclass::text, conname::text, pg_get_constraintdef(oid) FROM pg_constraint \
         WHERE connamespace = 'public'::regnamespace AND conrelid <> 0",
    )
    .fetch_all(db)
    .await
    .unwrap();
    items.sort();
    assert!(items.len() > 50, "the schema query should see the read models' indexes");
    items
}

/// Random Platform API traffic: accounts, users, memberships, bots, with
/// updates and deletes mixed in.
async fn random_traffic(app: &TestApp, token: &str, rng: &mut StdRng, steps: usize) {
    let (mut accounts, mut users, mut bots): (Vec<i64>, Vec<i64>, Vec<i64>) = (vec![], vec![], vec![]);
    for step in 0..steps {
        let choice = rng.gen_range(0..10);
        match choice {
            0 | 1 => {
                let res = app
                    .post(
                        "/platform/api/v1/accounts",
                        token,
                        json!({"name": format!("Account {step}"),
                          "features": {"campaigns": rng.gen_bool(0.5)}, "custom_attributes": {"n": step}}),
                    )
                    .await;
                accounts.push(res.json()["id"].as_i64().unwrap());
            }
            2 | 3 => {
                let res = app
                    .post("/platform/api/v1/users", token, json!({"name": format!("User {step}"),
                          "email": format!("u{}@example.com", rng.gen_range(0..40)), "password": "Passw0rd!"}))
                    .await;
                let id = res.json()["id"].as_i64().unwrap();
                if !users.contains(&id) {
                    users.push(id);
                }
            }
            4 => {
                if let (Some(a), Some(u)) = (accounts.choose(rng), users.choose(rng)) {
                    let role = if rng.gen_bool(0.5) { "agent" } else { "administrator" };
                    let path = format!("/platform/api/v1/accounts/{a}/account_users");
                    app.post(&path, token, json!({"user_id": u, "role": role})).await;
                }
            }
            5 => {
                if let (Some(a), Some(u)) = (accounts.choose(rng), users.choose(rng)) {
                    let path = format!("/platform/api/v1/accounts/{a}/account_users?user_id={u}");
                    app.delete(&path, token).await;
                }
            }
            6 => {
                if let Some(a) = accounts.choose(rng) {
                    let body = json!({"name": format!("Renamed {step}"), "locale": "de", "domain": null,
                                      "features": {"help_center": rng.gen_bool(0.5)}});
                    app.patch(&format!("/platform/api/v1/accounts/{a}"), token, body).await;
                }
            }
            7 => {
                if let Some(u) = users.choose(rng) {
                    let body = json!({"display_name": format!("D{step}"), "custom_attributes": {format!("k{step}"): step}});
                    app.patch(&format!("/platform/api/v1/users/{u}"), token, body).await;
                }
            }
            8 => {
                let body = json!({"name": format!("Bot {step}"), "outgoing_url": "https://bot.example/h",
                                  "account_id": accounts.choose(rng)});
                let res = app.post("/platform/api/v1/agent_bots", token, body).await;
                bots.push(res.json()["id"].as_i64().unwrap());
            }
            _ => {
                // delete something
                let which = rng.gen_range(0..3);
                let target = match which {
                    0 => accounts.pop().map(|a| format!("/platform/api/v1/accounts/{a}")),
                    1 => users.pop().map(|u| format!("/platform/api/v1/users/{u}")),
                    _ => bots.pop().map(|b| format!("/platform/api/v1/agent_bots/{b}")),
                };
                if let Some(path) = target {
                    assert_eq!(app.request(Method::DELETE, &path, Some(token), None).await.status, 200);
                }
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rebuilding_every_projection_reproduces_the_live_read_models() {
    let app = TestApp::spawn().await;
    let (_, token) = app.platform_app("P1").await;
    let mut rng = StdRng::seed_from_u64(20261123);
    random_traffic(&app, &token, &mut rng, 80).await;
    let live = dump(&app.db).await;
    assert!(live["accounts"].as_array().unwrap().len() > 3, "the scenario should leave data behind");
    let migrated = schema(&app.db).await;

    rebuild_all(&app.db).await;
    assert_eq!(dump(&app.db).await, live, "rebuild differs from the live read models");
    // the swapped-in tables have the migrations' indexes and constraints,
    // under the same names (later migrations refer to them by name)
    assert_eq!(schema(&app.db).await, migrated, "rebuild changed the schema");

    // the live runners keep working on the swapped-in tables
    random_traffic(&app, &token, &mut rng, 40).await;
    let after = dump(&app.db).await;
    assert_ne!(after, live);
    rebuild_all(&app.db).await;
    assert_eq!(dump(&app.db).await, after);
}

/// Application API traffic on teams and account bots, with member removals
/// and a deleted user in between.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn teams_and_account_bots_rebuild_to_the_same_read_models() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let extra = app.member(&a.platform_token, a.account_id, "Extra", "agent").await;
    let mut teams = Vec::new();
    for name in ["Sales", "Support", "Night Shift"] {
        let res =
            app.post(&a.path("/teams"), &a.admin.token, json!({"name": name, "description": name})).await;
        teams.push(res.json()["id"].as_i64().unwrap());
    }
    app.post(&b.path("/teams"), &b.admin.token, json!({"name": "Sales"})).await;
    let members = |id: i64| a.path(&format!("/teams/{id}/team_members"));
    app.post(&members(teams[0]), &a.admin.token, json!({"user_ids": [a.admin.id, a.agent.id, extra.id]}))
        .await;
    app.post(&members(teams[1]), &a.admin.token, json!({"user_ids": [a.agent.id, extra.id]})).await;
    app.patch(&members(teams[1]), &a.admin.token, json!({"user_ids": [extra.id, a.admin.id]})).await;
    let body = json!({"user_ids": [a.admin.id]});
    app.request(Method::DELETE, &members(teams[0]), Some(&a.admin.token), Some(body)).await;
    app.patch(
        &a.path(&format!("/teams/{}", teams[1])),
        &a.admin.token,
        json!({"name": "Care", "allow_auto_assign": false}),
    )
    .await;
    app.delete(&a.path(&format!("/teams/{}", teams[2])), &a.admin.token).await;
    // extra leaves the account; the agent is removed (and deleted)
    let leave = format!("/platform/api/v1/accounts/{}/account_users?user_id={}", a.account_id, extra.id);
    assert_eq!(app.delete(&leave, &a.platform_token).await.status, 200);
    assert_eq!(app.delete(&a.path(&format!("/agents/{}", a.agent.id)), &a.admin.token).await.status, 200);

    let bot = app
        .post(&a.path("/agent_bots"), &a.admin.token, json!({"name": "Bot", "bot_config": {"k": 1}}))
        .await;
    let bot_path = a.path(&format!("/agent_bots/{}", bot.json()["id"]));
    app.patch(
        &bot_path,
        &a.admin.token,
        json!({"bot_config": {"k": 2}, "outgoing_url": "https://b.example/"}),
    )
    .await;
    app.request(Method::POST, &format!("{bot_path}/reset_access_token"), Some(&a.admin.token), None).await;
    let doomed = app.post(&b.path("/agent_bots"), &b.admin.token, json!({"name": "Doomed"})).await;
    app.delete(&b.path(&format!("/agent_bots/{}", doomed.json()["id"])), &b.admin.token).await;

    let live = dump(&app.db).await;
    assert_eq!(live["teams"].as_array().unwrap().len(), 3, "{}", live["teams"]);
    assert_eq!(live["team_members"].as_array().unwrap().len(), 1, "{}", live["team_members"]);
    assert!(live["agent_bots"].to_string().contains(r#""bot_config":{"k":2}"#), "{}", live["agent_bots"]);
    rebuild_all(&app.db).await;
    assert_eq!(dump(&app.db).await, live, "rebuild differs from the live read models");
}
