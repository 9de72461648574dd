//! Event store invariants, tested against the real database.

mod append_only;
mod conversations;
mod long_conversation;
mod ordering;
mod streams;

use sqlx::PgPool;

pub async fn fresh_pool(max: u32) -> PgPool {
    let url = onelink_tests::pg::fresh_database().await;
    sqlx::postgres::PgPoolOptions::new().max_connections(max).connect(&url).await.unwrap()
}
