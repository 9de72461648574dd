//! `GET /api/v1/accounts/{account_id}/conversations/{id}/events/state?as_of=`
//! — the conversation as it was at `as_of` (RFC 3339, or unix seconds with
//! an optional fraction; default now), folded from the events recorded up
//! to then with the domain aggregate's own `apply`. 404 when the
//! conversation did not exist yet; 422 for an unreadable `as_of`.

use super::super::access::conversation_for_member;
use super::super::json::{message_json, Hydrated};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Ids, Member};
use crate::platform::iso;
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::Json;
use chrono::{DateTime, Utc};
use onelink_domain::conversation::Assignee;
use onelink_projections::conversations::history::{as_of, ConversationAsOf};
use onelink_projections::conversations::ConversationRow;
use serde::Serialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

const INVALID_AS_OF: &str = "as_of must be an RFC 3339 time or unix seconds";

/// `as_of` from the query string (now when absent or blank).
fn moment(raw: Option<&str>) -> ApiResult<DateTime<Utc>> {
    let value = url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "as_of")
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default();
    if value.is_empty() {
        return Ok(Utc::now());
    }
    parse_moment(&value).ok_or_else(|| ApiError::Unprocessable(INVALID_AS_OF.into()))
}

/// RFC 3339, or unix seconds (`1767261600`, `1767261600.25`).
pub fn parse_moment(value: &str) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(value) {
        return Some(at.with_timezone(&Utc));
    }
    let numeric = !value.is_empty() && value.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-');
    let seconds: f64 = value.parse().ok().filter(|s: &f64| numeric && s.is_finite())?;
    let micros = (seconds * 1_000_000.0).round();
    if micros.abs() > 9.0e15 {
        return None;
    }
    DateTime::from_timestamp_micros(micros as i64)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StateMeta {
    /// The moment asked for.
    as_of: String,
    /// Stream version of the last event folded.
    version: i64,
    /// When that event was recorded.
    last_event_at: Option<String>,
}

/// `{meta: {as_of, version, last_event_at}, payload: {id, account_id,
/// inbox_id, contact_id, uuid, status, snoozed_until, priority,
/// assignee_type, assignee_id, team_id, labels, custom_attributes,
/// additional_attributes, muted, message_count, last_message,
/// last_non_activity_message, created_at}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConversationState {
    meta: StateMeta,
    #[schema(value_type = Object)]
    payload: Value,
}

fn render(c: &ConversationRow, f: &ConversationAsOf, h: &Hydrated) -> Value {
    let s = &f.state;
    let (assignee_type, assignee_id) = match s.assignee {
        Some(Assignee::User(u)) => (Some("User"), Some(u.0)),
        Some(Assignee::AgentBot(b)) => (Some("AgentBot"), Some(b.0)),
        None => (None, None),
    };
    json!({
        "id": c.display_id,
        "account_id": c.account_id,
        "inbox_id": s.inbox_id.0,
        "contact_id": f.contact_id,
        "uuid": f.uuid,
        "status": s.status.as_str(),
        "snoozed_until": s.snoozed_until.map(iso),
        "priority": s.priority.map(|p| p.as_str()),
        "assignee_type": assignee_type,
        "assignee_id": assignee_id,
        "team_id": s.team_id.map(|t| t.0),
        "labels": s.labels,
        "custom_attributes": s.custom_attributes,
        "additional_attributes": f.additional_attributes,
        "muted": s.muted,
        "message_count": s.message_count,
        "last_message": f.last_message.as_ref().map(|m| message_json(m, h)),
        "last_non_activity_message": f.last_non_activity_message.as_ref().map(|m| message_json(m, h)),
        "created_at": f.created_at.map(|t| t.timestamp()),
    })
}

/// `GET /api/v1/accounts/{account_id}/conversations/{id}/events/state` —
/// the conversation as of a past moment (see the module docs).
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/conversations/{id}/events/state", tag = "Audit",
    security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("id" = i64, Path),
        ("as_of" = Option<String>, Query, description = "RFC 3339 time or unix seconds; default now")),
    responses((status = 200, body = ConversationState), (status = 401), (status = 404), (status = 422)))]
pub async fn show(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<ConversationState>> {
    let at = moment(raw.as_deref())?;
    let c = conversation_for_member(&state, &member, id).await?;
    let folded = as_of(&state.pool, c.account_id, c.id, at).await?.ok_or(ApiError::NotFound)?;
    let latest: Vec<_> =
        folded.last_message.iter().chain(folded.last_non_activity_message.iter()).cloned().collect();
    let h = Hydrated::load(&state, c.account_id, None, &[], &latest).await?;
    let meta = StateMeta { as_of: iso(at), version: folded.version, last_event_at: folded.last_event_at.map(iso) };
    Ok(Json(ConversationState { meta, payload: render(&c, &folded, &h) }))
}

#[cfg(test)]
mod tests {
    use super::parse_moment;

    #[test]
    fn moments_are_rfc3339_or_unix_seconds() {
        let at = parse_moment("2026-01-01T10:00:00.250Z").map(|t| t.timestamp_millis());
        assert_eq!(at, Some(1_767_261_600_250));
        assert_eq!(parse_moment("1767261600").map(|t| t.timestamp()), Some(1_767_261_600));
        assert_eq!(parse_moment("1767261600.25").map(|t| t.timestamp_millis()), Some(1_767_261_600_250));
        for bad in ["", "yesterday", "1e10", "NaN", "inf", "99999999999999999999", "2026-13-01T00:00:00Z"] {
            assert_eq!(parse_moment(bad), None, "{bad}");
        }
    }
}
