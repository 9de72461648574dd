//! The help center: an account's portals (knowledge bases addressed by a
//! slug), their categories (per locale) and articles. The three share one
//! record-shaped aggregate, [`Entry`], over their own fields
//! ([`PortalFields`], [`CategoryFields`], [`ArticleFields`]).
//!
//! Unique values are [`UniqueClaim`](crate::unique_claim::UniqueClaim)
//! streams appended with the record's event: portal slugs, custom domains
//! and article slugs for the whole installation (they appear in public
//! URLs), a category's slug per portal and locale.

mod article;
mod category;
mod entry;
mod portal;
mod text;

pub use article::{ArticleFields, ArticlePatch, ArticleStatus};
pub use category::{CategoryFields, CategoryPatch};
pub use entry::{Entry, EntryCommand, EntryError, EntryEvent, Record};
pub use portal::{PortalFields, PortalPatch};
pub use text::{is_locale, is_slug, parameterize};

use crate::ids::AccountId;
use crate::unique_claim::{installation_claim_id, unique_claim_id, ClaimedField};

/// A portal.
pub type Portal = Entry<PortalFields>;
/// A category of a portal.
pub type Category = Entry<CategoryFields>;
/// An article of a portal.
pub type Article = Entry<ArticleFields>;

pub const PORTAL_SLUG: ClaimedField = ClaimedField::new("slug", "Slug");
pub const CUSTOM_DOMAIN: ClaimedField = ClaimedField::new("custom_domain", "Custom domain");
pub const ARTICLE_SLUG: ClaimedField = ClaimedField::new("slug", "Slug");
pub const CATEGORY_LOCALE: ClaimedField = ClaimedField {
    attribute: "locale",
    label: "Locale",
    message: "should be unique in the category and portal",
};

pub fn portal_slug_claim_id(slug: &str) -> String {
    installation_claim_id("portal/slug", slug)
}

pub fn custom_domain_claim_id(domain: &str) -> String {
    installation_claim_id("portal/custom_domain", domain)
}

pub fn article_slug_claim_id(slug: &str) -> String {
    installation_claim_id("article/slug", slug)
}

/// A category's (slug, locale) within its portal.
pub fn category_claim_id(account_id: AccountId, portal_id: i64, locale: &str, slug: &str) -> String {
    unique_claim_id(account_id, &format!("category/{portal_id}/{locale}"), slug)
}

#[cfg(test)]
mod tests;
