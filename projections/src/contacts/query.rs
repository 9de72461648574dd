//! Reading contacts: one contact, its labels, and the paginated listing
//! behind index, search and filter. Every query is keyed by account; the
//! listing is limited to "resolved contacts" (reachable by e-mail, phone or
//! identifier — or, with the account feature `crm_v2`, leads).

use super::filter::{ALIAS, CONTACTS};
use crate::filter::condition::escape_like;
use crate::filter::{sql::push_filter, Filter};
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::{PgExecutor, Postgres, QueryBuilder};

/// Page size of every contact listing (upstream `RESULTS_PER_PAGE`).
pub const PER_PAGE: i64 = 15;

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ContactRow {
    pub account_id: i64,
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub identifier: Option<String>,
    pub blocked: bool,
    pub additional_attributes: Value,
    pub custom_attributes: Value,
    pub contact_type: String,
    pub last_activity_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The `Avatar` as recorded (`None`: no avatar).
    #[sqlx(default)]
    pub avatar: Option<Value>,
}

impl ContactRow {
    pub fn avatar(&self) -> Option<onelink_domain::contact::Avatar> {
        self.avatar.as_ref().and_then(|a| serde_json::from_value(a.clone()).ok())
    }
}

const COLUMNS: &str = "c.account_id, c.id, c.name, c.email, c.phone_number, c.identifier, c.blocked, \
                       c.additional_attributes, c.custom_attributes, c.contact_type, c.last_activity_at, \
                       c.created_at, c.updated_at, c.avatar";

pub async fn find(
    db: impl PgExecutor<'_>,
    account_id: i64,
    id: i64,
) -> Result<Option<ContactRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM contacts c WHERE c.account_id = $1 AND c.id = $2"))
        .bind(account_id)
        .bind(id)
        .fetch_optional(db)
        .await
}

/// The contact's labels in the order they were set.
pub async fn labels(db: impl PgExecutor<'_>, account_id: i64, id: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT label FROM contact_labels WHERE account_id = $1 AND contact_id = $2 ORDER BY position",
    )
    .bind(account_id)
    .bind(id)
    .fetch_all(db)
    .await
}

/// Which contacts a listing starts from. `contact_counts` counts both
/// sets per account (kept by the projection with the same predicates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    /// With a non-empty e-mail, phone number or identifier.
    Reachable,
    /// `contact_type = 'lead'` (account feature `crm_v2`).
    Leads,
}

/// A sort key of the contact listings (`sort=name,-created_at`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Name,
    Email,
    PhoneNumber,
    LastActivityAt,
    CreatedAt,
    Company,
    City,
    Country,
}

impl SortKey {
    /// `company_name` is accepted as an alias of `company`.
    pub fn parse(value: &str) -> Option<SortKey> {
        Some(match value {
            "name" => SortKey::Name,
            "email" => SortKey::Email,
            "phone_number" => SortKey::PhoneNumber,
            "last_activity_at" => SortKey::LastActivityAt,
            "created_at" => SortKey::CreatedAt,
            "company" | "company_name" => SortKey::Company,
            "city" => SortKey::City,
            "country" => SortKey::Country,
            _ => return None,
        })
    }

    /// The ORDER BY expression and whether NULLs go last in both directions
    /// (otherwise Postgres' default: last ascending, first descending).
    fn expression(self) -> (&'static str, bool) {
        match self {
            SortKey::Name => ("lower(c.name)", false),
            SortKey::Email => ("c.email", false),
            SortKey::PhoneNumber => ("c.phone_number", false),
            SortKey::LastActivityAt => ("c.last_activity_at", true),
            SortKey::CreatedAt => ("c.created_at", true),
            SortKey::Company => ("(c.additional_attributes ->> 'company_name')", true),
            SortKey::City => ("(c.additional_attributes ->> 'city')", true),
            SortKey::Country => ("(c.additional_attributes ->> 'country')", true),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

/// Comma-separated keys, `-` prefix for descending; unknown keys are
/// ignored, repeated keys count once.
pub fn parse_sort(raw: &str) -> Vec<Sort> {
    let mut sorts: Vec<Sort> = Vec::new();
    for token in raw.split(',').map(str::trim) {
        let (descending, name) = match token.strip_prefix('-') {
            Some(name) => (true, name),
            None => (false, token),
        };
        if let Some(key) = SortKey::parse(name) {
            if !sorts.iter().any(|s| s.key == key) {
                sorts.push(Sort { key, descending });
            }
        }
    }
    sorts
}

/// What a listing asks for.
#[derive(Debug, Clone, Copy)]
pub struct Listing<'a> {
    pub account_id: i64,
    pub resolved: Resolved,
    /// Contacts with any of these labels (lower-case).
    pub labels: &'a [String],
    /// Search text (trimmed, non-empty).
    pub search: Option<&'a str>,
    pub filter: Option<&'a Filter>,
    pub sort: &'a [Sort],
    /// 1-based.
    pub page: i64,
}

impl Listing<'_> {
    /// Every contact the listing starts from: no labels, search or filter.
    fn is_unfiltered(&self) -> bool {
        self.labels.is_empty() && self.search.is_none() && self.filter.is_none()
    }
}

#[derive(Debug, Clone)]
pub struct Page {
    pub rows: Vec<ContactRow>,
    /// Matches over all pages.
    pub count: i64,
}

fn push_from_where<'a>(qb: &mut QueryBuilder<'a, Postgres>, listing: &Listing<'a>) {
    qb.push(" FROM contacts c WHERE c.account_id = ");
    qb.push_bind(listing.account_id);
    qb.push(match listing.resolved {
        Resolved::Reachable => " AND (c.email <> '' OR c.phone_number <> '' OR c.identifier <> '')",
        Resolved::Leads => " AND c.contact_type = 'lead'",
    });
    if !listing.labels.is_empty() {
        qb.push(
            " AND EXISTS (SELECT 1 FROM contact_labels l WHERE l.account_id = c.account_id \
               AND l.contact_id = c.id AND l.label = ANY(",
        );
        qb.push_bind(listing.labels.to_vec());
        qb.push("))");
    }
    if let Some(search) = listing.search {
        let pattern = format!("%{}%", escape_like(search));
        for (i, (column, op)) in [
            ("c.name", "ILIKE"),
            ("c.email", "ILIKE"),
            ("c.phone_number", "ILIKE"),
            ("c.identifier", "LIKE"),
            ("(c.additional_attributes ->> 'company_name')", "ILIKE"),
        ]
        .into_iter()
        .enumerate()
        {
            qb.push(if i == 0 { " AND (" } else { " OR " });
            qb.push(format_args!("{column} {op} "));
            qb.push_bind(pattern.clone());
        }
        qb.push(")");
    }
    if let Some(filter) = listing.filter {
        qb.push(" AND ");
        push_filter(qb, &CONTACTS, filter);
    }
}

