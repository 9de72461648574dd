//! Listing the account's contacts.

use super::json::ContactList;
use super::params::{resolved, ListParams};
use super::respond_list;
use crate::error::ApiResult;
use crate::extract::Member;
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::Json;
use onelink_projections::contacts::query::Listing;

/// `GET /api/v1/accounts/{account_id}/contacts` — resolved contacts, 15
/// per page, optionally sorted and limited to contacts with any of `labels[]`.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/contacts", tag = "Contacts",
    security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("page" = Option<i64>, Query),
        ("sort" = Option<String>, Query, description = "name, email, phone_number, last_activity_at, created_at, company, city, country; `-` prefix = descending"),
        ("labels[]" = Option<Vec<String>>, Query), ("include_contact_inboxes" = Option<bool>, Query)),
    responses((status = 200, body = ContactList), (status = 401), (status = 404)))]
pub async fn index(
    State(state): State<AppState>,
    member: Member,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<ContactList>> {
    let params = ListParams::parse(query.as_deref());
    let listing = Listing {
        account_id: member.account_id(),
        resolved: resolved(&member),
        labels: &params.labels,
        search: None,
        filter: None,
        sort: &params.sort,
        page: params.page,
    };
    Ok(Json(respond_list(&state, &listing, &params).await?))
}
