//! `POST /api/v1/accounts/{account_id}/conversations/{id}/assignments`

use super::access::conversation_for;
use super::actions::{caller_context, run};
use crate::application::json::Agent;
use crate::error::{ApiError, ApiResult};
use crate::extract::json::parse_body;
use crate::extract::{Caller, Ids, RequestBody};
use crate::state::{AppState, RequestId};
use axum::body::Bytes;
use axum::extract::State;
use axum::Json;
use onelink_domain::conversation::{Assignee, ConversationCommand};
use onelink_domain::ids::{AgentBotId, TeamId, UserId};
use onelink_projections::platform::accounts as account_rows;
use onelink_projections::platform::agent_bots::find_many_for_account;
use onelink_projections::teams;
use serde_json::{json, Map, Value};

/// The body as a map: which keys are present decides the path taken.
#[derive(Debug, serde::Deserialize)]
struct AssignmentBody(Map<String, Value>);

impl RequestBody for AssignmentBody {}

/// An id value: a number, a numeric string, or null/""/0 meaning "none".
fn id_value(value: &Value) -> ApiResult<Option<i64>> {
    let invalid = || ApiError::Unprocessable("Invalid id".into());
    match value {
        Value::Null => Ok(None),
        Value::Number(n) => n.as_i64().map(|n| (n != 0).then_some(n)).ok_or_else(invalid),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => s.trim().parse::<i64>().map(|n| (n != 0).then_some(n)).map_err(|_| invalid()),
        _ => Err(invalid()),
    }
}

/// `POST /api/v1/accounts/{account_id}/conversations/{id}/assignments` —
/// `assignee_id` (with `assignee_type` `User` or `AgentBot`) wins over
/// `team_id`; answers the new assignee (Agent JSON), the bot, the team
/// record, or `null`.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/conversations/{id}/assignments",
    tag = "Conversations", security(("api_access_token" = [])),
    params(("account_id" = i64, Path), ("id" = i64, Path)),
    request_body(content = Object, description = "{assignee_id, assignee_type} or {team_id}"),
    responses((status = 200, body = Object), (status = 401), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Ids((_, id)): Ids<(i64, i64)>,
    request_id: RequestId,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let row = conversation_for(&state, &caller, id).await?;
    let AssignmentBody(body) = parse_body::<AssignmentBody>(&body)?;
    let account_id = row.account_id;
    let (ctx, _) = caller_context(&caller, &request_id);
    let bot_path = body.get("assignee_type").and_then(Value::as_str) == Some("AgentBot");
    if body.contains_key("assignee_id") || bot_path {
        let target = id_value(body.get("assignee_id").unwrap_or(&Value::Null))?;
        if bot_path {
            let Some(bot_id) = target else { return Ok(Json(Value::Null)) };
            let Some(bot) = find_many_for_account(&state.pool, account_id, &[bot_id]).await?.pop() else {
                return Ok(Json(Value::Null));
            };
            let assignee = Some(Assignee::AgentBot(AgentBotId(bot.id)));
            run(&state, &ctx, &row, || ConversationCommand::Assign(assignee)).await?;
            return Ok(Json(json!({
                "id": bot.id, "name": bot.name, "description": bot.description, "thumbnail": "",
                "outgoing_url": bot.outgoing_url, "bot_type": bot.bot_type,
            })));
        }
        let agent = match target {
            Some(user) => {
                Some(account_rows::agent(&state.pool, account_id, user).await?.ok_or_else(|| {
                    ApiError::Unprocessable("Assignee must be a member of the account".into())
                })?)
            }
            None => None,
        };
        let assignee = agent.as_ref().map(|a| Assignee::User(UserId(a.id)));
        run(&state, &ctx, &row, || ConversationCommand::Assign(assignee)).await?;
        return Ok(Json(agent.map(|a| json!(Agent::from(a))).unwrap_or(Value::Null)));
    }
    if let Some(raw) = body.get("team_id") {
        let team = match id_value(raw)? {
            Some(team_id) => teams::query::find(&state.pool, account_id, team_id).await?,
            None => None,
        };
        let drop_assignee = match (&team, row.assignee_user_id) {
            (Some(team), Some(user)) => {
                !teams::query::is_member(&state.pool, account_id, team.id, user).await?
            }
            _ => false,
        };
        let team_id = team.as_ref().map(|t| TeamId(t.id));
        run(&state, &ctx, &row, || ConversationCommand::SetTeam {
            team_id,
            drop_assignee,
            auto_assignee: None,
        })
        .await?;
        return Ok(Json(team.map(|t| {
            json!({
                "id": t.id, "name": t.name, "description": t.description, "allow_auto_assign": t.allow_auto_assign,
                "account_id": t.account_id, "created_at": crate::platform::iso(t.created_at),
                "updated_at": crate::platform::iso(t.updated_at),
            })
        })
        .unwrap_or(Value::Null)));
    }
    Ok(Json(Value::Null))
}
