//! Query-string parameters of the contact listings, read as Rails reads
//! them (`labels[]=a&labels[]=b`, last value wins for scalars), and the
//! `{id}` path segment.

use crate::error::{ApiError, ApiResult};
use crate::extract::Member;
use crate::state::AppState;
use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use onelink_projections::contacts::query::{parse_sort, Resolved, Sort};
use serde_json::Value;

/// The listing parameters.
#[derive(Debug, Clone)]
pub struct ListParams {
    /// 1-based page number (`page.to_i`, at least 1).
    pub page: i64,
    /// `page` as given, echoed as `meta.current_page` (`1` when absent).
    pub current_page: Value,
    pub sort: Vec<Sort>,
    /// `labels[]` (or a comma-separated `labels`), lower-cased.
    pub labels: Vec<String>,
    pub include_contact_inboxes: bool,
    /// `q` as given.
    pub q: Option<String>,
}

impl Default for ListParams {
    fn default() -> Self {
        Self {
            page: 1,
            current_page: Value::from(1),
            sort: Vec::new(),
            labels: Vec::new(),
            include_contact_inboxes: true,
            q: None,
        }
    }
}

impl ListParams {
    pub fn parse(query: Option<&str>) -> Self {
        let mut params = ListParams::default();
        let Some(query) = query else { return params };
        for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
            match key.as_ref() {
                "page" => params.set_page(Value::String(value.into_owned())),
                "sort" => params.sort = parse_sort(&value),
                "labels[]" => params.labels.push(value.trim().to_lowercase()),
                "labels" => params.labels.extend(value.split(',').map(|l| l.trim().to_lowercase())),
                "include_contact_inboxes" => params.set_include_contact_inboxes(&Value::String(value.into())),
                "q" => params.q = Some(value.into_owned()),
                _ => {}
            }
        }
        // NUL is in no stored label (and Postgres text cannot carry it)
        params.labels.retain(|l| !l.is_empty() && !l.contains('\0'));
        params
    }

    /// A `page` from a query string (a string) or a JSON body.
    pub fn set_page(&mut self, raw: Value) {
        self.page = page_number(&raw);
        self.current_page = if raw.is_null() { Value::from(1) } else { raw };
    }

    /// Present (non-blank) means "is it exactly `true`"; absent means yes.
    pub fn set_include_contact_inboxes(&mut self, raw: &Value) {
        self.include_contact_inboxes = match raw {
            Value::Null => true,
            Value::String(s) if s.trim().is_empty() => true,
            Value::String(s) => s == "true",
            Value::Bool(b) => *b,
            _ => false,
        };
    }

    pub fn set_sort(&mut self, raw: &Value) {
        if let Value::String(s) = raw {
            self.sort = parse_sort(s);
        }
    }
}

/// Ruby's `to_i` on the page (leading sign and digits, else 0), at least 1.
pub(crate) fn page_number(raw: &Value) -> i64 {
    let n = match raw {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)).unwrap_or(1),
        Value::String(s) => {
            let s = s.trim_start();
            let (negative, digits) = match s.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, s.strip_prefix('+').unwrap_or(s)),
            };
            let digits: String = digits.chars().take_while(char::is_ascii_digit).collect();
            let n = digits.parse::<i64>().unwrap_or(if digits.is_empty() { 0 } else { i64::MAX });
            if negative {
                -n
            } else {
                n
            }
        }
        _ => 1,
    };
    n.max(1)
}

/// Which contacts the account's listings start from.
pub fn resolved(member: &Member) -> Resolved {
    if member.account.features.get("crm_v2").and_then(Value::as_bool).unwrap_or(false) {
        Resolved::Leads
    } else {
        Resolved::Reachable
    }
}

/// The `{id}` of a contact route. Never rejects, so handlers can check
/// the caller's role first (upstream authorizes before looking the contact
/// up); [`ContactPath::id`] is a 404 for anything but an integer.
#[derive(Debug, Clone, Copy)]
pub struct ContactPath(Option<i64>);

impl ContactPath {
    pub fn id(self) -> ApiResult<i64> {
        self.0.ok_or(ApiError::NotFound)
    }
}

impl FromRequestParts<AppState> for ContactPath {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let id = RawPathParams::from_request_parts(parts, state)
            .await
            .ok()
            .and_then(|params| params.iter().find(|(k, _)| *k == "id").and_then(|(_, v)| v.parse().ok()));
        Ok(ContactPath(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_read_like_ruby_to_i() {
        for (raw, page) in
            [("2", 2), ("3abc", 3), ("abc", 1), ("-4", 1), ("0", 1), ("99999999999999999999", i64::MAX)]
        {
            assert_eq!(page_number(&Value::String(raw.into())), page, "{raw}");
        }
        assert_eq!(page_number(&Value::from(2)), 2);
        assert_eq!(page_number(&Value::Null), 1);
    }

    #[test]
    fn labels_and_flags_are_read_like_rails() {
        let p = ListParams::parse(Some(
            "labels[]=VIP&labels[]=b2b&include_contact_inboxes=0&page=2&sort=-name,bogus",
        ));
        assert_eq!(p.labels, ["vip", "b2b"]);
        assert!(!p.include_contact_inboxes);
        assert_eq!(p.current_page, Value::String("2".into()));
        assert_eq!(p.sort.len(), 1);
        assert!(ListParams::parse(Some("include_contact_inboxes=")).include_contact_inboxes);
    }
}
