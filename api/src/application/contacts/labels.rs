//! A contact's labels (upstream `contacts/labels_controller.rb`).

use super::find_contact;
use super::json::{string_list, LabelList, LabelsRequest};
use super::params::ContactPath;
use crate::error::ApiResult;
use crate::extract::{ApiJson, Member};
use crate::state::{AppState, RequestId};
use axum::extract::State;
use axum::Json;
use onelink_commands::contacts;
use onelink_domain::ids::{AccountId, ContactId};
use onelink_projections::contacts::query;

/// `GET /api/v1/accounts/{account_id}/contacts/{id}/labels` — any member.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/contacts/{id}/labels", tag = "Contacts",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = LabelList), (status = 401), (status = 404)))]
pub async fn index(
    State(state): State<AppState>,
    member: Member,
    path: ContactPath,
) -> ApiResult<Json<LabelList>> {
    let (account_id, id) = (member.account_id(), path.id()?);
    find_contact(&state, account_id, id, false).await?;
    Ok(Json(LabelList { payload: query::labels(&state.pool, account_id, id).await? }))
}

/// `POST /api/v1/accounts/{account_id}/contacts/{id}/labels` — any
/// member; `{labels: [...]}` replaces the contact's labels (lower-cased;
/// values that cannot be label titles are dropped).
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/contacts/{id}/labels", tag = "Contacts",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    request_body = LabelsRequest,
    responses((status = 200, body = LabelList), (status = 400), (status = 401), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    path: ContactPath,
    request_id: RequestId,
    ApiJson(body): ApiJson<LabelsRequest>,
) -> ApiResult<Json<LabelList>> {
    let (account_id, id) = (member.account_id(), path.id()?);
    find_contact(&state, account_id, id, false).await?;
    let labels = string_list(body.labels.as_ref(), "labels", "Labels")?;
    // TODO(labels): keep only labels defined in the account once label
    // definitions exist (upstream ignores undefined ones).
    let ctx = member.context(&request_id);
    let done =
        contacts::set_labels(&state.commands, &ctx, AccountId(account_id), ContactId(id), labels).await?;
    state.settle(done.position).await?;
    Ok(Json(LabelList { payload: query::labels(&state.pool, account_id, id).await? }))
}
