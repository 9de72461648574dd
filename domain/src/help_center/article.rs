//! An article's fields and their rules.

use super::entry::Record;
use super::text::{is_locale, is_slug};
use crate::ids::AccountId;
use crate::unique_claim::ClaimedField;
use crate::validation::{json_has_nul, Violations, STRING_MAX, TEXT_MAX};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Longest article content, in characters.
pub const CONTENT_MAX: usize = 200_000;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArticleStatus {
    #[default]
    Draft,
    Published,
    Archived,
}

impl ArticleStatus {
    pub const ALL: [ArticleStatus; 3] =
        [ArticleStatus::Draft, ArticleStatus::Published, ArticleStatus::Archived];

    pub fn parse(value: &str) -> Option<ArticleStatus> {
        ArticleStatus::ALL.into_iter().find(|s| s.as_str() == value)
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            ArticleStatus::Draft => "draft",
            ArticleStatus::Published => "published",
            ArticleStatus::Archived => "archived",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ArticleFields {
    pub title: String,
    /// Unique in the installation.
    pub slug: String,
    pub content: String,
    pub description: Option<String>,
    pub status: ArticleStatus,
    pub position: Option<i64>,
    pub locale: String,
    pub category_id: Option<i64>,
    /// A member of the account (checked by the service); 0 = none.
    pub author_id: i64,
    pub associated_article_id: Option<i64>,
    /// `{title, description, tags}` for search engines, as given.
    pub meta: Value,
}

#[derive(Debug, Clone, Default)]
pub struct ArticlePatch {
    pub title: Option<String>,
    pub slug: Option<String>,
    pub content: Option<String>,
    pub description: Option<Option<String>>,
    pub status: Option<ArticleStatus>,
    pub position: Option<Option<i64>>,
    pub locale: Option<String>,
    pub category_id: Option<Option<i64>>,
    pub author_id: Option<i64>,
    pub associated_article_id: Option<Option<i64>>,
    pub meta: Option<Value>,
}

impl Record for ArticleFields {
    const NAME: &'static str = "Article";
    type Patch = ArticlePatch;

    fn patched(&self, p: ArticlePatch) -> Self {
        let mut f = self.clone();
        if let Some(v) = p.title {
            f.title = v.trim().to_owned();
        }
        if let Some(v) = p.slug {
            f.slug = v.trim().to_owned();
        }
        if let Some(v) = p.content {
            f.content = v;
        }
        if let Some(v) = p.description {
            f.description = v;
        }
        if let Some(v) = p.status {
            f.status = v;
        }
        if let Some(v) = p.position {
            f.position = v;
        }
        if let Some(v) = p.locale {
            f.locale = v.trim().to_owned();
        }
        if let Some(v) = p.category_id {
            f.category_id = v;
        }
        if let Some(v) = p.author_id {
            f.author_id = v;
        }
        if let Some(v) = p.associated_article_id {
            f.associated_article_id = v;
        }
        if let Some(v) = p.meta {
            f.meta = v;
        }
        if f.meta.is_null() {
            f.meta = Value::Object(Default::default());
        }
        f
    }

    fn claims(&self, _: AccountId, _: Option<i64>) -> Vec<(String, ClaimedField)> {
        vec![(super::article_slug_claim_id(&self.slug), super::ARTICLE_SLUG)]
    }

    fn validate(&self) -> Result<(), Violations> {
        let mut v = Violations::new();
        v.require_present("title", "Title", Some(&self.title));
        v.require_present("content", "Content", Some(&self.content));
        v.require_present("slug", "Slug", Some(&self.slug));
        if !self.slug.is_empty() && !is_slug(&self.slug) {
            v.add("slug", "Slug may only contain lower-case letters, digits and hyphens");
        }
        if self.author_id <= 0 {
            v.add("author", "Author must exist");
        }
        if !is_locale(&self.locale) {
            v.add("locale", "Locale is not a locale code");
        }
        for (attribute, label, value, max) in [
            ("title", "Title", Some(self.title.as_str()), STRING_MAX),
            ("slug", "Slug", Some(self.slug.as_str()), STRING_MAX),
            ("content", "Content", Some(self.content.as_str()), CONTENT_MAX),
            ("description", "Description", self.description.as_deref(), TEXT_MAX),
        ] {
            v.max_len(attribute, label, value, max);
            v.no_nul(attribute, label, value);
        }
        if !self.meta.is_object() {
            v.add("meta", "Meta must be an object");
        } else if json_has_nul(&self.meta) || self.meta.to_string().len() > 16_384 {
            v.add("meta", "Meta is invalid");
        }
        v.into_result()
    }
}
