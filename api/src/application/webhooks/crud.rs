//! Listing, creating, changing and deleting webhooks (upstream
//! `webhooks_controller.rb`, same shapes).

use super::json::{subscription_list, Webhook, WebhookList, WebhookListBody, WebhookPayload, WebhookRequest};
use super::{check_inbox, render, webhook_of};
use crate::error::ApiResult;
use crate::extract::{ApiJson, Ids, Member};
use crate::state::{AppState, RequestId};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use onelink_commands::webhooks::{self, WebhookChange, WebhookInput};
use onelink_domain::ids::{AccountId, InboxId, WebhookId};
use onelink_projections::webhooks::query;

/// `GET /api/v1/accounts/{account_id}/webhooks` — the account's webhooks.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/webhooks", tag = "Webhooks",
    security(("api_access_token" = [])), params(("account_id" = i64, Path)),
    responses((status = 200, body = WebhookList), (status = 401), (status = 404)))]
pub async fn index(State(state): State<AppState>, member: Member) -> ApiResult<Json<WebhookList>> {
    member.require_admin()?;
    let mut webhooks = Vec::new();
    for row in query::list(&state.pool, member.account_id()).await? {
        webhooks.push(Webhook::render(&state, row).await?);
    }
    Ok(Json(WebhookList { payload: WebhookListBody { webhooks } }))
}

/// `POST /api/v1/accounts/{account_id}/webhooks` — 200 with the webhook and
/// its signing secret.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/webhooks", tag = "Webhooks",
    security(("api_access_token" = [])), params(("account_id" = i64, Path)), request_body = WebhookRequest,
    responses((status = 200, body = WebhookPayload), (status = 401), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    request_id: RequestId,
    ApiJson(body): ApiJson<WebhookRequest>,
) -> ApiResult<Json<WebhookPayload>> {
    member.require_admin()?;
    let inbox_id = body.inbox_id.flatten();
    check_inbox(&state, &member, inbox_id).await?;
    let input = WebhookInput {
        url: body.url,
        name: body.name.flatten(),
        subscriptions: subscription_list(body.subscriptions),
        inbox_id: inbox_id.map(InboxId),
    };
    let ctx = member.context(&request_id);
    let done = webhooks::create(&state.commands, &ctx, AccountId(member.account_id()), input).await?;
    state.settle(done.position).await?;
    Ok(Json(render(&state, &member, done.value.0).await?))
}

/// `PATCH|PUT /api/v1/accounts/{account_id}/webhooks/{id}` — absent fields
/// are kept; `enabled` (OneLink) stops or resumes deliveries.
#[utoipa::path(method(patch, put), path = "/api/v1/accounts/{account_id}/webhooks/{id}", tag = "Webhooks",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    request_body = WebhookRequest,
    responses((status = 200, body = WebhookPayload), (status = 401), (status = 404), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
    ApiJson(body): ApiJson<WebhookRequest>,
) -> ApiResult<Json<WebhookPayload>> {
    member.require_admin()?;
    webhook_of(&state, &member, id).await?;
    check_inbox(&state, &member, body.inbox_id.flatten()).await?;
    let change = WebhookChange {
        url: body.url,
        name: body.name,
        subscriptions: subscription_list(body.subscriptions),
        inbox_id: body.inbox_id.map(|i| i.map(InboxId)),
        enabled: body.enabled,
    };
    let ctx = member.context(&request_id);
    let account = AccountId(member.account_id());
    let done = webhooks::update(&state.commands, &ctx, account, WebhookId(id), change).await?;
    state.settle(done.position).await?;
    Ok(Json(render(&state, &member, id).await?))
}

/// `DELETE /api/v1/accounts/{account_id}/webhooks/{id}` — 200, empty body;
/// pending deliveries are cancelled.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/webhooks/{id}", tag = "Webhooks",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200), (status = 401), (status = 404)))]
pub async fn destroy(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
) -> ApiResult<StatusCode> {
    member.require_admin()?;
    webhook_of(&state, &member, id).await?;
    let ctx = member.context(&request_id);
    let done = webhooks::delete(&state.commands, &ctx, AccountId(member.account_id()), WebhookId(id)).await?;
    state.settle(done.position).await?;
    Ok(StatusCode::OK)
}
