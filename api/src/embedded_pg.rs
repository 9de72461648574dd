//! The embedded default: a private PostgreSQL cluster that OneLink starts
//! from the OS's PostgreSQL binaries, in a data directory it owns, listening
//! only on a Unix socket inside that directory.
//!
//! As root, the cluster runs as the unprivileged `postgres` user (or
//! `nobody`), since PostgreSQL refuses to run as root.

use anyhow::{bail, Context};
use nix::sys::signal::{kill, Signal};
use nix::unistd::{Pid, User};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};

const DB_USER: &str = "onelink";
const DB_NAME: &str = "onelink";

pub struct EmbeddedPostgres {
    /// `None` when another OneLink process already runs this cluster.
    child: Option<Child>,
    pub url: String,
}

/// Where the PostgreSQL server binaries are: `ONELINK_PG_BIN`, then
/// `pg_config --bindir`, then the newest `/usr/lib/postgresql/*/bin`.
pub fn find_bin_dir() -> anyhow::Result<PathBuf> {
    if let Ok(dir) = std::env::var("ONELINK_PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    let has_server = |dir: &Path| dir.join("postgres").is_file() && dir.join("initdb").is_file();
    if let Ok(out) = std::process::Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if has_server(&dir) {
            return Ok(dir);
        }
    }
    let mut candidates: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, dir)| has_server(dir))
        .collect();
    candidates.sort();
    candidates.pop().map(|(_, dir)| dir).context(
        "PostgreSQL server binaries not found: install the `postgresql` package, set ONELINK_PG_BIN, \
         or point DATABASE_URL at a database",
    )
}

/// The account the cluster runs as: ourselves, or an unprivileged user
/// when we are root.
fn cluster_user() -> anyhow::Result<Option<User>> {
    if !nix::unistd::geteuid().is_root() {
        return Ok(None);
    }
    for name in ["postgres", "nobody"] {
        if let Some(user) = User::from_name(name)? {
            return Ok(Some(user));
        }
    }
    bail!("running as root and no unprivileged `postgres` or `nobody` user exists")
}

fn command(bin: &Path, program: &str, user: &Option<User>) -> Command {
    let mut cmd = Command::new(bin.join(program));
    if let Some(u) = user {
        cmd.uid(u.uid.as_raw()).gid(u.gid.as_raw());
    }
    cmd.stdin(Stdio::null());
    cmd
}

fn chown_tree(path: &Path, user: &Option<User>) -> anyhow::Result<()> {
    let Some(u) = user else { return Ok(()) };
    std::os::unix::fs::chown(path, Some(u.uid.as_raw()), Some(u.gid.as_raw()))?;
    if path.is_dir() {
        for entry in std::fs::read_dir(path)? {
            chown_tree(&entry?.path(), user)?;
        }
    }
    Ok(())
}

/// The pid in `postmaster.pid`, if that process is alive.
fn running_postmaster(pgdata: &Path) -> Option<i32> {
    let text = std::fs::read_to_string(pgdata.join("postmaster.pid")).ok()?;
    let pid: i32 = text.lines().next()?.trim().parse().ok()?;
    kill(Pid::from_raw(pid), None).ok().map(|_| pid)
}

impl EmbeddedPostgres {
    /// Initializes the cluster on first use, starts it (or attaches to the
    /// one already running for this data directory) and creates the
    /// database.
    pub async fn start(data_dir: &Path) -> anyhow::Result<Self> {
        let bin = find_bin_dir()?;
        let user = cluster_user()?;
        std::fs::create_dir_all(data_dir)?;
        let data_dir = data_dir.canonicalize()?;
        let pgdata = data_dir.join("pg");
        let sockets = data_dir.join("run");
        std::fs::create_dir_all(&sockets)?;
        chown_tree(&sockets, &user)?;
        let url = format!(
            "postgres://{DB_USER}@localhost/{DB_NAME}?host={}",
            url::form_urlencoded::byte_serialize(sockets.to_string_lossy().as_bytes()).collect::<String>()
        );

        if !pgdata.join("PG_VERSION").exists() {
            std::fs::create_dir_all(&pgdata)?;
            chown_tree(&pgdata, &user)?;
            tracing::info!(path = %pgdata.display(), "initializing the embedded PostgreSQL cluster");
            let status = command(&bin, "initdb", &user)
                .args(["-D"])
                .arg(&pgdata)
                .args(["-U", DB_USER, "-A", "trust", "-E", "UTF8", "--no-locale"])
                .stdout(Stdio::null())
                .status()
                .await?;
            if !status.success() {
                bail!("initdb failed ({status})");
            }
        }

        let child = if running_postmaster(&pgdata).is_some() {
            tracing::info!("attaching to the embedded PostgreSQL cluster that is already running");
            None
        } else {
            let _ = std::fs::remove_file(pgdata.join("postmaster.pid"));
            let log = std::fs::File::create(data_dir.join("postgres.log"))?;
            chown_tree(&data_dir.join("postgres.log"), &user)?;
            let child = command(&bin, "postgres", &user)
                .arg("-D")
                .arg(&pgdata)
                .arg("-k")
                .arg(&sockets)
                .args(["-c", "listen_addresses=", "-c", "max_connections=200"])
                .stdout(log.try_clone()?)
                .stderr(log)
                .kill_on_drop(false)
                .spawn()
                .context("starting postgres")?;
            Some(child)
        };

        let admin = format!(
            "postgres://{DB_USER}@localhost/postgres?host={}",
            url::form_urlencoded::byte_serialize(sockets.to_string_lossy().as_bytes()).collect::<String>()
        );
        let mut embedded = EmbeddedPostgres { child, url };
        embedded.create_database(&admin).await?;
        Ok(embedded)
    }

    async fn create_database(&mut self, admin_url: &str) -> anyhow::Result<()> {
        use sqlx::Connection;
        let mut last_error = None;
        for _ in 0..150 {
            match sqlx::PgConnection::connect(admin_url).await {
                Ok(mut conn) => {
                    let exists: bool =
                        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
                            .bind(DB_NAME)
                            .fetch_one(&mut conn)
                            .await?;
                    if !exists {
                        sqlx::query(&format!("CREATE DATABASE {DB_NAME}")).execute(&mut conn).await?;
                    }
                    return Ok(());
                }
                Err(e) => last_error = Some(e),
            }
            if let Some(child) = self.child.as_mut() {
                if let Some(status) = child.try_wait()? {
                    bail!(
                        "postgres exited during start-up ({status}); see postgres.log in the data directory"
                    );
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("the embedded PostgreSQL did not accept connections: {last_error:?}")
    }

    /// Fast shutdown of the cluster we started (no-op when attached).
    pub async fn stop(mut self) -> anyhow::Result<()> {
        if let Some(child) = self.child.as_mut() {
            if let Some(pid) = child.id() {
                kill(Pid::from_raw(pid as i32), Signal::SIGINT)?;
            }
            tokio::time::timeout(Duration::from_secs(30), child.wait()).await??;
        }
        Ok(())
    }
}
