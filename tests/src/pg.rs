//! One database per test, cloned from a template migrated once per
//! migration set. Needs `DATABASE_URL` pointing at a maintenance database
//! of a cluster the test command started (see scripts/test).

use sha2::{Digest, Sha256};
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, PgConnection};
use std::str::FromStr;

pub fn admin_url() -> String {
    std::env::var("DATABASE_URL").expect("DATABASE_URL must point at the test cluster (run scripts/test)")
}

fn migrations_hash() -> String {
    let mut hasher = Sha256::new();
    for m in onelink_commands::MIGRATOR.iter() {
        hasher.update(m.version.to_le_bytes());
        hasher.update(&*m.checksum);
    }
    hex::encode(&hasher.finalize()[..6])
}

/// The URL of `database` on the test cluster.
pub fn url_for(database: &str) -> String {
    let options = PgConnectOptions::from_str(&admin_url()).expect("DATABASE_URL is not a valid URL");
    options.database(database).to_url_lossy().to_string()
}

async fn ensure_template(admin: &mut PgConnection) -> String {
    let template = format!("onelink_template_{}", migrations_hash());
    sqlx::query("SELECT pg_advisory_lock(4242)").execute(&mut *admin).await.unwrap();
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
        .bind(&template)
        .fetch_one(&mut *admin)
        .await
        .unwrap();
    if !exists {
        let building = format!("{template}_building");
        sqlx::query(&format!("DROP DATABASE IF EXISTS {building}")).execute(&mut *admin).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {building}")).execute(&mut *admin).await.unwrap();
        let mut conn = PgConnection::connect(&url_for(&building)).await.unwrap();
        onelink_commands::MIGRATOR.run(&mut conn).await.unwrap();
        conn.close().await.unwrap();
        sqlx::query(&format!("ALTER DATABASE {building} RENAME TO {template}"))
            .execute(&mut *admin)
            .await
            .unwrap();
    }
    sqlx::query("SELECT pg_advisory_unlock(4242)").execute(&mut *admin).await.unwrap();
    template
}

/// Creates a fresh, migrated database and returns its URL. Databases are
/// left behind for inspection; the test cluster is thrown away per run.
pub async fn fresh_database() -> String {
    let mut admin = PgConnection::connect(&admin_url()).await.expect("cannot reach the test cluster");
    let template = ensure_template(&mut admin).await;
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(&format!("CREATE DATABASE {name} TEMPLATE {template}")).execute(&mut admin).await.unwrap();
    admin.close().await.unwrap();
    url_for(&name)
}
