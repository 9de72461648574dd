//! Building and running the HTTP application (with the projection
//! runners and the webhook delivery machinery it hosts).

use crate::blobs::{BlobConfig, BlobUrls, LocalBlobStore};
use crate::client::limit::ClientLimiter;
use crate::error::envelope::not_found_rails;
use crate::error::{ErrorDetails, ErrorKind};
use crate::login::Auth;
use crate::openapi::{ApiDoc, OPENAPI_PATH};
use crate::realtime::{cable, fanout, typing, Hub};
use crate::state::{AppState, Settings};
use crate::{application, auth, blobs, client, connected, health, platform};
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, HeaderValue, Method, Request};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use onelink_commands::passwords::PasswordHasher;
use onelink_commands::secrets::SecretBox;
use onelink_commands::ssrf::EgressGuard;
use onelink_commands::{Commands, EventStore, MIGRATOR};
use onelink_projections::automation::Automation;
use onelink_projections::runner::RunnerConfig;
use onelink_projections::webhooks::{Deliveries, DeliveryConfig};
use onelink_projections::Projections;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;
use std::future::Future;
use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

/// Largest accepted request body (axum's default, stated explicitly).
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;
const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What `Application::build` needs.
#[derive(Debug, Clone)]
pub struct AppConfig {
    pub database_url: String,
    pub bind: SocketAddr,
    pub secret_key: String,
    pub pool_size: u32,
    pub settings: Settings,
    pub runner: RunnerConfig,
    /// Webhook delivery: schedule, timeout, workers.
    pub webhooks: DeliveryConfig,
    /// What webhooks may reach (checked at create/update and delivery).
    pub egress: Arc<EgressGuard>,
    /// Uploaded files: where they live, limits, download URLs.
    pub blobs: BlobConfig,
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    deliveries: Deliveries,
    automation: Automation,
    shutdown: CancellationToken,
}

/// Opens a pool with the guards the log horizon needs (no idle
/// transactions holding back consumers) and bounded waits.
pub async fn connect(database_url: &str, max_connections: u32) -> anyhow::Result<PgPool> {
    connect_with(PgConnectOptions::from_str(database_url)?, max_connections).await
}

/// [`connect`] for already parsed options.
pub async fn connect_with(options: PgConnectOptions, max_connections: u32) -> anyhow::Result<PgPool> {
    let options =
        options.options([("idle_in_transaction_session_timeout", "30s"), ("statement_timeout", "60s")]);
    Ok(PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(5))
        // a dead connection surfaces as an error and is replaced; a ping on
        // every acquire would double the round trips of every statement
        .test_before_acquire(false)
        .connect_with(options)
        .await?)
}

impl Application {
    /// Connects, migrates, starts the projections and binds the listener.
    pub async fn build(config: AppConfig) -> anyhow::Result<Self> {
        let auth = Arc::new(Auth::new(&config.secret_key, &config.settings)?);
        let listener = TcpListener::bind(config.bind).await?;
        let blobs = Arc::new(LocalBlobStore::open(&config.blobs.dir)?);
        let public_url = match &config.blobs.public_url {
            Some(url) => url.clone(),
            None => format!("http://{}", listener.local_addr()?),
        };
        let blob_urls = Arc::new(BlobUrls::new(&config.secret_key, &public_url, config.blobs.url_ttl));
        let pool = connect(&config.database_url, config.pool_size).await?;
        MIGRATOR.run(&pool).await?;
        let shutdown = CancellationToken::new();
        let store = EventStore::new(pool.clone());
        let projections =
            Projections::start(&pool, store.signal().clone(), config.runner.clone(), shutdown.child_token())
                .await?;
        let wake = store.signal().local().clone();
        let commands =
            Commands::new(store, SecretBox::from_secret(&config.secret_key), PasswordHasher::owasp())
                .with_egress(config.egress.clone());
        let deliveries = Deliveries::start(
            &pool,
            commands.clone(),
            wake,
            config.webhooks.clone(),
            config.runner.clone(),
            shutdown.child_token(),
        )
        .await?;
        let automation = Automation::start(
            &pool,
            commands.clone(),
            projections.clone(),
            commands.store.signal().local().clone(),
            config.runner.clone(),
            shutdown.child_token(),
        )
        .await?;
        let realtime = Arc::new(Hub::default());
        let client_limiter = Arc::new(ClientLimiter::new(&config.settings.client_limits)?);
        let fanout_wake = commands.store.signal().local().clone();
        let state = AppState {
            pool,
            commands,
            projections,
            settings: Arc::new(config.settings),
            auth,
            realtime: realtime.clone(),
            client_limiter,
            blobs,
            blob_urls,
            blob_config: Arc::new(config.blobs),
        };
        fanout::start(state.clone(), realtime.clone(), fanout_wake, shutdown.child_token()).await?;
        typing::start(state.clone(), realtime.clone(), shutdown.child_token()).await?;
        let router = router(state.clone());
        Ok(Self { listener, router, state, deliveries, automation, shutdown })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `signal` resolves, then drains in-flight requests, stops
    /// the projection runners and the webhook workers (claimed messages are
    /// given back), and closes the pool.
    pub async fn run_until(self, signal: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        let shutdown = self.shutdown.clone();
        let sockets = self.state.realtime.shutdown.clone();
        let signal = async move {
            signal.await;
            sockets.cancel();
        };
        let served =
            axum::serve(self.listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
                .with_graceful_shutdown(signal)
                .await;
        shutdown.cancel();
        self.deliveries.stopped().await;
        self.automation.stopped().await;
        self.state.pool.close().await;
        Ok(served?)
    }
}

/// Every route, documented: the router and the OpenAPI document come from
/// the same registrations.
pub fn routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(health::router())
        .merge(auth::router())
        .merge(platform::router())
        .merge(application::router())
        .merge(connected::router())
        .merge(client::router())
        .merge(blobs::download::router())
        .split_for_parts()
}

fn router(state: AppState) -> Router {
    let (routes, doc) = routes();
    let doc = Arc::new(doc);
    routes
        .route(OPENAPI_PATH, get(move || async move { Json(doc.as_ref().clone()) }))
        .route("/cable", get(cable::cable))
        .fallback(unknown_route)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            let request_id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or_default();
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request.id = %request_id)
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

/// Marks responses for unknown routes (tests tell them from missing records).
pub const UNMATCHED_ROUTE_HEADER: &str = "x-onelink-unmatched-route";

async fn unknown_route(method: Method) -> Response {
    let mut response = not_found_rails(ErrorDetails::new(ErrorKind::NotFound, "Not Found"));
    response.headers_mut().insert(UNMATCHED_ROUTE_HEADER, HeaderValue::from_static("1"));
    if method == Method::TRACE {
        return method_not_allowed().await;
    }
    response
}

async fn method_not_allowed() -> Response {
    let mut response = (
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        Json(serde_json::json!({ "error": "Method not allowed" })),
    )
        .into_response();
    response.headers_mut().insert(UNMATCHED_ROUTE_HEADER, HeaderValue::from_static("1"));
    response
}
