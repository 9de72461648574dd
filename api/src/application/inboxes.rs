//! `/api/v1/accounts/{account_id}/inboxes`: listing (agents see the inboxes
//! they are members of), show, create, update and delete, avatar removal,
//! and the agent bot binding.

use super::inbox_json::{Inbox, InboxList};
use super::inbox_request::InboxRequest;
use super::json::AgentBot;
use crate::dto::flexible_id;
use crate::error::{ApiError, ApiResult};
use crate::extract::member::NOT_AUTHORIZED;
use crate::extract::{ApiJson, Ids, Member, RequestBody};
use crate::state::{AppState, RequestId};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use onelink_commands::inboxes;
use onelink_domain::ids::{AccountId, AgentBotId, InboxId};
use onelink_projections::inboxes::{self as rows, InboxRow};
use onelink_projections::platform::agent_bots;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::ToSchema;

const LIMIT_EXCEEDED: &str = "Account limit exceeded. Upgrade to a higher plan";
const DELETION_ACCEPTED: &str = "Your inbox deletion request will be processed in some time.";

/// The inbox `id` of the caller's account if the caller may see it
/// (administrators, or members of the inbox): else 404 / 401.
pub async fn visible(state: &AppState, member: &Member, id: i64) -> ApiResult<InboxRow> {
    let inbox = rows::find(&state.pool, member.account_id(), id).await?.ok_or(ApiError::NotFound)?;
    if !member.is_admin() && !rows::is_member(&state.pool, member.account_id(), id, member.user.id).await? {
        return Err(ApiError::NotPermitted(NOT_AUTHORIZED.into()));
    }
    Ok(inbox)
}

/// The inbox `id` of the caller's account, for administrators only.
pub async fn editable(state: &AppState, member: &Member, id: i64) -> ApiResult<InboxRow> {
    let inbox = visible(state, member, id).await?;
    member.require_admin()?;
    Ok(inbox)
}

async fn render(state: &AppState, member: &Member, id: i64) -> ApiResult<Json<Inbox>> {
    let row = rows::find(&state.pool, member.account_id(), id).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(Inbox::new(state, row, member.is_admin())))
}

/// `GET /api/v1/accounts/{account_id}/inboxes` — by name; agents see only
/// the inboxes they are members of.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/inboxes", tag = "Inboxes",
    security(("api_access_token" = [])), params(("account_id" = i64, Path)),
    responses((status = 200, body = InboxList), (status = 401), (status = 404)))]
pub async fn index(State(state): State<AppState>, member: Member) -> ApiResult<Json<InboxList>> {
    let list = rows::list_for(&state.pool, member.account_id(), member.user.id, member.is_admin()).await?;
    let payload = list.into_iter().map(|row| Inbox::new(&state, row, member.is_admin())).collect();
    Ok(Json(InboxList { payload }))
}

/// `GET /api/v1/accounts/{account_id}/inboxes/{id}` — administrators and
/// members of the inbox.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/inboxes/{id}", tag = "Inboxes",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = Inbox), (status = 401), (status = 404)))]
pub async fn show(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
) -> ApiResult<Json<Inbox>> {
    let row = visible(&state, &member, id).await?;
    Ok(Json(Inbox::new(&state, row, member.is_admin())))
}

/// `POST /api/v1/accounts/{account_id}/inboxes` — a website widget or API
/// inbox. Administrators; 402 beyond the account's `limits.inboxes`.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/inboxes", tag = "Inboxes",
    security(("api_access_token" = [])), params(("account_id" = i64, Path)), request_body = InboxRequest,
    responses((status = 200, body = Inbox), (status = 401), (status = 402), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    request_id: RequestId,
    ApiJson(body): ApiJson<InboxRequest>,
) -> ApiResult<Json<Inbox>> {
    member.require_admin()?;
    let account_id = member.account_id();
    if let Some(limit) = member.account.limits.get("inboxes").and_then(Value::as_i64) {
        if rows::count(&state.pool, account_id).await? >= limit {
            return Err(ApiError::PaymentRequired(LIMIT_EXCEEDED.into()));
        }
    }
    let ctx = member.context(&request_id);
    let done = inboxes::create(&state.commands, &ctx, AccountId(account_id), body.into_input()).await?;
    state.settle(done.position).await?;
    render(&state, &member, done.value.0).await
}

