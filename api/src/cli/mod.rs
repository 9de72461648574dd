//! The `onelink` command line.

mod webhooks;

use crate::app::{connect, AppConfig, Application};
use crate::embedded_pg::EmbeddedPostgres;
use crate::state::Settings;
use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use onelink_commands::passwords::PasswordHasher;
use onelink_commands::secrets::{random_hex32, SecretBox};
use onelink_commands::{platform_apps, CommandContext, Commands, EventStore, LogPosition, MIGRATOR};
use onelink_domain::ids::PlatformAppId;
use onelink_domain::platform_app::PermissibleType;
use onelink_projections::registry::{find_projection, wait_for_running};
use onelink_projections::runner::RunnerConfig;
use onelink_projections::{all_projections, rebuild, status};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Debug, Parser)]
#[command(name = "onelink", version, about = "Chatwoot-compatible, event-sourced support messaging backend")]
pub struct Cli {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct DatabaseArgs {
    /// Use this database instead of the embedded one.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// Data directory of the embedded PostgreSQL and the secret key file.
    #[arg(long, env = "ONELINK_DATA_DIR", default_value = "onelink-data", global = true)]
    pub data_dir: PathBuf,
    /// Key that seals tokens at rest (default: `<data-dir>/secret.key`,
    /// created on first use).
    #[arg(long, env = "ONELINK_SECRET_KEY", global = true, hide_env_values = true)]
    pub secret_key: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate and serve the HTTP API.
    Serve(Box<ServeArgs>),
    /// Apply the database migrations.
    Migrate,
    /// Manage platform apps (the installation admin's console).
    #[command(subcommand)]
    PlatformApp(PlatformAppCommand),
    /// Inspect or rebuild read models.
    #[command(subcommand)]
    Projections(ProjectionsCommand),
    /// Print the audit history of one stream, e.g. `--stream Account/1`.
    Events {
        #[arg(long)]
        stream: String,
    },
    /// Account webhooks (replay a past range).
    #[command(subcommand)]
    Webhooks(webhooks::WebhooksCommand),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[arg(long, env = "ONELINK_BIND", default_value = "127.0.0.1:3000")]
    pub bind: SocketAddr,
    /// Base URL of the dashboard (single sign-on links point there).
    #[arg(long, env = "ONELINK_FRONTEND_URL", default_value = "http://localhost:3000")]
    pub frontend_url: String,
    #[arg(long, env = "ONELINK_POOL_SIZE", default_value_t = 20)]
    pub pool_size: u32,
    /// Messages a conversation accepts per minute (the upstream's 200; at
    /// most 1000).
    #[arg(long, env = "ONELINK_FLOOD_LIMIT_PER_MINUTE", default_value_t = onelink_domain::conversation::DEFAULT_FLOOD_LIMIT as u64,
          value_parser = clap::value_parser!(u64).range(1..=onelink_domain::conversation::FLOOD_LIMIT_MAX as u64))]
    pub flood_limit_per_minute: u64,
    /// TESTS ONLY: honour the `X-OneLink-Clock` request header, which sets
    /// the time a write is recorded at. Never enable it in production.
    #[arg(long, env = "ONELINK_UNSAFE_CLOCK_HEADER", hide = true)]
    pub unsafe_clock_header: bool,
    #[command(flatten)]
    pub webhooks: webhooks::WebhookArgs,
    #[command(flatten)]
    pub login: LoginArgs,
    #[command(flatten)]
    pub uploads: UploadArgs,
}

