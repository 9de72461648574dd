//! `onelink projections status`: where each projection (and each
//! subscriber that is not a projection, like the webhook outbox) is and
//! how far behind the log it is.

use crate::log::count_after;
use crate::registry::all_projections;
use crate::runner::read_checkpoint;
use onelink_commands::LogPosition;
use sqlx::PgPool;

#[derive(Debug, Clone)]
pub struct ProjectionStatus {
    pub name: &'static str,
    pub position: Option<LogPosition>,
    pub behind: i64,
}

pub async fn status(pool: &PgPool) -> anyhow::Result<Vec<ProjectionStatus>> {
    let mut conn = pool.acquire().await?;
    let mut out = Vec::new();
    let names = all_projections()
        .iter()
        .map(|p| p.name())
        .chain([crate::webhooks::outbox::OUTBOX])
        .collect::<Vec<_>>();
    for name in names {
        let position = read_checkpoint(&mut conn, name).await.ok();
        let behind = count_after(&mut conn, position.unwrap_or(LogPosition::START)).await?;
        out.push(ProjectionStatus { name, position, behind });
    }
    Ok(out)
}
