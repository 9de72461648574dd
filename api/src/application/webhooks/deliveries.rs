//! The delivery log of a webhook (OneLink): every message, its status and
//! every attempt — status codes, errors, timings, and never more of the
//! receiver's answer than a 256-byte excerpt.

use super::json::{Attempt, Delivery, DeliveryList, DeliveryListBody, DeliveryMeta};
use super::webhook_of;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Ids, Member};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::Json;
use onelink_domain::webhook::is_known_event;
use onelink_domain::Violations;
use onelink_projections::webhooks::query::{self, DeliveryFilter};
use serde::Deserialize;
use std::collections::HashMap;
use utoipa::IntoParams;

const STATUSES: [&str; 4] = ["pending", "delivered", "failed", "cancelled"];

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct DeliveriesParams {
    /// 1-based page of 25, newest first.
    pub page: Option<String>,
    /// `pending`, `delivered`, `failed` or `cancelled`.
    pub status: Option<String>,
    /// A webhook event name.
    pub event: Option<String>,
}

fn filter(params: DeliveriesParams) -> ApiResult<DeliveryFilter> {
    let invalid = |attr: &str, msg: &str| ApiError::Invalid(Violations::single(attr, msg));
    let status = params.status.filter(|s| !s.is_empty());
    if status.as_deref().is_some_and(|s| !STATUSES.contains(&s)) {
        return Err(invalid("status", "Status must be pending, delivered, failed or cancelled"));
    }
    let event = params.event.filter(|e| !e.is_empty());
    if event.as_deref().is_some_and(|e| !is_known_event(e)) {
        return Err(invalid("event", "Event is not a webhook event"));
    }
    let page = params.page.and_then(|p| p.trim().parse::<i64>().ok()).filter(|p| *p >= 1).unwrap_or(1);
    Ok(DeliveryFilter { status, event, page })
}

/// `GET /api/v1/accounts/{account_id}/webhooks/{id}/deliveries` — the
/// delivery log, newest first.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/webhooks/{id}/deliveries", tag = "Webhooks",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path), DeliveriesParams),
    responses((status = 200, body = DeliveryList), (status = 401), (status = 404), (status = 422)))]
pub async fn index(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    Query(params): Query<DeliveriesParams>,
) -> ApiResult<Json<DeliveryList>> {
    member.require_admin()?;
    let webhook = webhook_of(&state, &member, id).await?;
    let filter = filter(params)?;
    let (rows, count) = query::deliveries(&state.pool, webhook.account_id, webhook.id, &filter).await?;
    let ids: Vec<_> = rows.iter().map(|d| d.id).collect();
    let mut attempts: HashMap<_, Vec<Attempt>> = HashMap::new();
    for a in query::attempts(&state.pool, webhook.account_id, &ids).await? {
        attempts.entry(a.delivery_id).or_default().push(a.into());
    }
    let deliveries = rows
        .into_iter()
        .map(|d| {
            let a = attempts.remove(&d.id).unwrap_or_default();
            Delivery::new(d, a)
        })
        .collect();
    Ok(Json(DeliveryList {
        meta: DeliveryMeta { count, current_page: filter.page },
        payload: DeliveryListBody { deliveries },
    }))
}
