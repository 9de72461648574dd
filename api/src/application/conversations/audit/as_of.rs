//! `GET /api/v1/accounts/{account_id}/conversations/{id}?as_of=T` — the
//! conversation as it was at `T` (RFC 3339, or unix seconds with an
//! optional fraction), folded from the events recorded up to then (see
//! `onelink_projections::conversations::history`) and rendered by the same
//! presenter as a live read. Access is decided on the conversation as it is
//! now; 404 when it did not exist at `T`; 422 for an unreadable `T`.

use super::super::json::{conversation_json, ConversationJson, Hydrated};
use crate::error::{ApiError, ApiResult};
use crate::extract::Caller;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use onelink_projections::conversations::history::as_of;
use onelink_projections::conversations::ConversationRow;

pub const INVALID_AS_OF: &str = "as_of must be an RFC 3339 time or unix seconds";

/// The `as_of` query parameter: `None` when absent or blank.
pub fn requested(raw: Option<&str>) -> ApiResult<Option<DateTime<Utc>>> {
    let value = url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "as_of")
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default();
    if value.is_empty() {
        return Ok(None);
    }
    parse_moment(&value).map(Some).ok_or_else(|| ApiError::Unprocessable(INVALID_AS_OF.into()))
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

/// The conversation `current` (already authorized) as it was at `at`.
pub async fn render_as_of(
    state: &AppState,
    caller: &Caller,
    current: &ConversationRow,
    at: DateTime<Utc>,
) -> ApiResult<ConversationJson> {
    let then = as_of(&state.pool, current.account_id, current.id, at).await?.ok_or(ApiError::NotFound)?;
    let caller_id = match caller {
        Caller::User(m) => Some(m.user.id),
        Caller::Bot { .. } => None,
    };
    let rows = std::slice::from_ref(&then.row);
    let h = Hydrated::load(state, current.account_id, caller_id, rows, &then.latest_messages).await?;
    Ok(conversation_json(&then.row, &h))
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
