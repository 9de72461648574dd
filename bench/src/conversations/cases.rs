//! The timed requests: each through the HTTP API as the administrator, and
//! its raw-table baseline — the same page and counts in plain SQL on the
//! `conversations` and `messages` tables, counting rows as the upstream
//! does (`count(*)` over the filtered conversations).

use super::seed::Tenant;
use serde_json::{json, Value};

pub struct Case {
    pub name: String,
    pub method: reqwest::Method,
    /// After `/api/v1/accounts/{account_id}/conversations`.
    pub path: String,
    pub body: Option<Value>,
    /// The baseline's WHERE clause over `conversations c` ($1 = account,
    /// $2 = the administrator) for the counts, and the page's extra
    /// condition and order; `None` page = counts only.
    pub scope: String,
    pub page: Option<(String, &'static str)>,
    pub page_number: i64,
}

const ACTIVITY: &str = "c.last_activity_at DESC, c.display_id DESC";
const MINE: &str = " AND c.assignee_user_id = $2";
const UNASSIGNED: &str = " AND c.assignee_user_id IS NULL AND c.assignee_bot_id IS NULL";

fn get(name: &str, query: &str, scope: &str, page: Option<(&str, &'static str)>) -> Case {
    Case {
        name: name.to_owned(),
        method: reqwest::Method::GET,
        path: query.to_owned(),
        body: None,
        scope: scope.to_owned(),
        page: page.map(|(extra, order)| (extra.to_owned(), order)),
        page_number: query.split(['?', '&']).find_map(|p| p.strip_prefix("page=")?.parse().ok()).unwrap_or(1),
    }
}

/// The requests for `tenant`; `order` is an order number some
/// conversation's first message names.
pub fn cases(tenant: &Tenant, order: &str) -> Vec<Case> {
    let open = "c.status = 0";
    let inbox = tenant.inboxes[0];
    let billing = format!("{open} AND c.labels && ARRAY['billing']");
    let search = format!(
        "EXISTS (SELECT 1 FROM messages m WHERE m.account_id = c.account_id AND m.conversation_id = c.id \
         AND m.message_type IN (0, 1) AND m.content ILIKE '%{order}%')"
    );
    let filter = json!({"payload": [
        {"attribute_key": "status", "filter_operator": "equal_to", "values": ["open"], "query_operator": "and"},
        {"attribute_key": "labels", "filter_operator": "equal_to", "values": ["billing"], "query_operator": null}
    ]});
    vec![
        get("list open, assignee_type=all", "?status=open&assignee_type=all", open, Some(("", ACTIVITY))),
        get("list open, assignee_type=me", "?status=open&assignee_type=me", open, Some((MINE, ACTIVITY))),
        get(
            "list open, assignee_type=unassigned",
            "?status=open&assignee_type=unassigned",
            open,
            Some((UNASSIGNED, ACTIVITY)),
        ),
        get("list status=all", "?status=all", "true", Some(("", ACTIVITY))),
        get(
            "list open, sort_by=created_at_desc",
            "?status=open&sort_by=created_at_desc",
            open,
            Some(("", "c.created_at DESC, c.display_id DESC")),
        ),
        get(
            "list open, sort_by=priority_desc",
            "?status=open&sort_by=priority_desc",
            open,
            Some(("", "c.priority DESC NULLS LAST, c.last_activity_at DESC, c.display_id DESC")),
        ),
        get("list open, labels[]=billing", "?status=open&labels[]=billing", &billing, Some(("", ACTIVITY))),
        get(
            "list open, inbox_id=<first inbox>",
            &format!("?status=open&inbox_id={inbox}"),
            &format!("{open} AND c.inbox_id = {inbox}"),
            Some(("", ACTIVITY)),
        ),
        get("list open, page 40", "?status=open&page=40", open, Some(("", ACTIVITY))),
        get("meta, status=open", "/meta?status=open", open, None),
        get("meta, status=open, labels[]=billing", "/meta?status=open&labels[]=billing", &billing, None),
        Case {
            name: "filter status=open AND labels=billing".to_owned(),
            method: reqwest::Method::POST,
            path: "/filter".to_owned(),
            body: Some(filter),
            scope: billing.clone(),
            page: Some((String::new(), ACTIVITY)),
            page_number: 1,
        },
        get("search q=<one order number>", &format!("?q={order}"), &search, Some(("", ACTIVITY))),
    ]
}

/// The baseline statements of a case: the page (if any) and the counts.
pub fn raw_sql(case: &Case) -> (Option<String>, String) {
    let page = case.page.as_ref().map(|(extra, order)| {
        format!(
            "SELECT * FROM conversations c WHERE c.account_id = $1 AND {}{extra} AND $2::bigint IS NOT NULL \
             ORDER BY {order} LIMIT 25 OFFSET {}",
            case.scope,
            (case.page_number - 1) * 25
        )
    });
    let counts = format!(
        "SELECT count(*) FILTER (WHERE c.assignee_user_id = $2), \
                count(*) FILTER (WHERE c.assignee_user_id IS NULL AND c.assignee_bot_id IS NULL), count(*) \
         FROM conversations c WHERE c.account_id = $1 AND {}",
        case.scope
    );
    (page, counts)
}
