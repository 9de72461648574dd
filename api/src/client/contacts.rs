//! `/public/api/v1/inboxes/{inbox_identifier}/contacts…` (upstream
//! `public/api/v1/inboxes/contacts_controller.rb`).

use super::hmac;
use super::json::{client_contact, contact_raw};
use super::limit::Throttled;
use super::session::{self, Session};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Ids, RequestBody};
use crate::state::{AppState, RequestId};
use axum::extract::State;
use axum::Json;
use onelink_commands::contact_inboxes;
use onelink_commands::contacts::{self, ContactInput};
use onelink_domain::ids::{AccountId, ContactId, InboxId};
use onelink_domain::Actor;
use onelink_projections::client::contact_by_identity;
use onelink_projections::contacts::query as contact_rows;
use onelink_projections::inboxes::InboxRow;
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ClientContactRequest {
    identifier: Option<String>,
    identifier_hash: Option<String>,
    email: Option<String>,
    name: Option<String>,
    phone_number: Option<String>,
    /// Accepted, not downloaded yet.
    #[allow(dead_code)]
    avatar_url: Option<String>,
    #[schema(value_type = Option<Object>)]
    custom_attributes: Option<Map<String, Value>>,
    /// The contact's id in this inbox (default: a new UUID).
    source_id: Option<String>,
}

impl RequestBody for ClientContactRequest {
    const ROOT: Option<&'static str> = Some("contact");
}

fn blank_to_none(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// A name like the upstream's generated ones (`adjective-noun-NNN`).
fn random_name() -> String {
    const ADJECTIVES: [&str; 8] = ["calm", "bright", "swift", "quiet", "bold", "lucky", "gentle", "brave"];
    const NOUNS: [&str; 8] = ["river", "falcon", "meadow", "comet", "harbor", "maple", "otter", "summit"];
    let bytes = uuid::Uuid::new_v4().into_bytes();
    let n = u16::from_be_bytes([bytes[2], bytes[3]]) % 1000;
    format!("{}-{}-{n:03}", ADJECTIVES[usize::from(bytes[0] % 8)], NOUNS[usize::from(bytes[1] % 8)])
}

fn hmac_secret(state: &AppState, inbox: &InboxRow) -> String {
    state.reveal(&inbox.hmac_token_sealed)
}

fn verify(state: &AppState, inbox: &InboxRow, identifier: &str, hash: Option<&str>) -> ApiResult<bool> {
    hmac::check(inbox.channel.0.hmac_mandatory(), &hmac_secret(state, inbox), identifier, hash)
}

/// `POST /public/api/v1/inboxes/{inbox_identifier}/contacts`
#[utoipa::path(post, path = "/public/api/v1/inboxes/{inbox_identifier}/contacts", tag = "Client API",
    params(("inbox_identifier" = String, Path)), request_body = ClientContactRequest,
    responses((status = 200, body = Object), (status = 401), (status = 404), (status = 422)))]
pub async fn create(
    State(state): State<AppState>,
    _: Throttled,
    Ids(inbox_identifier): Ids<String>,
    request_id: RequestId,
    ApiJson(body): ApiJson<ClientContactRequest>,
) -> ApiResult<Json<Value>> {
    let inbox = session::inbox(&state, &inbox_identifier).await?;
    let identifier = body.identifier.clone().unwrap_or_default();
    let verified = verify(&state, &inbox, &identifier, body.identifier_hash.as_deref())?;
    if let Some(source_id) = blank_to_none(&body.source_id) {
        if let Ok(existing) = Session::in_inbox(&state, inbox.clone(), &source_id).await {
            return Ok(Json(render(&state, &existing)));
        }
    }
    let account_id = inbox.account_id;
    let (identifier, email, phone) =
        (blank_to_none(&body.identifier), blank_to_none(&body.email), blank_to_none(&body.phone_number));
    let known = contact_by_identity(
        &state.pool,
        account_id,
        identifier.as_deref(),
        email.as_deref(),
        phone.as_deref(),
    )
    .await?;
    let contact_id = match known {
        Some(id) => ContactId(id),
        None => {
            let ctx = request_id.context(Actor::System);
            let input = ContactInput {
                name: Some(blank_to_none(&body.name).unwrap_or_else(random_name)),
                email: email.map(Some),
                phone_number: phone.map(Some),
                identifier: identifier.map(Some),
                custom_attributes: body.custom_attributes.clone(),
                ..ContactInput::default()
            };
            let done = contacts::create(&state.commands, &ctx, AccountId(account_id), input).await?;
            state.settle(done.position).await?;
            done.value
        }
    };
    let ctx = request_id.context(Actor::Contact(contact_id.0));
    let done = contact_inboxes::find_or_create(
        &state.commands,
        &ctx,
        AccountId(account_id),
        contact_id,
        InboxId(inbox.id),
        blank_to_none(&body.source_id),
        verified,
    )
    .await?;
    state.settle(done.position).await?;
    let session = Session::in_inbox(&state, inbox, &done.value.source_id).await?;
    Ok(Json(render(&state, &session)))
}

