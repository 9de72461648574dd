//! Test harness: a database per test cloned from a migrated template, the
//! real application on a random port, and an HTTP client that talks to it
//! like any other client.

pub mod app;
pub mod cable;
pub mod client_api;
pub mod pg;
pub mod process;
pub mod readmodels;
pub mod seed;
pub mod webhook_receiver;

pub use app::{Response, TestApp};

/// Polls `check` every 20 ms until it yields a value; panics naming `what`
/// after 10 s. For effects of another process (a CLI write, a restarted
/// server catching up) that no request can wait on.
pub async fn eventually<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    for _ in 0..500 {
        if let Some(value) = check().await {
            return value;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("timed out waiting for {what}");
}
