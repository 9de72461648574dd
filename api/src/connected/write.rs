//! Connecting, changing and disconnecting accounts (administrators of the
//! owning account). Writes go through the command services; the answer is
//! rendered from the read model once it has caught up.

use super::body::{self, require_media_type, JSON, JSON_LD, MERGE_PATCH};
use super::json::{item_iri, ConnectedAccountJson};
use super::read::{find, ld_json};
use super::scope::Scope;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Ids, JwtUser, RawBody};
use crate::state::{AppState, RequestId};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use onelink_commands::connected_accounts;
use onelink_domain::ids::{AccountId, ConnectedAccountId};
use onelink_domain::Actor;
use onelink_projections::connected_accounts::query;
use uuid::Uuid;

async fn render(state: &AppState, account_id: i64, id: Uuid) -> ApiResult<ConnectedAccountJson> {
    let row = query::find(&state.pool, &[account_id], id).await?.ok_or(ApiError::NotFound)?;
    Ok(ConnectedAccountJson::new(row, true))
}

/// `POST /api/accounts` — connects an account (201 with `Location`).
#[utoipa::path(post, path = "/api/accounts", tag = "Connected accounts",
    security(("jwt" = [])),
    request_body(content = Object, description = "integration (IRI, required), name (required), credentials \
        (object, required, write-only), headline, avatarUrl, externalId, config (object), inbox (IRI), accountId",
        content_type = "application/ld+json"),
    responses((status = 201, body = ConnectedAccountJson), (status = 400), (status = 401), (status = 403),
              (status = 415), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    caller: JwtUser,
    request_id: RequestId,
    headers: HeaderMap,
    RawBody(bytes): RawBody,
) -> ApiResult<Response> {
    require_media_type(&headers, &[JSON_LD, JSON])?;
    let mut body = body::parse(&bytes)?;
    let scope = Scope::of(&state, &caller).await?;
    let account_id = scope.choose(body.account_id()?)?.account_id;
    scope.require_admin(account_id)?;
    let input = body.into_connect(&state, account_id).await?;
    let ctx = request_id.context(Actor::User(caller.user.id));
    let done = connected_accounts::connect(&state.commands, &ctx, AccountId(account_id), input).await?;
    state.settle(done.position).await?;
    let id = done.value.0;
    let mut response = ld_json(render(&state, account_id, id).await?);
    *response.status_mut() = StatusCode::CREATED;
    let location = HeaderValue::from_str(&item_iri(id)).map_err(anyhow::Error::from)?;
    response.headers_mut().insert(header::LOCATION, location.clone());
    response.headers_mut().insert(header::CONTENT_LOCATION, location);
    Ok(response)
}

/// `PATCH /api/accounts/{id}` — merge-patch (`application/merge-patch+json`).
#[utoipa::path(patch, path = "/api/accounts/{id}", tag = "Connected accounts",
    security(("jwt" = [])), params(("id" = Uuid, Path, description = "Connected account id")),
    request_body(content = Object, description = "name, headline, avatarUrl, externalId, config (merged), \
        credentials (replaced), inbox (IRI or null); integration/provider cannot change",
        content_type = "application/merge-patch+json"),
    responses((status = 200, body = ConnectedAccountJson), (status = 400), (status = 401), (status = 403),
              (status = 404), (status = 415), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    caller: JwtUser,
    request_id: RequestId,
    Ids(id): Ids<Uuid>,
    headers: HeaderMap,
    RawBody(bytes): RawBody,
) -> ApiResult<Response> {
    let scope = Scope::of(&state, &caller).await?;
    let row = find(&state, &scope, id).await?;
    require_media_type(&headers, &[MERGE_PATCH])?;
    let body = body::parse(&bytes)?;
    scope.require_admin(row.account_id)?;
    let input = body.into_update(&state, row.account_id).await?;
    let ctx = request_id.context(Actor::User(caller.user.id));
    let account = AccountId(row.account_id);
    let done =
        connected_accounts::update(&state.commands, &ctx, account, ConnectedAccountId(id), input).await?;
    state.settle(done.position).await?;
    Ok(ld_json(render(&state, row.account_id, id).await?))
}

/// `DELETE /api/accounts/{id}` — disconnects and removes it (204).
#[utoipa::path(delete, path = "/api/accounts/{id}", tag = "Connected accounts",
    security(("jwt" = [])), params(("id" = Uuid, Path, description = "Connected account id")),
    responses((status = 204), (status = 401), (status = 403), (status = 404)))]
pub async fn destroy(
    State(state): State<AppState>,
    caller: JwtUser,
    request_id: RequestId,
    Ids(id): Ids<Uuid>,
) -> ApiResult<Response> {
    let scope = Scope::of(&state, &caller).await?;
    let row = find(&state, &scope, id).await?;
    scope.require_admin(row.account_id)?;
    let ctx = request_id.context(Actor::User(caller.user.id));
    let account = AccountId(row.account_id);
    let done = connected_accounts::disconnect(&state.commands, &ctx, account, ConnectedAccountId(id)).await?;
    state.settle(done.position).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
