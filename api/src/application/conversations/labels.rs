//! `GET|POST /api/v1/accounts/{account_id}/conversations/{id}/labels`

use super::access::conversation_for_member;
use super::actions::run;
use crate::application::contacts::json::string_list;
use crate::error::ApiResult;
use crate::extract::{ApiJson, Ids, Member, RequestBody};
use crate::state::{AppState, RequestId};
use axum::extract::State;
use axum::Json;
use onelink_domain::conversation::ConversationCommand;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// The most labels a conversation keeps.
const LABELS_MAX: usize = 100;

#[derive(Debug, Serialize, ToSchema)]
pub struct Labels {
    payload: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LabelsRequest {
    /// Replaces the whole set; lower-cased, duplicates removed.
    #[schema(value_type = Vec<String>)]
    labels: Option<Value>,
}

impl RequestBody for LabelsRequest {}

/// `GET /api/v1/accounts/{account_id}/conversations/{id}/labels`
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/conversations/{id}/labels", tag = "Conversations",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = Labels), (status = 401), (status = 404)))]
pub async fn index(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
) -> ApiResult<Json<Labels>> {
    let row = conversation_for_member(&state, &member, id).await?;
    Ok(Json(Labels { payload: row.labels }))
}

/// `POST /api/v1/accounts/{account_id}/conversations/{id}/labels` — replaces
/// the labels.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/conversations/{id}/labels", tag = "Conversations",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    request_body = LabelsRequest, responses((status = 200, body = Labels), (status = 401), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
    ApiJson(body): ApiJson<LabelsRequest>,
) -> ApiResult<Json<Labels>> {
    let row = conversation_for_member(&state, &member, id).await?;
    let mut labels = string_list(body.labels.as_ref(), "labels", "Labels")?;
    labels.retain(|l| !l.contains('\0') && l.chars().count() <= 255);
    labels.truncate(LABELS_MAX);
    let after =
        run(&state, &member.context(&request_id), &row, || ConversationCommand::SetLabels(labels.clone()))
            .await?;
    Ok(Json(Labels { payload: after.labels }))
}
