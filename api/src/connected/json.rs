//! JSON-LD shapes of connected accounts (API Platform 4 conventions:
//! unprefixed Hydra terms, relations as IRIs). Credentials never appear.

use chrono::{DateTime, SecondsFormat, Utc};
use onelink_projections::connected_accounts::ConnectedAccountRow;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

pub const COLLECTION_IRI: &str = "/api/accounts";
pub const CONTEXT: &str = "/api/contexts/Account";
/// Items per page (API Platform's default).
pub const PAGE_SIZE: i64 = 30;

pub fn item_iri(id: Uuid) -> String {
    format!("{COLLECTION_IRI}/{id}")
}

pub fn integration_iri(provider: &str) -> String {
    format!("/api/integrations/{provider}")
}

pub fn inbox_iri(account_id: i64, inbox_id: i64) -> String {
    format!("/api/v1/accounts/{account_id}/inboxes/{inbox_id}")
}

fn iso(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A connected account.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConnectedAccountJson {
    /// Only on a top-level item (not on collection members).
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    context: Option<&'static str>,
    #[serde(rename = "@id")]
    iri: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    id: Uuid,
    name: String,
    headline: Option<String>,
    avatar_url: Option<String>,
    /// `whatsapp`, `linkedin`, `telegram`, `instagram`, `gmail` or `outlook`.
    provider: String,
    /// Phone number (E.164) or profile id at the provider.
    external_id: Option<String>,
    /// `/api/integrations/<provider>`
    integration: String,
    /// `/api/clients/<account id>`: the OneLink account that owns it.
    client: String,
    account_id: i64,
    /// `/api/v1/accounts/<account id>/inboxes/<inbox id>` when linked.
    inbox: Option<String>,
    /// `connecting`, `active`, `disconnected` or `error`.
    status: String,
    /// Non-secret settings (credentials are write-only).
    #[schema(value_type = Object)]
    config: Value,
    created_at: String,
    updated_at: String,
}

impl ConnectedAccountJson {
    pub fn new(row: ConnectedAccountRow, top_level: bool) -> Self {
        Self {
            context: top_level.then_some(CONTEXT),
            iri: item_iri(row.id),
            kind: "Account",
            id: row.id,
            integration: integration_iri(&row.provider),
            client: format!("/api/clients/{}", row.account_id),
            inbox: row.inbox_id.map(|i| inbox_iri(row.account_id, i)),
            account_id: row.account_id,
            name: row.name,
            headline: row.headline,
            avatar_url: row.avatar_url,
            provider: row.provider,
            external_id: row.external_id,
            status: row.status,
            config: row.config,
            created_at: iso(row.created_at),
            updated_at: iso(row.updated_at),
        }
    }
}

/// A page of connected accounts.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Collection {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@id")]
    iri: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    total_items: i64,
    member: Vec<ConnectedAccountJson>,
    /// Present when there is more than one page.
    #[serde(skip_serializing_if = "Option::is_none")]
    view: Option<PartialCollectionView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartialCollectionView {
    #[serde(rename = "@id")]
    iri: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    first: String,
    last: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    previous: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
}

impl Collection {
    /// `account_param` is repeated in the page links when the client chose
    /// the account explicitly.
    pub fn new(rows: Vec<ConnectedAccountRow>, total: i64, page: i64, account_param: Option<i64>) -> Self {
        let last = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
        let link = |p: i64| match account_param {
            Some(a) => format!("{COLLECTION_IRI}?account_id={a}&page={p}"),
            None => format!("{COLLECTION_IRI}?page={p}"),
        };
        let view = (last > 1).then(|| PartialCollectionView {
            iri: link(page),
            kind: "PartialCollectionView",
            first: link(1),
            last: link(last),
            previous: (page > 1).then(|| link((page - 1).min(last))),
            next: (page < last).then(|| link(page + 1)),
        });
        Self {
            context: CONTEXT,
            iri: COLLECTION_IRI,
            kind: "Collection",
            total_items: total,
            member: rows.into_iter().map(|r| ConnectedAccountJson::new(r, false)).collect(),
            view,
        }
    }
}
