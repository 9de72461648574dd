//! Showing one contact.

use super::find_contact;
use super::json::ContactPayload;
use super::params::{ContactPath, ListParams};
use crate::error::ApiResult;
use crate::extract::Member;
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::Json;

/// `GET /api/v1/accounts/{account_id}/contacts/{id}` — any member.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/contacts/{id}", tag = "Contacts",
    security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("id" = i64, Path), ("include_contact_inboxes" = Option<bool>, Query)),
    responses((status = 200, body = ContactPayload), (status = 401), (status = 404)))]
pub async fn show(
    State(state): State<AppState>,
    member: Member,
    path: ContactPath,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<ContactPayload>> {
    let with_inboxes = ListParams::parse(query.as_deref()).include_contact_inboxes;
    let payload = find_contact(&state, member.account_id(), path.id()?, with_inboxes).await?;
    Ok(Json(ContactPayload { payload }))
}
