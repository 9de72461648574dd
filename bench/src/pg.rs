//! Where the benchmark runs: a fresh `bench_<random>` database on the
//! cluster `DATABASE_URL` points at, or on a throw-away cluster started here
//! (initdb into a temporary directory, postgres on a Unix socket in it).
//! Server settings (fsync, synchronous_commit, …) stay at their defaults.

use anyhow::Context;
use onelink_api::embedded_pg::EmbeddedPostgres;
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgConnection, PgPool};
use std::path::PathBuf;
use std::str::FromStr;

/// A throw-away cluster: OneLink's embedded PostgreSQL in a temporary
/// directory (the same code `onelink serve` runs without `DATABASE_URL`).
pub struct Cluster {
    pg: EmbeddedPostgres,
    dir: PathBuf,
    pub admin: PgConnectOptions,
    /// The maintenance database's URL.
    pub url: String,
}

impl Cluster {
    pub async fn start() -> anyhow::Result<Self> {
        let dir = std::env::temp_dir().join(format!("onelink-bench-{}", uuid::Uuid::new_v4().simple()));
        eprintln!("starting a throw-away PostgreSQL cluster in {}", dir.display());
        let pg = EmbeddedPostgres::start(&dir).await.context("starting the embedded PostgreSQL")?;
        let admin = PgConnectOptions::from_str(&pg.url)?.database("postgres");
        let url = pg.url.clone();
        Ok(Self { pg, dir, admin, url })
    }

    /// Fast shutdown, then removes the data directory.
    pub async fn stop(self) -> anyhow::Result<()> {
        self.pg.stop().await?;
        std::fs::remove_dir_all(&self.dir).with_context(|| format!("removing {}", self.dir.display()))?;
        Ok(())
    }
}

/// A database created for this run; dropped by [`BenchDb::drop_database`].
pub struct BenchDb {
    admin: PgConnectOptions,
    pub name: String,
    pub options: PgConnectOptions,
}

/// The maintenance database named by `DATABASE_URL`.
pub fn admin_from_url(url: &str) -> anyhow::Result<PgConnectOptions> {
    PgConnectOptions::from_str(url).context("DATABASE_URL is not a valid PostgreSQL URL")
}

impl BenchDb {
    /// Creates `bench_<random>` and runs OneLink's migrations on it.
    pub async fn create(admin: &PgConnectOptions) -> anyhow::Result<Self> {
        let admin = admin.clone();
        let name = format!("bench_{}", uuid::Uuid::new_v4().simple());
        let mut conn =
            PgConnection::connect_with(&admin).await.context("connecting to the maintenance database")?;
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .with_context(|| format!("creating database {name}"))?;
        conn.close().await?;
        let options = admin.clone().database(&name);
        let mut conn = PgConnection::connect_with(&options).await?;
        onelink_commands::MIGRATOR.run(&mut conn).await.context("running OneLink's migrations")?;
        conn.close().await?;
        Ok(Self { admin, name, options })
    }

    /// A pool configured exactly like `onelink serve`'s.
    pub async fn pool(&self, max_connections: u32) -> anyhow::Result<PgPool> {
        onelink_api::app::connect_with(self.options.clone(), max_connections).await
    }

    pub async fn connect(&self) -> anyhow::Result<PgConnection> {
        Ok(PgConnection::connect_with(&self.options).await?)
    }

    pub async fn drop_database(self) -> anyhow::Result<()> {
        let mut conn = PgConnection::connect_with(&self.admin).await?;
        sqlx::query(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name))
            .execute(&mut conn)
            .await
            .with_context(|| format!("dropping database {}", self.name))?;
        conn.close().await?;
        Ok(())
    }
}
