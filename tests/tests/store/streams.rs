//! Optimistic concurrency, atomic multi-stream appends, snapshots.

use super::fresh_pool;
use onelink_commands::execute::execute;
use onelink_commands::store::{NewEvent, StoreFailure, StreamAppend};
use onelink_commands::{CommandContext, EventStore};
use onelink_domain::account::{Account, AccountCommand, AccountPatch, NewAccount};
use onelink_domain::ids::AccountId;
use serde_json::json;

fn one_event(id: &str, expected_version: i64) -> StreamAppend {
    StreamAppend {
        aggregate_type: "Test",
        aggregate_id: id.into(),
        account_id: None,
        expected_version,
        events: vec![NewEvent {
            event_type: "Happened".into(),
            event_version: "1".into(),
            payload: json!({}),
        }],
    }
}

#[tokio::test]
async fn a_stale_expected_version_is_a_conflict_and_writes_nothing() {
    let pool = fresh_pool(2).await;
    let store = EventStore::new(pool.clone());
    let ctx = CommandContext::system();
    store.append(&[one_event("a", 0)], &ctx).await.unwrap();
    let stale = store.append(&[one_event("a", 0)], &ctx).await;
    assert!(matches!(stale, Err(StoreFailure::Conflict)), "{stale:?}");
    // a write spanning two streams is all-or-nothing
    let both = store.append(&[one_event("b", 0), one_event("a", 0)], &ctx).await;
    assert!(matches!(both, Err(StoreFailure::Conflict)));
    let b: i64 = sqlx::query_scalar("SELECT count(*) FROM events WHERE aggregate_id = 'b'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(b, 0);
    store.append(&[one_event("b", 0), one_event("a", 1)], &ctx).await.unwrap();
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM events").fetch_one(&pool).await.unwrap();
    assert_eq!(total, 3);
}

#[tokio::test]
async fn concurrent_commands_on_one_stream_all_land_with_gapless_versions() {
    let pool = fresh_pool(20).await;
    let store = EventStore::new(pool.clone());
    let ctx = CommandContext::system();
    let id = AccountId(1);
    execute::<Account, _>(&store, "1", Some(1), &ctx, || {
        AccountCommand::Create(NewAccount { id, name: Some("A".into()), ..Default::default() })
    })
    .await
    .unwrap();
    let mut tasks = Vec::new();
    for writer in 0..16 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            for n in 0..10 {
                let name = format!("w{writer}-{n}");
                execute::<Account, _>(&store, "1", Some(1), &CommandContext::system(), || {
                    AccountCommand::Update(AccountPatch { name: Some(name.clone()), ..Default::default() })
                })
                .await
                .unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let versions: Vec<i64> = sqlx::query_scalar(
        "SELECT sequence FROM events WHERE aggregate_type = 'Account' AND aggregate_id = '1' ORDER BY sequence",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(versions, (1..=161).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_snapshot_loads_the_same_state_as_a_full_replay() {
    let pool = fresh_pool(4).await;
    let store = EventStore::new(pool.clone());
    let ctx = CommandContext::system();
    let id = AccountId(5);
    execute::<Account, _>(&store, "5", Some(5), &ctx, || {
        AccountCommand::Create(NewAccount { id, name: Some("A".into()), ..Default::default() })
    })
    .await
    .unwrap();
    for n in 0..249 {
        execute::<Account, _>(&store, "5", Some(5), &ctx, || {
            AccountCommand::Update(AccountPatch { name: Some(format!("name {n}")), ..Default::default() })
        })
        .await
        .unwrap();
    }
    let snapshot: i64 = sqlx::query_scalar(
        "SELECT version FROM snapshots WHERE aggregate_type = 'Account' AND aggregate_id = '5'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(snapshot, 200);
    let with_snapshot = store.load::<Account>("5").await.unwrap();
    sqlx::query("DELETE FROM snapshots").execute(&pool).await.unwrap();
    let replayed = store.load::<Account>("5").await.unwrap();
    assert_eq!(with_snapshot.version, 250);
    assert_eq!(replayed.version, 250);
    assert_eq!(with_snapshot.aggregate, replayed.aggregate);
    assert_eq!(replayed.aggregate.fields.name, "name 248");

    // a snapshot that no longer decodes is ignored, not fatal
    sqlx::query(
        "INSERT INTO snapshots (aggregate_type, aggregate_id, version, schema_version, state) \
         VALUES ('Account', '5', 250, 1, '{\"garbage\": true}')",
    )
    .execute(&pool)
    .await
    .unwrap();
    let fallback = store.load::<Account>("5").await.unwrap();
    assert_eq!(fallback.aggregate, replayed.aggregate);
}
