//! Removing custom attributes from a contact.

use super::find_contact;
use super::json::{string_list, ContactPayload, RemoveCustomAttributesRequest};
use super::params::ContactPath;
use crate::error::ApiResult;
use crate::extract::{ApiJson, Member};
use crate::state::{AppState, RequestId};
use axum::extract::State;
use axum::Json;
use onelink_commands::contacts;
use onelink_domain::ids::{AccountId, ContactId};

/// `POST /api/v1/accounts/{account_id}/contacts/{id}/destroy_custom_attributes`
/// — any member; removes the keys in `custom_attributes` (a list) and
/// answers with the contact.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/contacts/{id}/destroy_custom_attributes",
    tag = "Contacts", security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("id" = i64, Path)), request_body = RemoveCustomAttributesRequest,
    responses((status = 200, body = ContactPayload), (status = 400), (status = 401), (status = 404), (status = 422)))]
pub async fn destroy_custom_attributes(
    State(state): State<AppState>,
    member: Member,
    path: ContactPath,
    request_id: RequestId,
    ApiJson(body): ApiJson<RemoveCustomAttributesRequest>,
) -> ApiResult<Json<ContactPayload>> {
    let (account_id, id) = (member.account_id(), path.id()?);
    find_contact(&state, account_id, id, false).await?;
    let keys = string_list(body.custom_attributes.as_ref(), "custom_attributes", "Custom attributes")?;
    let ctx = member.context(&request_id);
    let done =
        contacts::remove_custom_attributes(&state.commands, &ctx, AccountId(account_id), ContactId(id), keys)
            .await?;
    state.settle(done.position).await?;
    Ok(Json(ContactPayload { payload: find_contact(&state, account_id, id, true).await? }))
}
