//! `/api/v1/accounts/{account_id}/webhooks`: administrators only (anyone
//! else gets 401 before any lookup, as upstream). Upstream endpoints:
//! index, create, update, destroy; OneLink adds the delivery log and
//! replay.

pub mod crud;
pub mod deliveries;
pub mod json;
pub mod replay;

use crate::error::{ApiError, ApiResult};
use crate::extract::Member;
use crate::state::AppState;
use json::{Webhook, WebhookBody, WebhookPayload};
use onelink_domain::Violations;
use onelink_projections::webhooks::query::{self, WebhookRow};

/// The webhook `id` of the caller's account, or 404.
async fn webhook_of(state: &AppState, member: &Member, id: i64) -> ApiResult<WebhookRow> {
    query::find(&state.pool, member.account_id(), id).await?.ok_or(ApiError::NotFound)
}

/// `{payload: {webhook: …}}` for the webhook `id` as the read model has it.
async fn render(state: &AppState, member: &Member, id: i64) -> ApiResult<WebhookPayload> {
    let row = webhook_of(state, member, id).await?;
    Ok(WebhookPayload { payload: WebhookBody { webhook: Webhook::render(state, row).await? } })
}

/// An `inbox_id` must name an inbox of the caller's account.
async fn check_inbox(state: &AppState, member: &Member, inbox_id: Option<i64>) -> ApiResult<()> {
    let Some(id) = inbox_id else { return Ok(()) };
    match onelink_projections::inboxes::query::find(&state.pool, member.account_id(), id).await? {
        Some(_) => Ok(()),
        None => Err(ApiError::Invalid(Violations::single("inbox", "Inbox must exist"))),
    }
}
