//! Webhook request bodies and response shapes (upstream
//! `api/v1/accounts/webhooks/*.json.jbuilder`, plus OneLink's delivery log
//! and replay).

use crate::error::{ApiError, ApiResult};
use crate::extract::RequestBody;
use crate::state::AppState;
use onelink_domain::webhook::SubscriptionList;
use onelink_domain::Violations;
use onelink_projections::webhooks::payload::iso;
use onelink_projections::webhooks::query::{AttemptRow, DeliveryRow, WebhookRow};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// `POST /webhooks` and `PATCH|PUT /webhooks/{id}` (flat or under `webhook`).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct WebhookRequest {
    /// Absolute http(s) URL; private and local addresses are refused.
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "crate::dto::nullable")]
    #[schema(value_type = Option<String>)]
    pub name: Option<Option<String>>,
    /// Webhook event names; default on create: the upstream's eight.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Vec<String>>)]
    pub subscriptions: Option<Value>,
    #[serde(default, deserialize_with = "nullable_id")]
    #[schema(value_type = Option<i64>)]
    pub inbox_id: Option<Option<i64>>,
    /// OneLink: `false` stops deliveries, `true` resumes them.
    #[serde(default, deserialize_with = "crate::dto::flexible_bool")]
    pub enabled: Option<bool>,
}

impl RequestBody for WebhookRequest {
    const ROOT: Option<&'static str> = Some("webhook");
}

/// Keeps an explicit `null` (as `Some(Value::Null)`), unlike `Option<Value>`.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// Absent → `None`, `null`/`""` → `Some(None)`, an id (number or numeric
/// string) → `Some(Some(id))`.
fn nullable_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    crate::dto::flexible_id(d).map(Some)
}