/// `PATCH|PUT /api/v1/accounts/{account_id}/inboxes/{id}` — settings,
/// channel attributes and working hours. Administrators.
#[utoipa::path(method(patch, put), path = "/api/v1/accounts/{account_id}/inboxes/{id}", tag = "Inboxes",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    request_body = InboxRequest,
    responses((status = 200, body = Inbox), (status = 401), (status = 404), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
    ApiJson(body): ApiJson<InboxRequest>,
) -> ApiResult<Json<Inbox>> {
    editable(&state, &member, id).await?;
    let ctx = member.context(&request_id);
    let account_id = AccountId(member.account_id());
    let done = inboxes::update(&state.commands, &ctx, account_id, InboxId(id), body.into_change()).await?;
    state.settle(done.position).await?;
    render(&state, &member, id).await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeletionAccepted {
    message: &'static str,
}

/// `DELETE /api/v1/accounts/{account_id}/inboxes/{id}` — administrators.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/inboxes/{id}", tag = "Inboxes",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = DeletionAccepted), (status = 401), (status = 404)))]
pub async fn destroy(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
) -> ApiResult<Json<DeletionAccepted>> {
    editable(&state, &member, id).await?;
    let ctx = member.context(&request_id);
    let done = inboxes::delete(&state.commands, &ctx, AccountId(member.account_id()), InboxId(id)).await?;
    state.settle(done.position).await?;
    Ok(Json(DeletionAccepted { message: DELETION_ACCEPTED }))
}

/// `DELETE /api/v1/accounts/{account_id}/inboxes/{id}/avatar` —
/// administrators.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/inboxes/{id}/avatar", tag = "Inboxes",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200), (status = 401), (status = 404)))]
pub async fn destroy_avatar(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
) -> ApiResult<StatusCode> {
    editable(&state, &member, id).await?;
    let ctx = member.context(&request_id);
    let done =
        inboxes::remove_avatar(&state.commands, &ctx, AccountId(member.account_id()), InboxId(id)).await?;
    state.settle(done.position).await?;
    Ok(StatusCode::OK)
}

/// `GET /api/v1/accounts/{account_id}/inboxes/{id}/agent_bot` — the bound
/// bot, or `{"agent_bot": {}}`. Administrators and members of the inbox.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/inboxes/{id}/agent_bot", tag = "Inboxes",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = Object), (status = 401), (status = 404)))]
pub async fn agent_bot(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
) -> ApiResult<Json<Value>> {
    let inbox = visible(&state, &member, id).await?;
    let bot = match inbox.agent_bot_id {
        Some(bot_id) => agent_bots::find(&state.pool, bot_id).await?,
        None => None,
    };
    let bot = bot
        .filter(|b| b.account_id.is_none_or(|a| a == member.account_id()))
        .map(|b| AgentBot::new(&state, b, member.account_id(), member.is_admin()));
    let rendered = match bot {
        Some(bot) => serde_json::to_value(bot).map_err(anyhow::Error::from)?,
        None => json!({}),
    };
    Ok(Json(json!({ "agent_bot": rendered })))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SetAgentBotRequest {
    /// A bot of this account or a system bot; null or absent unbinds.
    #[serde(default, deserialize_with = "flexible_id")]
    agent_bot: Option<i64>,
}

impl RequestBody for SetAgentBotRequest {}

/// `POST /api/v1/accounts/{account_id}/inboxes/{id}/set_agent_bot` —
/// administrators.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/inboxes/{id}/set_agent_bot", tag = "Inboxes",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    request_body = SetAgentBotRequest, responses((status = 200), (status = 401), (status = 404)))]
pub async fn set_agent_bot(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
    ApiJson(body): ApiJson<SetAgentBotRequest>,
) -> ApiResult<StatusCode> {
    editable(&state, &member, id).await?;
    let ctx = member.context(&request_id);
    let (account_id, bot) = (AccountId(member.account_id()), body.agent_bot.map(AgentBotId));
    let done = inboxes::set_agent_bot(&state.commands, &ctx, account_id, InboxId(id), bot).await?;
    state.settle(done.position).await?;
    Ok(StatusCode::OK)
}
