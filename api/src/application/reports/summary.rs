//! `GET /api/v2/accounts/{account_id}/reports/summary` and
//! `…/reports/bot_summary`: totals of `[since, until)` and of the period of
//! the same length before it.

use super::params::{report_params, ReportParams};
use crate::error::ApiResult;
use crate::extract::Member;
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::Json;
use onelink_domain::report::Metric;
use onelink_projections::reports::query::{totals, Totals};
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct SummaryFigures {
    pub conversations_count: i64,
    pub incoming_messages_count: i64,
    pub outgoing_messages_count: i64,
    /// Seconds; null without replies.
    pub avg_first_response_time: Option<f64>,
    /// Seconds; null without resolutions.
    pub avg_resolution_time: Option<f64>,
    pub resolutions_count: i64,
    /// Seconds; null without replies.
    pub reply_time: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Summary {
    #[serde(flatten)]
    pub current: SummaryFigures,
    pub previous: SummaryFigures,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BotFigures {
    pub bot_resolutions_count: i64,
    pub bot_handoffs_count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BotSummary {
    #[serde(flatten)]
    pub current: BotFigures,
    pub previous: BotFigures,
}

/// The current and the previous period's totals (all zero without a range).
async fn two_periods(
    state: &AppState,
    member: &Member,
    params: &ReportParams,
    metrics: &[Metric],
) -> ApiResult<[HashMap<Metric, Totals>; 2]> {
    let Some(range) = params.range else { return Ok([HashMap::new(), HashMap::new()]) };
    let previous = range.since - (range.until - range.since);
    let intervals = [(previous, range.since), (range.since, range.until)];
    let mut sums = totals(&state.pool, member.account_id(), &params.scope, metrics, &intervals).await?;
    let current = sums.pop().unwrap_or_default();
    let previous = sums.pop().unwrap_or_default();
    Ok([current, previous])
}

fn figures(sums: &HashMap<Metric, Totals>, business_hours: bool) -> SummaryFigures {
    let t = |m: Metric| sums.get(&m).copied().unwrap_or_default();
    SummaryFigures {
        conversations_count: t(Metric::ConversationCreated).count,
        incoming_messages_count: t(Metric::IncomingMessage).count,
        outgoing_messages_count: t(Metric::OutgoingMessage).count,
        avg_first_response_time: t(Metric::FirstResponse).average_secs(business_hours),
        avg_resolution_time: t(Metric::Resolved).average_secs(business_hours),
        resolutions_count: t(Metric::Resolved).count,
        reply_time: t(Metric::ReplyTime).average_secs(business_hours),
    }
}

/// Conversation, message, response and resolution totals. Administrators.
#[utoipa::path(get, path = "/api/v2/accounts/{account_id}/reports/summary", tag = "Reports",
    security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("type" = String, Query), ("id" = Option<i64>, Query),
           ("since" = Option<String>, Query), ("until" = Option<String>, Query),
           ("business_hours" = Option<bool>, Query)),
    responses((status = 200, body = Summary), (status = 401), (status = 404), (status = 422)))]
pub async fn summary(
    State(state): State<AppState>,
    member: Member,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<Summary>> {
    let params = report_params(&state, &member, query.as_deref()).await?;
    let metrics = [
        Metric::ConversationCreated,
        Metric::IncomingMessage,
        Metric::OutgoingMessage,
        Metric::FirstResponse,
        Metric::Resolved,
        Metric::ReplyTime,
    ];
    let [current, previous] = two_periods(&state, &member, &params, &metrics).await?;
    Ok(Json(Summary {
        current: figures(&current, params.business_hours),
        previous: figures(&previous, params.business_hours),
    }))
}

/// Bot resolutions and hand-offs. Administrators.
#[utoipa::path(get, path = "/api/v2/accounts/{account_id}/reports/bot_summary", tag = "Reports",
    security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("type" = String, Query), ("id" = Option<i64>, Query),
           ("since" = Option<String>, Query), ("until" = Option<String>, Query)),
    responses((status = 200, body = BotSummary), (status = 401), (status = 404), (status = 422)))]
pub async fn bot_summary(
    State(state): State<AppState>,
    member: Member,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<BotSummary>> {
    let params = report_params(&state, &member, query.as_deref()).await?;
    let [current, previous] =
        two_periods(&state, &member, &params, &[Metric::BotResolved, Metric::BotHandoff]).await?;
    let bot = |sums: &HashMap<Metric, Totals>| BotFigures {
        bot_resolutions_count: sums.get(&Metric::BotResolved).map_or(0, |t| t.count),
        bot_handoffs_count: sums.get(&Metric::BotHandoff).map_or(0, |t| t.count),
    };
    Ok(Json(BotSummary { current: bot(&current), previous: bot(&previous) }))
}
