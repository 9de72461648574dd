use super::fresh_pool;
use onelink_commands::store::{NewEvent, StreamAppend};
use onelink_commands::{CommandContext, EventStore};
use serde_json::json;

#[tokio::test]
async fn update_delete_and_truncate_on_events_are_rejected() {
    let pool = fresh_pool(2).await;
    let store = EventStore::new(pool.clone());
    let append = StreamAppend {
        aggregate_type: "Test",
        aggregate_id: "1".into(),
        account_id: Some(1),
        expected_version: 0,
        events: vec![NewEvent {
            event_type: "Happened".into(),
            event_version: "1".into(),
            payload: json!({"a": 1}),
        }],
    };
    store.append(&[append], &CommandContext::system()).await.unwrap();
    for statement in [
        "UPDATE events SET payload = '{}'::jsonb",
        "DELETE FROM events",
        "TRUNCATE events",
        "UPDATE events SET account_id = 2 WHERE aggregate_id = '1'",
    ] {
        let err = sqlx::query(statement).execute(&pool).await.expect_err(statement);
        let message = err.to_string();
        assert!(message.contains("append-only"), "{statement}: {message}");
    }
    let (count, payload): (i64, serde_json::Value) =
        sqlx::query_as("SELECT count(*), max(payload::text)::jsonb FROM events")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((count, payload), (1, json!({"a": 1})));
}

#[tokio::test]
async fn every_event_carries_its_audit_metadata() {
    let pool = fresh_pool(2).await;
    let store = EventStore::new(pool.clone());
    let ctx = CommandContext::new(onelink_domain::Actor::PlatformApp(7), Some("req-123".into()));
    let append = StreamAppend {
        aggregate_type: "Test",
        aggregate_id: "9".into(),
        account_id: Some(3),
        expected_version: 0,
        events: vec![NewEvent {
            event_type: "Happened".into(),
            event_version: "1".into(),
            payload: json!({}),
        }],
    };
    let position = store.append(&[append], &ctx).await.unwrap().unwrap();
    type AuditRow = (uuid::Uuid, Option<i64>, String, i64, String, Option<i64>, Option<String>, i64);
    let row: AuditRow = sqlx::query_as(
        "SELECT event_id, account_id, aggregate_id, sequence, actor_type, actor_id, request_id, \
                extract(epoch FROM now() - recorded_at)::bigint FROM events",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(row.0.get_version_num(), 7, "UUIDv7 event ids");
    assert_eq!((row.1, row.2.as_str(), row.3), (Some(3), "9", 1));
    assert_eq!((row.4.as_str(), row.5, row.6.as_deref()), ("platform_app", Some(7), Some("req-123")));
    assert!(row.7 < 60);
    assert!(position.position > 0 && position.tx > 0);
}
