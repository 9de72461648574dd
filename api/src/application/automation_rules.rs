//! `/api/v1/accounts/{account_id}/automation_rules` (upstream
//! `automation_rules_controller.rb`): administrators list, create, show,
//! update, delete and clone the account's rules (agents: 401). Create
//! answers the bare rule, the others `{"payload": …}`; validation errors
//! are the upstream's `{"error": {"<field>": ["<message>"]}}`.

use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Ids, Member, RequestBody};
use crate::state::{AppState, RequestId};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use onelink_commands::{automation_rules, CommandError};
use onelink_domain::automation_rule::{Action, Condition, RuleDraft};
use onelink_domain::ids::{AccountId, AutomationRuleId};
use onelink_domain::Violations;
use onelink_projections::automation::query as rows;
use onelink_projections::automation::AutomationRuleRow;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// `POST` and `PATCH|PUT` body (flat or under `automation_rule`).
#[derive(Debug, Deserialize, ToSchema)]
pub struct AutomationRuleRequest {
    #[schema(value_type = Option<String>)]
    name: Option<Value>,
    #[schema(value_type = Option<String>)]
    description: Option<Value>,
    /// One of conversation_created, conversation_updated,
    /// conversation_opened, conversation_resolved, message_created.
    #[schema(value_type = Option<String>)]
    event_name: Option<Value>,
    /// Default true.
    #[schema(value_type = Option<bool>)]
    active: Option<Value>,
    /// `[{attribute_key, filter_operator, values, query_operator, custom_attribute_type?}]`
    #[schema(value_type = Option<Vec<Object>>)]
    conditions: Option<Value>,
    /// `[{action_name, action_params}]`
    #[schema(value_type = Option<Vec<Object>>)]
    actions: Option<Value>,
}

impl RequestBody for AutomationRuleRequest {
    const ROOT: Option<&'static str> = Some("automation_rule");
}

/// The upstream's rule JSON.
#[derive(Debug, Serialize, ToSchema)]
pub struct AutomationRule {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub description: Option<String>,
    pub event_name: String,
    #[schema(value_type = Vec<Object>)]
    pub conditions: Vec<Condition>,
    #[schema(value_type = Vec<Object>)]
    pub actions: Vec<Action>,
    /// Unix seconds.
    pub created_on: i64,
    pub active: bool,
    /// Rule attachments (`send_attachment` is not built: always empty).
    #[schema(value_type = Vec<Object>)]
    pub files: Vec<Value>,
}

