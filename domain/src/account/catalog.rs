//! Installation catalogues an account is validated against: feature flags
//! (with their defaults for new accounts) and the languages of the UI.

/// Feature flags an account can carry and whether new accounts get them.
pub const FEATURES: &[(&str, bool)] = &[
    ("inbound_emails", true),
    ("channel_email", true),
    ("channel_facebook", true),
    ("channel_twitter", true),
    ("ip_lookup", false),
    ("disable_branding", false),
    ("email_continuity_on_api_channel", false),
    ("help_center", true),
    ("agent_bots", true),
    ("macros", true),
    ("agent_management", true),
    ("team_management", true),
    ("inbox_management", true),
    ("labels", true),
    ("custom_attributes", true),
    ("automations", true),
    ("canned_responses", true),
    ("integrations", true),
    ("voice_recorder", true),
    ("mobile_v2", false),
    ("channel_website", true),
    ("campaigns", false),
    ("reports", true),
    ("crm", true),
    ("auto_resolve_conversations", true),
    ("custom_reply_email", false),
    ("custom_reply_domain", false),
    ("audit_logs", false),
    ("response_bot", false),
    ("message_reply_to", true),
    ("insert_article_in_reply", false),
    ("inbox_view", false),
    ("sla", false),
    ("help_center_embedding_search", false),
    ("linear_integration", false),
    ("captain_integration", false),
    ("custom_roles", false),
    ("chatwoot_v4", true),
    ("report_v4", true),
    ("shopify_integration", false),
    ("search_with_gin", false),
    ("channel_instagram", true),
    ("crm_integration", false),
    ("channel_voice", false),
    ("notion_integration", false),
    ("captain_integration_v2", false),
    ("whatsapp_embedded_signup", false),
    ("whatsapp_campaign", false),
    ("crm_v2", false),
];

/// Locales the installation offers (upstream `LANGUAGES_CONFIG`).
pub const LOCALES: &[&str] = &[
    "en", "ar", "az", "bg", "bn", "ca", "cs", "da", "de", "el", "es", "et", "fa", "fi", "fr", "he", "hi",
    "hr", "hu", "hy", "id", "is", "it", "ja", "ka", "ko", "lt", "lv", "ml", "ms", "ne", "nl", "no", "pl",
    "pt", "pt_BR", "ro", "ru", "sh", "sk", "sl", "sq", "sr", "sv", "ta", "th", "tl", "tr", "uk", "ur", "vi",
    "zh_CN", "zh_TW",
];

pub fn is_known_feature(name: &str) -> bool {
    FEATURES.iter().any(|(f, _)| *f == name)
}

pub fn is_known_locale(locale: &str) -> bool {
    LOCALES.contains(&locale)
}

/// The full flag map a new account starts with.
pub fn default_features() -> std::collections::BTreeMap<String, bool> {
    FEATURES.iter().map(|(name, on)| ((*name).to_owned(), *on)).collect()
}
