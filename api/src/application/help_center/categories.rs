//! `/api/v1/accounts/{account_id}/portals/{slug}/categories[/{id}]`.

use super::json::{self, Category};
use super::{invalid, locale_param, page_param, portal_of};
use crate::dto::{flexible_id, id_list, nullable};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Ids, Member, RequestBody};
use crate::state::{AppState, RequestId};
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::Json;
use onelink_commands::help_center;
use onelink_domain::help_center::{CategoryFields, CategoryPatch};
use onelink_domain::ids::AccountId;
use onelink_projections::help_center::query::{self as rows, PortalRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Categories per page (upstream: effectively all of them).
const PER_PAGE: usize = 1000;

#[derive(Debug, Deserialize, ToSchema)]
pub struct CategoryRequest {
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    name: Option<Option<String>>,
    /// Unique per portal and locale.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    slug: Option<Option<String>>,
    /// One of the portal's allowed locales; default: its default locale.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    locale: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    description: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    position: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    icon: Option<Option<String>>,
    #[serde(default, deserialize_with = "flexible_id")]
    #[schema(value_type = Option<i64>)]
    parent_category_id: Option<i64>,
    #[serde(default, deserialize_with = "flexible_id")]
    #[schema(value_type = Option<i64>)]
    associated_category_id: Option<i64>,
    #[serde(default, deserialize_with = "id_list")]
    #[schema(value_type = Option<Vec<i64>>)]
    related_category_ids: Option<Vec<Option<i64>>>,
}

impl RequestBody for CategoryRequest {
    const ROOT: Option<&'static str> = Some("category");
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryPayload {
    payload: Category,
}

/// Every category named must be one of this portal's.
async fn check_links(state: &AppState, portal: &PortalRow, ids: &[i64], attribute: &str) -> ApiResult<()> {
    let found = rows::categories_by_ids(&state.pool, portal.account_id, ids).await?;
    if ids.iter().any(|id| !found.iter().any(|c| c.id == *id && c.portal_id == portal.id)) {
        return Err(invalid(attribute, "must name categories of this portal"));
    }
    Ok(())
}

async fn patch_from(
    state: &AppState,
    portal: &PortalRow,
    body: CategoryRequest,
    creating: bool,
) -> ApiResult<CategoryPatch> {
    let mut locale = body.locale.map(Option::unwrap_or_default);
    if creating && locale.as_deref().is_none_or(|l| l.trim().is_empty()) {
        locale = Some(portal.default_locale.clone());
    }
    if let Some(l) = &locale {
        if !portal.allowed_locales.iter().any(|a| a == l.trim()) {
            return Err(invalid(
                "locale",
                format!("Locale {} is not an allowed locale of the portal", l.trim()),
            ));
        }
    }
    let related: Option<Vec<i64>> =
        body.related_category_ids.map(|ids| ids.into_iter().map(|id| id.unwrap_or(-1)).collect());
    for (ids, attribute) in [
        (related.clone().unwrap_or_default(), "related_category_ids"),
        (body.parent_category_id.into_iter().collect(), "parent_category_id"),
        (body.associated_category_id.into_iter().collect(), "associated_category_id"),
    ] {
        check_links(state, portal, &ids, attribute).await?;
    }
    Ok(CategoryPatch {
        name: body.name.map(Option::unwrap_or_default),
        slug: body.slug.map(Option::unwrap_or_default),
        locale,
        description: body.description,
        position: body.position,
        icon: body.icon,
        parent_category_id: body.parent_category_id.map(Some),
        associated_category_id: body.associated_category_id.map(Some),
        related_category_ids: related,
    })
}

async fn render(state: &AppState, member: &Member, portal: &PortalRow, id: i64) -> ApiResult<Category> {
    let row =
        rows::category(&state.pool, member.account_id(), portal.id, id).await?.ok_or(ApiError::NotFound)?;
    json::categories(state, vec![row]).await?.pop().ok_or(ApiError::NotFound)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryListMeta {
    current_page: i64,
    categories_count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryList {
    payload: Vec<Category>,
    meta: CategoryListMeta,
}

/// `GET …/portals/{slug}/categories` — any member; by position.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/portals/{slug}/categories", tag = "Help center",
    security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("slug" = String, Path), ("locale" = Option<String>, Query),
           ("page" = Option<i64>, Query)),
    responses((status = 200, body = CategoryList), (status = 401), (status = 404)))]
pub async fn index(
    State(state): State<AppState>,
    member: Member,
    Ids((_, slug)): Ids<(i64, String)>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<CategoryList>> {
    let portal = portal_of(&state, &member, &slug).await?;
    let locale = locale_param(raw.as_deref());
    let page = page_param(raw.as_deref());
    let all = rows::categories(&state.pool, member.account_id(), portal.id, locale.as_deref()).await?;
    let count = all.len() as i64;
    let skip = usize::try_from(page - 1).unwrap_or(usize::MAX).saturating_mul(PER_PAGE);
    let list: Vec<_> = all.into_iter().skip(skip).take(PER_PAGE).collect();
    let payload = json::categories(&state, list).await?;
    Ok(Json(CategoryList { payload, meta: CategoryListMeta { current_page: page, categories_count: count } }))
}

/// `POST …/portals/{slug}/categories` — administrators.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/portals/{slug}/categories", tag = "Help center",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("slug" = String, Path)),
    request_body = CategoryRequest,
    responses((status = 200, body = CategoryPayload), (status = 400), (status = 401), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    Ids((_, slug)): Ids<(i64, String)>,
    request_id: RequestId,
    ApiJson(body): ApiJson<CategoryRequest>,
) -> ApiResult<Json<CategoryPayload>> {
    member.require_admin()?;
    let portal = portal_of(&state, &member, &slug).await?;
    let patch = patch_from(&state, &portal, body, true).await?;
    let ctx = member.context(&request_id);
    let account_id = AccountId(member.account_id());
    let done =
        help_center::create::<CategoryFields>(&state.commands, &ctx, account_id, Some(portal.id), patch)
            .await?;
    state.settle(done.position).await?;
    Ok(Json(CategoryPayload { payload: render(&state, &member, &portal, done.value).await? }))
}

/// `GET …/portals/{slug}/categories/{id}`.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/portals/{slug}/categories/{id}", tag = "Help center",
    security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("slug" = String, Path), ("id" = i64, Path)),
    responses((status = 200, body = CategoryPayload), (status = 401), (status = 404)))]
