//! Applying portal, category, article and account events to the help
//! center tables. Deleting a portal takes its categories and articles with
//! it; deleting a category leaves its articles without one (and an article
//! naming a category that is gone is shown without one).

use crate::log::RecordedEvent;
use crate::projection::Projection;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use onelink_domain::account::{Account, AccountEvent};
use onelink_domain::help_center::{
    Article, ArticleFields, Category, CategoryFields, EntryEvent, Portal, PortalFields,
};
use sqlx::PgConnection;

pub struct HelpCenterProjection;

#[async_trait]
impl Projection for HelpCenterProjection {
    fn name(&self) -> &'static str {
        "help_center"
    }

    fn tables(&self) -> &'static [&'static str] {
        &["portals", "categories", "articles"]
    }

    async fn apply(&self, conn: &mut PgConnection, e: &RecordedEvent) -> anyhow::Result<()> {
        if e.is(Portal::TYPE) {
            portal(conn, e, e.decode()?).await
        } else if e.is(Category::TYPE) {
            category(conn, e, e.decode()?).await
        } else if e.is(Article::TYPE) {
            article(conn, e, e.decode()?).await
        } else if e.is(Account::TYPE) && matches!(e.decode::<AccountEvent>()?, AccountEvent::AccountDeleted) {
            let account_id = e.numeric_id()?;
            for table in ["portals", "categories", "articles"] {
                sqlx::query(&format!("DELETE FROM {table} WHERE account_id = $1"))
                    .bind(account_id)
                    .execute(&mut *conn)
                    .await?;
            }
            Ok(())
        } else {
            Ok(())
        }
    }
}

fn account_of(e: &RecordedEvent) -> anyhow::Result<i64> {
    e.account_id.ok_or_else(|| anyhow::anyhow!("help center event {} has no account", e.event_id))
}

async fn portal(
    conn: &mut PgConnection,
    e: &RecordedEvent,
    event: EntryEvent<PortalFields>,
) -> anyhow::Result<()> {
    let (account_id, id, at) = (account_of(e)?, e.numeric_id()?, e.recorded_at);
    match event {
        EntryEvent::Created { fields, .. } => write_portal(conn, account_id, id, &fields, at, true).await,
        EntryEvent::Updated { fields } => write_portal(conn, account_id, id, &fields, at, false).await,
        EntryEvent::Deleted => {
            for table in ["articles", "categories"] {
                sqlx::query(&format!("DELETE FROM {table} WHERE account_id = $1 AND portal_id = $2"))
                    .bind(account_id)
                    .bind(id)
                    .execute(&mut *conn)
                    .await?;
            }
            sqlx::query("DELETE FROM portals WHERE account_id = $1 AND id = $2")
                .bind(account_id)
                .bind(id)
                .execute(&mut *conn)
                .await?;
            Ok(())
        }
    }
}