/// Uploaded files (message attachments).
#[derive(Debug, Args)]
pub struct UploadArgs {
    /// Directory of the blob store (default: `<data-dir>/blobs`).
    #[arg(long, env = "ONELINK_BLOB_DIR")]
    pub blob_dir: Option<PathBuf>,
    /// Largest accepted file, in bytes (upstream: 40 MB).
    #[arg(long, env = "ONELINK_MAX_ATTACHMENT_BYTES", default_value_t = crate::blobs::DEFAULT_MAX_FILE_BYTES,
          value_parser = clap::value_parser!(u64).range(1..=1024 * 1024 * 1024))]
    pub max_attachment_bytes: u64,
    /// Lifetime of signed download URLs, in seconds.
    #[arg(long, env = "ONELINK_ATTACHMENT_URL_TTL", default_value_t = crate::blobs::DEFAULT_URL_TTL.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..))]
    pub attachment_url_ttl: u64,
    /// Scheme and host clients reach OneLink at, for absolute download URLs
    /// (default: `http://<bind address>`).
    #[arg(long, env = "ONELINK_PUBLIC_URL")]
    pub public_url: Option<String>,
}

impl UploadArgs {
    fn config(&self, data_dir: &Path) -> crate::blobs::BlobConfig {
        crate::blobs::BlobConfig {
            dir: self.blob_dir.clone().unwrap_or_else(|| data_dir.join("blobs")),
            max_file_bytes: self.max_attachment_bytes,
            url_ttl: std::time::Duration::from_secs(self.attachment_url_ttl),
            public_url: self.public_url.clone(),
        }
    }
}

/// Password logins and the JWTs of the connected-accounts API.
#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Lifetime of issued JWTs, in seconds (at most 3600).
    #[arg(long, env = "ONELINK_JWT_TTL", default_value_t = 3600,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub jwt_ttl: u64,
    /// Login attempts allowed per client IP per `--login-ip-period`.
    #[arg(long, env = "ONELINK_LOGIN_IP_LIMIT", default_value_t = 5,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub login_ip_limit: u32,
    /// The per-IP window, in seconds.
    #[arg(long, env = "ONELINK_LOGIN_IP_PERIOD", default_value_t = 300,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub login_ip_period: u64,
    /// Login attempts allowed per e-mail per `--login-email-period`.
    #[arg(long, env = "ONELINK_LOGIN_EMAIL_LIMIT", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub login_email_limit: u32,
    /// The per-e-mail window, in seconds.
    #[arg(long, env = "ONELINK_LOGIN_EMAIL_PERIOD", default_value_t = 900,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub login_email_period: u64,
    /// Rate-limit logins from loopback addresses too (exempt by default,
    /// like the upstream).
    #[arg(long, env = "ONELINK_LOGIN_LIMIT_LOOPBACK")]
    pub login_limit_loopback: bool,
    /// Client API (`/public/api/v1/…`) requests allowed per client IP per
    /// `--client-ip-period`.
    #[arg(long, env = "ONELINK_CLIENT_IP_LIMIT", default_value_t = 300,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub client_ip_limit: u32,
    /// The Client API per-IP window, in seconds.
    #[arg(long, env = "ONELINK_CLIENT_IP_PERIOD", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub client_ip_period: u64,
    /// Rate-limit Client API calls from loopback addresses too.
    #[arg(long, env = "ONELINK_CLIENT_LIMIT_LOOPBACK")]
    pub client_limit_loopback: bool,
    /// Reverse proxies whose `X-Forwarded-For` names the client (comma
    /// separated). Without one, the header is ignored.
    #[arg(long, env = "ONELINK_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxy: Vec<std::net::IpAddr>,
}

impl LoginArgs {
    fn apply(&self, settings: &mut Settings) {
        use crate::login::limiter::{Limit, LoginLimits};
        use std::time::Duration;
        settings.jwt_ttl = Duration::from_secs(self.jwt_ttl);
        settings.login_limits = LoginLimits {
            per_ip: Limit {
                attempts: self.login_ip_limit,
                period: Duration::from_secs(self.login_ip_period),
            },
            per_email: Limit {
                attempts: self.login_email_limit,
                period: Duration::from_secs(self.login_email_period),
            },
            exempt_loopback: !self.login_limit_loopback,
            trusted_proxies: self.trusted_proxy.clone(),
        };
        settings.client_limits = crate::client::limit::ClientLimits {
            per_ip: Limit {
                attempts: self.client_ip_limit,
                period: Duration::from_secs(self.client_ip_period),
            },
            exempt_loopback: !self.client_limit_loopback,
        };
    }
}

