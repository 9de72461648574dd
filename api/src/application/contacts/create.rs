//! Creating a contact.

use super::avatar;
use super::find_contact;
use super::json::{ContactInboxRef, ContactRequest, CreatedContact, CreatedContactBody};
use crate::blobs::upload::WithFiles;
use crate::error::ApiError;
use crate::error::ApiResult;
use crate::extract::Member;
use crate::state::{AppState, RequestId};
use axum::extract::State;
use axum::Json;
use onelink_commands::{contact_inboxes, contacts};
use onelink_domain::ids::AccountId;
use onelink_domain::ids::InboxId;
use onelink_projections::inboxes::{self, InboxRow};

/// `POST /api/v1/accounts/{account_id}/contacts` — any member; answers 200
/// with the contact and its (for now always empty) contact inbox.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/contacts", tag = "Contacts",
    security(("api_access_token" = [])), params(("account_id" = i64, Path)), request_body = ContactRequest,
    responses((status = 200, body = CreatedContact), (status = 400), (status = 401), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    request_id: RequestId,
    form: WithFiles<ContactRequest>,
) -> ApiResult<Json<CreatedContact>> {
    let change = avatar::check(&state, &form).await?;
    let body = form.body;
    let account_id = member.account_id();
    let inbox = match body.inbox_id {
        Some(inbox_id) => {
            Some(inboxes::find(&state.pool, account_id, inbox_id).await?.ok_or(ApiError::NotFound)?)
        }
        None => None,
    };
    if let (Some(inbox), Some(source_id)) = (&inbox, body.source_id.as_deref()) {
        if onelink_projections::contact_inboxes::find(&state.pool, account_id, inbox.id, source_id)
            .await?
            .is_some()
        {
            return Err(ApiError::Unprocessable("source_id should be unique".into()));
        }
    }
    let ctx = member.context(&request_id);
    let done = contacts::create(&state.commands, &ctx, AccountId(account_id), body.into_input()).await?;
    state.settle(done.position).await?;
    avatar::apply(&state, &ctx, account_id, done.value.0, change).await?;
    let contact_inbox = match inbox {
        Some(inbox) => {
            let ci = contact_inboxes::find_or_create(
                &state.commands,
                &ctx,
                AccountId(account_id),
                done.value,
                InboxId(inbox.id),
                body.source_id.clone(),
                false,
            )
            .await?;
            state.settle(ci.position).await?;
            ContactInboxRef { inbox: Some(raw_inbox(&inbox)), source_id: Some(ci.value.source_id) }
        }
        None => ContactInboxRef { inbox: None, source_id: None },
    };
    let contact = find_contact(&state, account_id, done.value.0, true).await?;
    Ok(Json(CreatedContact { payload: CreatedContactBody { contact, contact_inbox } }))
}

/// The inbox as the upstream renders the bare record: its columns and
/// settings, never its secrets.
pub fn raw_inbox(inbox: &InboxRow) -> serde_json::Value {
    let mut record = serde_json::json!({
        "id": inbox.id,
        "channel_id": inbox.channel_id,
        "account_id": inbox.account_id,
        "name": inbox.name,
        "channel_type": inbox.channel_type,
        "created_at": crate::platform::iso(inbox.created_at),
        "updated_at": crate::platform::iso(inbox.updated_at),
    });
    if let (Some(record), Ok(serde_json::Value::Object(settings))) =
        (record.as_object_mut(), serde_json::to_value(&inbox.settings.0))
    {
        for (key, value) in settings {
            record.entry(key).or_insert(value);
        }
    }
    record
}
