//! The application under test, served on a random port.

use onelink_api::blobs::BlobConfig;
use onelink_api::client::limit::ClientLimits;
use onelink_api::login::limiter::{LimiterClock, LoginLimits};
use onelink_api::{AppConfig, Application, Settings};
use onelink_commands::ssrf::{EgressGuard, EgressPolicy, StaticResolver};
use onelink_commands::{platform_apps, CommandContext, Commands, LogPosition};
use onelink_projections::runner::RunnerConfig;
use onelink_projections::webhooks::{DeliveryConfig, RetrySchedule};
use reqwest::Method;
use serde_json::Value;
use sqlx::PgPool;
use std::sync::Arc;
use std::time::Duration;

pub struct TestApp {
    pub base_url: String,
    pub database_url: String,
    pub secret_key: String,
    pub http: reqwest::Client,
    /// For storage-level assertions only; tests act through HTTP.
    pub db: PgPool,
    /// The name table webhook deliveries resolve with (tests never ask
    /// real DNS); set names to play DNS rebinding.
    pub dns: Arc<StaticResolver>,
    /// The server's blob store directory (a fresh one per server).
    pub blob_dir: std::path::PathBuf,
    /// The server's own command services (appends wake its projections).
    commands: Commands,
    /// The clock of the server's login rate limits (tests move it forward).
    limiter_clock: LimiterClock,
    _server: CancelOnDrop,
}

/// A response with its body already read.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Response {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text))
    }
}

