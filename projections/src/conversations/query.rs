//! Reading conversations: the listing with its filters, sort orders and
//! counts, single conversations, and messages.

use super::filter::CONVERSATIONS;
use super::row::{ConversationRow, MessageRow, CONVERSATION_COLUMNS, MESSAGE_COLUMNS};
use crate::filter::sql::push_filter;
use crate::filter::Filter;
use sqlx::{PgExecutor, Postgres, QueryBuilder};

/// Conversations per page (upstream `CONVERSATION_RESULTS_PER_PAGE`).
pub const PER_PAGE: i64 = 25;

/// Which conversations a caller may see in listings.
#[derive(Debug, Clone)]
pub enum Visibility {
    All,
    /// An agent: the inboxes they are a member of.
    Inboxes(Vec<i64>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AssigneeFilter {
    #[default]
    All,
    Me,
    Unassigned,
    Assigned,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    #[default]
    LastActivityDesc,
    LastActivityAsc,
    CreatedAtDesc,
    CreatedAtAsc,
    PriorityDesc,
    PriorityAsc,
    WaitingSinceDesc,
    WaitingSinceAsc,
}

impl SortOrder {
    /// The upstream's `sort_by` values (and their legacy names).
    pub fn parse(value: &str) -> Option<SortOrder> {
        Some(match value {
            "last_activity_at_desc" | "latest" => SortOrder::LastActivityDesc,
            "last_activity_at_asc" => SortOrder::LastActivityAsc,
            "created_at_desc" => SortOrder::CreatedAtDesc,
            "created_at_asc" | "sort_on_created_at" => SortOrder::CreatedAtAsc,
            "priority_desc" | "sort_on_priority" => SortOrder::PriorityDesc,
            "priority_asc" => SortOrder::PriorityAsc,
            "waiting_since_desc" => SortOrder::WaitingSinceDesc,
            "waiting_since_asc" | "sort_on_waiting_since" => SortOrder::WaitingSinceAsc,
            _ => return None,
        })
    }

    fn sql(self) -> &'static str {
        match self {
            SortOrder::LastActivityDesc => "c.last_activity_at DESC, c.display_id DESC",
            SortOrder::LastActivityAsc => "c.last_activity_at ASC, c.display_id ASC",
            SortOrder::CreatedAtDesc => "c.created_at DESC, c.display_id DESC",
            SortOrder::CreatedAtAsc => "c.created_at ASC, c.display_id ASC",
            SortOrder::PriorityDesc => {
                "c.priority DESC NULLS LAST, c.last_activity_at DESC, c.display_id DESC"
            }
            SortOrder::PriorityAsc => "c.priority ASC NULLS LAST, c.last_activity_at DESC, c.display_id DESC",
            SortOrder::WaitingSinceDesc => {
                "c.waiting_since DESC NULLS LAST, c.created_at ASC, c.display_id ASC"
            }
            SortOrder::WaitingSinceAsc => {
                "c.waiting_since ASC NULLS LAST, c.created_at ASC, c.display_id ASC"
            }
        }
    }
}

/// A listing request. Counts ignore `assignee` (as upstream).
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub account_id: i64,
    pub caller_id: i64,
    pub visibility: Option<Visibility>,
    /// `None` = every status.
    pub status: Option<i16>,
    pub inbox_id: Option<i64>,
    pub team_id: Option<i64>,
    pub labels: Vec<String>,
    pub source_id: Option<String>,
    /// Message text to search for (ILIKE, escaped).
    pub q: Option<String>,
    pub unattended: bool,
    pub contact_id: Option<i64>,
    pub updated_within_seconds: Option<i64>,
    /// A validated `POST …/conversations/filter` condition list.
    pub filter: Option<Filter>,
    pub assignee: AssigneeFilter,
    pub sort: SortOrder,
    pub page: i64,
    /// `None` = no pagination (e.g. `updated_within`).
    pub limit: Option<i64>,
}

/// Escapes `%`, `_` and `\` so a search term matches literally.
pub fn like_pattern(term: &str) -> String {
    let escaped = term.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// Where a WHERE clause reads labels from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LabelSource {
    /// `conversations.labels`: any of the requested labels.
    Array,
    /// `conversation_label_counts.label`: the one requested label.
    CountRow,
}

