//! Slugs and locale codes of the help center.

/// Lower-case ASCII letters, digits and single hyphens between them.
pub fn is_slug(value: &str) -> bool {
    !value.is_empty()
        && value.split('-').all(|part| {
            !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// A locale code as the upstream's `LANGUAGES_CONFIG` spells them: a
/// language (`en`, `fil`) optionally followed by `_` and a region or
/// script (`pt_BR`, `zh_CN`, `sr_Latn`).
pub fn is_locale(value: &str) -> bool {
    let (language, region) = match value.split_once('_') {
        Some((l, r)) => (l, Some(r)),
        None => (value, None),
    };
    (2..=3).contains(&language.len())
        && language.bytes().all(|b| b.is_ascii_lowercase())
        && region.is_none_or(|r| (2..=4).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Rails' `parameterize`: ASCII letters and digits lower-cased, every other
/// run of characters one hyphen, none at the ends.
pub fn parameterize(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}
