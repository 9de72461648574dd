//! `POST /api/v1/accounts/{account_id}/conversations/{id}/update_last_seen`
//! (upstream `SeenStatusConcern#update_last_seen`): the caller read the
//! conversation now. `agent_last_seen_at` becomes now (and
//! `assignee_last_seen_at` when the caller is the assignee), which resets
//! `unread_count`; `updated_at` does not change (upstream `update_column`).

use super::access::conversation_for_member;
use super::actions::run;
use crate::error::ApiResult;
use crate::extract::{Ids, Member};
use crate::state::{AppState, RequestId};
use axum::extract::State;
use axum::http::StatusCode;
use onelink_domain::conversation::ConversationCommand;
use onelink_domain::ids::UserId;

/// `POST /api/v1/accounts/{account_id}/conversations/{id}/update_last_seen`
/// — 204 (the upstream action renders nothing).
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/conversations/{id}/update_last_seen",
    tag = "Conversations", security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 204), (status = 401), (status = 404)))]
pub async fn update_last_seen(
    State(state): State<AppState>,
    member: Member,
    request_id: RequestId,
    Ids((_, id)): Ids<(i64, i64)>,
) -> ApiResult<StatusCode> {
    let row = conversation_for_member(&state, &member, id).await?;
    let by = UserId(member.user.id);
    let ctx = member.context(&request_id);
    let at = ctx.now();
    run(&state, &ctx, &row, || ConversationCommand::MarkSeen { by, at }).await?;
    Ok(StatusCode::NO_CONTENT)
}
