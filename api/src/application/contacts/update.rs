//! Updating a contact.

use super::avatar;
use super::find_contact;
use super::json::{ContactPayload, ContactRequest};
use super::params::{ContactPath, ListParams};
use crate::blobs::upload::WithFiles;
use crate::error::ApiResult;
use crate::extract::Member;
use crate::state::{AppState, RequestId};
use axum::extract::{RawQuery, State};
use axum::Json;
use onelink_commands::contacts;
use onelink_domain::ids::{AccountId, ContactId};

/// `PATCH|PUT /api/v1/accounts/{account_id}/contacts/{id}` — any member.
/// JSON, or multipart with an `avatar` image file; `avatar_url` is fetched
/// in the background (see [`avatar`]).
/// Given fields replace the current ones; `additional_attributes` and
/// `custom_attributes` are merged key by key into the current hashes.
#[utoipa::path(method(patch, put), path = "/api/v1/accounts/{account_id}/contacts/{id}", tag = "Contacts",
    security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("id" = i64, Path), ("include_contact_inboxes" = Option<bool>, Query)),
    request_body = ContactRequest,
    responses((status = 200, body = ContactPayload), (status = 400), (status = 401), (status = 404), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    member: Member,
    path: ContactPath,
    RawQuery(query): RawQuery,
    request_id: RequestId,
    form: WithFiles<ContactRequest>,
) -> ApiResult<Json<ContactPayload>> {
    let account_id = member.account_id();
    let id = path.id()?;
    let with_inboxes = ListParams::parse(query.as_deref()).include_contact_inboxes;
    find_contact(&state, account_id, id, false).await?;
    let change = avatar::check(&state, &form).await?;
    let ctx = member.context(&request_id);
    let done =
        contacts::update(&state.commands, &ctx, AccountId(account_id), ContactId(id), form.body.into_input())
            .await?;
    state.settle(done.position).await?;
    avatar::apply(&state, &ctx, account_id, id, change).await?;
    let payload = find_contact(&state, account_id, id, with_inboxes).await?;
    Ok(Json(ContactPayload { payload }))
}
