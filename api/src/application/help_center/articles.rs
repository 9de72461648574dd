//! `/api/v1/accounts/{account_id}/portals/{slug}/articles[/{id}]`.

use super::json::{self, Article};
use super::{as_id, invalid, locale_param, page_param, portal_of};
use crate::dto::{flexible_id, nullable, query_param};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Ids, Member, RequestBody};
use crate::state::{AppState, RequestId};
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::Json;
use onelink_commands::help_center;
use onelink_domain::help_center::{parameterize, ArticleFields, ArticlePatch, ArticleStatus};
use onelink_domain::ids::AccountId;
use onelink_projections::help_center::query::{self as rows, ArticleFilter, ArticleScope, PortalRow};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// Articles per page (upstream `ARTICLES_PER_PAGE`... 25).
const PER_PAGE: i64 = 25;

#[derive(Debug, Deserialize, ToSchema)]
pub struct ArticleRequest {
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    title: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    content: Option<Option<String>>,
    /// Unique in the installation; default `<unix time>-<title as slug>`.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    slug: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    description: Option<Option<String>>,
    /// `draft` (default), `published` or `archived`.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    status: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    position: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    locale: Option<Option<String>>,
    /// A category of the portal; `null` removes it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    category_id: Option<Option<Value>>,
    /// Required on create: a member of the account.
    #[serde(default, deserialize_with = "flexible_id")]
    #[schema(value_type = Option<i64>)]
    author_id: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>)]
    associated_article_id: Option<Option<Value>>,
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    meta: Option<Value>,
}

impl RequestBody for ArticleRequest {
    const ROOT: Option<&'static str> = Some("article");
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ArticlePayload {
    payload: Article,
}

fn id_value(value: &Value, attribute: &str) -> ApiResult<i64> {
    as_id(value).ok_or_else(|| invalid(attribute, format!("{attribute} must be an id")))
}

async fn patch_from(
    state: &AppState,
    member: &Member,
    portal: &PortalRow,
    body: ArticleRequest,
    current: Option<&rows::ArticleRow>,
) -> ApiResult<ArticlePatch> {
    let account_id = member.account_id();
    let status = match body.status {
        None => None,
        Some(s) => Some(
            s.as_deref()
                .and_then(ArticleStatus::parse)
                .ok_or_else(|| invalid("status", "Status is not included in the list"))?,
        ),
    };
    if let Some(author) = body.author_id {
        onelink_projections::platform::accounts::agent(&state.pool, account_id, author)
            .await?
            .ok_or_else(|| invalid("author", "Author must be a member of this account"))?;
    }
    let category_id = match body.category_id {
        None => None,
        Some(None) => Some(None),
        Some(Some(v)) => {
            let id = id_value(&v, "category_id")?;
            rows::category(&state.pool, account_id, portal.id, id)
                .await?
                .ok_or_else(|| invalid("category_id", "Category must be a category of this portal"))?;
            Some(Some(id))
        }
    };
    let associated_article_id = match body.associated_article_id {
        None => None,
        Some(None) => Some(None),
        Some(Some(v)) => {
            let id = id_value(&v, "associated_article_id")?;
            rows::article(&state.pool, account_id, portal.id, id).await?.ok_or_else(|| {
                invalid("associated_article_id", "Associated article must be an article of this portal")
            })?;
            Some(Some(id))
        }
    };
    // the locale: the category's, else the one given, else (on create) the
    // portal's default
    let category_now = match category_id {
        Some(c) => c,
        None => current.and_then(|a| a.category_id),
    };
    let mut locale = body.locale.map(Option::unwrap_or_default).map(|l| l.trim().to_owned());
    if let Some(id) = category_now.filter(|_| category_id.is_some() || locale.is_some()) {
        if let Some(category) = rows::category(&state.pool, account_id, portal.id, id).await? {
            locale = Some(category.locale);
        }
    }
    if current.is_none() && locale.as_deref().is_none_or(str::is_empty) {
        locale = Some(portal.default_locale.clone());
    }
    if let Some(l) = &locale {
        if !portal.allowed_locales.contains(l) {
            return Err(invalid("locale", format!("Locale {l} is not an allowed locale of the portal")));
        }
    }
    let meta = match body.meta {
        None => None,
        Some(Value::Null) => Some(Value::Object(Map::new())),
        Some(v @ Value::Object(_)) => Some(v),
        Some(_) => return Err(invalid("meta", "Meta must be an object")),
    };
    let mut patch = ArticlePatch {
        title: body.title.map(Option::unwrap_or_default),
        content: body.content.map(Option::unwrap_or_default),
        slug: body.slug.map(Option::unwrap_or_default),
        description: body.description,
        status,
        position: body.position,
        locale,
        category_id,
        author_id: body.author_id,
        associated_article_id,
        meta,
    };
    if current.is_none() {
        if patch.slug.as_deref().is_none_or(|s| s.trim().is_empty()) {
            let title = patch.title.as_deref().map(parameterize).unwrap_or_default();
            let now = chrono::Utc::now().timestamp();
            patch.slug = Some(if title.is_empty() { now.to_string() } else { format!("{now}-{title}") });
        }
        if patch.position.is_none() {
            let next = rows::next_article_position(&state.pool, account_id, portal.id, category_now).await?;
            patch.position = Some(Some(next));
        }
    }
    Ok(patch)
}

async fn find(state: &AppState, member: &Member, portal: &PortalRow, id: i64) -> ApiResult<rows::ArticleRow> {
    rows::article(&state.pool, member.account_id(), portal.id, id).await?.ok_or(ApiError::NotFound)
}

async fn render(state: &AppState, member: &Member, portal: &PortalRow, id: i64) -> ApiResult<Article> {
    let row = find(state, member, portal, id).await?;
    json::articles(state, vec![row]).await?.pop().ok_or(ApiError::NotFound)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleListMeta {
    all_articles_count: i64,
    archived_articles_count: i64,
    articles_count: i64,
    current_page: i64,
    draft_articles_count: i64,
    mine_articles_count: i64,
    published_count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleList {
    payload: Vec<Article>,
    meta: ArticleListMeta,
}

/// `GET …/portals/{slug}/articles` — any member; 25 a page, by position in
/// a category, else the most recently updated first. The status counts
/// cover the locale and category; `articles_count` the whole match.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/portals/{slug}/articles", tag = "Help center",
    security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("slug" = String, Path), ("locale" = Option<String>, Query),
           ("category_slug" = Option<String>, Query), ("status" = Option<String>, Query),
           ("author_id" = Option<i64>, Query), ("query" = Option<String>, Query), ("page" = Option<i64>, Query)),
    responses((status = 200, body = ArticleList), (status = 401), (status = 404), (status = 422)))]