fn render(state: &AppState, s: &Session) -> Value {
    let token = state.reveal(&s.contact_inbox.pubsub_token_sealed);
    client_contact(&s.contact, &s.contact_inbox.source_id, &token)
}

/// The HMAC check of show/update: against the contact's stored identifier
/// (the upstream checks the one in the request), or the request's when
/// the contact has none. A valid hash marks the session verified.
async fn verify_session(
    state: &AppState,
    s: &mut Session,
    request_id: &RequestId,
    identifier: Option<&str>,
    hash: Option<&str>,
) -> ApiResult<()> {
    let identifier = s.contact.identifier.as_deref().or(identifier).unwrap_or_default();
    if verify(state, &s.inbox, identifier, hash)? && !s.contact_inbox.hmac_verified {
        let ctx = request_id.context(s.actor());
        let done = contact_inboxes::verify(
            &state.commands,
            &ctx,
            AccountId(s.account_id()),
            InboxId(s.inbox.id),
            &s.contact_inbox.source_id,
        )
        .await?;
        state.settle(done.position).await?;
        s.contact_inbox.hmac_verified = true;
    }
    Ok(())
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct HmacQuery {
    identifier: Option<String>,
    identifier_hash: Option<String>,
}

/// `GET /public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}`
#[utoipa::path(get, path = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}",
    tag = "Client API", params(("inbox_identifier" = String, Path), ("contact_identifier" = String, Path), HmacQuery),
    responses((status = 200, body = Object), (status = 401), (status = 404)))]
pub async fn show(
    State(state): State<AppState>,
    _: Throttled,
    Ids((inbox_identifier, source_id)): Ids<(String, String)>,
    request_id: RequestId,
    uri: axum::http::Uri,
) -> ApiResult<Json<Value>> {
    let q: HmacQuery = axum::extract::Query::try_from_uri(&uri).map(|q| q.0).unwrap_or_default();
    let mut s = Session::load(&state, &inbox_identifier, &source_id).await?;
    verify_session(&state, &mut s, &request_id, q.identifier.as_deref(), q.identifier_hash.as_deref())
        .await?;
    Ok(Json(render(&state, &s)))
}

/// `PATCH|PUT /public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}` —
/// blank values are ignored; answers the raw contact record.
#[utoipa::path(method(patch, put), path = "/public/api/v1/inboxes/{inbox_identifier}/contacts/{contact_identifier}",
    tag = "Client API", params(("inbox_identifier" = String, Path), ("contact_identifier" = String, Path)),
    request_body = ClientContactRequest,
    responses((status = 200, body = Object), (status = 401), (status = 404), (status = 422)))]
pub async fn update(
    State(state): State<AppState>,
    _: Throttled,
    Ids((inbox_identifier, source_id)): Ids<(String, String)>,
    request_id: RequestId,
    ApiJson(body): ApiJson<ClientContactRequest>,
) -> ApiResult<Json<Value>> {
    let mut s = Session::load(&state, &inbox_identifier, &source_id).await?;
    verify_session(&state, &mut s, &request_id, body.identifier.as_deref(), body.identifier_hash.as_deref())
        .await?;
    let input = ContactInput {
        name: blank_to_none(&body.name),
        email: blank_to_none(&body.email).map(Some),
        phone_number: blank_to_none(&body.phone_number).map(Some),
        custom_attributes: body.custom_attributes.clone().filter(|m| !m.is_empty()),
        ..ContactInput::default()
    };
    let ctx = request_id.context(s.actor());
    let done =
        contacts::update(&state.commands, &ctx, AccountId(s.account_id()), ContactId(s.contact.id), input)
            .await?;
    state.settle(done.position).await?;
    let contact =
        contact_rows::find(&state.pool, s.account_id(), s.contact.id).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(contact_raw(&contact)))
}
