//! Live conversation counts: `GET /api/v2/accounts/{id}/reports/conversations`
//! and the newer `…/live_reports/conversation_metrics` and
//! `…/live_reports/grouped_conversation_metrics`. Open = status open;
//! unattended = open and not yet answered or waiting for a reply;
//! unassigned = open without an assignee; pending = status pending (the
//! upstream's `reports/conversations` counts pending among the open ones,
//! so always 0 — we fix that).

use crate::dto::query_param;
use crate::error::{ApiError, ApiResult};
use crate::extract::Member;
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use onelink_projections::platform::accounts as members;
use onelink_projections::reports::query::{live_counts, live_counts_by, LiveCounts, LiveGroup};
use serde::Serialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

const PER_PAGE: usize = 25;

#[derive(Debug, Serialize, ToSchema)]
pub struct Counts {
    pub open: i64,
    pub unattended: i64,
    pub unassigned: i64,
    pub pending: i64,
}

impl From<LiveCounts> for Counts {
    fn from(c: LiveCounts) -> Self {
        Self { open: c.open, unattended: c.unattended, unassigned: c.unassigned, pending: c.pending }
    }
}

/// `type=account`: the account's counts; any other type: each agent's open
/// and unattended conversations, 25 per `page`, most open first.
/// Administrators.
#[utoipa::path(get, path = "/api/v2/accounts/{account_id}/reports/conversations", tag = "Reports",
    security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("type" = String, Query), ("page" = Option<i64>, Query)),
    responses((status = 200, body = Counts), (status = 401), (status = 404), (status = 422)))]
pub async fn conversations(
    State(state): State<AppState>,
    member: Member,
    RawQuery(query): RawQuery,
) -> ApiResult<Response> {
    member.require_admin()?;
    let query = query.as_deref();
    let kind = query_param(query, "type").unwrap_or_default();
    if kind.trim().is_empty() {
        return Err(ApiError::Unprocessable("type is required".into()));
    }
    let account_id = member.account_id();
    if kind == "account" {
        return Ok(Json(Counts::from(live_counts(&state.pool, account_id, None).await?)).into_response());
    }
    let page: usize =
        query_param(query, "page").and_then(|p| p.trim().parse().ok()).filter(|p| *p >= 1).unwrap_or(1);
    let counts = live_counts_by(&state.pool, account_id, LiveGroup::Assignee).await?;
    let mut agents: Vec<(i64, Value)> = members::agents(&state.pool, account_id)
        .await?
        .into_iter()
        .map(|a| {
            let c = counts.get(&a.id).copied().unwrap_or_default();
            let entry = json!({
                "id": a.id,
                "name": a.name,
                "email": a.email,
                "thumbnail": "",
                "availability": a.availability,
                "metric": {"open": c.open, "unattended": c.unattended},
            });
            (c.open, entry)
        })
        .collect();
    // stable: agents are listed by name, so equal counts keep that order
    agents.sort_by_key(|(open, _)| std::cmp::Reverse(*open));
    let page: Vec<Value> =
        agents.into_iter().skip((page - 1).saturating_mul(PER_PAGE)).take(PER_PAGE).map(|(_, v)| v).collect();
    Ok(Json(page).into_response())
}

/// The account's counts, or one team's with `team_id`. Administrators.
#[utoipa::path(get, path = "/api/v2/accounts/{account_id}/live_reports/conversation_metrics", tag = "Reports",
    security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("team_id" = Option<i64>, Query)),
    responses((status = 200, body = Counts), (status = 401), (status = 404), (status = 422)))]
pub async fn conversation_metrics(
    State(state): State<AppState>,
    member: Member,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<Counts>> {
    member.require_admin()?;
    let team_id = match query_param(query.as_deref(), "team_id").filter(|v| !v.trim().is_empty()) {
        None => None,
        Some(raw) => {
            Some(raw.trim().parse::<i64>().map_err(|_| ApiError::Unprocessable("invalid team_id".into()))?)
        }
    };
    Ok(Json(live_counts(&state.pool, member.account_id(), team_id).await?.into()))
}

/// Counts per team or per assignee (`group_by=team_id|assignee_id`).
/// Administrators.
#[utoipa::path(get, path = "/api/v2/accounts/{account_id}/live_reports/grouped_conversation_metrics",
    tag = "Reports", security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("group_by" = String, Query)),
    responses((status = 200, body = Vec<Object>), (status = 401), (status = 404), (status = 422)))]
pub async fn grouped_conversation_metrics(
    State(state): State<AppState>,
    member: Member,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<Vec<Value>>> {
    member.require_admin()?;
    let key = query_param(query.as_deref(), "group_by").unwrap_or_default();
    let group = match key.as_str() {
        "team_id" => LiveGroup::Team,
        "assignee_id" => LiveGroup::Assignee,
        _ => return Err(ApiError::Unprocessable("invalid group_by".into())),
    };
    let mut rows: Vec<(i64, LiveCounts)> =
        live_counts_by(&state.pool, member.account_id(), group).await?.into_iter().collect();
    rows.sort_by_key(|(id, _)| *id);
    Ok(Json(
        rows.into_iter()
            .map(|(id, c)| json!({"open": c.open, "unattended": c.unattended, "unassigned": c.unassigned, key.as_str(): id}))
            .collect(),
    ))
}
