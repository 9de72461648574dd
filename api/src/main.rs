use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    onelink_api::telemetry::init("info,sqlx=warn");
    let cli = onelink_api::cli::Cli::parse();
    onelink_api::cli::run(cli).await
}
