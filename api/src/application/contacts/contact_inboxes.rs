//! A contact's inboxes: `contactable_inboxes` and adding a contact inbox.

use super::json::{ContactInboxSlim, InboxSlim};
use crate::dto::flexible_id;
use crate::error::{ApiError, ApiResult};
use crate::extract::member::NOT_AUTHORIZED;
use crate::extract::{ApiJson, Ids, Member, RequestBody};
use crate::state::{AppState, RequestId};
use axum::extract::State;
use axum::Json;
use onelink_commands::contact_inboxes;
use onelink_domain::ids::{AccountId, ContactId, InboxId};
use onelink_projections::contacts::query as contact_rows;
use onelink_projections::{contact_inboxes as rows, inboxes};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactableInboxes {
    pub payload: Vec<ContactInboxSlim>,
}

fn slim(inbox: &inboxes::InboxRow, source_id: String) -> ContactInboxSlim {
    ContactInboxSlim {
        source_id,
        inbox: InboxSlim {
            id: inbox.id,
            avatar_url: String::new(),
            channel_id: inbox.channel_id,
            name: inbox.name.clone(),
            channel_type: inbox.channel_type.clone(),
            provider: None,
        },
    }
}

async fn contact_exists(state: &AppState, account_id: i64, id: i64) -> ApiResult<()> {
    contact_rows::find(&state.pool, account_id, id).await?.map(|_| ()).ok_or(ApiError::NotFound)
}

/// `GET /api/v1/accounts/{account_id}/contacts/{id}/contactable_inboxes` —
/// the inboxes the caller may reach the contact through, with the
/// contact's source id there (a fresh one where it has none yet).
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/contacts/{id}/contactable_inboxes", tag = "Contacts",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = ContactableInboxes), (status = 401), (status = 404)))]
pub async fn contactable(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
) -> ApiResult<Json<ContactableInboxes>> {
    let account_id = member.account_id();
    contact_exists(&state, account_id, id).await?;
    let held = rows::held_by(&state.pool, account_id, id).await?;
    let visible = inboxes::list_for(&state.pool, account_id, member.user.id, member.is_admin()).await?;
    let payload = visible
        .iter()
        .map(|inbox| {
            let source = held.iter().find(|(i, _)| *i == inbox.id).map(|(_, s)| s.clone());
            slim(inbox, source.unwrap_or_else(|| uuid::Uuid::new_v4().to_string()))
        })
        .collect();
    Ok(Json(ContactableInboxes { payload }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ContactInboxRequest {
    #[serde(default, deserialize_with = "flexible_id")]
    #[schema(value_type = i64)]
    inbox_id: Option<i64>,
    source_id: Option<String>,
    #[serde(default)]
    hmac_verified: Option<bool>,
}

impl RequestBody for ContactInboxRequest {}

/// `POST /api/v1/accounts/{account_id}/contacts/{id}/contact_inboxes` —
/// puts the contact in an inbox the caller belongs to.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/contacts/{id}/contact_inboxes", tag = "Contacts",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    request_body = ContactInboxRequest,
    responses((status = 200, body = ContactInboxSlim), (status = 401), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
    ApiJson(body): ApiJson<ContactInboxRequest>,
) -> ApiResult<Json<ContactInboxSlim>> {
    let account_id = member.account_id();
    contact_exists(&state, account_id, id).await?;
    let inbox_id = body.inbox_id.ok_or_else(|| ApiError::Unprocessable("Inbox must exist".into()))?;
    let inbox = inboxes::find(&state.pool, account_id, inbox_id).await?.ok_or(ApiError::NotFound)?;
    if !member.is_admin() && !inboxes::is_member(&state.pool, account_id, inbox.id, member.user.id).await? {
        return Err(ApiError::NotPermitted(NOT_AUTHORIZED.into()));
    }
    let done = contact_inboxes::find_or_create(
        &state.commands,
        &member.context(&request_id),
        AccountId(account_id),
        ContactId(id),
        InboxId(inbox.id),
        body.source_id,
        body.hmac_verified.unwrap_or(false),
    )
    .await?;
    state.settle(done.position).await?;
    Ok(Json(slim(&inbox, done.value.source_id)))
}
