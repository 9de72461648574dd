//! Replaying a past range of the log to a webhook (OneLink): the messages
//! are rebuilt from the log and queued with their original message ids.

use super::json::{parse_time, ReplayBody, ReplayPayload, ReplayReport, ReplayRequest};
use super::webhook_of;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Ids, Member};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use onelink_domain::Violations;
use onelink_projections::webhooks::replay::{self, ReplayRange, ReplayRefusal};

impl From<ReplayRefusal> for ApiError {
    fn from(e: ReplayRefusal) -> Self {
        match e {
            ReplayRefusal::NoStart => ApiError::Invalid(Violations::single("since", e.to_string())),
            ReplayRefusal::NotSubscribed(_) => ApiError::Invalid(Violations::single("event", e.to_string())),
            ReplayRefusal::Disabled(_) => ApiError::Unprocessable(e.to_string()),
        }
    }
}

/// `POST /api/v1/accounts/{account_id}/webhooks/{id}/replay` — 202 with
/// how many messages were queued.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/webhooks/{id}/replay", tag = "Webhooks",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    request_body = ReplayRequest,
    responses((status = 202, body = ReplayPayload), (status = 401), (status = 404), (status = 422)))]
pub async fn replay(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    ApiJson(body): ApiJson<ReplayRequest>,
) -> ApiResult<(StatusCode, Json<ReplayPayload>)> {
    member.require_admin()?;
    let webhook = webhook_of(&state, &member, id).await?;
    let position = |value: Option<i64>, attribute: &str| match value {
        Some(p) if p < 0 => Err(ApiError::Invalid(Violations::single(
            attribute,
            format!("{} must not be negative", crate::extract::json::humanize(attribute)),
        ))),
        other => Ok(other),
    };
    let range = ReplayRange {
        since: parse_time(body.since, "since")?,
        until: parse_time(body.until, "until")?,
        from_position: position(body.from_position, "from_position")?,
        to_position: position(body.to_position, "to_position")?,
        event: body.event.filter(|e| !e.is_empty()),
    };
    replay::check(&webhook, &range)?;
    let report = replay::replay(&state.pool, &webhook, &range).await?;
    let replay = ReplayReport {
        queued: report.queued,
        scanned: report.scanned,
        next_from_position: report.next_from_position,
    };
    Ok((StatusCode::ACCEPTED, Json(ReplayPayload { payload: ReplayBody { replay } })))
}