impl From<AutomationRuleRow> for AutomationRule {
    fn from(r: AutomationRuleRow) -> Self {
        Self {
            id: r.id,
            account_id: r.account_id,
            name: r.name,
            description: r.description,
            event_name: r.event_name,
            conditions: r.conditions.0,
            actions: r.actions.0,
            created_on: r.created_at.timestamp(),
            active: r.active,
            files: Vec::new(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AutomationRulePayload {
    payload: AutomationRule,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AutomationRuleList {
    payload: Vec<AutomationRule>,
}

/// Field errors as the upstream renders them.
fn field_errors(e: CommandError) -> ApiError {
    match e {
        CommandError::Invalid(v) => ApiError::FieldErrors(v),
        other => other.into(),
    }
}

fn text(field: &str, value: Option<Value>, v: &mut Violations) -> Option<String> {
    match value? {
        Value::String(s) => Some(s),
        Value::Null => Some(String::new()),
        Value::Number(n) => Some(n.to_string()),
        _ => {
            v.add(field, "is invalid");
            None
        }
    }
}

fn draft(body: AutomationRuleRequest) -> ApiResult<RuleDraft> {
    let mut v = Violations::new();
    let active = match body.active {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(b),
        Some(Value::String(s)) if s == "true" || s == "false" => Some(s == "true"),
        Some(_) => {
            v.add("active", "is invalid");
            None
        }
    };
    let draft = RuleDraft {
        name: text("name", body.name, &mut v),
        description: text("description", body.description, &mut v),
        event_name: text("event_name", body.event_name, &mut v),
        active,
        conditions: body.conditions,
        actions: body.actions,
    };
    v.into_result().map_err(ApiError::FieldErrors)?;
    Ok(draft)
}

async fn custom_keys(state: &AppState, account_id: i64) -> ApiResult<Vec<String>> {
    let list = onelink_projections::custom_attributes::query::list(&state.pool, account_id, None).await?;
    Ok(list.into_iter().map(|d| d.attribute_key).collect())
}

async fn find(state: &AppState, member: &Member, id: i64) -> ApiResult<AutomationRule> {
    let row = rows::find(&state.pool, member.account_id(), id).await?.ok_or(ApiError::NotFound)?;
    Ok(row.into())
}

/// `GET /api/v1/accounts/{account_id}/automation_rules` — every rule, by id.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/automation_rules", tag = "Automation rules",
    security(("api_access_token" = [])), params(("account_id" = i64, Path)),
    responses((status = 200, body = AutomationRuleList), (status = 401), (status = 404)))]
pub async fn index(State(state): State<AppState>, member: Member) -> ApiResult<Json<AutomationRuleList>> {
    member.require_admin()?;
    let list = rows::list(&state.pool, member.account_id()).await?;
    Ok(Json(AutomationRuleList { payload: list.into_iter().map(AutomationRule::from).collect() }))
}

/// `POST /api/v1/accounts/{account_id}/automation_rules` — the bare rule.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/automation_rules", tag = "Automation rules",
    security(("api_access_token" = [])), params(("account_id" = i64, Path)), request_body = AutomationRuleRequest,
    responses((status = 200, body = AutomationRule), (status = 400), (status = 401), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    member: Member,
    request_id: RequestId,
    ApiJson(body): ApiJson<AutomationRuleRequest>,
) -> ApiResult<Json<AutomationRule>> {
    member.require_admin()?;
    let draft = draft(body)?;
    let keys = custom_keys(&state, member.account_id()).await?;
    let ctx = member.context(&request_id);
    let account = AccountId(member.account_id());
    let done =
        automation_rules::create(&state.commands, &ctx, account, draft, keys).await.map_err(field_errors)?;
    state.settle(done.position).await?;
    Ok(Json(find(&state, &member, done.value.0).await?))
}

/// `GET /api/v1/accounts/{account_id}/automation_rules/{id}`
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/automation_rules/{id}", tag = "Automation rules",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = AutomationRulePayload), (status = 401), (status = 404)))]
pub async fn show(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
) -> ApiResult<Json<AutomationRulePayload>> {
    member.require_admin()?;
    Ok(Json(AutomationRulePayload { payload: find(&state, &member, id).await? }))
}

/// `PATCH|PUT /api/v1/accounts/{account_id}/automation_rules/{id}` —
/// absent fields are kept.
#[utoipa::path(method(patch, put), path = "/api/v1/accounts/{account_id}/automation_rules/{id}",
    tag = "Automation rules", security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("id" = i64, Path)), request_body = AutomationRuleRequest,
    responses((status = 200, body = AutomationRulePayload), (status = 400), (status = 401), (status = 404),
        (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
    ApiJson(body): ApiJson<AutomationRuleRequest>,
) -> ApiResult<Json<AutomationRulePayload>> {
    member.require_admin()?;
    find(&state, &member, id).await?;
    let draft = draft(body)?;
    let keys = custom_keys(&state, member.account_id()).await?;
    let ctx = member.context(&request_id);
    let (account, rule) = (AccountId(member.account_id()), AutomationRuleId(id));
    let done = automation_rules::update(&state.commands, &ctx, account, rule, draft, keys)
        .await
        .map_err(field_errors)?;
    state.settle(done.position).await?;
    Ok(Json(AutomationRulePayload { payload: find(&state, &member, id).await? }))
}

/// `DELETE /api/v1/accounts/{account_id}/automation_rules/{id}` — 200,
/// empty body.
#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/automation_rules/{id}", tag = "Automation rules",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200), (status = 401), (status = 404)))]
pub async fn destroy(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
) -> ApiResult<StatusCode> {
    member.require_admin()?;
    find(&state, &member, id).await?;
    let ctx = member.context(&request_id);
    let done =
        automation_rules::delete(&state.commands, &ctx, AccountId(member.account_id()), AutomationRuleId(id))
            .await?;
    state.settle(done.position).await?;
    Ok(StatusCode::OK)
}

/// `POST /api/v1/accounts/{account_id}/automation_rules/{id}/clone` — a
/// copy (same active flag) as `{"payload": …}`.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/automation_rules/{id}/clone", tag = "Automation rules",
    security(("api_access_token" = [])), params(("account_id" = i64, Path), ("id" = i64, Path)),
    responses((status = 200, body = AutomationRulePayload), (status = 401), (status = 404), (status = 422)))]
pub async fn clone(
    State(state): State<AppState>,
    member: Member,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
) -> ApiResult<Json<AutomationRulePayload>> {
    member.require_admin()?;
    find(&state, &member, id).await?;
    let keys = custom_keys(&state, member.account_id()).await?;
    let ctx = member.context(&request_id);
    let (account, rule) = (AccountId(member.account_id()), AutomationRuleId(id));
    let done =
        automation_rules::clone(&state.commands, &ctx, account, rule, keys).await.map_err(field_errors)?;
    state.settle(done.position).await?;
    Ok(Json(AutomationRulePayload { payload: find(&state, &member, done.value.0).await? }))
}
