//! `GET /api/v1/accounts/{account_id}/contacts/{id}/conversations`

use crate::application::conversations::access::visibility;
use crate::application::conversations::json::{render_many, ConversationJson};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Ids, Member};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use onelink_projections::contacts::query as contact_rows;
use onelink_projections::conversations::query::{self, ListQuery};
use serde::Serialize;
use utoipa::ToSchema;

/// At most this many, most recent activity first (upstream).
const LIMIT: i64 = 20;

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactConversations {
    payload: Vec<ConversationJson>,
}

/// `GET /api/v1/accounts/{account_id}/contacts/{id}/conversations` — the
/// contact's 20 most recent conversations the caller may see.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/contacts/{id}/conversations", tag = "Contacts",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = ContactConversations), (status = 401), (status = 404)))]
pub async fn index(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
) -> ApiResult<Json<ContactConversations>> {
    let account_id = member.account_id();
    contact_rows::find(&state.pool, account_id, id).await?.ok_or(ApiError::NotFound)?;
    let q = ListQuery {
        account_id,
        caller_id: member.user.id,
        visibility: Some(visibility(&state, &member).await?),
        contact_id: Some(id),
        page: 1,
        limit: Some(LIMIT),
        ..ListQuery::default()
    };
    let rows = query::list(&state.pool, &q).await?;
    Ok(Json(ContactConversations {
        payload: render_many(&state, account_id, Some(member.user.id), &rows).await?,
    }))
}
