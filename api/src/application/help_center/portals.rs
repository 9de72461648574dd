//! `/api/v1/accounts/{account_id}/portals[/{slug}]`.

use super::json::{self, Portal};
use super::{as_id, invalid, locale_param, portal_of};
use crate::dto::{flexible_bool, nullable};
use crate::error::ApiResult;
use crate::extract::{ApiJson, Ids, Member, RequestBody};
use crate::state::{AppState, RequestId};
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::Json;
use onelink_commands::help_center;
use onelink_domain::help_center::{PortalFields, PortalPatch};
use onelink_domain::ids::AccountId;
use onelink_projections::help_center::query as rows;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// `POST` / `PATCH` body: the fields under `portal` (or flat), and
/// `inbox_id` beside them.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PortalRequest {
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    name: Option<Option<String>>,
    /// Unique in the installation: lower-case letters, digits, hyphens.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    slug: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    color: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    custom_domain: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    header_text: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    homepage_link: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    page_title: Option<Option<String>>,
    #[serde(default, deserialize_with = "flexible_bool")]
    archived: Option<bool>,
    /// `{default_locale, allowed_locales}`.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    config: Option<Value>,
    /// A web widget inbox of the account for live chat; `null` removes it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    inbox_id: Option<Option<Value>>,
}

impl RequestBody for PortalRequest {
    fn normalize(value: Value) -> Value {
        let Value::Object(mut outer) = value else {
            return value;
        };
        match outer.remove("portal") {
            Some(Value::Object(mut inner)) => {
                if let Some(inbox) = outer.remove("inbox_id") {
                    inner.entry("inbox_id").or_insert(inbox);
                }
                Value::Object(inner)
            }
            Some(other) => {
                outer.insert("portal".into(), other);
                Value::Object(outer)
            }
            None => Value::Object(outer),
        }
    }
}

/// The `config` object: only `default_locale` and `allowed_locales`.
fn config(patch: &mut PortalPatch, config: Option<Value>) -> ApiResult<()> {
    let map: Map<String, Value> = match config {
        None | Some(Value::Null) => return Ok(()),
        Some(Value::Object(map)) => map,
        Some(_) => return Err(invalid("config", "Config must be an object")),
    };
    let unknown: Vec<&str> = map
        .keys()
        .map(String::as_str)
        .filter(|k| !matches!(*k, "default_locale" | "allowed_locales"))
        .collect();
    if !unknown.is_empty() {
        return Err(invalid(
            "config",
            format!("Config in portal on {} is not supported.", unknown.join(",")),
        ));
    }
    match map.get("default_locale") {
        None | Some(Value::Null) => {}
        Some(Value::String(l)) => patch.default_locale = Some(l.clone()),
        Some(_) => return Err(invalid("config", "Config default_locale must be a string")),
    }
    match map.get("allowed_locales") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            let locales: Option<Vec<String>> = items.iter().map(|v| v.as_str().map(str::to_owned)).collect();
            patch.allowed_locales = Some(
                locales
                    .ok_or_else(|| invalid("config", "Config allowed_locales must be a list of strings"))?,
            );
        }
        Some(_) => return Err(invalid("config", "Config allowed_locales must be a list of strings")),
    }
    Ok(())
}

/// The patch a request asks for; `inbox_id` must name a web widget inbox
/// of the account.
async fn patch_from(state: &AppState, member: &Member, body: PortalRequest) -> ApiResult<PortalPatch> {
    let mut patch = PortalPatch {
        name: body.name.map(Option::unwrap_or_default),
        slug: body.slug.map(Option::unwrap_or_default),
        color: body.color,
        custom_domain: body.custom_domain,
        header_text: body.header_text,
        homepage_link: body.homepage_link,
        page_title: body.page_title,
        archived: body.archived,
        ..PortalPatch::default()
    };
    config(&mut patch, body.config)?;
    patch.inbox_id = match body.inbox_id {
        None => None,
        Some(None) => Some(None),
        Some(Some(value)) => {
            let id = as_id(&value).ok_or_else(|| invalid("inbox_id", "Inbox id must be an integer"))?;
            let inbox =
                onelink_projections::inboxes::query::find(&state.pool, member.account_id(), id).await?;
            if inbox.is_none_or(|i| i.channel_type != "Channel::WebWidget") {
                return Err(invalid("inbox_id", "Inbox must be a website inbox of this account"));
            }
            Some(Some(id))
        }
    };
    Ok(patch)
}

async fn render(state: &AppState, member: &Member, slug: &str, locale: Option<&str>) -> ApiResult<Portal> {
    let row = portal_of(state, member, slug).await?;
    json::portal(state, row, member.user.id, member.is_admin(), locale).await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortalListMeta {
    current_page: i64,
    portals_count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortalList {
    payload: Vec<Portal>,
    meta: PortalListMeta,
}

/// `GET /api/v1/accounts/{account_id}/portals` — any member.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/portals", tag = "Help center",
    security(("api_access_token" = [])), params(("account_id" = i64, Path)),
    responses((status = 200, body = PortalList), (status = 401), (status = 404)))]
