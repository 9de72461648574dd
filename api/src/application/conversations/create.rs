//! `POST /api/v1/accounts/{account_id}/conversations`

use super::list::render_one;
use super::message_input::{message_error, MessageRequest};
use crate::dto::flexible_id;
use crate::error::{ApiError, ApiResult};
use crate::extract::member::NOT_AUTHORIZED;
use crate::extract::{ApiJson, Caller, RequestBody};
use crate::state::{AppState, RequestId};
use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use onelink_commands::conversations::{self as commands, ConversationInput};
use onelink_commands::{contact_inboxes, CommandContext};
use onelink_domain::conversation::{Assignee, Sender, Status};
use onelink_domain::ids::{AccountId, AgentBotId, ContactId, InboxId, TeamId, UserId};
use onelink_domain::Actor;
use onelink_projections::contact_inboxes as contact_inbox_rows;
use onelink_projections::contacts::query as contact_rows;
use onelink_projections::conversations::query::latest_for_contact_inbox;
use onelink_projections::platform::accounts as account_rows;
use onelink_projections::{inboxes, teams};
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateConversationRequest {
    source_id: Option<String>,
    #[serde(default, deserialize_with = "flexible_id")]
    #[schema(value_type = Option<i64>)]
    inbox_id: Option<i64>,
    #[serde(default, deserialize_with = "flexible_id")]
    #[schema(value_type = Option<i64>)]
    contact_id: Option<i64>,
    /// `open` (default), `resolved`, `pending` or `snoozed`.
    status: Option<String>,
    /// Unix seconds.
    snoozed_until: Option<i64>,
    #[serde(default, deserialize_with = "flexible_id")]
    #[schema(value_type = Option<i64>)]
    assignee_id: Option<i64>,
    #[serde(default, deserialize_with = "flexible_id")]
    #[schema(value_type = Option<i64>)]
    team_id: Option<i64>,
    #[schema(value_type = Option<Object>)]
    additional_attributes: Option<Map<String, Value>>,
    #[schema(value_type = Option<Object>)]
    custom_attributes: Option<Map<String, Value>>,
    #[serde(default)]
    hmac_verified: Option<bool>,
    message: Option<MessageRequest>,
}

impl RequestBody for CreateConversationRequest {}

/// The conversation's contact inbox: by inbox and contact (created when
/// missing), or by source id alone.
async fn resolve_contact_inbox(
    state: &AppState,
    ctx: &CommandContext,
    account_id: i64,
    body: &CreateConversationRequest,
) -> ApiResult<(inboxes::InboxRow, contact_rows::ContactRow, String)> {
    match (body.inbox_id, body.contact_id) {
        (Some(inbox_id), Some(contact_id)) => {
            let inbox = inboxes::find(&state.pool, account_id, inbox_id).await?.ok_or(ApiError::NotFound)?;
            let contact =
                contact_rows::find(&state.pool, account_id, contact_id).await?.ok_or(ApiError::NotFound)?;
            let done = contact_inboxes::find_or_create(
                &state.commands,
                ctx,
                AccountId(account_id),
                ContactId(contact.id),
                InboxId(inbox.id),
                body.source_id.clone(),
                body.hmac_verified.unwrap_or(false),
            )
            .await?;
            state.settle(done.position).await?;
            Ok((inbox, contact, done.value.source_id))
        }
        _ => {
            let source_id = body.source_id.as_deref().filter(|s| !s.is_empty()).ok_or(ApiError::NotFound)?;
            let ci = contact_inbox_rows::find_by_source(&state.pool, account_id, source_id)
                .await?
                .ok_or(ApiError::NotFound)?;
            let inbox =
                inboxes::find(&state.pool, account_id, ci.inbox_id).await?.ok_or(ApiError::NotFound)?;
            let contact = contact_rows::find(&state.pool, account_id, ci.contact_id)
                .await?
                .ok_or(ApiError::NotFound)?;
            Ok((inbox, contact, ci.source_id))
        }
    }
}