async fn write_portal(
    conn: &mut PgConnection,
    account_id: i64,
    id: i64,
    f: &PortalFields,
    at: DateTime<Utc>,
    created: bool,
) -> anyhow::Result<()> {
    let sql = if created {
        "INSERT INTO portals (account_id, id, name, slug, color, custom_domain, header_text, homepage_link, \
           page_title, archived, default_locale, allowed_locales, inbox_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)"
    } else {
        "UPDATE portals SET (name, slug, color, custom_domain, header_text, homepage_link, page_title, \
           archived, default_locale, allowed_locales, inbox_id, updated_at) \
           = ($3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
         WHERE account_id = $1 AND id = $2"
    };
    sqlx::query(sql)
        .bind(account_id)
        .bind(id)
        .bind(&f.name)
        .bind(&f.slug)
        .bind(&f.color)
        .bind(&f.custom_domain)
        .bind(&f.header_text)
        .bind(&f.homepage_link)
        .bind(&f.page_title)
        .bind(f.archived)
        .bind(&f.default_locale)
        .bind(&f.allowed_locales)
        .bind(f.inbox_id)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

async fn category(
    conn: &mut PgConnection,
    e: &RecordedEvent,
    event: EntryEvent<CategoryFields>,
) -> anyhow::Result<()> {
    let (account_id, id, at) = (account_of(e)?, e.numeric_id()?, e.recorded_at);
    let (portal_id, f) = match event {
        EntryEvent::Created { portal_id, fields, .. } => (portal_id, fields),
        EntryEvent::Updated { fields } => (None, fields),
        EntryEvent::Deleted => {
            sqlx::query("UPDATE articles SET category_id = NULL WHERE account_id = $1 AND category_id = $2")
                .bind(account_id)
                .bind(id)
                .execute(&mut *conn)
                .await?;
            sqlx::query("DELETE FROM categories WHERE account_id = $1 AND id = $2")
                .bind(account_id)
                .bind(id)
                .execute(&mut *conn)
                .await?;
            return Ok(());
        }
    };
    let sql = match portal_id {
        // only while the portal exists (a portal's deletion removed it)
        Some(_) => {
            "INSERT INTO categories (account_id, id, portal_id, name, slug, locale, description, position, icon, \
               parent_category_id, associated_category_id, related_category_ids, created_at, updated_at) \
             SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13 \
             WHERE EXISTS (SELECT 1 FROM portals WHERE account_id = $1 AND id = $3)"
        }
        None => {
            "UPDATE categories SET (name, slug, locale, description, position, icon, parent_category_id, \
               associated_category_id, related_category_ids, updated_at) \
               = ($4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
             WHERE account_id = $1 AND id = $2 AND $3::bigint IS NULL"
        }
    };
    sqlx::query(sql)
        .bind(account_id)
        .bind(id)
        .bind(portal_id)
        .bind(&f.name)
        .bind(&f.slug)
        .bind(&f.locale)
        .bind(&f.description)
        .bind(f.position)
        .bind(&f.icon)
        .bind(f.parent_category_id)
        .bind(f.associated_category_id)
        .bind(&f.related_category_ids)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

async fn article(
    conn: &mut PgConnection,
    e: &RecordedEvent,
    event: EntryEvent<ArticleFields>,
) -> anyhow::Result<()> {
    let (account_id, id, at) = (account_of(e)?, e.numeric_id()?, e.recorded_at);
    let (portal_id, f) = match event {
        EntryEvent::Created { portal_id, fields, .. } => (portal_id, fields),
        EntryEvent::Updated { fields } => (None, fields),
        EntryEvent::Deleted => {
            sqlx::query("DELETE FROM articles WHERE account_id = $1 AND id = $2")
                .bind(account_id)
                .bind(id)
                .execute(conn)
                .await?;
            return Ok(());
        }
    };
    // a category that no longer exists is no category
    let category = "(SELECT c.id FROM categories c WHERE c.account_id = $1 AND c.id = $5)";
    let sql = match portal_id {
        Some(_) => format!(
            "INSERT INTO articles (account_id, id, portal_id, title, category_id, slug, content, description, \
               status, position, locale, author_id, associated_article_id, meta, created_at, updated_at) \
             SELECT $1, $2, $3, $4, {category}, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15 \
             WHERE EXISTS (SELECT 1 FROM portals WHERE account_id = $1 AND id = $3)"
        ),
        None => format!(
            "UPDATE articles SET (title, category_id, slug, content, description, status, position, locale, \
               author_id, associated_article_id, meta, updated_at) \
               = ($4, {category}, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
             WHERE account_id = $1 AND id = $2 AND $3::bigint IS NULL"
        ),
    };
    sqlx::query(&sql)
        .bind(account_id)
        .bind(id)
        .bind(portal_id)
        .bind(&f.title)
        .bind(f.category_id)
        .bind(&f.slug)
        .bind(&f.content)
        .bind(&f.description)
        .bind(f.status.as_str())
        .bind(f.position)
        .bind(&f.locale)
        .bind(f.author_id)
        .bind(f.associated_article_id)
        .bind(&f.meta)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}