pub async fn index(State(state): State<AppState>, member: Member) -> ApiResult<Json<PortalList>> {
    let list = rows::portals(&state.pool, member.account_id()).await?;
    let mut payload = Vec::with_capacity(list.len());
    for row in list {
        payload.push(json::portal(&state, row, member.user.id, member.is_admin(), None).await?);
    }
    let meta = PortalListMeta { current_page: 1, portals_count: payload.len() as i64 };
    Ok(Json(PortalList { payload, meta }))
}

/// `POST /api/v1/accounts/{account_id}/portals` — administrators.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/portals", tag = "Help center",
    security(("api_access_token" = [])), params(("account_id" = i64, Path)), request_body = PortalRequest,
    responses((status = 200, body = Portal), (status = 400), (status = 401), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    request_id: RequestId,
    ApiJson(body): ApiJson<PortalRequest>,
) -> ApiResult<Json<Portal>> {
    member.require_admin()?;
    let patch = patch_from(&state, &member, body).await?;
    let slug = PortalFields::default().slug_after(&patch);
    let ctx = member.context(&request_id);
    let account_id = AccountId(member.account_id());
    let done = help_center::create::<PortalFields>(&state.commands, &ctx, account_id, None, patch).await?;
    state.settle(done.position).await?;
    Ok(Json(render(&state, &member, &slug, None).await?))
}

/// `GET /api/v1/accounts/{account_id}/portals/{slug}` — any member; the
/// article counts cover `locale` when given.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/portals/{slug}", tag = "Help center",
    security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("slug" = String, Path), ("locale" = Option<String>, Query)),
    responses((status = 200, body = Portal), (status = 401), (status = 404)))]
pub async fn show(
    State(state): State<AppState>,
    member: Member,
    Ids((_, slug)): Ids<(i64, String)>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Portal>> {
    Ok(Json(render(&state, &member, &slug, locale_param(raw.as_deref()).as_deref()).await?))
}

/// `PATCH|PUT /api/v1/accounts/{account_id}/portals/{slug}` — administrators.
#[utoipa::path(method(patch, put), path = "/api/v1/accounts/{account_id}/portals/{slug}", tag = "Help center",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("slug" = String, Path)),
    request_body = PortalRequest,
    responses((status = 200, body = Portal), (status = 400), (status = 401), (status = 404), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    member: Member,
    Ids((_, slug)): Ids<(i64, String)>,
    request_id: RequestId,
    ApiJson(body): ApiJson<PortalRequest>,
) -> ApiResult<Json<Portal>> {
    member.require_admin()?;
    let portal = portal_of(&state, &member, &slug).await?;
    let patch = patch_from(&state, &member, body).await?;
    let new_slug = patch.slug.clone().map(|s| s.trim().to_owned()).unwrap_or(portal.slug);
    let ctx = member.context(&request_id);
    let account_id = AccountId(member.account_id());
    let done = help_center::update::<PortalFields>(&state.commands, &ctx, account_id, None, portal.id, patch)
        .await?;
    state.settle(done.position).await?;
    Ok(Json(render(&state, &member, &new_slug, None).await?))
}

/// `PATCH /api/v1/accounts/{account_id}/portals/{slug}/archive` —
/// administrators; archives the portal.
#[utoipa::path(patch, path = "/api/v1/accounts/{account_id}/portals/{slug}/archive", tag = "Help center",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("slug" = String, Path)),
    responses((status = 200, body = Portal), (status = 401), (status = 404)))]
pub async fn archive(
    State(state): State<AppState>,
    member: Member,
    Ids((_, slug)): Ids<(i64, String)>,
    request_id: RequestId,
) -> ApiResult<Json<Portal>> {
    member.require_admin()?;
    let portal = portal_of(&state, &member, &slug).await?;
    let patch = PortalPatch { archived: Some(true), ..PortalPatch::default() };
    let ctx = member.context(&request_id);
    let account_id = AccountId(member.account_id());
    let done = help_center::update::<PortalFields>(&state.commands, &ctx, account_id, None, portal.id, patch)
        .await?;
    state.settle(done.position).await?;
    Ok(Json(render(&state, &member, &slug, None).await?))
}

/// `DELETE /api/v1/accounts/{account_id}/portals/{slug}` — administrators;
/// the portal's categories and articles go with it.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/portals/{slug}", tag = "Help center",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("slug" = String, Path)),
    responses((status = 200), (status = 401), (status = 404)))]
pub async fn destroy(
    State(state): State<AppState>,
    member: Member,
    Ids((_, slug)): Ids<(i64, String)>,
    request_id: RequestId,
) -> ApiResult<StatusCode> {
    member.require_admin()?;
    let portal = portal_of(&state, &member, &slug).await?;
    let (categories, articles) = rows::portal_contents(&state.pool, member.account_id(), portal.id).await?;
    let ctx = member.context(&request_id);
    let account_id = AccountId(member.account_id());
    let done =
        help_center::delete_portal(&state.commands, &ctx, account_id, portal.id, &categories, &articles)
            .await?;
    state.settle(done.position).await?;
    Ok(StatusCode::OK)
}
