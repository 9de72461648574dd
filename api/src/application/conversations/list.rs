//! `GET /conversations`, `GET /conversations/meta`, `GET /conversations/{id}`.

use super::access::{conversation_for, visibility};
use super::audit::as_of;
use super::json::{render_many, ConversationJson};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Ids, Member};
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::Json;
use onelink_domain::conversation::Status;
use onelink_projections::conversations::query::{
    self, AssigneeFilter, Counts, ListQuery, SortOrder, PER_PAGE,
};
use onelink_projections::conversations::status_code;
use serde::Serialize;
use utoipa::ToSchema;

/// The listing parameters, read as Rails reads them (`labels[]=…`).
#[derive(Debug, Default)]
struct Params {
    assignee_type: Option<String>,
    status: Option<String>,
    q: Option<String>,
    inbox_id: Option<String>,
    team_id: Option<String>,
    labels: Vec<String>,
    source_id: Option<String>,
    conversation_type: Option<String>,
    sort_by: Option<String>,
    page: Option<String>,
    updated_within: Option<String>,
}

impl Params {
    fn parse(raw: Option<&str>) -> Params {
        let mut p = Params::default();
        for (key, value) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
            let value = value.into_owned();
            match key.as_ref() {
                "assignee_type" => p.assignee_type = Some(value),
                "status" => p.status = Some(value),
                "q" => p.q = Some(value),
                "inbox_id" => p.inbox_id = Some(value),
                "team_id" => p.team_id = Some(value),
                "labels[]" => p.labels.push(value),
                "labels" => p.labels.extend(value.split(',').map(str::to_owned)),
                "source_id" => p.source_id = Some(value),
                "conversation_type" => p.conversation_type = Some(value),
                "sort_by" => p.sort_by = Some(value),
                "page" => p.page = Some(value),
                "updated_within" => p.updated_within = Some(value),
                _ => {}
            }
        }
        p
    }
}

/// An id parameter; anything unparsable names nothing (404 like Rails).
fn id_param(value: Option<&str>) -> ApiResult<Option<i64>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| ApiError::NotFound),
    }
}

async fn build_query(state: &AppState, member: &Member, p: &Params) -> ApiResult<ListQuery> {
    let account_id = member.account_id();
    let q = p.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(|q| q.replace('\0', ""));
    // `status` is ignored when searching (upstream)
    let status = match (&q, p.status.as_deref()) {
        (Some(_), _) | (None, Some("all")) => None,
        (None, None | Some("")) => Some(status_code(Status::Open)),
        (None, Some(s)) => Some(status_code(Status::parse(s).unwrap_or(Status::Open))),
    };
    let team_id = id_param(p.team_id.as_deref())?;
    if let Some(team) = team_id {
        onelink_projections::teams::query::find(&state.pool, account_id, team)
            .await?
            .ok_or(ApiError::NotFound)?;
    }
    let assignee = match p.assignee_type.as_deref() {
        Some("me") => AssigneeFilter::Me,
        Some("unassigned") => AssigneeFilter::Unassigned,
        Some("assigned") => AssigneeFilter::Assigned,
        _ => AssigneeFilter::All,
    };
    let updated_within =
        p.updated_within.as_deref().and_then(|v| v.trim().parse::<i64>().ok()).filter(|s| *s > 0);
    let page = p.page.as_deref().and_then(|v| v.trim().parse::<i64>().ok()).unwrap_or(1).clamp(1, 100_000);
    Ok(ListQuery {
        account_id,
        caller_id: member.user.id,
        visibility: Some(visibility(state, member).await?),
        status,
        inbox_id: id_param(p.inbox_id.as_deref())?,
        team_id,
        labels: p
            .labels
            .iter()
            .map(|l| l.trim().to_lowercase())
            .filter(|l| !l.is_empty() && !l.contains('\0'))
            .collect(),
        source_id: p.source_id.clone().filter(|s| !s.is_empty() && !s.contains('\0')),
        q,
        unattended: p.conversation_type.as_deref() == Some("unattended"),
        contact_id: None,
        updated_within_seconds: updated_within,
        filter: None,
        assignee,
        sort: p.sort_by.as_deref().and_then(SortOrder::parse).unwrap_or_default(),
        page,
        limit: if updated_within.is_some() { None } else { Some(PER_PAGE) },
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ListMeta {
    mine_count: i64,
    assigned_count: i64,
    unassigned_count: i64,
    all_count: i64,
}

impl From<Counts> for ListMeta {
    fn from(c: Counts) -> Self {
        Self {
            mine_count: c.mine,
            assigned_count: c.assigned(),
            unassigned_count: c.unassigned,
            all_count: c.all,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConversationPage {
    meta: ListMeta,
    payload: Vec<ConversationJson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConversationList {
    data: ConversationPage,
}

/// `GET /api/v1/accounts/{account_id}/conversations` — 25 per page with the
/// counts of the whole filtered set.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/conversations", tag = "Conversations",
    security(("api_access_token" = [])), params(("account_id" = i64, Path)),
    responses((status = 200, body = ConversationList), (status = 401), (status = 404)))]
pub async fn index(
    State(state): State<AppState>,
    member: Member,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<ConversationList>> {
    let params = Params::parse(raw.as_deref());
    let q = build_query(&state, &member, &params).await?;
    let counts = query::counts(&state.pool, &q).await?;
    let rows = query::list(&state.pool, &q).await?;
    let payload = render_many(&state, q.account_id, Some(member.user.id), &rows).await?;
    Ok(Json(ConversationList { data: ConversationPage { meta: counts.into(), payload } }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MetaOnly {
    meta: ListMeta,
}

/// `GET /api/v1/accounts/{account_id}/conversations/meta` — the counts only.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/conversations/meta", tag = "Conversations",
    security(("api_access_token" = [])), params(("account_id" = i64, Path)),
    responses((status = 200, body = MetaOnly), (status = 401), (status = 404)))]
pub async fn meta(
    State(state): State<AppState>,
    member: Member,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<MetaOnly>> {
    let params = Params::parse(raw.as_deref());
    let q = build_query(&state, &member, &params).await?;
    Ok(Json(MetaOnly { meta: query::counts(&state.pool, &q).await?.into() }))
}

/// `GET /api/v1/accounts/{account_id}/conversations/{id}` — by display id;
/// with `as_of` the conversation as it was then (see `audit::as_of`).
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/conversations/{id}", tag = "Conversations",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path),
        ("as_of" = Option<String>, Query, description = "RFC 3339 time or unix seconds: the conversation as it was then")),
    responses((status = 200, body = ConversationJson), (status = 401), (status = 404), (status = 422)))]
pub async fn show(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<ConversationJson>> {
    let at = as_of::requested(raw.as_deref())?;
    let caller = Caller::User(member);
    let row = conversation_for(&state, &caller, id).await?;
    match at {
        Some(at) => as_of::render_as_of(&state, &caller, &row, at).await.map(Json),
        None => render_one(&state, &caller, row).await.map(Json),
    }
}

/// Renders one conversation for the caller.
pub async fn render_one(
    state: &AppState,
    caller: &Caller,
    row: onelink_projections::conversations::ConversationRow,
) -> ApiResult<ConversationJson> {
    let caller_id = match caller {
        Caller::User(m) => Some(m.user.id),
        Caller::Bot { .. } => None,
    };
    let mut rendered = render_many(state, row.account_id, caller_id, std::slice::from_ref(&row)).await?;
    rendered.pop().ok_or(ApiError::NotFound)
}
