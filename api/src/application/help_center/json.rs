//! Help center shapes (upstream `portals/_portal`, `categories/_category`,
//! `articles/_article` partials).

use crate::application::inbox_json::Inbox;
use crate::application::json::Agent;
use crate::error::ApiResult;
use crate::state::AppState;
use onelink_projections::help_center::query::{
    self as rows, ArticleRow, ArticleScope, CategoryRow, PortalRow,
};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct LocaleCounts {
    code: String,
    articles_count: i64,
    categories_count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortalConfig {
    allowed_locales: Vec<LocaleCounts>,
    default_locale: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortalMeta {
    all_articles_count: i64,
    archived_articles_count: i64,
    published_count: i64,
    draft_articles_count: i64,
    mine_articles_count: i64,
    categories_count: i64,
    default_locale: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Portal {
    id: i64,
    account_id: i64,
    name: String,
    slug: String,
    color: Option<String>,
    custom_domain: Option<String>,
    header_text: Option<String>,
    homepage_link: Option<String>,
    page_title: Option<String>,
    archived: bool,
    config: PortalConfig,
    inbox: Option<Inbox>,
    logo: Option<Value>,
    meta: PortalMeta,
}

/// Renders a portal with its counts (of one locale when given).
pub async fn portal(
    state: &AppState,
    row: PortalRow,
    caller_id: i64,
    admin: bool,
    locale: Option<&str>,
) -> ApiResult<Portal> {
    let (account_id, portal_id) = (row.account_id, row.id);
    let scope = ArticleScope { locale: locale.map(str::to_owned), category_id: None };
    let counts = rows::article_counts(&state.pool, account_id, portal_id, caller_id, &scope).await?;
    let categories_count = rows::category_count(&state.pool, account_id, portal_id, locale).await?;
    let per_locale = rows::locale_counts(&state.pool, account_id, portal_id).await?;
    let allowed_locales = row
        .allowed_locales
        .iter()
        .map(|code| {
            let found = per_locale.iter().find(|(l, _, _)| l == code);
            LocaleCounts {
                code: code.clone(),
                articles_count: found.map_or(0, |f| f.1),
                categories_count: found.map_or(0, |f| f.2),
            }
        })
        .collect();
    let inbox = match row.inbox_id {
        Some(id) => onelink_projections::inboxes::query::find(&state.pool, account_id, id)
            .await?
            .map(|inbox| Inbox::new(state, inbox, admin)),
        None => None,
    };
    Ok(Portal {
        id: row.id,
        account_id,
        name: row.name,
        slug: row.slug,
        color: row.color,
        custom_domain: row.custom_domain,
        header_text: row.header_text,
        homepage_link: row.homepage_link,
        page_title: row.page_title,
        archived: row.archived,
        config: PortalConfig { allowed_locales, default_locale: row.default_locale.clone() },
        inbox,
        logo: None,
        meta: PortalMeta {
            all_articles_count: counts.all,
            archived_articles_count: counts.archived,
            published_count: counts.published,
            draft_articles_count: counts.draft,
            mine_articles_count: counts.mine,
            categories_count,
            default_locale: row.default_locale,
        },
    })
}

/// A category as other categories and articles mention it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryMini {
    id: i64,
    name: String,
    slug: String,
    locale: String,
    description: Option<String>,
    position: Option<i64>,
    account_id: i64,
}

impl From<&CategoryRow> for CategoryMini {
    fn from(c: &CategoryRow) -> Self {
        Self {
            id: c.id,
            name: c.name.clone(),
            slug: c.slug.clone(),
            locale: c.locale.clone(),
            description: c.description.clone(),
            position: c.position,
            account_id: c.account_id,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryMeta {
    articles_count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Category {
    id: i64,
    name: String,
    slug: String,
    locale: String,
    description: Option<String>,
    position: Option<i64>,
    account_id: i64,
    icon: Option<String>,
    related_categories: Vec<CategoryMini>,
    parent_category: Option<CategoryMini>,
    root_category: Option<CategoryMini>,
    meta: CategoryMeta,
}

/// Renders categories with their related, parent and root categories.
pub async fn categories(state: &AppState, list: Vec<CategoryRow>) -> ApiResult<Vec<Category>> {
    let Some(account_id) = list.first().map(|c| c.account_id) else {
        return Ok(vec![]);
    };
    let mut wanted: Vec<i64> = list
        .iter()
        .flat_map(|c| {
            c.related_category_ids.iter().copied().chain(c.parent_category_id).chain(c.associated_category_id)
        })
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let linked = rows::categories_by_ids(&state.pool, account_id, &wanted).await?;
    let mini = |id: Option<i64>| id.and_then(|id| linked.iter().find(|c| c.id == id)).map(CategoryMini::from);
    Ok(list
        .into_iter()
        .map(|c| Category {
            related_categories: c.related_category_ids.iter().filter_map(|id| mini(Some(*id))).collect(),
            parent_category: mini(c.parent_category_id),
            root_category: mini(c.associated_category_id),
            meta: CategoryMeta { articles_count: c.articles_count },
            id: c.id,
            name: c.name,
            slug: c.slug,
            locale: c.locale,
            description: c.description,
            position: c.position,
            account_id: c.account_id,
            icon: c.icon,
        })
        .collect())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleCategory {
    id: i64,
    name: String,
    slug: String,
    locale: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Article {
    id: i64,
    slug: String,
    title: String,
    content: String,
    description: Option<String>,
    status: String,
    position: Option<i64>,
    account_id: i64,
    locale: String,
    /// Unix seconds.
    updated_at: i64,
    #[schema(value_type = Object)]
    meta: Value,
    category: Option<ArticleCategory>,
    views: i64,
    author: Option<Agent>,
    associated_article_id: Option<i64>,
}

/// Renders articles with their category and author (two queries a page).
pub async fn articles(state: &AppState, list: Vec<ArticleRow>) -> ApiResult<Vec<Article>> {
    let Some(account_id) = list.first().map(|a| a.account_id) else {
        return Ok(vec![]);
    };
    let mut category_ids: Vec<i64> = list.iter().filter_map(|a| a.category_id).collect();
    category_ids.sort_unstable();
    category_ids.dedup();
    let categories = rows::categories_by_ids(&state.pool, account_id, &category_ids).await?;
    let mut author_ids: Vec<i64> = list.iter().map(|a| a.author_id).collect();
    author_ids.sort_unstable();
    author_ids.dedup();
    let authors =
        onelink_projections::platform::accounts::agents_among(&state.pool, account_id, &author_ids).await?;
    Ok(list
        .into_iter()
        .map(|a| Article {
            category: a.category_id.and_then(|id| categories.iter().find(|c| c.id == id)).map(|c| {
                ArticleCategory {
                    id: c.id,
                    name: c.name.clone(),
                    slug: c.slug.clone(),
                    locale: c.locale.clone(),
                }
            }),
            author: authors.iter().find(|u| u.id == a.author_id).cloned().map(Agent::from),
            id: a.id,
            slug: a.slug,
            title: a.title,
            content: a.content,
            description: a.description,
            status: a.status,
            position: a.position,
            account_id: a.account_id,
            locale: a.locale,
            updated_at: a.updated_at.timestamp(),
            meta: a.meta,
            views: a.views,
            associated_article_id: a.associated_article_id,
        })
        .collect())
}
