//! `…/conversations/{conversation_id}/messages…` of the Client API
//! (upstream `public/api/v1/inboxes/messages_controller.rb`).

use super::json::client_message;
use super::limit::Throttled;
use super::session::Session;
use crate::application::conversations::json::Hydrated;
use crate::blobs::upload::{store_attachments, WithFiles};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Ids, RequestBody};
use crate::state::{AppState, RequestId};
use axum::extract::{Query, State};
use axum::Json;
use chrono::{Duration, Utc};
use onelink_commands::conversations::{self as commands, MessageInput, MessagePolicy};
use onelink_domain::conversation::{ContentType, ConversationCommand, MessageType, Sender, Status};
use onelink_domain::ids::{AccountId, ContactId, ConversationId, MessageId};
use onelink_projections::conversations::query::{find_message, messages, MessageWindow};
use onelink_projections::conversations::MessageRow;
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// The upstream's `CONVERSATION_MESSAGE_PER_MINUTE_LIMIT` default.
pub const FLOOD_LIMIT: usize = 200;
/// A CSAT answer can change for this long after the survey was sent.
const CSAT_WINDOW_DAYS: i64 = 14;

async fn render(state: &AppState, s: &Session, rows: &[MessageRow]) -> ApiResult<Vec<Value>> {
    let h = Hydrated::load(state, s.account_id(), None, &[], rows).await?;
    Ok(rows.iter().map(|m| client_message(m, &h)).collect())
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// Only messages with a smaller id.
    before: Option<String>,
}

/// `GET …/messages?before=` — the 20 latest public messages, oldest first.
#[utoipa::path(get,
    path = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations/{conversation_id}/messages",
    tag = "Client API", params(("inbox_identifier" = String, Path), ("contact_identifier" = String, Path),
        ("conversation_id" = i64, Path), ListQuery), responses((status = 200, body = [Object]), (status = 404)))]
