//! A category's fields and their rules.

use super::entry::Record;
use super::text::{is_locale, is_slug};
use crate::ids::AccountId;
use crate::unique_claim::ClaimedField;
use crate::validation::{Violations, STRING_MAX, TEXT_MAX};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CategoryFields {
    pub name: String,
    /// Unique per portal and locale.
    pub slug: String,
    /// One of the portal's allowed locales (checked by the service).
    pub locale: String,
    pub description: Option<String>,
    pub position: Option<i64>,
    pub icon: Option<String>,
    pub parent_category_id: Option<i64>,
    pub associated_category_id: Option<i64>,
    pub related_category_ids: Vec<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct CategoryPatch {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub locale: Option<String>,
    pub description: Option<Option<String>>,
    pub position: Option<Option<i64>>,
    pub icon: Option<Option<String>>,
    pub parent_category_id: Option<Option<i64>>,
    pub associated_category_id: Option<Option<i64>>,
    pub related_category_ids: Option<Vec<i64>>,
}

impl Record for CategoryFields {
    const NAME: &'static str = "Category";
    type Patch = CategoryPatch;

    fn patched(&self, p: CategoryPatch) -> Self {
        let mut f = self.clone();
        if let Some(v) = p.name {
            f.name = v.trim().to_owned();
        }
        if let Some(v) = p.slug {
            f.slug = v.trim().to_owned();
        }
        if let Some(v) = p.locale {
            f.locale = v.trim().to_owned();
        }
        if let Some(v) = p.description {
            f.description = v;
        }
        if let Some(v) = p.position {
            f.position = v;
        }
        if let Some(v) = p.icon {
            f.icon = v;
        }
        if let Some(v) = p.parent_category_id {
            f.parent_category_id = v;
        }
        if let Some(v) = p.associated_category_id {
            f.associated_category_id = v;
        }
        if let Some(mut v) = p.related_category_ids {
            v.sort_unstable();
            v.dedup();
            f.related_category_ids = v;
        }
        f
    }

    fn claims(&self, account_id: AccountId, portal_id: Option<i64>) -> Vec<(String, ClaimedField)> {
        let portal = portal_id.unwrap_or_default();
        vec![(super::category_claim_id(account_id, portal, &self.locale, &self.slug), super::CATEGORY_LOCALE)]
    }

    fn validate(&self) -> Result<(), Violations> {
        let mut v = Violations::new();
        v.require_present("name", "Name", Some(&self.name));
        v.require_present("slug", "Slug", Some(&self.slug));
        v.require_present("locale", "Locale", Some(&self.locale));
        if !self.slug.is_empty() && !is_slug(&self.slug) {
            v.add("slug", "Slug may only contain lower-case letters, digits and hyphens");
        }
        if !self.locale.is_empty() && !is_locale(&self.locale) {
            v.add("locale", "Locale is not a locale code");
        }
        for (attribute, label, value, max) in [
            ("name", "Name", Some(self.name.as_str()), STRING_MAX),
            ("slug", "Slug", Some(self.slug.as_str()), STRING_MAX),
            ("description", "Description", self.description.as_deref(), TEXT_MAX),
            ("icon", "Icon", self.icon.as_deref(), STRING_MAX),
        ] {
            v.max_len(attribute, label, value, max);
            v.no_nul(attribute, label, value);
        }
        if self.related_category_ids.len() > 100 {
            v.add("related_category_ids", "Related categories are too many (maximum is 100)");
        }
        v.into_result()
    }
}
