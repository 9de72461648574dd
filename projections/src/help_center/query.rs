//! Reading portals, categories and articles; every query is scoped by
//! account (and portal).

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::{PgExecutor, Postgres, QueryBuilder};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PortalRow {
    pub account_id: i64,
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub color: Option<String>,
    pub custom_domain: Option<String>,
    pub header_text: Option<String>,
    pub homepage_link: Option<String>,
    pub page_title: Option<String>,
    pub archived: bool,
    pub default_locale: String,
    pub allowed_locales: Vec<String>,
    pub inbox_id: Option<i64>,
}

const PORTAL_COLUMNS: &str = "account_id, id, name, slug, color, custom_domain, header_text, homepage_link, \
     page_title, archived, default_locale, allowed_locales, inbox_id";

pub async fn portals(db: impl PgExecutor<'_>, account_id: i64) -> Result<Vec<PortalRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {PORTAL_COLUMNS} FROM portals WHERE account_id = $1 ORDER BY id"))
        .bind(account_id)
        .fetch_all(db)
        .await
}

pub async fn portal_by_slug(
    db: impl PgExecutor<'_>,
    account_id: i64,
    slug: &str,
) -> Result<Option<PortalRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {PORTAL_COLUMNS} FROM portals WHERE account_id = $1 AND slug = $2"))
        .bind(account_id)
        .bind(slug)
        .fetch_optional(db)
        .await
}

/// Article counts of a portal (optionally one locale) by status, and the
/// caller's own.
#[derive(Debug, Clone, Copy, Default, sqlx::FromRow)]
pub struct ArticleCounts {
    pub all: i64,
    pub archived: i64,
    pub published: i64,
    pub draft: i64,
    pub mine: i64,
}

/// Counts over the articles of `portal_id` that pass `scope`.
pub async fn article_counts(
    db: impl PgExecutor<'_>,
    account_id: i64,
    portal_id: i64,
    caller_id: i64,
    scope: &ArticleScope,
) -> Result<ArticleCounts, sqlx::Error> {
    let mut qb = QueryBuilder::new(
        "SELECT count(*) AS all, count(*) FILTER (WHERE a.status = 'archived') AS archived, \
         count(*) FILTER (WHERE a.status = 'published') AS published, \
         count(*) FILTER (WHERE a.status = 'draft') AS draft, count(*) FILTER (WHERE a.author_id = ",
    );
    qb.push_bind(caller_id).push(") AS mine FROM articles a");
    push_article_scope(&mut qb, account_id, portal_id, scope);
    qb.build_query_as().fetch_one(db).await
}

/// Per locale of a portal: (locale, articles, categories).
pub async fn locale_counts(
    db: impl PgExecutor<'_>,
    account_id: i64,
    portal_id: i64,
) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT l.locale, \
           (SELECT count(*) FROM articles a WHERE a.account_id = $1 AND a.portal_id = $2 AND a.locale = l.locale), \
           (SELECT count(*) FROM categories c WHERE c.account_id = $1 AND c.portal_id = $2 AND c.locale = l.locale) \
         FROM (SELECT DISTINCT locale FROM articles WHERE account_id = $1 AND portal_id = $2 \
               UNION SELECT DISTINCT locale FROM categories WHERE account_id = $1 AND portal_id = $2) l",
    )
    .bind(account_id)
    .bind(portal_id)
    .fetch_all(db)
    .await
}

pub async fn category_count(
    db: impl PgExecutor<'_>,
    account_id: i64,
    portal_id: i64,
    locale: Option<&str>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT count(*) FROM categories WHERE account_id = $1 AND portal_id = $2 \
         AND ($3::text IS NULL OR locale = $3)",
    )
    .bind(account_id)
    .bind(portal_id)
    .bind(locale)
    .fetch_one(db)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CategoryRow {
    pub account_id: i64,
    pub id: i64,
    pub portal_id: i64,
    pub name: String,
    pub slug: String,
    pub locale: String,
    pub description: Option<String>,
    pub position: Option<i64>,
    pub icon: Option<String>,
    pub parent_category_id: Option<i64>,
    pub associated_category_id: Option<i64>,
    pub related_category_ids: Vec<i64>,
    pub articles_count: i64,
}

const CATEGORY_COLUMNS: &str = "c.account_id, c.id, c.portal_id, c.name, c.slug, c.locale, c.description, \
     c.position, c.icon, c.parent_category_id, c.associated_category_id, c.related_category_ids, \
     (SELECT count(*) FROM articles a WHERE a.account_id = c.account_id AND a.category_id = c.id) AS articles_count";

/// Categories of a portal (one locale or all), by position then id.
pub async fn categories(
    db: impl PgExecutor<'_>,
    account_id: i64,
    portal_id: i64,
    locale: Option<&str>,
) -> Result<Vec<CategoryRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {CATEGORY_COLUMNS} FROM categories c WHERE c.account_id = $1 AND c.portal_id = $2 \
         AND ($3::text IS NULL OR c.locale = $3) ORDER BY c.position ASC NULLS LAST, c.id"
    ))
    .bind(account_id)
    .bind(portal_id)
    .bind(locale)
    .fetch_all(db)
    .await
}

/// Categories of the account by id (any portal), for related/parent links.
pub async fn categories_by_ids(
    db: impl PgExecutor<'_>,
    account_id: i64,
    ids: &[i64],
) -> Result<Vec<CategoryRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {CATEGORY_COLUMNS} FROM categories c WHERE c.account_id = $1 AND c.id = ANY($2) ORDER BY c.id"
    ))
    .bind(account_id)
    .bind(ids)
    .fetch_all(db)
    .await
}