/// Stops the spawned server when the test app goes away (dropping the
/// sender resolves the server's shutdown signal).
struct CancelOnDrop(#[allow(dead_code)] tokio::sync::oneshot::Sender<()>);

/// Webhook delivery at test speed: 8 attempts 50 ms … 3.2 s apart, a 1 s
/// timeout, quick polling.
pub fn test_delivery() -> DeliveryConfig {
    DeliveryConfig {
        schedule: RetrySchedule::parse("50ms,100ms,200ms,400ms,800ms,1600ms,3200ms").unwrap(),
        timeout: Duration::from_secs(1),
        workers: 4,
        poll_interval: Duration::from_millis(50),
        ..DeliveryConfig::default()
    }
}

/// Webhooks may reach 127.0.0.1 only (no public address, no real DNS).
pub fn test_egress(dns: Arc<StaticResolver>) -> Arc<EgressGuard> {
    let policy = EgressPolicy { allow: vec!["127.0.0.1/32".parse().unwrap()], public: false };
    Arc::new(EgressGuard::new(policy, dns))
}

pub fn test_config(database_url: String, secret_key: String) -> AppConfig {
    AppConfig {
        database_url,
        bind: "127.0.0.1:0".parse().unwrap(),
        secret_key,
        pool_size: 10,
        settings: Settings {
            frontend_url: "https://app.onelink.test".into(),
            settle_timeout: Duration::from_secs(10),
            // every test client is on loopback: limit it, or no limit
            // would ever trigger
            login_limits: LoginLimits { exempt_loopback: false, ..LoginLimits::default() },
            client_limits: ClientLimits { exempt_loopback: false, ..ClientLimits::default() },
            ..Settings::default()
        },
        runner: RunnerConfig { batch_size: 500, poll_interval: Duration::from_millis(100) },
        webhooks: test_delivery(),
        egress: test_egress(Arc::new(StaticResolver::new())),
        blobs: BlobConfig {
            dir: std::env::temp_dir().join("onelink-test-blobs").join(uuid::Uuid::new_v4().to_string()),
            ..BlobConfig::under(std::path::Path::new("unused"))
        },
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        let database_url = crate::pg::fresh_database().await;
        Self::spawn_on(database_url).await
    }

    /// Starts an application with a changed [`test_config`].
    pub async fn spawn_with(configure: impl FnOnce(&mut AppConfig)) -> TestApp {
        let database_url = crate::pg::fresh_database().await;
        Self::start(database_url, configure).await
    }

    /// Starts an application on an existing database (e.g. a second node).
    pub async fn spawn_on(database_url: String) -> TestApp {
        Self::spawn_configured(database_url, |_, _| {}).await
    }

    async fn start(database_url: String, configure: impl FnOnce(&mut AppConfig)) -> TestApp {
        Self::spawn_configured(database_url, |config, _| configure(config)).await
    }

    /// Starts an application on `database_url` with a changed
    /// configuration; `change` also gets the name table that becomes
    /// [`TestApp::dns`] (for an egress guard of its own).
    pub async fn spawn_configured(
        database_url: String,
        change: impl FnOnce(&mut AppConfig, &Arc<StaticResolver>),
    ) -> TestApp {
        let secret_key = "test-secret-key".to_owned();
        let dns = Arc::new(StaticResolver::new());
        let mut config = test_config(database_url.clone(), secret_key.clone());
        config.egress = test_egress(dns.clone());
        change(&mut config, &dns);
        let blob_dir = config.blobs.dir.clone();
        let app = Application::build(config).await.unwrap();
        let limiter_clock = app.state().auth.limiter.clock().clone();
        let base_url = format!("http://{}", app.local_addr());
        let commands = app.state().commands.clone();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(app.run_until(async move {
            let _ = stopped.await;
        }));
        let db =
            sqlx::postgres::PgPoolOptions::new().max_connections(4).connect(&database_url).await.unwrap();
        TestApp {
            base_url,
            database_url,
            secret_key,
            http: reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap(),
            db,
            dns,
            blob_dir,
            commands,
            limiter_clock,
            _server: CancelOnDrop(stop),
        }
    }

    /// Moves the server's login rate-limit clock forward.
    pub fn advance_limiter_clock(&self, by: Duration) {
        self.limiter_clock.advance(by);
    }

    /// A request to `path`, to finish with any headers and send with [`TestApp::send`].
    pub fn build(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.http.request(method, format!("{}{path}", self.base_url))
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> Response {
        let res = request.send().await.unwrap();
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        Response { status, headers, text: res.text().await.unwrap() }
    }

    /// The same command services the `onelink` CLI uses.
    pub fn commands(&self) -> Commands {
        self.commands.clone()
    }

    /// Creates a platform app as the installation admin would
    /// (`onelink platform-app create`); returns `(id, token)`.
    pub async fn platform_app(&self, name: &str) -> (i64, String) {
        let done =
            platform_apps::create(&self.commands(), &CommandContext::system(), name.into()).await.unwrap();
        self.settle(done.position).await;
        (done.value.0 .0, done.value.1)
    }

    /// Waits until every projection checkpoint has passed `position` (for
    /// writes made outside HTTP, which does this itself).
    pub async fn settle(&self, position: Option<LogPosition>) {
        let Some(target) = position else { return };
        for _ in 0..500 {
            let behind: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM projection_checkpoints \
                 WHERE (tx, position) < ($1::bigint::text::xid8, $2)",
            )
            .bind(target.tx)
            .bind(target.position)
            .fetch_one(&self.db)
            .await
            .unwrap();
            if behind == 0 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("projections did not reach {target}");
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Response {
        self.request_with_headers(method, path, token, body, &[]).await
    }

    /// [`TestApp::request`] with extra request headers.
    pub async fn request_with_headers(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Response {
        let mut req = self.http.request(method, format!("{}{path}", self.base_url));
        if let Some(token) = token {
            req = req.header("api_access_token", token);
        }
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        Response { status, headers, text: res.text().await.unwrap() }
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.request(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Response {
        self.request(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Response {
        self.request(Method::PATCH, path, Some(token), Some(body)).await
    }

    pub async fn put(&self, path: &str, token: &str, body: Value) -> Response {
        self.request(Method::PUT, path, Some(token), Some(body)).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Response {
        self.request(Method::DELETE, path, Some(token), None).await
    }

    /// Sends a raw body (for malformed-input tests).
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        token: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Response {
        let res = self
            .http
            .request(method, format!("{}{path}", self.base_url))
            .header("api_access_token", token)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        Response { status, headers, text: res.text().await.unwrap() }
    }

    /// Number of events in the log (for "nothing was written" checks).
    pub async fn event_count(&self) -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM events").fetch_one(&self.db).await.unwrap()
    }
}
