//! Contact request bodies and response shapes (upstream
//! `api/v1/models/_contact.json.jbuilder` and the `contacts/*` views).

use crate::dto::nullable;
use crate::error::{ApiError, ApiResult};
use crate::extract::RequestBody;
use onelink_commands::contacts::ContactInput;
use onelink_domain::Violations;
use onelink_projections::contact_inboxes::ContactInboxWithInbox;
use onelink_projections::contacts::ContactRow;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// `POST /contacts` and `PATCH|PUT /contacts/{id}` (flat or under `contact`).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ContactRequest {
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub name: Option<Option<String>>,
    /// Lower-cased; `""` or `null` clears it. Unique per account.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    /// E.164 (`+` and up to 15 digits). Unique per account.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub phone_number: Option<Option<String>>,
    /// Case-sensitive. Unique per account.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub identifier: Option<Option<String>>,
    #[serde(default, deserialize_with = "flexible_bool")]
    pub blocked: Option<bool>,
    /// Shallow-merged into the current hash on update.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub additional_attributes: Option<Map<String, Value>>,
    /// Shallow-merged into the current hash on update.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub custom_attributes: Option<Map<String, Value>>,
    /// On create: also put the contact in this inbox (404 if the inbox is
    /// not the account's).
    #[serde(default, deserialize_with = "crate::dto::flexible_id")]
    #[schema(value_type = Option<i64>)]
    pub inbox_id: Option<i64>,
    /// An image to fetch in the background as the avatar (public http(s)
    /// addresses only; with multipart, an `avatar` file instead).
    pub avatar_url: Option<String>,
    /// The contact's id in that inbox (default: a new UUID).
    #[serde(default)]
    pub source_id: Option<String>,
}

impl RequestBody for ContactRequest {
    const ROOT: Option<&'static str> = Some("contact");
}

impl ContactRequest {
    pub fn into_input(&self) -> ContactInput {
        ContactInput {
            name: self.name.clone().map(Option::unwrap_or_default),
            email: self.email.clone(),
            phone_number: self.phone_number.clone(),
            identifier: self.identifier.clone(),
            blocked: self.blocked,
            additional_attributes: self.additional_attributes.clone(),
            custom_attributes: self.custom_attributes.clone(),
        }
    }
}

pub use crate::dto::flexible_bool;

/// A list parameter given as an array of strings or a single string
/// (Rails' `Array(param)`); absent or `null` is an empty list.
pub fn string_list(value: Option<&Value>, attribute: &str, label: &str) -> ApiResult<Vec<String>> {
    let invalid = || ApiError::Invalid(Violations::single(attribute, format!("{label} is invalid")));
    match value {
        None | Some(Value::Null) => Ok(vec![]),
        Some(Value::String(s)) => Ok(vec![s.clone()]),
        Some(Value::Array(items)) => {
            items.iter().map(|i| i.as_str().map(str::to_owned).ok_or_else(invalid)).collect()
        }
        Some(_) => Err(invalid()),
    }
}

/// `POST /contacts/{id}/labels`
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct LabelsRequest {
    /// The complete new label list (replaces the current one).
    #[serde(default)]
    #[schema(value_type = Option<Vec<String>>)]
    pub labels: Option<Value>,
}

impl RequestBody for LabelsRequest {}

/// `POST /contacts/{id}/destroy_custom_attributes`
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct RemoveCustomAttributesRequest {
    /// Keys to remove.
    #[serde(default)]
    #[schema(value_type = Option<Vec<String>>)]
    pub custom_attributes: Option<Value>,
}

impl RequestBody for RemoveCustomAttributesRequest {}

/// `POST /contacts/filter`
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct FilterRequest {
    /// Conditions: `[{attribute_key, filter_operator, values, query_operator}]`.
    #[serde(default)]
    #[schema(value_type = Option<Vec<Object>>)]
    pub payload: Option<Value>,
    #[serde(default)]
    #[schema(value_type = Option<i64>)]
    pub page: Option<Value>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub sort: Option<Value>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub include_contact_inboxes: Option<Value>,
}

impl RequestBody for FilterRequest {}

/// A contact (`models/_contact`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Contact {
    #[schema(value_type = Object)]
    pub additional_attributes: Value,
    /// `online` while the contact has a live widget session.
    pub availability_status: &'static str,
    pub email: Option<String>,
    pub id: i64,
    pub name: String,
    pub phone_number: Option<String>,
    pub blocked: bool,
    pub identifier: Option<String>,
    pub thumbnail: String,
    #[schema(value_type = Object)]
    pub custom_attributes: Value,
    /// Unix seconds; omitted while null.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_activity_at: Option<i64>,
    pub created_at: i64,
    /// Omitted with `include_contact_inboxes=false`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_inboxes: Option<Vec<ContactInboxSlim>>,
}

/// The inbox side of a contact inbox, as the Contact JSON shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InboxSlim {
    pub id: i64,
    pub avatar_url: String,
    pub channel_id: i64,
    pub name: String,
    pub channel_type: String,
    pub provider: Option<String>,
}

/// `{source_id, inbox}`
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContactInboxSlim {
    pub source_id: String,
    pub inbox: InboxSlim,
}

impl From<ContactInboxWithInbox> for ContactInboxSlim {
    fn from(r: ContactInboxWithInbox) -> Self {
        Self {
            source_id: r.source_id,
            inbox: InboxSlim {
                id: r.inbox_id,
                avatar_url: String::new(),
                channel_id: r.channel_id,
                name: r.inbox_name,
                channel_type: r.channel_type,
                provider: None,
            },
        }
    }
}

impl Contact {
    /// `contact_inboxes`: `None` to omit the key.
    pub fn render(
        row: ContactRow,
        contact_inboxes: Option<Vec<ContactInboxSlim>>,
        urls: Option<&crate::blobs::BlobUrls>,
    ) -> Self {
        let thumbnail = crate::blobs::json::avatar_url(urls, row.account_id, row.avatar().as_ref());
        Self {
            additional_attributes: row.additional_attributes,
            // TODO(presence): `online` once widget presence exists.
            availability_status: "offline",
            email: row.email,
            id: row.id,
            name: row.name,
            phone_number: row.phone_number,
            blocked: row.blocked,
            identifier: row.identifier,
            thumbnail,
            custom_attributes: row.custom_attributes,
            last_activity_at: row.last_activity_at.map(|t| t.timestamp()),
            created_at: row.created_at.timestamp(),
            contact_inboxes,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ListMeta {
    /// Matches over all pages.
    pub count: i64,
    /// The `page` parameter as given (`1` by default).
    #[schema(value_type = Object)]
    pub current_page: Value,
}

/// `{meta: {count, current_page}, payload: [Contact]}`
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactList {
    pub meta: ListMeta,
    pub payload: Vec<Contact>,
}

/// `{payload: Contact}`
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactPayload {
    pub payload: Contact,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactInboxRef {
    /// The inbox record, when `inbox_id` was given.
    #[schema(value_type = Option<Object>)]
    pub inbox: Option<Value>,
    pub source_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedContactBody {
    pub contact: Contact,
    pub contact_inbox: ContactInboxRef,
}

/// `{payload: {contact, contact_inbox: {inbox, source_id}}}`
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedContact {
    pub payload: CreatedContactBody,
}

/// `{payload: [label]}`
#[derive(Debug, Serialize, ToSchema)]
pub struct LabelList {
    pub payload: Vec<String>,
}