/// The assignee and team after the upstream's rules: the assignee must be a
/// member of the account (OneLink; the upstream does not check), a team must
/// exist, and an assignee outside the team is dropped.
async fn resolve_assignment(
    state: &AppState,
    account_id: i64,
    body: &CreateConversationRequest,
) -> ApiResult<(Option<Assignee>, Option<TeamId>)> {
    let team = match body.team_id {
        Some(id) => Some(teams::query::find(&state.pool, account_id, id).await?.ok_or(ApiError::NotFound)?),
        None => None,
    };
    let mut assignee = None;
    if let Some(user) = body.assignee_id {
        if account_rows::membership(&state.pool, account_id, user).await?.is_none() {
            return Err(ApiError::Unprocessable("Assignee must be a member of the account".into()));
        }
        assignee = Some(user);
    }
    if let (Some(team), Some(user)) = (&team, assignee) {
        if !teams::query::is_member(&state.pool, account_id, team.id, user).await? {
            assignee = None;
        }
    }
    Ok((assignee.map(|u| Assignee::User(UserId(u))), team.map(|t| TeamId(t.id))))
}

/// `POST /api/v1/accounts/{account_id}/conversations` — members of the
/// target inbox (administrators: any inbox) and the account's bots.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/conversations", tag = "Conversations",
    security(("api_access_token" = [])), params(("account_id" = i64, Path)),
    request_body = CreateConversationRequest,
    responses((status = 200, body = super::json::ConversationJson), (status = 401), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    request_id: RequestId,
    ApiJson(body): ApiJson<CreateConversationRequest>,
) -> ApiResult<Json<super::json::ConversationJson>> {
    let (account_id, actor, sender) = match &caller {
        Caller::User(m) => (m.account_id(), Actor::User(m.user.id), Sender::User(UserId(m.user.id))),
        Caller::Bot { account, bot } => {
            (account.id, Actor::AgentBot(bot.id), Sender::AgentBot(AgentBotId(bot.id)))
        }
    };
    let ctx = request_id.context(actor);
    let status = match body.status.as_deref().map(str::trim) {
        None | Some("") => Status::Open,
        Some(raw) => Status::parse(raw)
            .ok_or_else(|| ApiError::Unprocessable("Status is not included in the list".into()))?,
    };
    let snoozed_until = match body.snoozed_until {
        Some(secs) => Some(
            DateTime::<Utc>::from_timestamp(secs, 0)
                .ok_or_else(|| ApiError::Unprocessable("snoozed_until is not a valid time".into()))?,
        ),
        None => None,
    };
    let (inbox, contact, source_id) = resolve_contact_inbox(&state, &ctx, account_id, &body).await?;
    if let Caller::User(member) = &caller {
        if !member.is_admin()
            && !inboxes::is_member(&state.pool, account_id, inbox.id, member.user.id).await?
        {
            return Err(ApiError::NotPermitted(NOT_AUTHORIZED.into()));
        }
    }
    if inbox.settings.0.lock_to_single_conversation {
        if let Some(existing) =
            latest_for_contact_inbox(&state.pool, account_id, inbox.id, &source_id).await?
        {
            return render_one(&state, &caller, existing).await.map(Json);
        }
    }
    let (assignee, team_id) = resolve_assignment(&state, account_id, &body).await?;
    let status = if contact.blocked {
        Status::Resolved
    } else if inbox.agent_bot_id.is_some() {
        Status::Pending
    } else {
        status
    };
    let api_inbox = inbox.channel_type == "Channel::Api";
    let message = match &body.message {
        Some(m) => Some(m.to_input(sender, ContactId(contact.id), api_inbox)?),
        None => None,
    };
    let input = ConversationInput {
        account_id: AccountId(account_id),
        inbox_id: InboxId(inbox.id),
        contact_id: ContactId(contact.id),
        source_id: Some(source_id),
        status,
        snoozed_until,
        priority: None,
        assignee,
        team_id,
        additional_attributes: body.additional_attributes.clone().unwrap_or_default(),
        custom_attributes: body.custom_attributes.clone().unwrap_or_default(),
        message,
    };
    let done = commands::create(&state.commands, &ctx, input, ctx.now()).await.map_err(message_error)?;
    state.settle(done.position).await?;
    let row = onelink_projections::conversations::query::find_by_display_id(
        &state.pool,
        account_id,
        done.value.1 .0,
    )
    .await?
    .ok_or(ApiError::NotFound)?;
    render_one(&state, &caller, row).await.map(Json)
}
