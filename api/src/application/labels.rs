//! `/api/v1/accounts/{account_id}/labels` (upstream `labels_controller.rb`):
//! the account's label catalogue. Any member lists and shows labels;
//! administrators create, update and delete them (the role is checked
//! before the label is looked up). Titles are lower-cased and unique per
//! account.

use crate::dto::{flexible_bool, nullable};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Ids, Member, RequestBody};
use crate::state::{AppState, RequestId};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use onelink_commands::labels;
use onelink_domain::ids::{AccountId, LabelId};
use onelink_domain::label::{LabelPatch, NewLabel};
use onelink_projections::labels::query as rows;
use onelink_projections::labels::LabelRow;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// `POST` and `PATCH|PUT` body (flat or under `label`). Other keys
/// (`account_id`, `id`, timestamps) are ignored.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LabelRequest {
    /// Required on create; lower-cased; letters, digits, `_` and `-` (not
    /// first), at least two characters; unique per account.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    title: Option<Option<String>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    description: Option<Option<String>>,
    /// Defaults to `#1f93ff`; `null` is the default.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    color: Option<Option<String>>,
    /// A boolean (or `"true"`/`"false"`, `1`/`0`); `null` clears it.
    #[serde(default, deserialize_with = "nullable_bool")]
    #[schema(value_type = Option<bool>)]
    show_on_sidebar: Option<Option<bool>>,
}

impl RequestBody for LabelRequest {
    const ROOT: Option<&'static str> = Some("label");
}

/// Absent → `None`; `null`/`""` → `Some(None)`; a boolean as Rails casts
/// it → `Some(Some(b))`; anything else is a 422.
fn nullable_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<bool>>, D::Error> {
    use serde::de::Error;
    flexible_bool(Value::deserialize(d)?).map(Some).map_err(D::Error::custom)
}

/// A label as the upstream renders it (`labels/show.json.jbuilder`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Label {
    pub id: i64,
    pub title: String,
    pub description: Option<String>,
    pub color: String,
    pub show_on_sidebar: Option<bool>,
}

impl From<LabelRow> for Label {
    fn from(r: LabelRow) -> Self {
        Self {
            id: r.id,
            title: r.title,
            description: r.description,
            color: r.color,
            show_on_sidebar: r.show_on_sidebar,
        }
    }
}

/// `GET …/labels`: `{"payload": [Label]}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct LabelList {
    pub payload: Vec<Label>,
}

async fn find(state: &AppState, member: &Member, id: i64) -> ApiResult<Label> {
    let row = rows::find(&state.pool, member.account_id(), id).await?.ok_or(ApiError::NotFound)?;
    Ok(row.into())
}

/// `GET /api/v1/accounts/{account_id}/labels` — any member; by id.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/labels", tag = "Labels",
    security(("api_access_token" = [])), params(("account_id" = i64, Path)),
    responses((status = 200, body = LabelList), (status = 401), (status = 404)))]
pub async fn index(State(state): State<AppState>, member: Member) -> ApiResult<Json<LabelList>> {
    let list = rows::list(&state.pool, member.account_id()).await?;
    Ok(Json(LabelList { payload: list.into_iter().map(Label::from).collect() }))
}

/// `GET /api/v1/accounts/{account_id}/labels/{id}` — any member.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/labels/{id}", tag = "Labels",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = Label), (status = 401), (status = 404)))]
pub async fn show(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
) -> ApiResult<Json<Label>> {
    Ok(Json(find(&state, &member, id).await?))
}

/// `POST /api/v1/accounts/{account_id}/labels` — administrators.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/labels", tag = "Labels",
    security(("api_access_token" = [])), params(("account_id" = i64, Path)), request_body = LabelRequest,
    responses((status = 200, body = Label), (status = 400), (status = 401), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    request_id: RequestId,
    ApiJson(body): ApiJson<LabelRequest>,
) -> ApiResult<Json<Label>> {
    member.require_admin()?;
    let input = NewLabel {
        title: body.title.flatten(),
        description: body.description.flatten(),
        color: body.color.flatten(),
        show_on_sidebar: body.show_on_sidebar.flatten(),
        ..NewLabel::default()
    };
    let ctx = member.context(&request_id);
    let done = labels::create(&state.commands, &ctx, AccountId(member.account_id()), input).await?;
    state.settle(done.position).await?;
    Ok(Json(find(&state, &member, done.value.0).await?))
}

/// `PATCH|PUT /api/v1/accounts/{account_id}/labels/{id}` — administrators;
/// absent fields are kept. An invalid update is a 422 (the upstream
/// answers 200 with the unsaved values).
#[utoipa::path(method(patch, put), path = "/api/v1/accounts/{account_id}/labels/{id}", tag = "Labels",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    request_body = LabelRequest,
    responses((status = 200, body = Label), (status = 400), (status = 401), (status = 404), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
    ApiJson(body): ApiJson<LabelRequest>,
) -> ApiResult<Json<Label>> {
    member.require_admin()?;
    find(&state, &member, id).await?;
    let patch = LabelPatch {
        // an explicit `null` title is a blank one, as upstream
        title: body.title.map(Option::unwrap_or_default),
        description: body.description,
        // `null` is the column default
        color: body.color.map(|c| c.unwrap_or_else(|| onelink_domain::label::DEFAULT_COLOR.to_owned())),
        show_on_sidebar: body.show_on_sidebar,
    };
    let ctx = member.context(&request_id);
    let done =
        labels::update(&state.commands, &ctx, AccountId(member.account_id()), LabelId(id), patch).await?;
    state.settle(done.position).await?;
    Ok(Json(find(&state, &member, id).await?))
}

/// `DELETE /api/v1/accounts/{account_id}/labels/{id}` — administrators;
/// 200 with an empty body. The title becomes free again; conversations and
/// contacts keep the label string.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/labels/{id}", tag = "Labels",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200), (status = 401), (status = 404)))]
pub async fn destroy(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
) -> ApiResult<StatusCode> {
    member.require_admin()?;
    find(&state, &member, id).await?;
    let ctx = member.context(&request_id);
    let done = labels::delete(&state.commands, &ctx, AccountId(member.account_id()), LabelId(id)).await?;
    state.settle(done.position).await?;
    Ok(StatusCode::OK)
}
