//! Delivery to a real receiver: upstream payloads, both signatures, the
//! delivery log, exhaustion, 410 Gone, and what a rebuild must not do.

use super::{create_webhook, deliveries, event_ids, outbox_caught_up, settled_deliveries};
use crate::application::keys;
use onelink_tests::readmodels::rebuild_all;
use onelink_tests::webhook_receiver::{Mode, Receiver};
use onelink_tests::TestApp;
use serde_json::json;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test]
async fn contact_events_arrive_signed_in_the_upstream_shape_and_show_in_the_delivery_log() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let rx = Receiver::start().await;
    let hook = create_webhook(&app, &a, &rx.url("/hook"), &["contact_created", "contact_updated"]).await;
    let secret = hook["secret"].as_str().unwrap().to_owned();
    let contact = app
        .contact(
            &a,
            json!({"name": "Ada", "email": "ada@example.com", "custom_attributes": {"tier": "gold"}}),
        )
        .await;
    let path = a.path(&format!("/contacts/{}", contact["id"]));
    let res =
        app.patch(&path, &a.admin.token, json!({"name": "Ada L", "phone_number": "+15551234567"})).await;
    assert_eq!(res.status, 200, "{}", res.text);
    // a labels change is not a contact_updated upstream; nothing is sent
    app.post(&format!("{path}/labels"), &a.admin.token, json!({"labels": ["vip"]})).await;

    let got = rx.wait_until("two messages", WAIT, |r| r.len() >= 2).await;
    let created = got[0].json();
    assert_eq!(
        keys(&created),
        [
            "account",
            "additional_attributes",
            "avatar",
            "custom_attributes",
            "email",
            "id",
            "identifier",
            "name",
            "phone_number",
            "thumbnail",
            "blocked",
            "event"
        ]
    );
    assert_eq!(created["event"], "contact_created");
    assert_eq!(created["account"], json!({"id": a.account_id, "name": "Alpha"}));
    assert_eq!(created["id"], contact["id"]);
    assert_eq!(created["email"], "ada@example.com");
    assert_eq!(created["custom_attributes"], json!({"tier": "gold"}));
    let updated = got[1].json();
    assert_eq!(updated["event"], "contact_updated");
    assert_eq!(updated["name"], "Ada L");
    let changed = updated["changed_attributes"].as_array().unwrap();
    assert_eq!(changed[0], json!({"name": {"previous_value": "Ada", "current_value": "Ada L"}}));
    assert_eq!(
        changed[1],
        json!({"phone_number": {"previous_value": null, "current_value": "+15551234567"}})
    );
    assert!(changed.iter().any(|c| c.get("updated_at").is_some()));

    let ids = [
        event_ids(&app, a.account_id, "ContactCreated").await,
        event_ids(&app, a.account_id, "ContactUpdated").await,
    ];
    for (request, event_id) in got.iter().zip(ids.iter().flatten()) {
        assert!(request.signed_with(&secret), "signatures verify");
        assert_eq!(request.header("webhook-id"), event_id, "webhook-id is the log event id");
        assert_eq!(request.header("x-chatwoot-delivery"), event_id);
        assert_eq!(request.header("content-type"), "application/json");
        assert_eq!(request.path, "/hook");
        let ts: i64 = request.header("webhook-timestamp").parse().unwrap();
        assert!((chrono::Utc::now().timestamp() - ts).abs() < 300);
        assert_eq!(request.header("x-chatwoot-timestamp"), request.header("webhook-timestamp"));
    }
    assert!(!got[0].signed_with("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));

    let log = settled_deliveries(&app, &a, &hook["id"], 2).await;
    assert_eq!(log.len(), 2, "the labels change sent nothing");
    let newest = &log[0];
    assert_eq!(
        keys(newest),
        [
            "id",
            "event",
            "event_id",
            "log_position",
            "message_id",
            "origin",
            "status",
            "attempt_count",
            "next_attempt_at",
            "last_status_code",
            "last_error",
            "created_at",
            "finished_at",
            "attempts"
        ]
    );
    assert_eq!(newest["event"], "contact_updated");
    assert_eq!(newest["status"], "delivered");
    assert_eq!(newest["origin"], "live");
    assert_eq!(newest["attempt_count"], 1);
    assert_eq!(newest["last_status_code"], 200);
    assert_eq!(newest["message_id"], ids[1][0]);
    assert_eq!(newest["attempts"][0]["status_code"], 200);
    assert_eq!(newest["attempts"][0]["response_excerpt"], "ok");
    assert_eq!(deliveries(&app, &a, &hook["id"], "?event=contact_created").await.len(), 1);
    assert_eq!(deliveries(&app, &a, &hook["id"], "?status=failed").await.len(), 0);
    let bad =
        app.get(&a.path(&format!("/webhooks/{}/deliveries?status=nope", hook["id"])), &a.admin.token).await;
    assert_eq!(bad.status, 422);

    // secrets never in clear in the log
    let leaked: i64 = sqlx::query_scalar("SELECT count(*) FROM events WHERE payload::text LIKE '%' || $1 || '%' OR metadata::text LIKE '%' || $1 || '%'")
        .bind(secret.trim_start_matches("whsec_"))
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(leaked, 0, "the webhook secret is in the events table");

    // a rebuild of every read model sends nothing again
    rebuild_all(&app.db).await;
    app.contact(&a, json!({"name": "After rebuild", "email": "after@example.com"})).await;
    rx.wait_until("the message after the rebuild", WAIT, |r| r.len() >= 3).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(rx.received().len(), 3, "the rebuild re-sent nothing");
}

#[tokio::test]
async fn exhausted_messages_are_failed_and_visible_with_every_attempt() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let rx = Receiver::start().await;
    rx.set(Mode::Status(500)).await;
    let hook = create_webhook(&app, &a, &rx.url("/"), &["contact_created"]).await;
    app.contact(&a, json!({"name": "Doomed", "email": "doomed@example.com"})).await;
    let log = settled_deliveries(&app, &a, &hook["id"], 1).await;
    let d = &log[0];
    assert_eq!(d["status"], "failed", "{d}");
    assert_eq!(d["attempt_count"], 8);
    assert_eq!(d["last_status_code"], 500);
    assert_eq!(d["last_error"], "answered 500");
    assert_eq!(d["next_attempt_at"], serde_json::Value::Null);
    let attempts = d["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 8);
    assert!(attempts.iter().all(|a| a["status_code"] == 500 && a["response_excerpt"] == "receiver says no"));
    assert_eq!(attempts[7]["retry_at"], serde_json::Value::Null, "no retry after the last attempt");
    assert_eq!(rx.received().len(), 8);
    let ids: std::collections::BTreeSet<_> =
        rx.received().iter().map(|r| r.header("webhook-id").to_owned()).collect();
    assert_eq!(ids.len(), 1, "the same webhook-id on every attempt");
    // failing for less than the disable window: the endpoint stays enabled
    let shown = app.get(&a.path("/webhooks"), &a.admin.token).await.json();
    assert_eq!(shown["payload"]["webhooks"][0]["enabled"], true);
}

#[tokio::test]
async fn an_endpoint_answering_410_is_disabled_and_its_backlog_failed() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let rx = Receiver::start().await;
    rx.set(Mode::Status(410)).await;
    let hook = create_webhook(&app, &a, &rx.url("/gone"), &["contact_created"]).await;
    app.contact(&a, json!({"name": "One", "email": "one@example.com"})).await;
    let log = settled_deliveries(&app, &a, &hook["id"], 1).await;
    assert_eq!(log[0]["status"], "failed");
    assert_eq!(log[0]["attempt_count"], 1, "410 is not retried");
    let path = a.path(&format!("/webhooks/{}", hook["id"]));
    let shown = onelink_tests::eventually("the webhook to be disabled", || async {
        let list = app.get(&a.path("/webhooks"), &a.admin.token).await.json();
        let w = list["payload"]["webhooks"][0].clone();
        (w["enabled"] == false).then_some(w)
    })
    .await;
    assert_eq!(shown["disabled_reason"], "the endpoint answered 410 Gone");
    let disabled_by: String =
        sqlx::query_scalar("SELECT actor_type FROM events WHERE event_type = 'WebhookDisabled'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(disabled_by, "system", "the disabling is an event, by the system");

    // nothing new is queued while disabled; replay refuses too
    app.contact(&a, json!({"name": "Two", "email": "two@example.com"})).await;
    outbox_caught_up(&app).await;
    assert_eq!(deliveries(&app, &a, &hook["id"], "").await.len(), 1);
    let replay = app.post(&format!("{path}/replay"), &a.admin.token, json!({"from_position": 0})).await;
    assert_eq!(replay.status, 422, "{}", replay.text);

    // re-enabled, it receives again
    rx.set(Mode::Ok).await;
    assert_eq!(app.patch(&path, &a.admin.token, json!({"enabled": true})).await.status, 200);
    app.contact(&a, json!({"name": "Three", "email": "three@example.com"})).await;
    let got = rx
        .wait_until("the message after re-enabling", WAIT, |r| r.iter().any(|r| r.json()["name"] == "Three"))
        .await;
    assert!(!got.iter().any(|r| r.json()["name"] == "Two"), "events while disabled are not sent");
}

#[tokio::test]
async fn an_endpoint_failing_past_the_window_is_disabled_when_a_message_runs_out() {
    let db = onelink_tests::pg::fresh_database().await;
    let app = TestApp::spawn_configured(db, |config, _| {
        config.webhooks.schedule = onelink_projections::webhooks::RetrySchedule::parse("20ms,40ms").unwrap();
        config.webhooks.disable_after = Duration::ZERO;
    })
    .await;
    let a = app.tenant("Alpha").await;
    let rx = Receiver::start().await;
    rx.set(Mode::Status(503)).await;
    let hook = create_webhook(&app, &a, &rx.url("/"), &["contact_created"]).await;
    app.contact(&a, json!({"name": "One", "email": "one@example.com"})).await;
    let log = settled_deliveries(&app, &a, &hook["id"], 1).await;
    assert_eq!(log[0]["status"], "failed");
    assert_eq!(log[0]["attempt_count"], 3);
    let shown = onelink_tests::eventually("the webhook to be disabled", || async {
        let list = app.get(&a.path("/webhooks"), &a.admin.token).await.json();
        let w = list["payload"]["webhooks"][0].clone();
        (w["enabled"] == false).then_some(w)
    })
    .await;
    assert!(shown["disabled_reason"].as_str().unwrap().contains("without a successful delivery"), "{shown}");
}

#[tokio::test]
async fn a_huge_answer_is_cut_and_only_an_excerpt_is_kept() {
    let app = TestApp::spawn().await;
    let a = app.tenant("Alpha").await;
    let rx = Receiver::start().await;
    rx.set(Mode::Body(5 * 1024 * 1024)).await;
    let hook = create_webhook(&app, &a, &rx.url("/big"), &["contact_created"]).await;
    app.contact(&a, json!({"name": "Big", "email": "big@example.com"})).await;
    let log = settled_deliveries(&app, &a, &hook["id"], 1).await;
    assert_eq!(log[0]["status"], "delivered");
    let excerpt = log[0]["attempts"][0]["response_excerpt"].as_str().unwrap();
    assert_eq!(excerpt.len(), 256);
    let stored: i64 =
        sqlx::query_scalar("SELECT max(length(response_excerpt))::bigint FROM webhook_delivery_attempts")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(stored, 256);
}