pub async fn category(
    db: impl PgExecutor<'_>,
    account_id: i64,
    portal_id: i64,
    id: i64,
) -> Result<Option<CategoryRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {CATEGORY_COLUMNS} FROM categories c WHERE c.account_id = $1 AND c.portal_id = $2 AND c.id = $3"
    ))
    .bind(account_id)
    .bind(portal_id)
    .bind(id)
    .fetch_optional(db)
    .await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ArticleRow {
    pub account_id: i64,
    pub id: i64,
    pub portal_id: i64,
    pub category_id: Option<i64>,
    pub title: String,
    pub slug: String,
    pub content: String,
    pub description: Option<String>,
    pub status: String,
    pub position: Option<i64>,
    pub locale: String,
    pub author_id: i64,
    pub associated_article_id: Option<i64>,
    pub meta: Value,
    pub views: i64,
    pub updated_at: DateTime<Utc>,
}

const ARTICLE_COLUMNS: &str = "a.account_id, a.id, a.portal_id, a.category_id, a.title, a.slug, a.content, \
     a.description, a.status, a.position, a.locale, a.author_id, a.associated_article_id, a.meta, a.views, \
     a.updated_at";

/// Which articles of a portal a listing covers.
#[derive(Debug, Clone, Default)]
pub struct ArticleScope {
    pub locale: Option<String>,
    pub category_id: Option<i64>,
}

/// The listing's own filters on top of the scope.
#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    pub status: Option<String>,
    pub author_id: Option<i64>,
    /// Text searched in title, description and content (ILIKE, escaped).
    pub query: Option<String>,
}

fn push_article_scope(
    qb: &mut QueryBuilder<'_, Postgres>,
    account_id: i64,
    portal_id: i64,
    scope: &ArticleScope,
) {
    qb.push(" WHERE a.account_id = ").push_bind(account_id);
    qb.push(" AND a.portal_id = ").push_bind(portal_id);
    if let Some(locale) = &scope.locale {
        qb.push(" AND a.locale = ").push_bind(locale.clone());
    }
    if let Some(category) = scope.category_id {
        qb.push(" AND a.category_id = ").push_bind(category);
    }
}

fn push_article_filter(qb: &mut QueryBuilder<'_, Postgres>, filter: &ArticleFilter) {
    if let Some(status) = &filter.status {
        qb.push(" AND a.status = ").push_bind(status.clone());
    }
    if let Some(author) = filter.author_id {
        qb.push(" AND a.author_id = ").push_bind(author);
    }
    if let Some(query) = &filter.query {
        let pattern = format!("%{}%", crate::filter::condition::escape_like(query));
        qb.push(" AND (a.title ILIKE ").push_bind(pattern.clone());
        qb.push(" OR a.description ILIKE ").push_bind(pattern.clone());
        qb.push(" OR a.content ILIKE ").push_bind(pattern).push(")");
    }
}

/// A page of articles and the number of matches. In a category, by
/// position; otherwise the most recently updated first.
#[allow(clippy::too_many_arguments)]
pub async fn articles(
    db: &sqlx::PgPool,
    account_id: i64,
    portal_id: i64,
    scope: &ArticleScope,
    filter: &ArticleFilter,
    page: i64,
    per_page: i64,
) -> Result<(Vec<ArticleRow>, i64), sqlx::Error> {
    let mut qb = QueryBuilder::new(format!("SELECT {ARTICLE_COLUMNS} FROM articles a"));
    push_article_scope(&mut qb, account_id, portal_id, scope);
    push_article_filter(&mut qb, filter);
    qb.push(if scope.category_id.is_some() {
        " ORDER BY a.position ASC NULLS LAST, a.id"
    } else {
        " ORDER BY a.updated_at DESC, a.id DESC"
    });
    qb.push(" LIMIT ").push_bind(per_page).push(" OFFSET ").push_bind((page.max(1) - 1) * per_page);
    let rows = qb.build_query_as().fetch_all(db).await?;
    let mut count = QueryBuilder::new("SELECT count(*) FROM articles a");
    push_article_scope(&mut count, account_id, portal_id, scope);
    push_article_filter(&mut count, filter);
    let total = count.build_query_scalar().fetch_one(db).await?;
    Ok((rows, total))
}

pub async fn article(
    db: impl PgExecutor<'_>,
    account_id: i64,
    portal_id: i64,
    id: i64,
) -> Result<Option<ArticleRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.account_id = $1 AND a.portal_id = $2 AND a.id = $3"
    ))
    .bind(account_id)
    .bind(portal_id)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Ids of a portal's articles and categories (for deleting a portal).
pub async fn portal_contents(
    db: impl PgExecutor<'_> + Copy,
    account_id: i64,
    portal_id: i64,
) -> Result<(Vec<i64>, Vec<i64>), sqlx::Error> {
    let categories = sqlx::query_scalar("SELECT id FROM categories WHERE account_id = $1 AND portal_id = $2")
        .bind(account_id)
        .bind(portal_id)
        .fetch_all(db)
        .await?;
    let articles = sqlx::query_scalar("SELECT id FROM articles WHERE account_id = $1 AND portal_id = $2")
        .bind(account_id)
        .bind(portal_id)
        .fetch_all(db)
        .await?;
    Ok((categories, articles))
}

/// The next position in a category: the highest so far + 10.
pub async fn next_article_position(
    db: impl PgExecutor<'_>,
    account_id: i64,
    portal_id: i64,
    category_id: Option<i64>,
) -> Result<i64, sqlx::Error> {
    let max: Option<i64> = sqlx::query_scalar(
        "SELECT max(position) FROM articles WHERE account_id = $1 AND portal_id = $3 AND category_id IS NOT DISTINCT FROM $2",
    )
    .bind(account_id)
    .bind(category_id)
    .bind(portal_id)
    .fetch_one(db)
    .await?;
    Ok(max.unwrap_or(0) + 10)
}