#[derive(Debug, Subcommand)]
pub enum PlatformAppCommand {
    /// Create a platform app and print its access token (shown once).
    Create { name: String },
    /// Grant an existing object to a platform app.
    Grant {
        app: i64,
        #[arg(long, group = "object")]
        account: Option<i64>,
        #[arg(long, group = "object")]
        user: Option<i64>,
        #[arg(long, group = "object")]
        agent_bot: Option<i64>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProjectionsCommand {
    /// Each projection's checkpoint and how many events it is behind.
    Status,
    /// Rebuild a projection (or `all`) blue/green from the log.
    Rebuild { name: String },
}

/// The database URL and, for the embedded default, the cluster to stop.
async fn database(args: &DatabaseArgs) -> anyhow::Result<(String, Option<EmbeddedPostgres>)> {
    match &args.database_url {
        Some(url) => Ok((url.clone(), None)),
        None => {
            let pg = EmbeddedPostgres::start(&args.data_dir).await?;
            Ok((pg.url.clone(), Some(pg)))
        }
    }
}

fn secret_key(args: &DatabaseArgs) -> anyhow::Result<String> {
    if let Some(key) = &args.secret_key {
        return Ok(key.clone());
    }
    let path = args.data_dir.join("secret.key");
    if let Ok(key) = std::fs::read_to_string(&path) {
        return Ok(key.trim().to_owned());
    }
    std::fs::create_dir_all(&args.data_dir)?;
    let key = random_hex32();
    write_private(&path, &key).with_context(|| format!("writing {}", path.display()))?;
    Ok(key)
}

fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    file.write_all(content.as_bytes())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
    tracing::info!("shutting down");
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let secret = secret_key(&cli.database)?;
    let (url, embedded) = database(&cli.database).await?;
    let result = dispatch(cli.command, &url, &secret, &cli.database.data_dir).await;
    if let Some(pg) = embedded {
        pg.stop().await?;
    }
    result
}

async fn dispatch(command: Command, url: &str, secret: &str, data_dir: &Path) -> anyhow::Result<()> {
    match command {
        Command::Serve(args) => {
            let mut settings = Settings { frontend_url: args.frontend_url.clone(), ..Settings::default() };
            args.login.apply(&mut settings);
            settings.flood_limit_per_minute = usize::try_from(args.flood_limit_per_minute)?;
            if args.unsafe_clock_header {
                tracing::warn!("the X-OneLink-Clock header is honoured: a test set-up, never production");
                crate::clock::allow_header();
            }
            let config = AppConfig {
                database_url: url.to_owned(),
                bind: args.bind,
                secret_key: secret.to_owned(),
                pool_size: args.pool_size,
                settings,
                runner: RunnerConfig::default(),
                webhooks: args.webhooks.delivery(),
                egress: args.webhooks.egress(),
                blobs: args.uploads.config(data_dir),
            };
            let app = Application::build(config).await?;
            tracing::info!(addr = %app.local_addr(), "onelink listening");
            println!("onelink listening on http://{}", app.local_addr());
            app.run_until(shutdown_signal()).await
        }
        Command::Migrate => {
            let pool = connect(url, 2).await?;
            MIGRATOR.run(&pool).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::PlatformApp(cmd) => platform_app(cmd, url, secret).await,
        Command::Projections(cmd) => projections(cmd, url).await,
        Command::Events { stream } => events(&stream, url).await,
        Command::Webhooks(cmd) => webhooks::run(cmd, url).await,
    }
}

async fn commands(url: &str, secret: &str) -> anyhow::Result<Commands> {
    let pool = connect(url, 4).await?;
    MIGRATOR.run(&pool).await?;
    Ok(Commands::new(EventStore::new(pool), SecretBox::from_secret(secret), PasswordHasher::owasp()))
}

async fn platform_app(cmd: PlatformAppCommand, url: &str, secret: &str) -> anyhow::Result<()> {
    let c = commands(url, secret).await?;
    let ctx = CommandContext::system();
    match cmd {
        PlatformAppCommand::Create { name } => {
            let done = platform_apps::create(&c, &ctx, name.clone()).await.map_err(anyhow::Error::from)?;
            visible_to_running_servers(&c, done.position).await?;
            let (id, token) = done.value;
            println!("{}", serde_json::json!({ "id": id.0, "name": name, "access_token": token }));
        }
        PlatformAppCommand::Grant { app, account, user, agent_bot } => {
            let (kind, id) = match (account, user, agent_bot) {
                (Some(id), _, _) => (PermissibleType::Account, id),
                (_, Some(id), _) => (PermissibleType::User, id),
                (_, _, Some(id)) => (PermissibleType::AgentBot, id),
                _ => anyhow::bail!("name the object to grant: --account, --user or --agent-bot"),
            };
            let done = platform_apps::grant(&c, &ctx, PlatformAppId(app), kind, id).await.map_err(|e| {
                anyhow::anyhow!("grant failed: {e} (does the app and the {} exist?)", kind.as_str())
            })?;
            visible_to_running_servers(&c, done.position).await?;
            println!("granted {} {id} to platform app {app}", kind.as_str());
        }
    }
    Ok(())
}

/// Returns once running servers can see the change (bounded).
async fn visible_to_running_servers(c: &Commands, position: Option<LogPosition>) -> anyhow::Result<()> {
    let Some(position) = position else { return Ok(()) };
    let visible = wait_for_running(c.store.pool(), position, std::time::Duration::from_secs(10)).await?;
    if !visible {
        eprintln!("warning: the running server has not applied the change yet; it will shortly");
    }
    Ok(())
}

async fn projections(cmd: ProjectionsCommand, url: &str) -> anyhow::Result<()> {
    let pool = connect(url, 4).await?;
    MIGRATOR.run(&pool).await?;
    match cmd {
        ProjectionsCommand::Status => {
            println!("{:<20} {:>24} {:>10}", "projection", "checkpoint (tx:position)", "behind");
            for s in status::status(&pool).await? {
                let at = s.position.map(|p| p.to_string()).unwrap_or_else(|| "-".into());
                println!("{:<20} {:>24} {:>10}", s.name, at, s.behind);
            }
        }
        ProjectionsCommand::Rebuild { name } => {
            let targets = if name == "all" {
                all_projections()
            } else {
                vec![find_projection(&name).with_context(|| {
                    let names: Vec<_> = all_projections().iter().map(|p| p.name()).collect();
                    format!("unknown projection {name:?}; known: {}", names.join(", "))
                })?]
            };
            for projection in targets {
                let report = rebuild::rebuild(&pool, projection.as_ref()).await?;
                println!(
                    "rebuilt {} from {} events in {:.3}s ({:.0} events/s), now at {}",
                    report.projection,
                    report.events,
                    report.elapsed.as_secs_f64(),
                    report.events_per_second(),
                    report.position
                );
            }
        }
    }
    Ok(())
}

async fn events(stream: &str, url: &str) -> anyhow::Result<()> {
    let (kind, id) = stream.split_once('/').context("--stream takes TYPE/ID, e.g. Account/1")?;
    let pool = connect(url, 2).await?;
    let mut conn = pool.acquire().await?;
    let events = onelink_projections::log::read_stream(&mut conn, kind, id).await?;
    if events.is_empty() {
        anyhow::bail!("no events in stream {stream}");
    }
    for e in events {
        let line = serde_json::json!({
            "sequence": e.sequence,
            "position": e.global_position,
            "event_id": e.event_id,
            "type": e.event_type,
            "recorded_at": e.recorded_at,
            "actor": { "type": e.actor_type, "id": e.actor_id },
            "request_id": e.request_id,
            "data": e.payload,
        });
        println!("{line}");
    }
    Ok(())
}