/// The WHERE clause shared by the page and the counts (no assignee filter).
fn push_scope(qb: &mut QueryBuilder<'_, Postgres>, q: &ListQuery, labels: LabelSource) {
    qb.push(" WHERE c.account_id = ").push_bind(q.account_id);
    if let Some(Visibility::Inboxes(ids)) = &q.visibility {
        qb.push(" AND c.inbox_id = ANY(").push_bind(ids.clone()).push(")");
    }
    if let Some(status) = q.status {
        qb.push(" AND c.status = ").push_bind(status);
    }
    if let Some(inbox) = q.inbox_id {
        qb.push(" AND c.inbox_id = ").push_bind(inbox);
    }
    if let Some(team) = q.team_id {
        qb.push(" AND c.team_id = ").push_bind(team);
    }
    match labels {
        _ if q.labels.is_empty() => {}
        LabelSource::Array => {
            qb.push(" AND c.labels && ").push_bind(q.labels.clone());
        }
        LabelSource::CountRow => {
            qb.push(" AND c.label = ANY(").push_bind(q.labels.clone()).push(")");
        }
    }
    if let Some(source) = &q.source_id {
        qb.push(" AND c.source_id = ").push_bind(source.clone());
    }
    if let Some(contact) = q.contact_id {
        qb.push(" AND c.contact_id = ").push_bind(contact);
    }
    if q.unattended {
        qb.push(" AND (c.first_reply_created_at IS NULL OR c.waiting_since IS NOT NULL)");
    }
    if let Some(seconds) = q.updated_within_seconds {
        qb.push(" AND c.updated_at > now() - make_interval(secs => ").push_bind(seconds as f64).push(")");
    }
    if let Some(term) = &q.q {
        qb.push(
            " AND EXISTS (SELECT 1 FROM messages m WHERE m.account_id = c.account_id \
              AND m.conversation_id = c.id AND m.message_type IN (0, 1) AND m.content ILIKE ",
        )
        .push_bind(like_pattern(term))
        .push(")");
    }
    if let Some(filter) = &q.filter {
        qb.push(" AND ");
        push_filter(qb, &CONVERSATIONS, filter);
    }
}

fn push_assignee(qb: &mut QueryBuilder<'_, Postgres>, q: &ListQuery) {
    match q.assignee {
        AssigneeFilter::All => {}
        AssigneeFilter::Me => {
            qb.push(" AND c.assignee_user_id = ").push_bind(q.caller_id);
        }
        AssigneeFilter::Unassigned => {
            qb.push(" AND c.assignee_user_id IS NULL AND c.assignee_bot_id IS NULL");
        }
        AssigneeFilter::Assigned => {
            qb.push(" AND (c.assignee_user_id IS NOT NULL OR c.assignee_bot_id IS NOT NULL)");
        }
    }
}

pub async fn list(db: impl PgExecutor<'_>, q: &ListQuery) -> Result<Vec<ConversationRow>, sqlx::Error> {
    let mut qb =
        QueryBuilder::new(format!("SELECT {} FROM conversations c", prefixed("c", CONVERSATION_COLUMNS)));
    push_scope(&mut qb, q, LabelSource::Array);
    push_assignee(&mut qb, q);
    qb.push(" ORDER BY ").push(q.sort.sql());
    if let Some(limit) = q.limit {
        qb.push(" LIMIT ").push_bind(limit).push(" OFFSET ").push_bind((q.page.max(1) - 1) * limit);
    }
    qb.build_query_as().fetch_all(db).await
}

