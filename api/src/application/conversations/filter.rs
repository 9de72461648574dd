//! `POST /api/v1/accounts/{account_id}/conversations/filter` — the
//! conversations the caller may see that match the upstream's condition
//! list, 25 per page, newest activity first, with counts of the whole
//! filtered set.

use super::access::visibility;
use super::json::{render_many, ConversationJson};
use crate::application::contacts::params::page_number;
use crate::error::ApiResult;
use crate::extract::{ApiJson, Member, RequestBody};
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::Json;
use onelink_projections::conversations::filter as conversation_filter;
use onelink_projections::conversations::query::{self, ListQuery, SortOrder, PER_PAGE};
use onelink_projections::custom_attributes;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// Highest page number accepted (deeper pages are empty anyway).
const MAX_PAGE: i64 = 100_000;

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ConversationFilterRequest {
    /// Conditions: `[{attribute_key, filter_operator, values, query_operator}]`.
    #[serde(default)]
    #[schema(value_type = Option<Vec<Object>>)]
    pub payload: Option<Value>,
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub page: Option<Value>,
}

impl RequestBody for ConversationFilterRequest {}

/// The filter's counts: no `assigned_count` (as upstream).
#[derive(Debug, Serialize, ToSchema)]
pub struct FilterMeta {
    mine_count: i64,
    unassigned_count: i64,
    all_count: i64,
}

/// Not wrapped in `data` (as upstream).
#[derive(Debug, Serialize, ToSchema)]
pub struct FilteredConversations {
    meta: FilterMeta,
    payload: Vec<ConversationJson>,
}

/// The page from the body, else the query string, else 1.
fn page(body: Option<&Value>, raw_query: Option<&str>) -> i64 {
    let from_query = || {
        url::form_urlencoded::parse(raw_query.unwrap_or_default().as_bytes())
            .filter(|(k, _)| k == "page")
            .last()
            .map(|(_, v)| Value::String(v.into_owned()))
    };
    let raw = body.filter(|v| !v.is_null()).cloned().or_else(from_query).unwrap_or(Value::from(1));
    page_number(&raw).clamp(1, MAX_PAGE)
}

#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/conversations/filter", tag = "Conversations",
    security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("page" = Option<i64>, Query)),
    request_body = ConversationFilterRequest,
    responses((status = 200, body = FilteredConversations), (status = 400), (status = 401), (status = 404), (status = 422)))]
pub async fn filter(
    State(state): State<AppState>,
    member: Member,
    RawQuery(raw): RawQuery,
    ApiJson(body): ApiJson<ConversationFilterRequest>,
) -> ApiResult<Json<FilteredConversations>> {
    let account_id = member.account_id();
    let model = conversation_filter::CONVERSATIONS.custom_attribute_model;
    let custom = custom_attributes::query::filter_attributes(&state.pool, account_id, model).await?;
    let today = chrono::Utc::now().date_naive();
    let conditions = conversation_filter::parse(body.payload.as_ref(), &custom, today)?;
    let q = ListQuery {
        account_id,
        caller_id: member.user.id,
        visibility: Some(visibility(&state, &member).await?),
        filter: Some(conditions),
        sort: SortOrder::LastActivityDesc,
        page: page(body.page.as_ref(), raw.as_deref()),
        limit: Some(PER_PAGE),
        ..ListQuery::default()
    };
    let counts = query::counts(&state.pool, &q).await?;
    let rows = query::list(&state.pool, &q).await?;
    let payload = render_many(&state, account_id, Some(member.user.id), &rows).await?;
    let meta =
        FilterMeta { mine_count: counts.mine, unassigned_count: counts.unassigned, all_count: counts.all };
    Ok(Json(FilteredConversations { meta, payload }))
}