/// The page query (exposed so tests can inspect the SQL text). Without a
/// search it walks the index of the first sort key (every key has one per
/// direction, ties broken by id ascending). A search first collects its
/// matches from the trigram indexes and then sorts them: left to itself,
/// a generic plan would walk the sort index and test every contact.
pub fn page_query<'a>(listing: &Listing<'a>) -> QueryBuilder<'a, Postgres> {
    debug_assert_eq!(ALIAS, "c");
    let mut qb = if listing.search.is_some() {
        let mut qb = QueryBuilder::new("WITH matches AS MATERIALIZED (SELECT c.*");
        push_from_where(&mut qb, listing);
        qb.push(format_args!(") SELECT {COLUMNS} FROM matches c"));
        qb
    } else {
        let mut qb = QueryBuilder::new(format!("SELECT {COLUMNS}"));
        push_from_where(&mut qb, listing);
        qb
    };
    qb.push(" ORDER BY ");
    for sort in listing.sort {
        let (expression, nulls_last) = sort.key.expression();
        let direction = if sort.descending { "DESC" } else { "ASC" };
        qb.push(format_args!("{expression} {direction}"));
        qb.push(if nulls_last { " NULLS LAST, " } else { ", " });
    }
    qb.push("c.id ASC LIMIT ");
    qb.push_bind(PER_PAGE);
    qb.push(" OFFSET ");
    qb.push_bind(listing.page.max(1).saturating_sub(1).saturating_mul(PER_PAGE));
    qb
}

pub fn count_query<'a>(listing: &Listing<'a>) -> QueryBuilder<'a, Postgres> {
    let mut qb = QueryBuilder::new("SELECT count(*)");
    push_from_where(&mut qb, listing);
    qb
}

/// The number of contacts the unfiltered listing starts from, kept per
/// account by the projection (one row read, whatever the account's size).
pub async fn resolved_count(
    db: impl PgExecutor<'_>,
    account_id: i64,
    resolved: Resolved,
) -> Result<i64, sqlx::Error> {
    let column = match resolved {
        Resolved::Reachable => "reachable",
        Resolved::Leads => "leads",
    };
    let count: Option<i64> =
        sqlx::query_scalar(&format!("SELECT {column} FROM contact_counts WHERE account_id = $1"))
            .bind(account_id)
            .fetch_optional(db)
            .await?;
    Ok(count.unwrap_or(0))
}

/// One page of the listing and the total count: from `contact_counts`
/// when unfiltered, else counted over the matches.
pub async fn list(db: &sqlx::PgPool, listing: &Listing<'_>) -> Result<Page, sqlx::Error> {
    let rows = page_query(listing).build_query_as::<ContactRow>().fetch_all(db).await?;
    let count = if listing.is_unfiltered() {
        resolved_count(db, listing.account_id, listing.resolved).await?
    } else {
        count_query(listing).build_query_scalar::<i64>().fetch_one(db).await?
    };
    Ok(Page { rows, count })
}

/// Contacts of the account by id (for rendering many conversations).
pub async fn find_many(
    db: impl PgExecutor<'_>,
    account_id: i64,
    ids: &[i64],
) -> Result<Vec<ContactRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM contacts c WHERE c.account_id = $1 AND c.id = ANY($2)"))
        .bind(account_id)
        .bind(ids)
        .fetch_all(db)
        .await
}
