//! Filtering the account's contacts with the upstream's condition list.

use super::json::{ContactList, FilterRequest};
use super::params::{resolved, ListParams};
use super::respond_list;
use crate::error::ApiResult;
use crate::extract::{ApiJson, Member};
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::Json;
use onelink_projections::contacts::{filter, query::Listing};
use onelink_projections::custom_attributes;

/// `POST /api/v1/accounts/{account_id}/contacts/filter` — resolved
/// contacts matching `payload` (see the filter engine); the keys are the
/// standard contact attributes and the account's `contact_attribute`
/// definitions. `page`, `sort` and `include_contact_inboxes` may be in the
/// body or the query string.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/contacts/filter", tag = "Contacts",
    security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("page" = Option<i64>, Query), ("sort" = Option<String>, Query)),
    request_body = FilterRequest,
    responses((status = 200, body = ContactList), (status = 400), (status = 401), (status = 404), (status = 422)))]
pub async fn filter(
    State(state): State<AppState>,
    member: Member,
    RawQuery(query): RawQuery,
    ApiJson(body): ApiJson<FilterRequest>,
) -> ApiResult<Json<ContactList>> {
    let mut params = ListParams::parse(query.as_deref());
    if let Some(page) = body.page {
        params.set_page(page);
    }
    if let Some(sort) = &body.sort {
        params.set_sort(sort);
    }
    if let Some(include) = &body.include_contact_inboxes {
        params.set_include_contact_inboxes(include);
    }
    // the account's contact attributes are filter keys too, compared by
    // their display type
    let model = filter::CONTACTS.custom_attribute_model;
    let custom = custom_attributes::query::filter_attributes(&state.pool, member.account_id(), model).await?;
    let today = chrono::Utc::now().date_naive();
    let conditions = filter::parse(body.payload.as_ref(), &custom, today)?;
    let listing = Listing {
        account_id: member.account_id(),
        resolved: resolved(&member),
        labels: &[],
        search: None,
        filter: Some(&conditions),
        sort: &params.sort,
        page: params.page,
    };
    Ok(Json(respond_list(&state, &listing, &params).await?))
}
