//! A portal's fields and their rules.

use super::entry::Record;
use super::text::{is_locale, is_slug};
use crate::ids::AccountId;
use crate::unique_claim::ClaimedField;
use crate::validation::{Violations, STRING_MAX, TEXT_MAX};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PortalFields {
    pub name: String,
    /// Unique in the installation; lower-case letters, digits, hyphens.
    pub slug: String,
    pub color: Option<String>,
    /// Stored without scheme and trailing slash, lower-cased.
    pub custom_domain: Option<String>,
    pub header_text: Option<String>,
    pub homepage_link: Option<String>,
    pub page_title: Option<String>,
    pub archived: bool,
    pub default_locale: String,
    pub allowed_locales: Vec<String>,
    /// The web widget inbox offered for live chat.
    pub inbox_id: Option<i64>,
}

impl Default for PortalFields {
    fn default() -> Self {
        Self {
            name: String::new(),
            slug: String::new(),
            color: None,
            custom_domain: None,
            header_text: None,
            homepage_link: None,
            page_title: None,
            archived: false,
            default_locale: "en".to_owned(),
            allowed_locales: vec!["en".to_owned()],
            inbox_id: None,
        }
    }
}

/// A partial change; `Some(None)` clears an optional field.
#[derive(Debug, Clone, Default)]
pub struct PortalPatch {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub color: Option<Option<String>>,
    pub custom_domain: Option<Option<String>>,
    pub header_text: Option<Option<String>>,
    pub homepage_link: Option<Option<String>>,
    pub page_title: Option<Option<String>>,
    pub archived: Option<bool>,
    pub default_locale: Option<String>,
    pub allowed_locales: Option<Vec<String>>,
    pub inbox_id: Option<Option<i64>>,
}

/// `https://Help.Example.com/` → `help.example.com`; blank → none.
pub fn normalize_domain(domain: &str) -> Option<String> {
    let d = domain.trim();
    let d = d.strip_prefix("https://").or_else(|| d.strip_prefix("http://")).unwrap_or(d);
    let d = d.trim_end_matches('/').to_ascii_lowercase();
    (!d.is_empty()).then_some(d)
}

fn blank_to_none(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

impl PortalFields {
    /// The slug these fields have after `patch`.
    pub fn slug_after(&self, patch: &PortalPatch) -> String {
        patch.slug.as_deref().map_or_else(|| self.slug.clone(), |s| s.trim().to_owned())
    }
}

impl Record for PortalFields {
    const NAME: &'static str = "Portal";
    type Patch = PortalPatch;

    fn patched(&self, p: PortalPatch) -> Self {
        let mut f = self.clone();
        if let Some(name) = p.name {
            f.name = name.trim().to_owned();
        }
        if let Some(slug) = p.slug {
            f.slug = slug.trim().to_owned();
        }
        if let Some(v) = p.color {
            f.color = blank_to_none(v);
        }
        if let Some(v) = p.custom_domain {
            f.custom_domain = v.as_deref().and_then(normalize_domain);
        }
        if let Some(v) = p.header_text {
            f.header_text = v;
        }
        if let Some(v) = p.homepage_link {
            f.homepage_link = blank_to_none(v);
        }
        if let Some(v) = p.page_title {
            f.page_title = v;
        }
        if let Some(v) = p.archived {
            f.archived = v;
        }
        if let Some(v) = p.default_locale {
            f.default_locale = v.trim().to_owned();
        }
        if let Some(v) = p.allowed_locales {
            let mut locales: Vec<String> = Vec::new();
            for l in v.into_iter().map(|l| l.trim().to_owned()) {
                if !locales.contains(&l) {
                    locales.push(l);
                }
            }
            f.allowed_locales = locales;
        }
        if let Some(v) = p.inbox_id {
            f.inbox_id = v;
        }
        f
    }

    fn claims(&self, _: AccountId, _: Option<i64>) -> Vec<(String, ClaimedField)> {
        let mut claims = vec![(super::portal_slug_claim_id(&self.slug), super::PORTAL_SLUG)];
        if let Some(domain) = &self.custom_domain {
            claims.push((super::custom_domain_claim_id(domain), super::CUSTOM_DOMAIN));
        }
        claims
    }

    fn validate(&self) -> Result<(), Violations> {
        let mut v = Violations::new();
        v.require_present("name", "Name", Some(&self.name));
        v.require_present("slug", "Slug", Some(&self.slug));
        if !self.slug.is_empty() && !is_slug(&self.slug) {
            v.add("slug", "Slug may only contain lower-case letters, digits and hyphens");
        }
        for (attribute, label, value, max) in [
            ("name", "Name", Some(self.name.as_str()), STRING_MAX),
            ("slug", "Slug", Some(self.slug.as_str()), STRING_MAX),
            ("color", "Color", self.color.as_deref(), STRING_MAX),
            ("custom_domain", "Custom domain", self.custom_domain.as_deref(), STRING_MAX),
            ("header_text", "Header text", self.header_text.as_deref(), TEXT_MAX),
            ("homepage_link", "Homepage link", self.homepage_link.as_deref(), STRING_MAX),
            ("page_title", "Page title", self.page_title.as_deref(), STRING_MAX),
        ] {
            v.max_len(attribute, label, value, max);
            v.no_nul(attribute, label, value);
        }
        if self.allowed_locales.is_empty() || self.allowed_locales.len() > 50 {
            v.add("config", "Config allowed_locales must list between 1 and 50 locales");
        } else if let Some(bad) = self.allowed_locales.iter().find(|l| !is_locale(l)) {
            v.add("config", format!("Config allowed_locales has an invalid locale: {bad}"));
        } else if !self.allowed_locales.contains(&self.default_locale) {
            v.add("config", "Config default_locale must be one of the allowed locales");
        }
        v.into_result()
    }
}
