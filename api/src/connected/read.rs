//! Reading connected accounts: the collection (one account, paginated)
//! and single items (any account of the caller's).

use super::json::{Collection, ConnectedAccountJson, PAGE_SIZE};
use super::scope::Scope;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Ids, JwtUser};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use onelink_projections::connected_accounts::query;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListParams {
    /// The collection page number (from 1; 30 items per page).
    page: Option<String>,
    /// The OneLink account to list (default: the caller's active account).
    account_id: Option<String>,
}

/// `page`: 1 when absent; a number ≥ 1 otherwise (400).
fn page_number(raw: Option<&str>) -> ApiResult<i64> {
    let Some(raw) = raw else { return Ok(1) };
    match raw.trim().parse::<i64>() {
        Ok(p) if p >= 1 && p.checked_mul(PAGE_SIZE).is_some() => Ok(p),
        _ => Err(ApiError::BadRequest("Page should not be less than 1".into())),
    }
}

fn account_param(raw: Option<&str>) -> ApiResult<Option<i64>> {
    raw.map(|a| a.trim().parse::<i64>().map_err(|_| ApiError::BadRequest("Invalid account_id".into())))
        .transpose()
}

/// JSON-LD, as API Platform answers.
pub fn ld_json<T: serde::Serialize>(body: T) -> Response {
    let mut response = Json(body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, header::HeaderValue::from_static(super::errors::LD_JSON));
    response
}

/// `GET /api/accounts` — the connected accounts of one of the caller's accounts.
#[utoipa::path(get, path = "/api/accounts", tag = "Connected accounts",
    security(("jwt" = [])), params(ListParams),
    responses((status = 200, body = Collection), (status = 400), (status = 401), (status = 403)))]
pub async fn index(
    State(state): State<AppState>,
    caller: JwtUser,
    Query(params): Query<ListParams>,
) -> ApiResult<Response> {
    let page = page_number(params.page.as_deref())?;
    let requested = account_param(params.account_id.as_deref())?;
    let scope = Scope::of(&state, &caller).await?;
    let account_id = scope.choose(requested)?.account_id;
    let total = query::count(&state.pool, account_id).await?;
    let rows = query::page(&state.pool, account_id, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
    Ok(ld_json(Collection::new(rows, total, page, requested)))
}

/// The connected account `id` if the caller belongs to its account; 404
/// otherwise (whether it exists elsewhere or not).
pub(super) async fn find(state: &AppState, scope: &Scope, id: Uuid) -> ApiResult<query::ConnectedAccountRow> {
    query::find(&state.pool, &scope.account_ids(), id).await?.ok_or(ApiError::NotFound)
}

/// `GET /api/accounts/{id}` — one connected account.
#[utoipa::path(get, path = "/api/accounts/{id}", tag = "Connected accounts",
    security(("jwt" = [])), params(("id" = Uuid, Path, description = "Connected account id")),
    responses((status = 200, body = ConnectedAccountJson), (status = 401), (status = 404)))]
pub async fn show(State(state): State<AppState>, caller: JwtUser, Ids(id): Ids<Uuid>) -> ApiResult<Response> {
    let scope = Scope::of(&state, &caller).await?;
    let row = find(&state, &scope, id).await?;
    Ok(ld_json(ConnectedAccountJson::new(row, true)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_start_at_one() {
        assert_eq!(page_number(None).unwrap(), 1);
        assert_eq!(page_number(Some("3")).unwrap(), 3);
        for bad in ["0", "-1", "abc", "", "9223372036854775807"] {
            assert!(page_number(Some(bad)).is_err(), "{bad}");
        }
    }
}
