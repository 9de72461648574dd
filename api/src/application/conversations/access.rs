//! Who may see and act on a conversation (upstream `ConversationPolicy`,
//! `PermissionFilterService`): administrators and the account's bots see
//! everything; an agent sees conversations of inboxes they are a member of,
//! or of a team they belong to when acting on a single conversation.

use crate::error::{ApiError, ApiResult};
use crate::extract::member::NOT_AUTHORIZED;
use crate::extract::{Caller, Member};
use crate::state::AppState;
use onelink_projections::conversations::query::{find_by_display_id, Visibility};
use onelink_projections::conversations::ConversationRow;
use onelink_projections::{inboxes, teams};

/// What listings show the member.
pub async fn visibility(state: &AppState, member: &Member) -> ApiResult<Visibility> {
    if member.is_admin() {
        return Ok(Visibility::All);
    }
    let ids = inboxes::member_inbox_ids(&state.pool, member.account_id(), member.user.id).await?;
    Ok(Visibility::Inboxes(ids))
}

/// Whether an agent may act on this conversation.
async fn agent_may_access(state: &AppState, member: &Member, c: &ConversationRow) -> ApiResult<bool> {
    if inboxes::is_member(&state.pool, c.account_id, c.inbox_id, member.user.id).await? {
        return Ok(true);
    }
    match c.team_id {
        Some(team) => Ok(teams::query::is_member(&state.pool, c.account_id, team, member.user.id).await?),
        None => Ok(false),
    }
}

/// The conversation `display_id` of the caller's account, if they may act
/// on it: 404 when it does not exist, 401 when they may not.
pub async fn conversation_for(
    state: &AppState,
    caller: &Caller,
    display_id: i64,
) -> ApiResult<ConversationRow> {
    let account_id = match caller {
        Caller::User(member) => member.account_id(),
        Caller::Bot { account, .. } => account.id,
    };
    let row = find_by_display_id(&state.pool, account_id, display_id).await?.ok_or(ApiError::NotFound)?;
    if let Caller::User(member) = caller {
        if !member.is_admin() && !agent_may_access(state, member, &row).await? {
            return Err(ApiError::NotPermitted(NOT_AUTHORIZED.into()));
        }
    }
    Ok(row)
}

/// [`conversation_for`] for user-only endpoints.
pub async fn conversation_for_member(
    state: &AppState,
    member: &Member,
    display_id: i64,
) -> ApiResult<ConversationRow> {
    conversation_for(state, &Caller::User(member.clone()), display_id).await
}
