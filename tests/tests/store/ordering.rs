//! The log never lets a catch-up consumer skip an event, even when
//! transactions commit out of position order (DESIGN.md invariant 2).

use super::fresh_pool;
use onelink_commands::LogPosition;
use onelink_projections::log::{has_pending_after, read_after};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::{Connection, PgConnection, PgPool};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;
use uuid::Uuid;

const INSERT: &str = "INSERT INTO events (event_id, aggregate_type, aggregate_id, sequence, event_type, \
                      event_version, payload, actor_type) VALUES ($1, 'Test', $2, $3, 'Happened', '1', '{}', 'system')";

#[tokio::test]
async fn a_slow_transaction_holds_back_later_events_until_it_commits() {
    let pool = fresh_pool(4).await;
    let mut slow = pool.begin().await.unwrap();
    let first = Uuid::now_v7();
    sqlx::query(INSERT).bind(first).bind("slow").bind(1_i64).execute(&mut *slow).await.unwrap();

    let second = Uuid::now_v7();
    sqlx::query(INSERT).bind(second).bind("fast").bind(1_i64).execute(&pool).await.unwrap();

    let mut reader = pool.acquire().await.unwrap();
    let seen = read_after(&mut reader, LogPosition::START, 100).await.unwrap();
    assert!(seen.is_empty(), "the reader must not pass the open transaction: {seen:?}");

    slow.commit().await.unwrap();
    // The horizon is cluster-wide: a transaction of a concurrently running
    // test (another database of the same cluster) may hold it back a moment.
    let mut seen = Vec::new();
    for _ in 0..200 {
        seen = read_after(&mut reader, LogPosition::START, 100).await.unwrap();
        if seen.len() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let ids: Vec<Uuid> = seen.iter().map(|e| e.event_id).collect();
    assert_eq!(ids, [first, second]);
    assert!(seen[0].global_position < seen[1].global_position);
}

/// Writers with random in-transaction delays and rollbacks; consumers that
/// checkpoint transactionally and restart at random.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_and_restarting_consumers_see_every_event_exactly_once_in_one_order() {
    const WRITERS: usize = 16;
    const CONSUMERS: usize = 3;
    const ROUNDS: usize = 25;
    let pool = fresh_pool(32).await;
    sqlx::raw_sql(
        "CREATE TABLE consumer_checkpoints (name text PRIMARY KEY, tx bigint NOT NULL, position bigint NOT NULL); \
         CREATE TABLE consumer_seen (name text, n bigserial, event_id uuid, PRIMARY KEY (name, n));",
    )
    .execute(&pool)
    .await
    .unwrap();

    let committed = Arc::new(Mutex::new(HashSet::new()));
    let writers_done = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let (pool, committed, done) = (pool.clone(), committed.clone(), writers_done.clone());
        writers.push(tokio::spawn(async move {
            let mut rng = StdRng::seed_from_u64(w as u64);
            let stream = format!("writer-{w}");
            let mut version = 0_i64;
            for _ in 0..ROUNDS {
                let mut tx = pool.begin().await.unwrap();
                let n = rng.gen_range(1..=3);
                let mut ids = Vec::new();
                for k in 0..n {
                    let id = Uuid::now_v7();
                    sqlx::query(INSERT)
                        .bind(id)
                        .bind(&stream)
                        .bind(version + 1 + k)
                        .execute(&mut *tx)
                        .await
                        .unwrap();
                    ids.push(id);
                }
                tokio::time::sleep(Duration::from_millis(rng.gen_range(0..=50))).await;
                if rng.gen_bool(0.1) {
                    tx.rollback().await.unwrap();
                } else {
                    tx.commit().await.unwrap();
                    version += n;
                    committed.lock().await.extend(ids);
                }
            }
            done.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }));
    }

    let mut consumers = Vec::new();
    for c in 0..CONSUMERS {
        let (pool, done) = (pool.clone(), writers_done.clone());
        consumers
            .push(tokio::spawn(async move { consume(pool, format!("c{c}"), c as u64, done, WRITERS).await }));
    }
    for w in writers {
        w.await.unwrap();
    }
    for c in consumers {
        c.await.unwrap();
    }

    let committed = committed.lock().await.clone();
    assert!(committed.len() > WRITERS * ROUNDS, "too few events committed: {}", committed.len());
    let mut orders = Vec::new();
    for c in 0..CONSUMERS {
        let seen: Vec<Uuid> =
            sqlx::query_scalar("SELECT event_id FROM consumer_seen WHERE name = $1 ORDER BY n")
                .bind(format!("c{c}"))
                .fetch_all(&pool)
                .await
                .unwrap();
        let unique: HashSet<_> = seen.iter().copied().collect();
        assert_eq!(unique.len(), seen.len(), "consumer c{c} saw an event twice");
        assert_eq!(unique, committed, "consumer c{c} missed or invented events");
        orders.push(seen);
    }
    assert!(orders.windows(2).all(|w| w[0] == w[1]), "consumers saw different orders");

    let streams: Vec<(String, Vec<i64>)> = sqlx::query_as(
        "SELECT aggregate_id, array_agg(sequence ORDER BY sequence) FROM events GROUP BY aggregate_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let streams: BTreeMap<_, _> = streams.into_iter().collect();
    for (stream, versions) in streams {
        assert_eq!(versions, (1..=versions.len() as i64).collect::<Vec<_>>(), "{stream} has gaps");
    }
}

