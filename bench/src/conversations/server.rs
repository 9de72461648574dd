//! The real application on the bench database, served on a random port,
//! and the HTTP calls the benchmark times.

use anyhow::{ensure, Context};
use onelink_api::blobs::BlobConfig;
use onelink_api::{AppConfig, Application, Settings};
use onelink_commands::ssrf::EgressGuard;
use onelink_commands::Commands;
use onelink_projections::runner::RunnerConfig;
use onelink_projections::webhooks::DeliveryConfig;
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

const SECRET: &str = "onelink-bench-secret-key-onelink-bench-secret-key";

pub struct Server {
    pub base_url: String,
    pub http: reqwest::Client,
    pub commands: Commands,
    stop: oneshot::Sender<()>,
    served: JoinHandle<anyhow::Result<()>>,
    blob_dir: std::path::PathBuf,
}

impl Server {
    /// `onelink serve`'s set-up on `database_url`, with the per-conversation
    /// flood limit lifted (the benchmark posts hundreds of messages a
    /// minute to one conversation).
    pub async fn start(database_url: &str) -> anyhow::Result<Server> {
        let blob_dir = std::env::temp_dir().join(format!("onelink-bench-blobs-{}", uuid::Uuid::new_v4()));
        let settings = Settings { flood_limit_per_minute: 1_000_000, ..Settings::default() };
        let config = AppConfig {
            database_url: database_url.to_owned(),
            bind: "127.0.0.1:0".parse()?,
            secret_key: SECRET.to_owned(),
            pool_size: 10,
            settings,
            runner: RunnerConfig::default(),
            webhooks: DeliveryConfig::default(),
            egress: Arc::new(EgressGuard::default()),
            blobs: BlobConfig::under(&blob_dir),
        };
        let app = Application::build(config).await.context("starting the application")?;
        let base_url = format!("http://{}", app.local_addr());
        let commands = app.state().commands.clone();
        let (stop, stopped) = oneshot::channel::<()>();
        let served = tokio::spawn(app.run_until(async move {
            let _ = stopped.await;
        }));
        let http = reqwest::Client::builder().timeout(Duration::from_secs(120)).build()?;
        Ok(Server { base_url, http, commands, stop, served, blob_dir })
    }

    /// Drains requests, stops the runners, closes the pool.
    pub async fn stop(self) -> anyhow::Result<()> {
        let _ = self.stop.send(());
        self.served.await??;
        let _ = std::fs::remove_dir_all(&self.blob_dir);
        Ok(())
    }

    /// Sends a request and returns its JSON body and how long it took
    /// (to the last byte of the body); anything but 200 is an error.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<&Value>,
    ) -> anyhow::Result<(Value, Duration)> {
        let url = format!("{}{path}", self.base_url);
        let mut request = self.http.request(method, &url).header("api_access_token", token);
        if let Some(body) = body {
            request = request.json(body);
        }
        let started = Instant::now();
        let response = request.send().await?;
        let status = response.status();
        let text = response.text().await?;
        let elapsed = started.elapsed();
        ensure!(status == reqwest::StatusCode::OK, "{path}: {status}: {text}");
        Ok((serde_json::from_str(&text).with_context(|| format!("{path}: not JSON"))?, elapsed))
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> anyhow::Result<Value> {
        Ok(self.call(reqwest::Method::POST, path, token, Some(&body)).await?.0)
    }
}
