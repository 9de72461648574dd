//! The help center under `/api/v1/accounts/{account_id}/portals` (upstream
//! `portals`, `categories` and `articles` controllers): any member reads,
//! administrators write. Portals are addressed by their slug.

pub mod articles;
pub mod categories;
mod json;
pub mod portals;

use crate::error::{ApiError, ApiResult};
use crate::extract::Member;
use crate::state::AppState;
use onelink_domain::Violations;
use onelink_projections::help_center::query::{self as rows, PortalRow};
use serde_json::Value;

/// The portal `slug` of the caller's account, or 404.
async fn portal_of(state: &AppState, member: &Member, slug: &str) -> ApiResult<PortalRow> {
    rows::portal_by_slug(&state.pool, member.account_id(), slug).await?.ok_or(ApiError::NotFound)
}

/// `locale` from a query string (blank = none).
fn locale_param(raw: Option<&str>) -> Option<String> {
    crate::dto::query_param(raw, "locale").map(|l| l.trim().to_owned()).filter(|l| !l.is_empty())
}

/// Ruby's `page.to_i`, at least 1, at most 100,000.
fn page_param(raw: Option<&str>) -> i64 {
    crate::dto::query_param(raw, "page")
        .and_then(|p| p.trim().parse::<i64>().ok())
        .unwrap_or(1)
        .clamp(1, 100_000)
}

/// A 422 naming one attribute.
fn invalid(attribute: &str, message: impl Into<String>) -> ApiError {
    ApiError::Invalid(Violations::single(attribute, message))
}

/// An id given as a JSON number or a numeric string.
fn as_id(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}