/// A consumer that processes random-sized batches, records what it saw and
/// its cursor in one transaction, and restarts (or "crashes" mid-batch) at
/// random. Stops once the writers are done and it is caught up.
async fn consume(
    pool: PgPool,
    name: String,
    seed: u64,
    writers_done: Arc<std::sync::atomic::AtomicUsize>,
    writers: usize,
) {
    let mut rng = StdRng::seed_from_u64(1000 + seed);
    sqlx::query("INSERT INTO consumer_checkpoints VALUES ($1, 0, 0)")
        .bind(&name)
        .execute(&pool)
        .await
        .unwrap();
    loop {
        // (re)start: a new connection, cursor from the checkpoint
        let mut conn = PgConnection::connect_with(&pool.connect_options()).await.unwrap();
        for _ in 0..rng.gen_range(1..20) {
            // read before looking: all writers had committed before this batch
            let writers_finished = writers_done.load(std::sync::atomic::Ordering::SeqCst) == writers;
            let mut tx = conn.begin().await.unwrap();
            let (t, p): (i64, i64) =
                sqlx::query_as("SELECT tx, position FROM consumer_checkpoints WHERE name = $1")
                    .bind(&name)
                    .fetch_one(&mut *tx)
                    .await
                    .unwrap();
            let batch =
                read_after(&mut tx, LogPosition { tx: t, position: p }, rng.gen_range(1..50)).await.unwrap();
            if batch.is_empty() {
                let cursor = LogPosition { tx: t, position: p };
                let pending = has_pending_after(&mut tx, cursor).await.unwrap();
                tx.rollback().await.unwrap();
                if writers_finished && !pending {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(rng.gen_range(1..10))).await;
                continue;
            }
            for e in &batch {
                sqlx::query("INSERT INTO consumer_seen (name, event_id) VALUES ($1, $2)")
                    .bind(&name)
                    .bind(e.event_id)
                    .execute(&mut *tx)
                    .await
                    .unwrap();
            }
            let last = batch.last().unwrap().position();
            sqlx::query("UPDATE consumer_checkpoints SET tx = $2, position = $3 WHERE name = $1")
                .bind(&name)
                .bind(last.tx)
                .bind(last.position)
                .execute(&mut *tx)
                .await
                .unwrap();
            if rng.gen_bool(0.1) {
                tx.rollback().await.unwrap(); // crash before commit: the batch is redone
                break;
            }
            tx.commit().await.unwrap();
        }
        conn.close().await.unwrap();
    }
}
