//! `GET /api/v2/accounts/{account_id}/reports` — one metric over time.

use super::params::report_params;
use crate::dto::query_param;
use crate::error::{ApiError, ApiResult};
use crate::extract::Member;
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::Json;
use onelink_domain::report::{MetricKind, ReportMetric};
use onelink_projections::reports::buckets::buckets;
use onelink_projections::reports::query::totals;
use serde::Serialize;
use utoipa::ToSchema;

/// One bucket. Averages (seconds) carry the number of facts averaged.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum Point {
    Count { value: i64, timestamp: i64 },
    Average { value: f64, timestamp: i64, count: i64 },
}

/// `metric` (conversations_count, incoming_messages_count,
/// outgoing_messages_count, avg_first_response_time, avg_resolution_time,
/// resolutions_count, reply_time, bot_resolutions_count,
/// bot_handoffs_count) per `group_by` bucket of `[since, until)`, in the
/// `timezone_offset`. Administrators only.
#[utoipa::path(get, path = "/api/v2/accounts/{account_id}/reports", tag = "Reports",
    security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("metric" = String, Query), ("type" = String, Query),
           ("id" = Option<i64>, Query), ("since" = Option<String>, Query), ("until" = Option<String>, Query),
           ("group_by" = Option<String>, Query), ("business_hours" = Option<bool>, Query),
           ("timezone_offset" = Option<f64>, Query)),
    responses((status = 200, body = Vec<Point>), (status = 401), (status = 404), (status = 422)))]
pub async fn timeseries(
    State(state): State<AppState>,
    member: Member,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<Vec<Point>>> {
    let query = query.as_deref();
    let params = report_params(&state, &member, query).await?;
    let name = query_param(query, "metric").unwrap_or_default();
    let metric = ReportMetric::named(&name).ok_or_else(|| {
        let names: Vec<&str> = ReportMetric::ALL.iter().map(|m| m.name).collect();
        ApiError::Unprocessable(format!("metric must be one of {}", names.join(", ")))
    })?;
    let Some(range) = params.range else { return Ok(Json(Vec::new())) };
    let buckets = buckets(range.since, range.until, params.group_by, params.offset)
        .map_err(|e| ApiError::Unprocessable(e.to_string()))?;
    let intervals: Vec<_> = buckets.iter().map(|b| (b.from, b.to)).collect();
    let sums = totals(&state.pool, member.account_id(), &params.scope, &[metric.fact], &intervals).await?;
    let points = buckets
        .iter()
        .zip(sums)
        .map(|(bucket, sums)| {
            let t = sums.get(&metric.fact).copied().unwrap_or_default();
            let timestamp = bucket.start.timestamp();
            match metric.kind {
                MetricKind::Count => Point::Count { value: t.count, timestamp },
                MetricKind::Average => Point::Average {
                    value: t.average_secs(params.business_hours).unwrap_or(0.0),
                    timestamp,
                    count: t.count,
                },
            }
        })
        .collect();
    Ok(Json(points))
}