pub async fn show(
    State(state): State<AppState>,
    member: Member,
    Ids((_, slug, id)): Ids<(i64, String, i64)>,
) -> ApiResult<Json<CategoryPayload>> {
    let portal = portal_of(&state, &member, &slug).await?;
    Ok(Json(CategoryPayload { payload: render(&state, &member, &portal, id).await? }))
}

/// `PATCH|PUT …/portals/{slug}/categories/{id}` — administrators.
#[utoipa::path(method(patch, put), path = "/api/v1/accounts/{account_id}/portals/{slug}/categories/{id}",
    tag = "Help center", security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("slug" = String, Path), ("id" = i64, Path)),
    request_body = CategoryRequest,
    responses((status = 200, body = CategoryPayload), (status = 400), (status = 401), (status = 404), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    member: Member,
    Ids((_, slug, id)): Ids<(i64, String, i64)>,
    request_id: RequestId,
    ApiJson(body): ApiJson<CategoryRequest>,
) -> ApiResult<Json<CategoryPayload>> {
    member.require_admin()?;
    let portal = portal_of(&state, &member, &slug).await?;
    render(&state, &member, &portal, id).await?;
    let patch = patch_from(&state, &portal, body, false).await?;
    let ctx = member.context(&request_id);
    let account_id = AccountId(member.account_id());
    let done =
        help_center::update::<CategoryFields>(&state.commands, &ctx, account_id, Some(portal.id), id, patch)
            .await?;
    state.settle(done.position).await?;
    Ok(Json(CategoryPayload { payload: render(&state, &member, &portal, id).await? }))
}

/// `DELETE …/portals/{slug}/categories/{id}` — administrators; its articles
/// stay, without a category.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/portals/{slug}/categories/{id}", tag = "Help center",
    security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("slug" = String, Path), ("id" = i64, Path)),
    responses((status = 200), (status = 401), (status = 404)))]
pub async fn destroy(
    State(state): State<AppState>,
    member: Member,
    Ids((_, slug, id)): Ids<(i64, String, i64)>,
    request_id: RequestId,
) -> ApiResult<StatusCode> {
    member.require_admin()?;
    let portal = portal_of(&state, &member, &slug).await?;
    let ctx = member.context(&request_id);
    let account_id = AccountId(member.account_id());
    let done =
        help_center::delete::<CategoryFields>(&state.commands, &ctx, account_id, Some(portal.id), id).await?;
    state.settle(done.position).await?;
    Ok(StatusCode::OK)
}