/// `subscriptions` as the domain takes it.
pub fn subscription_list(value: Option<Value>) -> Option<SubscriptionList> {
    value.map(|v| match v {
        Value::Array(items) => items
            .into_iter()
            .map(|i| i.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .map_or(SubscriptionList::Malformed, SubscriptionList::Given),
        _ => SubscriptionList::Malformed,
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InboxRef {
    pub id: i64,
    pub name: String,
}

/// A webhook (`_webhook.json.jbuilder`) with OneLink's delivery state.
#[derive(Debug, Serialize, ToSchema)]
pub struct Webhook {
    pub id: i64,
    pub name: Option<String>,
    pub url: String,
    pub account_id: i64,
    pub subscriptions: Vec<String>,
    /// The signing secret (`whsec_…`).
    pub secret: String,
    /// Present when the webhook names an inbox.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inbox: Option<InboxRef>,
    /// OneLink: whether deliveries run.
    pub enabled: bool,
    /// OneLink: why deliveries stopped (410 Gone, failing too long, an
    /// administrator).
    pub disabled_reason: Option<String>,
}

impl Webhook {
    pub async fn render(state: &AppState, row: WebhookRow) -> ApiResult<Self> {
        let inbox = match row.inbox_id {
            Some(id) => onelink_projections::inboxes::query::find(&state.pool, row.account_id, id)
                .await?
                .map(|i| InboxRef { id: i.id, name: i.name }),
            None => None,
        };
        Ok(Self {
            id: row.id,
            name: row.name,
            url: row.url,
            account_id: row.account_id,
            subscriptions: row.subscriptions,
            secret: state.reveal(&row.secret_sealed),
            inbox,
            enabled: row.disabled_reason.is_none(),
            disabled_reason: row.disabled_reason,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookBody {
    pub webhook: Webhook,
}

/// `{payload: {webhook: Webhook}}`
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookPayload {
    pub payload: WebhookBody,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookListBody {
    pub webhooks: Vec<Webhook>,
}

/// `{payload: {webhooks: [Webhook]}}`
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookList {
    pub payload: WebhookListBody,
}

/// One attempt of a delivery.
#[derive(Debug, Serialize, ToSchema)]
pub struct Attempt {
    pub attempt: i32,
    pub started_at: String,
    pub duration_ms: i32,
    /// The receiver's status code; `null` when none came (refused, timed
    /// out, blocked by the egress policy).
    pub status_code: Option<i32>,
    pub error: Option<String>,
    /// At most 256 bytes of the answer.
    pub response_excerpt: Option<String>,
    /// When the next attempt was scheduled (`null` after the last).
    pub retry_at: Option<String>,
}

impl From<AttemptRow> for Attempt {
    fn from(a: AttemptRow) -> Self {
        Self {
            attempt: a.attempt,
            started_at: iso(a.started_at),
            duration_ms: a.duration_ms,
            status_code: a.status_code,
            error: a.error,
            response_excerpt: a.response_excerpt,
            retry_at: a.retry_at.map(iso),
        }
    }
}

/// One message to the webhook and what became of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Delivery {
    pub id: String,
    pub event: String,
    /// The log event it came from.
    pub event_id: String,
    pub log_position: i64,
    /// `webhook-id` / `X-Chatwoot-Delivery` (stable across retries and replays).
    pub message_id: String,
    /// `live` or `replay`.
    pub origin: String,
    /// `pending`, `delivered`, `failed` or `cancelled`.
    pub status: String,
    pub attempt_count: i32,
    pub next_attempt_at: Option<String>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: String,
    pub finished_at: Option<String>,
    pub attempts: Vec<Attempt>,
}

impl Delivery {
    pub fn new(d: DeliveryRow, attempts: Vec<Attempt>) -> Self {
        Self {
            id: d.id.to_string(),
            event: d.event_name,
            event_id: d.event_id.to_string(),
            log_position: d.event_position,
            message_id: d.message_id.to_string(),
            next_attempt_at: (d.status == "pending").then(|| iso(d.next_attempt_at)),
            origin: d.origin,
            status: d.status,
            attempt_count: d.attempts,
            last_status_code: d.last_status,
            last_error: d.last_error,
            created_at: iso(d.created_at),
            finished_at: d.finished_at.map(iso),
            attempts,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryMeta {
    pub count: i64,
    pub current_page: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryListBody {
    pub deliveries: Vec<Delivery>,
}

/// `{meta: {count, current_page}, payload: {deliveries: [Delivery]}}`
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryList {
    pub meta: DeliveryMeta,
    pub payload: DeliveryListBody,
}

/// `POST /webhooks/{id}/replay`: where to start (a time or a log position),
/// optionally where to stop, optionally one event name.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ReplayRequest {
    /// RFC 3339 time (inclusive).
    #[serde(default)]
    pub since: Option<String>,
    #[serde(default)]
    pub until: Option<String>,
    /// Log position (inclusive), as `log_position` in the delivery log.
    #[serde(default)]
    pub from_position: Option<i64>,
    #[serde(default)]
    pub to_position: Option<i64>,
    #[serde(default)]
    pub event: Option<String>,
}

impl RequestBody for ReplayRequest {
    const ROOT: Option<&'static str> = Some("replay");
}

/// An RFC 3339 time, or a 422 naming `attribute`.
pub fn parse_time(
    value: Option<String>,
    attribute: &str,
) -> ApiResult<Option<chrono::DateTime<chrono::Utc>>> {
    value
        .map(|v| {
            chrono::DateTime::parse_from_rfc3339(v.trim()).map(|t| t.to_utc()).map_err(|_| {
                let label = crate::extract::json::humanize(attribute);
                ApiError::Invalid(Violations::single(attribute, format!("{label} must be an RFC 3339 time")))
            })
        })
        .transpose()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReplayReport {
    /// Messages queued for delivery.
    pub queued: u64,
    /// Log events looked at.
    pub scanned: u64,
    /// Set when the range was cut at 10,000 messages: replay again from here.
    pub next_from_position: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReplayBody {
    pub replay: ReplayReport,
}

/// `{payload: {replay: {queued, scanned, next_from_position}}}`
#[derive(Debug, Serialize, ToSchema)]
pub struct ReplayPayload {
    pub payload: ReplayBody,
}
