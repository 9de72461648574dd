//! Where the benchmark runs: a fresh `bench_<random>` database on the
//! cluster `DATABASE_URL` points at, or on a throw-away cluster started here
//! (initdb into a temporary directory, postgres on a Unix socket in it).
//! Server settings (fsync, synchronous_commit, …) stay at their defaults.

use anyhow::{bail, Context};
use nix::sys::signal::{kill, Signal};
use nix::unistd::{Pid, User};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, PgConnection, PgPool};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::str::FromStr;
use std::time::Duration;
use tokio::process::{Child, Command};

const CLUSTER_USER: &str = "onelink";

/// A throw-away cluster this process started.
pub struct Cluster {
    child: Child,
    dir: PathBuf,
    pub admin: PgConnectOptions,
}

/// The PostgreSQL server binaries, found like `scripts/pg-env` does:
/// `ONELINK_PG_BIN`, then `pg_config --bindir`, then the newest
/// `/usr/lib/postgresql/*/bin`.
fn pg_bin_dir() -> anyhow::Result<PathBuf> {
    if let Ok(dir) = std::env::var("ONELINK_PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    let has_initdb = |dir: &Path| dir.join("initdb").is_file() && dir.join("postgres").is_file();
    if let Ok(out) = std::process::Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if out.status.success() && has_initdb(&dir) {
            return Ok(dir);
        }
    }
    let mut candidates: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, dir)| has_initdb(dir))
        .collect();
    candidates.sort();
    candidates
        .pop()
        .map(|(_, dir)| dir)
        .context("PostgreSQL server binaries not found: set ONELINK_PG_BIN or DATABASE_URL")
}

/// PostgreSQL refuses to run as root: as root, run it as `postgres`.
fn server_user() -> anyhow::Result<Option<User>> {
    if !nix::unistd::geteuid().is_root() {
        return Ok(None);
    }
    User::from_name("postgres")?.map(Some).context("running as root and no `postgres` OS user exists")
}

fn server_command(bin: &Path, program: &str, user: &Option<User>) -> Command {
    let mut cmd = Command::new(bin.join(program));
    if let Some(u) = user {
        cmd.uid(u.uid.as_raw()).gid(u.gid.as_raw());
    }
    cmd.stdin(Stdio::null());
    cmd
}

impl Cluster {
    pub async fn start() -> anyhow::Result<Self> {
        let bin = pg_bin_dir()?;
        let user = server_user()?;
        let dir = std::env::temp_dir().join(format!("onelink-bench-{}", uuid::Uuid::new_v4().simple()));
        let pgdata = dir.join("data");
        std::fs::create_dir_all(&pgdata).with_context(|| format!("creating {}", dir.display()))?;
        if let Some(u) = &user {
            for path in [&dir, &pgdata] {
                std::os::unix::fs::chown(path, Some(u.uid.as_raw()), Some(u.gid.as_raw()))?;
            }
        }
        eprintln!("starting a throw-away PostgreSQL cluster in {}", dir.display());
        let out = server_command(&bin, "initdb", &user)
            .arg("-D")
            .arg(&pgdata)
            .args(["-U", CLUSTER_USER, "-A", "trust", "-E", "UTF8", "--no-locale"])
            .output()
            .await
            .context("running initdb")?;
        if !out.status.success() {
            bail!("initdb failed ({}): {}", out.status, String::from_utf8_lossy(&out.stderr));
        }
        let log = std::fs::File::create(dir.join("postgres.log"))?;
        let mut child = server_command(&bin, "postgres", &user)
            .arg("-D")
            .arg(&pgdata)
            .arg("-k")
            .arg(&dir)
            .args(["-c", "listen_addresses="])
            .stdout(log.try_clone()?)
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .context("starting postgres")?;
        let admin = PgConnectOptions::new().socket(&dir).username(CLUSTER_USER).database("postgres");
        for _ in 0..300 {
            if PgConnection::connect_with(&admin).await.is_ok() {
                return Ok(Self { child, dir, admin });
            }
            if let Some(status) = child.try_wait()? {
                bail!("postgres exited during start-up ({status}); see {}/postgres.log", dir.display());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("postgres did not accept connections within 30 s")
    }

    /// Fast shutdown, then removes the data directory.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        if let Some(pid) = self.child.id() {
            let pid = i32::try_from(pid).context("postgres pid out of range")?;
            // Already gone (e.g. a terminal's Ctrl-C reached it too) is fine.
            match kill(Pid::from_raw(pid), Signal::SIGINT) {
                Ok(()) | Err(nix::errno::Errno::ESRCH) => {}
                Err(e) => return Err(e.into()),
            }
        }
        tokio::time::timeout(Duration::from_secs(60), self.child.wait())
            .await
            .context("postgres did not stop within 60 s")??;
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

    /// A pool configured like `onelink serve`'s (`api/src/app.rs::connect`).
    pub async fn pool(&self, max_connections: u32) -> anyhow::Result<PgPool> {
        let options = self
            .options
            .clone()
            .options([("idle_in_transaction_session_timeout", "30s"), ("statement_timeout", "60s")]);
        Ok(PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await?)
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
