//! Creating a contact.

use super::find_contact;
use super::json::{ContactInboxRef, ContactRequest, CreatedContact, CreatedContactBody};
use crate::error::ApiResult;
use crate::extract::{ApiJson, Member};
use crate::state::{AppState, RequestId};
use axum::extract::State;
use axum::Json;
use onelink_commands::contacts;
use onelink_domain::ids::AccountId;

/// `POST /api/v1/accounts/{account_id}/contacts` — any member; answers 200
/// with the contact and its (for now always empty) contact inbox.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/contacts", tag = "Contacts",
    security(("api_access_token" = [])), params(("account_id" = i64, Path)), request_body = ContactRequest,
    responses((status = 200, body = CreatedContact), (status = 400), (status = 401), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    request_id: RequestId,
    ApiJson(body): ApiJson<ContactRequest>,
) -> ApiResult<Json<CreatedContact>> {
    let account_id = member.account_id();
    let ctx = member.context(&request_id);
    let done = contacts::create(&state.commands, &ctx, AccountId(account_id), body.into_input()).await?;
    state.settle(done.position).await?;
    let contact = find_contact(&state, account_id, done.value.0, true).await?;
    // TODO(contact inboxes): the inbox record and source id once `inbox_id`
    // is supported.
    let contact_inbox = ContactInboxRef { inbox: None, source_id: None };
    Ok(Json(CreatedContact { payload: CreatedContactBody { contact, contact_inbox } }))
}
