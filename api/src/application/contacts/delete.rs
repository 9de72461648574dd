//! Deleting a contact.

use super::find_contact;
use super::params::ContactPath;
use crate::error::ApiResult;
use crate::extract::Member;
use crate::state::{AppState, RequestId};
use axum::extract::State;
use axum::http::StatusCode;
use onelink_commands::contacts;
use onelink_domain::ids::{AccountId, ContactId, InboxId};
use onelink_projections::contact_inboxes;

/// `DELETE /api/v1/accounts/{account_id}/contacts/{id}` — administrators;
/// 200 with an empty body. The contact's e-mail, phone number and
/// identifier become free again.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/contacts/{id}", tag = "Contacts",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200), (status = 401), (status = 404)))]
pub async fn destroy(
    State(state): State<AppState>,
    member: Member,
    path: ContactPath,
    request_id: RequestId,
) -> ApiResult<StatusCode> {
    member.require_admin()?;
    let account_id = member.account_id();
    let id = path.id()?;
    find_contact(&state, account_id, id, false).await?;
    // TODO(presence): 422 "<Name> is Online, please try again later" while
    // the contact has a live widget session, once presence exists.
    let ctx = member.context(&request_id);
    let held: Vec<(InboxId, String)> = contact_inboxes::held_by(&state.pool, account_id, id)
        .await?
        .into_iter()
        .map(|(inbox, source)| (InboxId(inbox), source))
        .collect();
    let done = contacts::delete(&state.commands, &ctx, AccountId(account_id), ContactId(id), &held).await?;
    state.settle(done.position).await?;
    Ok(StatusCode::OK)
}
