//! R7: a receiver that refuses connections, then answers 500, then stalls
//! past the timeout, then recovers. Every message arrives at least once
//! with one webhook-id, within the attempt budget, with growing, jittered
//! and capped backoff.

use super::{contacts, create_webhook, event_ids, settled_deliveries};
use chrono::DateTime;
use onelink_projections::webhooks::RetrySchedule;
use onelink_tests::pg::fresh_database;
use onelink_tests::webhook_receiver::{Mode, Receiver};
use onelink_tests::TestApp;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

const WAITS_MS: [f64; 7] = [100.0, 200.0, 400.0, 800.0, 1600.0, 3200.0, 6400.0];
const EVENTS: usize = 25;

fn at(v: &Value) -> DateTime<chrono::Utc> {
    DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap().to_utc()
}

#[tokio::test]
async fn webhook_deliveries_survive_refusals_errors_and_stalls_with_growing_jittered_backoff() {
    let app = TestApp::spawn_configured(fresh_database().await, |config, _| {
        config.webhooks.schedule =
            RetrySchedule::parse("100ms,200ms,400ms,800ms,1600ms,3200ms,6400ms").unwrap();
        config.webhooks.timeout = Duration::from_millis(500);
    })
    .await;
    let a = app.tenant("Alpha").await;
    let rx = Receiver::start().await;
    let hook = create_webhook(&app, &a, &rx.url("/r7"), &["contact_created"]).await;
    let secret = hook["secret"].as_str().unwrap().to_owned();

    rx.set(Mode::Refuse).await;
    contacts(&app, &a, EVENTS, "r7").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    rx.set(Mode::Status(500)).await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    rx.set(Mode::Stall(Duration::from_millis(1500))).await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    rx.set(Mode::Ok).await;

    let log = settled_deliveries(&app, &a, &hook["id"], EVENTS).await;
    assert_eq!(log.len(), EVENTS);
    let expected: BTreeSet<String> =
        event_ids(&app, a.account_id, "ContactCreated").await.into_iter().collect();
    assert_eq!(expected.len(), EVENTS);

    // every message delivered, within the budget, under its event's id
    let mut errors = BTreeSet::new();
    let mut ratios = Vec::new();
    for d in &log {
        assert_eq!(d["status"], "delivered", "{d}");
        assert!(expected.contains(d["message_id"].as_str().unwrap()));
        let attempts = d["attempts"].as_array().unwrap();
        assert!(attempts.len() <= 8 && attempts.len() as i64 == d["attempt_count"].as_i64().unwrap(), "{d}");
        let mut last_wait = 0.0;
        for (i, a) in attempts.iter().enumerate() {
            if let Some(e) = a["error"].as_str() {
                errors.insert(e.split(':').next().unwrap().to_owned());
            }
            if a["retry_at"].is_null() {
                assert_eq!(i, attempts.len() - 1, "only the last attempt schedules nothing");
                continue;
            }
            let finished =
                at(&a["started_at"]) + chrono::Duration::milliseconds(a["duration_ms"].as_i64().unwrap());
            let wait = (at(&a["retry_at"]) - finished).num_milliseconds() as f64;
            let ratio = wait / WAITS_MS[i];
            // jitter is 0–20 % of the base; the recorded times add a few ms
            // of scheduling latency on a loaded machine (absolute slack)
            let (low, high) = (WAITS_MS[i] * 0.97 - 5.0, WAITS_MS[i] * 1.2 + 25.0);
            assert!(
                (low..=high).contains(&wait),
                "attempt {}: waited {wait} ms for base {} (ratio {ratio:.3})",
                i + 1,
                WAITS_MS[i]
            );
            assert!(wait >= last_wait - 2.0, "backoff shrank: {wait} after {last_wait}");
            assert!(wait <= 6400.0 * 1.2 + 5.0, "capped");
            last_wait = wait;
            ratios.push(ratio);
        }
    }
    let spread =
        ratios.iter().cloned().fold(f64::MIN, f64::max) - ratios.iter().cloned().fold(f64::MAX, f64::min);
    assert!(
        ratios.len() >= EVENTS && spread > 0.02,
        "waits are jittered ({} waits, spread {spread})",
        ratios.len()
    );
    assert!(errors.iter().any(|e| e.contains("answered 500")), "{errors:?}");
    assert!(errors.iter().any(|e| e.contains("timed out")), "{errors:?}");
    assert!(errors.iter().any(|e| e.contains("error sending request")), "refusals are recorded: {errors:?}");

    // the receiver's view: every event, one id each, all signatures valid
    let got = rx.received();
    let mut per_id: BTreeMap<String, usize> = BTreeMap::new();
    for r in &got {
        assert!(r.signed_with(&secret));
        *per_id.entry(r.header("webhook-id").to_owned()).or_default() += 1;
    }
    assert_eq!(per_id.keys().cloned().collect::<BTreeSet<_>>(), expected, "every event arrived");
    assert!(per_id.values().all(|n| *n <= 8));
    let ok_arrivals = got.iter().filter(|r| r.json()["event"] == "contact_created").count();
    eprintln!(
        "R7: {EVENTS} events, {} requests reached the receiver, {} attempts in all, error kinds {errors:?}",
        ok_arrivals,
        log.iter().map(|d| d["attempt_count"].as_i64().unwrap()).sum::<i64>()
    );
}