/// A column list qualified with a table alias.
fn prefixed(alias: &str, columns: &str) -> String {
    columns.split(',').map(|c| format!("{alias}.{}", c.trim())).collect::<Vec<_>>().join(", ")
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Counts {
    pub mine: i64,
    pub unassigned: i64,
    pub all: i64,
}

impl Counts {
    pub fn assigned(&self) -> i64 {
        self.all - self.unassigned
    }
}

/// The listing's counts. Without filters, an indexed sum over
/// `conversation_counts`; with one label, over `conversation_label_counts`.
/// Filters those tables cannot answer (several labels, text search, source
/// id, unattended, contact, recency, a filter payload) count the rows.
pub async fn counts(db: impl PgExecutor<'_>, q: &ListQuery) -> Result<Counts, sqlx::Error> {
    let by_rows = q.labels.len() > 1
        || q.q.is_some()
        || q.source_id.is_some()
        || q.unattended
        || q.contact_id.is_some()
        || q.updated_within_seconds.is_some()
        || q.filter.is_some();
    let mut qb = if by_rows {
        let mut qb = QueryBuilder::new("SELECT count(*) FILTER (WHERE c.assignee_user_id = ");
        qb.push_bind(q.caller_id)
            .push(") AS mine, count(*) FILTER (WHERE c.assignee_user_id IS NULL AND c.assignee_bot_id IS NULL) AS unassigned, count(*) AS all FROM conversations c");
        push_scope(&mut qb, q, LabelSource::Array);
        qb
    } else {
        let table = if q.labels.is_empty() { "conversation_counts" } else { "conversation_label_counts" };
        let mut qb = QueryBuilder::new("SELECT COALESCE(sum(n) FILTER (WHERE c.assignee_key = ");
        qb.push_bind(q.caller_id).push(format!(
            "), 0)::bigint AS mine, COALESCE(sum(n) FILTER (WHERE c.assignee_key = 0), 0)::bigint AS unassigned, COALESCE(sum(n), 0)::bigint AS all FROM {table} c"
        ));
        push_scope(&mut qb, q, LabelSource::CountRow);
        qb
    };
    qb.build_query_as().fetch_one(db).await
}

pub async fn find_by_display_id(
    db: impl PgExecutor<'_>,
    account_id: i64,
    display_id: i64,
) -> Result<Option<ConversationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE account_id = $1 AND display_id = $2"
    ))
    .bind(account_id)
    .bind(display_id)
    .fetch_optional(db)
    .await
}

/// The latest conversation of a contact in an inbox under a source id.
pub async fn latest_for_contact_inbox(
    db: impl PgExecutor<'_>,
    account_id: i64,
    inbox_id: i64,
    source_id: &str,
) -> Result<Option<ConversationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {CONVERSATION_COLUMNS} FROM conversations WHERE account_id = $1 AND inbox_id = $2 \
         AND source_id = $3 ORDER BY created_at DESC LIMIT 1"
    ))
    .bind(account_id)
    .bind(inbox_id)
    .bind(source_id)
    .fetch_optional(db)
    .await
}

pub async fn messages_by_ids(
    db: impl PgExecutor<'_>,
    account_id: i64,
    ids: &[i64],
) -> Result<Vec<MessageRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {MESSAGE_COLUMNS} FROM messages WHERE account_id = $1 AND id = ANY($2)"))
        .bind(account_id)
        .bind(ids)
        .fetch_all(db)
        .await
}

pub async fn find_message(
    db: impl PgExecutor<'_>,
    account_id: i64,
    conversation_id: i64,
    id: i64,
) -> Result<Option<MessageRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {MESSAGE_COLUMNS} FROM messages WHERE account_id = $1 AND conversation_id = $2 AND id = $3"
    ))
    .bind(account_id)
    .bind(conversation_id)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// A window of a conversation's messages, oldest first (see the upstream's
/// `before`/`after` rules in the messages endpoint).
#[derive(Debug, Clone, Copy, Default)]
pub struct MessageWindow {
    pub before: Option<i64>,
    pub after: Option<i64>,
    /// Leave out private notes and activity messages.
    pub public_only: bool,
}

pub async fn messages(
    db: impl PgExecutor<'_>,
    account_id: i64,
    conversation_id: i64,
    window: MessageWindow,
) -> Result<Vec<MessageRow>, sqlx::Error> {
    let cols = prefixed("m", MESSAGE_COLUMNS);
    let mut qb =
        QueryBuilder::new(format!("SELECT * FROM (SELECT {cols} FROM messages m WHERE m.account_id = "));
    qb.push_bind(account_id).push(" AND m.conversation_id = ").push_bind(conversation_id);
    if window.public_only {
        qb.push(" AND NOT m.private AND m.message_type <> 2");
    }
    let (order, limit) = match (window.after, window.before) {
        (Some(after), Some(before)) => {
            qb.push(" AND m.id >= ").push_bind(after).push(" AND m.id < ").push_bind(before);
            ("ASC", 1000)
        }
        (Some(after), None) => {
            qb.push(" AND m.id > ").push_bind(after);
            ("ASC", 100)
        }
        (None, Some(before)) => {
            qb.push(" AND m.id < ").push_bind(before);
            ("DESC", 20)
        }
        (None, None) => ("DESC", 20),
    };
    qb.push(format!(" ORDER BY m.id {order} LIMIT {limit}) w ORDER BY w.id ASC"));
    qb.build_query_as().fetch_all(db).await
}
