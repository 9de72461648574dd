//! `GET /api/v1/accounts/{account_id}/conversations/{id}/messages` — a
//! window of the conversation's messages, oldest first (upstream
//! `MessageFinder`):
//!
//! | params | selection | at most |
//! |---|---|---|
//! | none | the newest | 20 |
//! | `before=B` | the newest with id < B | 20 |
//! | `after=A` | the oldest with id > A | 100 |
//! | `after=A&before=B` | A ≤ id < B (`after` inclusive here) | 1000 |
//!
//! `filter_internal_messages` (true, 1, …; not "false"/"0") leaves out
//! private notes and activity messages. A blank `before`/`after` is
//! ignored; one that is not a whole number is a 422 (upstream: `to_i`,
//! i.e. 0, which silently selects nothing).

use super::super::access::conversation_for_member;
use super::super::json::{message_json, Hydrated};
use super::MessageJson;
use crate::dto::truthy;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Ids, Member};
use crate::platform::iso;
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::Json;
use onelink_projections::conversations::query::{messages, MessageWindow};
use serde::Serialize;
use serde_json::{json, Map, Value};
use utoipa::ToSchema;

/// The window the query string asks for.
fn window(raw: Option<&str>) -> ApiResult<MessageWindow> {
    let mut w = MessageWindow::default();
    for (key, value) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        let id = |name: &str| -> ApiResult<Option<i64>> {
            match value.trim() {
                "" => Ok(None),
                v => v
                    .parse()
                    .map(Some)
                    .map_err(|_| ApiError::Unprocessable(format!("{name} must be a message id"))),
            }
        };
        match key.as_ref() {
            "before" => w.before = id("before")?,
            "after" => w.after = id("after")?,
            "filter_internal_messages" => w.public_only = truthy(&Value::String(value.into_owned())),
            _ => {}
        }
    }
    Ok(w)
}

/// `{meta: {labels, additional_attributes, contact, assignee?,
/// agent_last_seen_at, assignee_last_seen_at}, payload: [Message]}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageList {
    #[schema(value_type = Object)]
    meta: Value,
    payload: Vec<MessageJson>,
}

/// `GET /api/v1/accounts/{account_id}/conversations/{id}/messages` — see
/// the module docs for the windows.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/conversations/{id}/messages", tag = "Messages",
    security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("id" = i64, Path),
        ("before" = Option<i64>, Query), ("after" = Option<i64>, Query),
        ("filter_internal_messages" = Option<bool>, Query)),
    responses((status = 200, body = MessageList), (status = 401), (status = 404), (status = 422)))]
pub async fn index(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<MessageList>> {
    let c = conversation_for_member(&state, &member, id).await?;
    let window = window(raw.as_deref())?;
    let rows = messages(&state.pool, c.account_id, c.id, window).await?;
    let h =
        Hydrated::load(&state, c.account_id, Some(member.user.id), std::slice::from_ref(&c), &rows).await?;
    let mut meta = Map::new();
    meta.insert("labels".into(), json!(c.labels));
    meta.insert("additional_attributes".into(), c.additional_attributes.clone());
    meta.insert("contact".into(), h.contact_push(c.contact_id).unwrap_or(Value::Null));
    if let Some(assignee) = c.assignee_user_id.and_then(|id| h.user_push(id)) {
        meta.insert("assignee".into(), assignee);
    }
    meta.insert("agent_last_seen_at".into(), json!(c.agent_last_seen_at.map(iso)));
    meta.insert("assignee_last_seen_at".into(), json!(c.assignee_last_seen_at.map(iso)));
    let payload = rows.iter().map(|m| MessageJson(message_json(m, &h))).collect();
    Ok(Json(MessageList { meta: Value::Object(meta), payload }))
}