pub async fn index(
    State(state): State<AppState>,
    member: Member,
    Ids((_, slug)): Ids<(i64, String)>,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<ArticleList>> {
    let portal = portal_of(&state, &member, &slug).await?;
    let raw = raw.as_deref();
    let locale = locale_param(raw);
    let page = page_param(raw);
    let account_id = member.account_id();
    let mut scope = ArticleScope { locale: locale.clone(), category_id: None };
    if let Some(category_slug) = query_param(raw, "category_slug").filter(|s| !s.is_empty()) {
        let categories = rows::categories(&state.pool, account_id, portal.id, locale.as_deref()).await?;
        // an unknown category matches nothing
        scope.category_id = Some(categories.iter().find(|c| c.slug == category_slug).map_or(-1, |c| c.id));
    }
    let status = query_param(raw, "status").filter(|s| !s.is_empty());
    if let Some(s) = &status {
        ArticleStatus::parse(s).ok_or_else(|| invalid("status", "Status is not included in the list"))?;
    }
    let filter = ArticleFilter {
        status,
        author_id: query_param(raw, "author_id").and_then(|a| a.trim().parse().ok()),
        query: query_param(raw, "query").map(|q| q.trim().to_owned()).filter(|q| !q.is_empty()),
    };
    let (list, total) =
        rows::articles(&state.pool, account_id, portal.id, &scope, &filter, page, PER_PAGE).await?;
    let counts = rows::article_counts(&state.pool, account_id, portal.id, member.user.id, &scope).await?;
    let payload = json::articles(&state, list).await?;
    Ok(Json(ArticleList {
        payload,
        meta: ArticleListMeta {
            all_articles_count: counts.all,
            archived_articles_count: counts.archived,
            articles_count: total,
            current_page: page,
            draft_articles_count: counts.draft,
            mine_articles_count: counts.mine,
            published_count: counts.published,
        },
    }))
}

/// `POST …/portals/{slug}/articles` — administrators.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/portals/{slug}/articles", tag = "Help center",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("slug" = String, Path)),
    request_body = ArticleRequest,
    responses((status = 200, body = ArticlePayload), (status = 400), (status = 401), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    Ids((_, slug)): Ids<(i64, String)>,
    request_id: RequestId,
    ApiJson(body): ApiJson<ArticleRequest>,
) -> ApiResult<Json<ArticlePayload>> {
    member.require_admin()?;
    let portal = portal_of(&state, &member, &slug).await?;
    let patch = patch_from(&state, &member, &portal, body, None).await?;
    let ctx = member.context(&request_id);
    let account_id = AccountId(member.account_id());
    let done =
        help_center::create::<ArticleFields>(&state.commands, &ctx, account_id, Some(portal.id), patch)
            .await?;
    state.settle(done.position).await?;
    Ok(Json(ArticlePayload { payload: render(&state, &member, &portal, done.value).await? }))
}

/// `GET …/portals/{slug}/articles/{id}`.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/portals/{slug}/articles/{id}", tag = "Help center",
    security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("slug" = String, Path), ("id" = i64, Path)),
    responses((status = 200, body = ArticlePayload), (status = 401), (status = 404)))]
