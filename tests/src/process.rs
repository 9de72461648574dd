//! The real `onelink` binary as a separate process (CLI and crash tests).

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// `ONELINK_BIN`, or the debug binary of this workspace (scripts/test
/// builds it before running the tests).
pub fn onelink_bin() -> PathBuf {
    if let Ok(bin) = std::env::var("ONELINK_BIN") {
        return bin.into();
    }
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let bin = target.join("debug/onelink");
    assert!(bin.exists(), "{} not found: build it with `cargo build --bin onelink`", bin.display());
    bin
}

pub const TEST_SECRET: &str = "test-secret-key";

/// Runs a CLI command against `database_url`; returns (success, stdout, stderr).
pub async fn cli(database_url: &str, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(onelink_bin())
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("ONELINK_SECRET_KEY", TEST_SECRET)
        .env("RUST_LOG", "warn")
        .output()
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    eprintln!("onelink {args:?}: {stderr}");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), stderr)
}

/// `onelink serve` on a random port.
pub struct ServerProcess {
    pub child: Child,
    pub base_url: String,
}

impl ServerProcess {
    pub async fn start(database_url: &str, env: &[(&str, &str)]) -> ServerProcess {
        let mut cmd = Command::new(onelink_bin());
        cmd.args(["serve", "--bind", "127.0.0.1:0"])
            .env("DATABASE_URL", database_url)
            .env("ONELINK_SECRET_KEY", TEST_SECRET)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .expect("server did not start in time")
            .unwrap()
            .expect("server exited before listening");
        let base_url = line.trim().strip_prefix("onelink listening on ").expect(&line).to_owned();
        ServerProcess { child, base_url }
    }

    /// Waits for the process to exit (e.g. after a failpoint abort).
    pub async fn wait_exit(&mut self, within: Duration) -> std::process::ExitStatus {
        tokio::time::timeout(within, self.child.wait()).await.expect("process still running").unwrap()
    }
}
