//! The common parameters of `/api/v2/accounts/{id}/reports…` (upstream
//! `ReportHelper` / `TimezoneHelper`), validated: unlike the upstream, a
//! missing or unknown `type`, `metric`, a malformed time, `since > until`
//! or a range too long are 422s, not 500s or empty answers.

use crate::dto::query_param;
use crate::error::{ApiError, ApiResult};
use crate::extract::Member;
use crate::state::AppState;
use chrono::{DateTime, Duration, FixedOffset, Utc};
use onelink_projections::platform::accounts as members;
use onelink_projections::reports::buckets::GroupBy;
use onelink_projections::reports::Scope;

/// Longest range a report may cover.
pub const MAX_RANGE_DAYS: i64 = 3_660;

/// The period asked for: `[since, until)`, or none when either is missing
/// (the upstream then reports nothing).
#[derive(Debug, Clone, Copy)]
pub struct Range {
    pub since: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct ReportParams {
    pub scope: Scope,
    pub range: Option<Range>,
    pub group_by: GroupBy,
    pub business_hours: bool,
    pub offset: FixedOffset,
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::Unprocessable(message.into())
}

fn time(query: Option<&str>, name: &str) -> ApiResult<Option<DateTime<Utc>>> {
    let Some(raw) = query_param(query, name).filter(|v| !v.trim().is_empty()) else { return Ok(None) };
    let seconds: f64 =
        raw.trim().parse().map_err(|_| invalid(format!("{name} must be a unix timestamp in seconds")))?;
    if !seconds.is_finite() || seconds.abs() > 1e11 {
        return Err(invalid(format!("{name} is out of range")));
    }
    Ok(DateTime::from_timestamp(seconds.floor() as i64, 0))
}

/// `since`/`until`, checked.
pub fn range(query: Option<&str>) -> ApiResult<Option<Range>> {
    let (since, until) = (time(query, "since")?, time(query, "until")?);
    let (Some(since), Some(until)) = (since, until) else { return Ok(None) };
    if since > until {
        return Err(invalid("since must not be after until"));
    }
    if until - since > Duration::days(MAX_RANGE_DAYS) {
        return Err(invalid(format!("the range may cover at most {MAX_RANGE_DAYS} days")));
    }
    Ok(Some(Range { since, until }))
}

/// `timezone_offset` in hours (e.g. 5.5, -8); absent or nonsense is UTC.
/// A fixed offset, where the upstream picks a DST-aware zone that has that
/// offset today (see docs/UPSTREAM-QUIRKS.md).
pub fn offset(query: Option<&str>) -> FixedOffset {
    let hours: f64 = query_param(query, "timezone_offset").and_then(|v| v.trim().parse().ok()).unwrap_or(0.0);
    let seconds = if (-12.0..=14.0).contains(&hours) { (hours * 3600.0).round() as i32 } else { 0 };
    FixedOffset::east_opt(seconds).unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"))
}

/// `type` and `id`: the scope, checked against the caller's account
/// (unknown id → 404).
pub async fn scope(state: &AppState, member: &Member, query: Option<&str>) -> ApiResult<Scope> {
    let kind = query_param(query, "type").unwrap_or_default();
    if kind == "account" {
        return Ok(Scope::Account);
    }
    if !["agent", "inbox", "label", "team"].contains(&kind.as_str()) {
        return Err(invalid("type must be one of account, agent, inbox, label, team"));
    }
    let id: i64 = query_param(query, "id")
        .ok_or_else(|| invalid(format!("id is required for type {kind}")))?
        .trim()
        .parse()
        .map_err(|_| ApiError::NotFound)?;
    let account_id = member.account_id();
    let pool = &state.pool;
    let found = match kind.as_str() {
        "agent" => members::membership(pool, account_id, id).await?.map(|_| Scope::Agent(id)),
        "inbox" => {
            onelink_projections::inboxes::query::find(pool, account_id, id).await?.map(|_| Scope::Inbox(id))
        }
        "team" => {
            onelink_projections::teams::query::find(pool, account_id, id).await?.map(|_| Scope::Team(id))
        }
        // a label report names the label by id; conversations carry titles
        _ => onelink_projections::labels::query::find(pool, account_id, id)
            .await?
            .map(|l| Scope::Label(l.title)),
    };
    found.ok_or(ApiError::NotFound)
}

pub async fn report_params(
    state: &AppState,
    member: &Member,
    query: Option<&str>,
) -> ApiResult<ReportParams> {
    member.require_admin()?;
    Ok(ReportParams {
        scope: scope(state, member, query).await?,
        range: range(query)?,
        group_by: GroupBy::parse(query_param(query, "group_by").as_deref()),
        business_hours: query_param(query, "business_hours").is_some_and(|v| v == "true"),
        offset: offset(query),
    })
}