pub async fn show(
    State(state): State<AppState>,
    member: Member,
    Ids((_, slug, id)): Ids<(i64, String, i64)>,
) -> ApiResult<Json<ArticlePayload>> {
    let portal = portal_of(&state, &member, &slug).await?;
    Ok(Json(ArticlePayload { payload: render(&state, &member, &portal, id).await? }))
}

/// `PATCH|PUT …/portals/{slug}/articles/{id}` — administrators.
#[utoipa::path(method(patch, put), path = "/api/v1/accounts/{account_id}/portals/{slug}/articles/{id}",
    tag = "Help center", security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("slug" = String, Path), ("id" = i64, Path)),
    request_body = ArticleRequest,
    responses((status = 200, body = ArticlePayload), (status = 400), (status = 401), (status = 404), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    member: Member,
    Ids((_, slug, id)): Ids<(i64, String, i64)>,
    request_id: RequestId,
    ApiJson(body): ApiJson<ArticleRequest>,
) -> ApiResult<Json<ArticlePayload>> {
    member.require_admin()?;
    let portal = portal_of(&state, &member, &slug).await?;
    let current = find(&state, &member, &portal, id).await?;
    let patch = patch_from(&state, &member, &portal, body, Some(&current)).await?;
    let ctx = member.context(&request_id);
    let account_id = AccountId(member.account_id());
    let done =
        help_center::update::<ArticleFields>(&state.commands, &ctx, account_id, Some(portal.id), id, patch)
            .await?;
    state.settle(done.position).await?;
    Ok(Json(ArticlePayload { payload: render(&state, &member, &portal, id).await? }))
}

/// `DELETE …/portals/{slug}/articles/{id}` — administrators.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/portals/{slug}/articles/{id}", tag = "Help center",
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
        help_center::delete::<ArticleFields>(&state.commands, &ctx, account_id, Some(portal.id), id).await?;
    state.settle(done.position).await?;
    Ok(StatusCode::OK)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReorderRequest {
    /// `{article id: position}`.
    #[schema(value_type = Object)]
    positions_hash: Map<String, Value>,
}

impl RequestBody for ReorderRequest {}

/// `POST …/portals/{slug}/articles/reorder` — administrators; sets each
/// named article's position. Every id must be an article of the portal.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/portals/{slug}/articles/reorder", tag = "Help center",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("slug" = String, Path)),
    request_body = ReorderRequest,
    responses((status = 200), (status = 400), (status = 401), (status = 404), (status = 422)))]
pub async fn reorder(
    State(state): State<AppState>,
    member: Member,
    Ids((_, slug)): Ids<(i64, String)>,
    request_id: RequestId,
    ApiJson(body): ApiJson<ReorderRequest>,
) -> ApiResult<StatusCode> {
    member.require_admin()?;
    let portal = portal_of(&state, &member, &slug).await?;
    if body.positions_hash.len() > 1000 {
        return Err(invalid("positions_hash", "Positions hash is too long (maximum is 1000 articles)"));
    }
    let mut moves = Vec::with_capacity(body.positions_hash.len());
    for (id, position) in &body.positions_hash {
        let id: i64 =
            id.trim().parse().map_err(|_| invalid("positions_hash", "Positions hash keys must be ids"))?;
        let position = id_value(position, "positions_hash")?;
        find(&state, &member, &portal, id).await?;
        moves.push((id, position));
    }
    let ctx = member.context(&request_id);
    let account_id = AccountId(member.account_id());
    let mut last = None;
    for (id, position) in moves {
        let patch = ArticlePatch { position: Some(Some(position)), ..ArticlePatch::default() };
        let done = help_center::update::<ArticleFields>(
            &state.commands,
            &ctx,
            account_id,
            Some(portal.id),
            id,
            patch,
        )
        .await?;
        last = done.position.or(last);
    }
    state.settle(last).await?;
    Ok(StatusCode::OK)
}
