//! Request bodies of the connected-accounts API: the media type (415),
//! the JSON itself (400), IRIs (400 when they name nothing), and the type
//! of each field (422, in Symfony's wording). Read-only attributes (`id`,
//! `status`, `client`, timestamps …) are ignored, as API Platform does.

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::http::{header, HeaderMap};
use onelink_commands::connected_accounts::{ConnectInput, UpdateInput};
use onelink_domain::connected_account::Provider;
use onelink_domain::ids::InboxId;
use onelink_domain::Violations;
use onelink_projections::inboxes;
use serde_json::{Map, Value};

pub const JSON_LD: &str = "application/ld+json";
pub const JSON: &str = "application/json";
pub const MERGE_PATCH: &str = "application/merge-patch+json";
const NOT_A_CHOICE: &str = "The value you selected is not a valid choice.";
const PROVIDER_MISMATCH: &str = "This value should be the provider of the integration.";

/// 415 unless the body's media type is one of `accepted`.
pub fn require_media_type(headers: &HeaderMap, accepted: &[&str]) -> ApiResult<()> {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Err(ApiError::UnsupportedMediaType("The \"Content-Type\" header must exist.".into()));
    };
    let raw = value.to_str().unwrap_or_default();
    let essence = raw.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    if accepted.contains(&essence.as_str()) {
        return Ok(());
    }
    let supported: Vec<String> = accepted.iter().map(|m| format!("\"{m}\"")).collect();
    Err(ApiError::UnsupportedMediaType(format!(
        "The content-type \"{raw}\" is not supported. Supported MIME types are {}.",
        supported.join(", ")
    )))
}

/// A JSON object body with its fields still to be read.
pub struct Body {
    map: Map<String, Value>,
    violations: Violations,
}

pub fn parse(bytes: &[u8]) -> ApiResult<Body> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(Body { map, violations: Violations::new() }),
        Ok(_) => Err(ApiError::BadRequest("The input data is misformatted.".into())),
        Err(_) => Err(ApiError::BadRequest("Syntax error".into())),
    }
}

fn type_error(kind: &str) -> String {
    format!("This value should be of type {kind}.")
}

impl Body {
    /// Absent: `None`; `null`: `Some(None)`; a string: `Some(Some(..))`.
    fn string(&mut self, key: &str) -> Option<Option<String>> {
        match self.map.remove(key)? {
            Value::Null => Some(None),
            Value::String(s) => Some(Some(s)),
            _ => {
                self.violations.add(key, type_error("string"));
                None
            }
        }
    }

    fn object(&mut self, key: &str) -> Option<Option<Value>> {
        match self.map.remove(key)? {
            Value::Null => Some(None),
            v @ Value::Object(_) => Some(Some(v)),
            _ => {
                self.violations.add(key, type_error("object"));
                None
            }
        }
    }

    /// `accountId` (or `account_id`): the account a create is for.
    pub fn account_id(&mut self) -> ApiResult<Option<i64>> {
        let value = self.map.remove("accountId").or_else(|| self.map.remove("account_id"));
        match value {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) if n.as_i64().is_some() => Ok(n.as_i64()),
            Some(_) => Err(ApiError::Invalid(Violations::single("accountId", type_error("int")))),
        }
    }

    /// The provider from `integration` (an IRI; 400 if it names none) or
    /// `provider` (a name).
    fn provider(&mut self) -> ApiResult<Option<Provider>> {
        let from_iri = match self.string("integration").flatten() {
            Some(iri) => {
                let name = iri.strip_prefix("/api/integrations/").unwrap_or_default();
                Some(Provider::parse(name).ok_or_else(|| item_not_found(&iri))?)
            }
            None => None,
        };
        let from_name = match self.string("provider").flatten() {
            Some(name) => match Provider::parse(&name) {
                Some(p) => Some(p),
                None => {
                    self.violations.add("provider", NOT_A_CHOICE);
                    None
                }
            },
            None => None,
        };
        if let (Some(a), Some(b)) = (from_iri, from_name) {
            if a != b {
                self.violations.add("provider", PROVIDER_MISMATCH);
            }
        }
        Ok(from_iri.or(from_name))
    }

    /// `inbox`: an inbox IRI of `account_id` (400 if it names none), or null.
    async fn inbox(&mut self, state: &AppState, account_id: i64) -> ApiResult<Option<Option<InboxId>>> {
        let Some(iri) = self.string("inbox") else { return Ok(None) };
        let Some(iri) = iri else { return Ok(Some(None)) };
        let prefix = format!("/api/v1/accounts/{account_id}/inboxes/");
        let id: i64 =
            iri.strip_prefix(&prefix).and_then(|id| id.parse().ok()).ok_or_else(|| item_not_found(&iri))?;
        inboxes::find(&state.pool, account_id, id).await?.ok_or_else(|| item_not_found(&iri))?;
        Ok(Some(Some(InboxId(id))))
    }

    fn finish(self) -> ApiResult<()> {
        self.violations.into_result().map_err(ApiError::Invalid)
    }

    /// The fields of a new connection to `account_id`.
    pub async fn into_connect(mut self, state: &AppState, account_id: i64) -> ApiResult<ConnectInput> {
        let provider = self.provider()?;
        let inbox_id = self.inbox(state, account_id).await?.flatten();
        let input = ConnectInput {
            provider,
            name: self.string("name").flatten(),
            headline: self.string("headline").flatten(),
            avatar_url: self.string("avatarUrl").flatten(),
            external_id: self.string("externalId").flatten(),
            config: match self.object("config").flatten() {
                Some(Value::Object(map)) => map,
                _ => Map::new(),
            },
            credentials: self.map.remove("credentials"),
            inbox_id,
        };
        self.finish()?;
        Ok(input)
    }

    /// A merge-patch of a connection of `account_id`.
    pub async fn into_update(mut self, state: &AppState, account_id: i64) -> ApiResult<UpdateInput> {
        let provider = self.provider()?;
        let inbox_id = self.inbox(state, account_id).await?;
        let input = UpdateInput {
            provider,
            // `"name": null` clears nothing: it is a blank name (422)
            name: self.string("name").map(Option::unwrap_or_default),
            headline: self.string("headline"),
            avatar_url: self.string("avatarUrl"),
            external_id: self.string("externalId"),
            // `"config": null` empties it (RFC 7396)
            config: self.object("config").map(|c| c.unwrap_or(Value::Null)),
            credentials: self.map.remove("credentials"),
            inbox_id,
        };
        self.finish()?;
        Ok(input)
    }
}

/// API Platform's 400 for an IRI that names nothing.
fn item_not_found(iri: &str) -> ApiError {
    ApiError::BadRequest(format!("Item not found for \"{iri}\"."))
}
