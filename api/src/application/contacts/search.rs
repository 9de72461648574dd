//! Searching the account's contacts.

use super::json::ContactList;
use super::params::{resolved, ListParams};
use super::respond_list;
use crate::error::{ApiError, ApiResult};
use crate::extract::Member;
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::Json;
use onelink_projections::contacts::query::Listing;

const Q_REQUIRED: &str = "Specify search string with parameter q";

/// `GET /api/v1/accounts/{account_id}/contacts/search` — resolved contacts
/// whose name, e-mail, phone number, company name (case-insensitive) or
/// identifier (case-sensitive) contains `q`.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/contacts/search", tag = "Contacts",
    security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("q" = String, Query), ("page" = Option<i64>, Query),
        ("sort" = Option<String>, Query), ("labels[]" = Option<Vec<String>>, Query),
        ("include_contact_inboxes" = Option<bool>, Query)),
    responses((status = 200, body = ContactList), (status = 401), (status = 404), (status = 422)))]
pub async fn search(
    State(state): State<AppState>,
    member: Member,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<ContactList>> {
    let params = ListParams::parse(query.as_deref());
    // NUL can be in no stored value; dropping it keeps Postgres happy
    let q = params.q.as_deref().unwrap_or_default().replace('\0', "");
    let q = q.trim();
    if q.is_empty() {
        return Err(ApiError::Unprocessable(Q_REQUIRED.into()));
    }
    let listing = Listing {
        account_id: member.account_id(),
        resolved: resolved(&member),
        labels: &params.labels,
        search: Some(q),
        filter: None,
        sort: &params.sort,
        page: params.page,
    };
    Ok(Json(respond_list(&state, &listing, &params).await?))
}
