//! Replay of a past range (API and CLI): the original message ids again,
//! only the webhook's own account, only what it subscribes to.

use super::{contacts, create_webhook, deliveries, event_ids, settled_deliveries};
use onelink_tests::process::cli;
use onelink_tests::webhook_receiver::Receiver;
use onelink_tests::TestApp;
use serde_json::json;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test]
async fn a_replay_resends_a_range_with_the_original_webhook_ids() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let b = app.tenant("Beta").await;
    let rx = Receiver::start().await;
    let hook = create_webhook(&app, &a, &rx.url("/"), &["contact_created", "contact_updated"]).await;
    let replay = a.path(&format!("/webhooks/{}/replay", hook["id"]));
    let first = contacts(&app, &a, 3, "early").await;
    contacts(&app, &b, 2, "other").await;
    let res = app
        .patch(&a.path(&format!("/contacts/{}", first[0]["id"])), &a.admin.token, json!({"name": "Renamed"}))
        .await;
    assert_eq!(res.status, 200);
    let live = settled_deliveries(&app, &a, &hook["id"], 4).await;
    let created_ids = event_ids(&app, a.account_id, "ContactCreated").await;
    let from = live.iter().map(|d| d["log_position"].as_i64().unwrap()).min().unwrap();

    // everything from the first position: 3 created + 1 updated
    let res = app.post(&replay, &a.admin.token, json!({"from_position": from})).await;
    assert_eq!(res.status, 202, "{}", res.text);
    assert_eq!(
        res.json(),
        json!({"payload": {"replay": {"queued": 4, "scanned": res.json()["payload"]["replay"]["scanned"], "next_from_position": null}}})
    );
    let got = rx.wait_until("4 live + 4 replayed", WAIT, |r| r.len() >= 8).await;
    let (originals, replays) = got.split_at(4);
    let sent: std::collections::BTreeMap<_, _> =
        originals.iter().map(|o| (o.header("webhook-id").to_owned(), o.body.clone())).collect();
    assert_eq!(sent.len(), 4);
    for r in replays {
        assert_eq!(sent.get(r.header("webhook-id")), Some(&r.body), "same id and payload on replay");
        assert!(r.signed_with(hook["secret"].as_str().unwrap()));
    }
    let replayed: std::collections::BTreeSet<_> = replays.iter().map(|r| r.header("webhook-id")).collect();
    assert_eq!(replayed.len(), 4, "each original once");
    assert!(got.iter().all(|r| r.json()["account"]["id"] == a.account_id), "never another account's events");
    let log = settled_deliveries(&app, &a, &hook["id"], 8).await;
    assert_eq!(log.iter().filter(|d| d["origin"] == "replay").count(), 4);

    // by time, one event name
    let since = (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339();
    let res = app
        .post(&replay, &a.admin.token, json!({"replay": {"since": since, "event": "contact_updated"}}))
        .await;
    assert_eq!(res.json()["payload"]["replay"]["queued"], 1, "{}", res.text);
    let got = rx.wait_until("the replayed update", WAIT, |r| r.len() >= 9).await;
    assert_eq!(got[8].json()["event"], "contact_updated");
    // a bounded range
    let until_first = json!({"from_position": from, "to_position": from});
    let res = app.post(&replay, &a.admin.token, until_first).await;
    assert_eq!(res.json()["payload"]["replay"]["queued"], 1);
    let got = rx.wait_until("the first event again", WAIT, |r| r.len() >= 10).await;
    assert_eq!(got[9].header("webhook-id"), created_ids[0]);
    let future = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let res = app.post(&replay, &a.admin.token, json!({"since": future})).await;
    assert_eq!(res.json()["payload"]["replay"]["queued"], 0);

    // bad requests
    for (body, attribute) in [
        (json!({}), "since"),
        (json!({"since": "yesterday"}), "since"),
        (json!({"from_position": 0, "until": "soon"}), "until"),
        (json!({"from_position": -1}), "from_position"),
        (json!({"from_position": 0, "event": "message_created"}), "event"),
    ] {
        let res = app.post(&replay, &a.admin.token, body.clone()).await;
        assert_eq!(res.status, 422, "{body}: {}", res.text);
        assert_eq!(res.json()["attributes"], json!([attribute]), "{body}");
    }
    assert_eq!(deliveries(&app, &a, &hook["id"], "?origin=x").await.len(), 10);
}

#[tokio::test]
async fn webhooks_replay_on_the_command_line_queues_for_the_running_server() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let rx = Receiver::start().await;
    let hook = create_webhook(&app, &a, &rx.url("/cli"), &["contact_created"]).await;
    contacts(&app, &a, 2, "cli").await;
    let live = settled_deliveries(&app, &a, &hook["id"], 2).await;
    let from = live.iter().map(|d| d["log_position"].as_i64().unwrap()).min().unwrap();
    let id = hook["id"].to_string();
    let (ok, out, err) = cli(
        &app.database_url,
        &[
            "webhooks",
            "replay",
            "--webhook",
            &id,
            "--from-position",
            &from.to_string(),
            "--event",
            "contact_created",
        ],
    )
    .await;
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(report["queued"], 2, "{report}");
    assert_eq!(report["account_id"], a.account_id);
    let got = rx.wait_until("the replayed pair", WAIT, |r| r.len() >= 4).await;
    let ids = |r: &[onelink_tests::webhook_receiver::Received]| {
        r.iter().map(|r| r.header("webhook-id").to_owned()).collect::<std::collections::BTreeSet<_>>()
    };
    assert_eq!(ids(&got[..2]), ids(&got[2..]), "the original ids again");
    let since = (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339();
    let (ok, out, _) =
        cli(&app.database_url, &["webhooks", "replay", "--webhook", &id, "--since", &since]).await;
    assert!(ok);
    assert!(out.contains("\"queued\":2"), "{out}");
    let (ok, _, err) = cli(&app.database_url, &["webhooks", "replay", "--webhook", &id]).await;
    assert!(!ok && err.contains("since"), "{err}");
    let (ok, _, err) =
        cli(&app.database_url, &["webhooks", "replay", "--webhook", "999999", "--from-position", "0"]).await;
    assert!(!ok && err.contains("no webhook"), "{err}");
}