pub async fn index(
    State(state): State<AppState>,
    _: Throttled,
    Ids((inbox_identifier, source_id, display_id)): Ids<(String, String, i64)>,
    uri: axum::http::Uri,
) -> ApiResult<Json<Vec<Value>>> {
    let query: Option<Query<ListQuery>> = Query::try_from_uri(&uri).ok();
    let s = Session::load(&state, &inbox_identifier, &source_id).await?;
    let c = s.conversation(&state, display_id).await?;
    let before = query.and_then(|q| q.0.before).and_then(|b| b.trim().parse::<i64>().ok());
    let window = MessageWindow { before, after: None, public_only: true };
    let rows = messages(&state.pool, s.account_id(), c.id, window).await?;
    render(&state, &s, &rows).await.map(Json)
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CreateRequest {
    content: Option<String>,
    /// Returned over the websocket with `message.created`.
    echo_id: Option<String>,
}

impl RequestBody for CreateRequest {
    const ROOT: Option<&'static str> = Some("message");
}

/// `POST …/messages` — an incoming text message from the contact: JSON, or
/// `multipart/form-data` with up to 15 `attachments[]` files.
#[utoipa::path(post,
    path = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations/{conversation_id}/messages",
    tag = "Client API", params(("inbox_identifier" = String, Path), ("contact_identifier" = String, Path),
        ("conversation_id" = i64, Path)), request_body = CreateRequest,
    responses((status = 200, body = Object), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    _: Throttled,
    Ids((inbox_identifier, source_id, display_id)): Ids<(String, String, i64)>,
    request_id: RequestId,
    form: WithFiles<CreateRequest>,
) -> ApiResult<Json<Value>> {
    let s = Session::load(&state, &inbox_identifier, &source_id).await?;
    let c = s.conversation(&state, display_id).await?;
    let attachments = store_attachments(state.blobs.as_ref(), form.attachments()).await?;
    let body = form.body;
    let input = MessageInput {
        message_type: MessageType::Incoming,
        content: body.content,
        content_type: ContentType::Text,
        content_attributes: Map::new(),
        additional_attributes: Map::new(),
        private: false,
        sender: Some(Sender::Contact(ContactId(s.contact.id))),
        source_id: None,
        echo_id: body.echo_id.filter(|e| !e.is_empty()),
        idempotency_key: None,
        attachments,
    };
    let reopen_as = if s.inbox.agent_bot_id.is_some() { Status::Pending } else { Status::Open };
    let policy = MessagePolicy { reopen_as, flood_limit: FLOOD_LIMIT };
    let ctx = request_id.context(s.actor());
    let done = commands::add_message(
        &state.commands,
        &ctx,
        AccountId(c.account_id),
        ConversationId(c.id),
        input,
        policy,
        ctx.now(),
    )
    .await?;
    state.settle(done.position).await?;
    let row =
        find_message(&state.pool, c.account_id, c.id, done.value.id.0).await?.ok_or(ApiError::NotFound)?;
    render(&state, &s, std::slice::from_ref(&row)).await?.pop().map(Json).ok_or(ApiError::NotFound)
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct UpdateRequest {
    #[schema(value_type = Object)]
    submitted_values: Option<Value>,
}

impl RequestBody for UpdateRequest {
    const ROOT: Option<&'static str> = Some("message");
}

/// Content types a contact answers (OneLink; the upstream lets any message
/// of the conversation be changed).
const ANSWERABLE: [&str; 7] =
    ["input_text", "input_textarea", "input_email", "input_select", "cards", "form", "input_csat"];

fn invalid(message: &str) -> ApiError {
    ApiError::Unprocessable(message.into())
}

/// Checks a CSAT answer: `{csat_survey_response: {rating: 1..5, feedback_message?}}`.
fn check_csat(values: &Value) -> ApiResult<()> {
    let response =
        values.get("csat_survey_response").ok_or_else(|| invalid("csat_survey_response is required"))?;
    match response.get("rating").and_then(Value::as_i64) {
        Some(1..=5) => {}
        _ => return Err(invalid("Rating must be between 1 and 5")),
    }
    match response.get("feedback_message") {
        None | Some(Value::Null) | Some(Value::String(_)) => Ok(()),
        Some(_) => Err(invalid("feedback_message must be a string")),
    }
}

/// `PATCH|PUT …/messages/{message_id}` — the contact's answer to an
/// interactive message (`submitted_values`).
#[utoipa::path(method(patch, put),
    path = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}/conversations/{conversation_id}/messages/{message_id}",
    tag = "Client API", params(("inbox_identifier" = String, Path), ("contact_identifier" = String, Path),
        ("conversation_id" = i64, Path), ("message_id" = i64, Path)), request_body = UpdateRequest,
    responses((status = 200, body = Object), (status = 404), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    _: Throttled,
    Ids((inbox_identifier, source_id, display_id, message_id)): Ids<(String, String, i64, i64)>,
    request_id: RequestId,
    ApiJson(body): ApiJson<UpdateRequest>,
) -> ApiResult<Json<Value>> {
    let s = Session::load(&state, &inbox_identifier, &source_id).await?;
    let c = s.conversation(&state, display_id).await?;
    let m = find_message(&state.pool, c.account_id, c.id, message_id).await?.ok_or(ApiError::NotFound)?;
    if m.private
        || m.deleted
        || m.sender_type.as_deref() == Some("Contact")
        || !ANSWERABLE.contains(&m.content_type.as_str())
    {
        return Err(invalid("This message does not take submitted values"));
    }
    let values = match body.submitted_values {
        Some(v @ (Value::Object(_) | Value::Array(_))) => v,
        _ => return Err(invalid("submitted_values must be an object or an array")),
    };
    if m.content_type == "input_csat" {
        if Utc::now() - m.created_at > Duration::days(CSAT_WINDOW_DAYS) {
            return Err(invalid("You cannot update the CSAT survey after 14 days"));
        }
        check_csat(&values)?;
    }
    let ctx = request_id.context(s.actor());
    let done = commands::change(&state.commands, &ctx, AccountId(c.account_id), ConversationId(c.id), || {
        ConversationCommand::SubmitValues { message_id: MessageId(m.id), submitted_values: values.clone() }
    })
    .await?;
    state.settle(done.position).await?;
    let row = find_message(&state.pool, c.account_id, c.id, m.id).await?.ok_or(ApiError::NotFound)?;
    render(&state, &s, std::slice::from_ref(&row)).await?.pop().map(Json).ok_or(ApiError::NotFound)
}
