//! `GET /api/v1/accounts/{account_id}/conversations/{id}/events` — the
//! conversation stream's events, oldest first.
//!
//! Paging: `per_page` (1–100, default 25) with either the cursor
//! `after_version` (events with a higher stream version;
//! `meta.next_after_version` continues, `null` on the last page) or `page`
//! (1-based). Stream versions are gapless, so both address the same pages.
//! Non-numeric or out-of-range values are a 422.

use super::super::access::conversation_for_member;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Ids, Member};
use crate::platform::iso;
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::Json;
use onelink_projections::contacts::query as contacts;
use onelink_projections::conversations::history;
use onelink_projections::log::RecordedEvent;
use onelink_projections::platform::accounts::agents_among;
use onelink_projections::platform::agent_bots::find_many_for_account;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};
use utoipa::ToSchema;

pub const PER_PAGE: i64 = 25;
pub const MAX_PER_PAGE: i64 = 100;

/// Where the page starts (`after`, a sequence) and how long it is.
fn paging(raw: Option<&str>) -> ApiResult<(i64, i64)> {
    let (mut after, mut page, mut per_page) = (None, None, PER_PAGE);
    for (key, value) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let number = |min: i64, max: i64| -> ApiResult<i64> {
            value.parse::<i64>().ok().filter(|n| (min..=max).contains(n)).ok_or_else(|| {
                ApiError::Unprocessable(format!("{key} must be a whole number from {min} to {max}"))
            })
        };
        match key.as_ref() {
            "after_version" => after = Some(number(0, i64::MAX)?),
            "page" => page = Some(number(1, 1_000_000)?),
            "per_page" => per_page = number(1, MAX_PER_PAGE)?,
            _ => {}
        }
    }
    let after = after.unwrap_or_else(|| (page.unwrap_or(1) - 1) * per_page);
    Ok((after, per_page))
}

/// Display names of the actors of a page, by `(actor_type, id)`.
async fn actor_names(
    state: &AppState,
    account_id: i64,
    events: &[RecordedEvent],
) -> ApiResult<HashMap<(String, i64), String>> {
    let ids = |kind: &str| -> Vec<i64> {
        let set: BTreeSet<i64> =
            events.iter().filter(|e| e.actor_type == kind).filter_map(|e| e.actor_id).collect();
        set.into_iter().collect()
    };
    let mut names = HashMap::new();
    for a in agents_among(&state.pool, account_id, &ids("user")).await? {
        names.insert(("user".to_owned(), a.id), a.name);
    }
    for b in find_many_for_account(&state.pool, account_id, &ids("agent_bot")).await? {
        if let Some(name) = b.name {
            names.insert(("agent_bot".to_owned(), b.id), name);
        }
    }
    for c in contacts::find_many(&state.pool, account_id, &ids("contact")).await? {
        names.insert(("contact".to_owned(), c.id), c.name);
    }
    Ok(names)
}

fn event_json(e: &RecordedEvent, names: &HashMap<(String, i64), String>) -> Value {
    let name = e.actor_id.and_then(|id| names.get(&(e.actor_type.clone(), id)));
    json!({
        "id": e.event_id,
        "version": e.sequence,
        "type": e.event_type,
        "recorded_at": iso(e.recorded_at),
        "actor": { "type": e.actor_type, "id": e.actor_id, "name": name },
        "request_id": e.request_id,
        "data": e.payload,
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventsMeta {
    /// Events in the whole stream.
    total_count: i64,
    per_page: i64,
    /// The stream version this page starts after.
    after_version: i64,
    /// Pass as `after_version` for the next page; `null` on the last page.
    next_after_version: Option<i64>,
}

/// `{meta, payload: [{id, version, type, recorded_at, actor: {type, id,
/// name}, request_id, data}]}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventPage {
    meta: EventsMeta,
    #[schema(value_type = Vec<Object>)]
    payload: Vec<Value>,
}

/// `GET /api/v1/accounts/{account_id}/conversations/{id}/events` — the
/// audit trail, oldest first (see the module docs for paging).
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/conversations/{id}/events", tag = "Audit",
    security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("id" = i64, Path), ("after_version" = Option<i64>, Query),
        ("page" = Option<i64>, Query), ("per_page" = Option<i64>, Query)),
    responses((status = 200, body = EventPage), (status = 401), (status = 404), (status = 422)))]
pub async fn index(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<EventPage>> {
    let (after, per_page) = paging(raw.as_deref())?;
    let c = conversation_for_member(&state, &member, id).await?;
    let total_count = history::event_count(&state.pool, c.account_id, c.id).await?;
    let events = history::events(&state.pool, c.account_id, c.id, after, per_page).await?;
    let names = actor_names(&state, c.account_id, &events).await?;
    let next_after_version = events.last().map(|e| e.sequence).filter(|s| *s < total_count);
    let payload = events.iter().map(|e| event_json(e, &names)).collect();
    Ok(Json(EventPage {
        meta: EventsMeta { total_count, per_page, after_version: after, next_after_version },
        payload,
    }))
}
