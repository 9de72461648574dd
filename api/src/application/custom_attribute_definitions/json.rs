//! Custom attribute definition request bodies and the response shape
//! (upstream `api/v1/models/_custom_attribute_definition.json.jbuilder`).

use crate::dto::{enum_value, nullable, EnumValue};
use crate::error::{ApiError, ApiResult};
use crate::extract::RequestBody;
use crate::platform::json::iso;
use onelink_domain::custom_attribute::{AttributeModel, DefinitionPatch, DisplayType, NewDefinition};
use onelink_domain::Violations;
use onelink_projections::custom_attributes::DefinitionRow;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// `POST` and `PATCH|PUT` body (flat or under `custom_attribute_definition`).
/// Other keys (`account_id`, `id`, timestamps) are ignored.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DefinitionRequest {
    /// Required; trimmed.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    attribute_display_name: Option<Option<String>>,
    /// Required; letters, numbers, `_`, `.`, `-`; unique per account and
    /// model; not a standard attribute of the model.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    attribute_key: Option<Option<String>>,
    /// `text` (default), `number`, `currency`, `percent`, `link`, `date`,
    /// `list`, `checkbox`, or the upstream's integer 0–7.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    attribute_display_type: Option<Option<Value>>,
    /// `conversation_attribute` (default) or `contact_attribute`, or 0 / 1.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    attribute_model: Option<Option<Value>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    attribute_description: Option<Option<String>>,
    /// The choices of a `list` attribute; `null` clears them.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Vec<String>>)]
    attribute_values: Option<Option<Vec<String>>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    regex_pattern: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    regex_cue: Option<Option<String>>,
    /// An integer (or a numeric string); `null` or `""` clears it.
    #[serde(default, deserialize_with = "nullable_integer")]
    #[schema(value_type = Option<i64>)]
    default_value: Option<Option<i64>>,
}

impl RequestBody for DefinitionRequest {
    const ROOT: Option<&'static str> = Some("custom_attribute_definition");
}

/// Absent → `None`; `null`/`""` → `Some(None)`; an integer or a numeric
/// string → `Some(Some(n))`; anything else is a 422.
fn nullable_integer<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    use serde::de::Error;
    let invalid = || D::Error::custom("must be an integer");
    match Value::deserialize(d)? {
        Value::Null => Ok(Some(None)),
        Value::Number(n) => n.as_i64().map(|n| Some(Some(n))).ok_or_else(invalid),
        Value::String(s) if s.trim().is_empty() => Ok(Some(None)),
        Value::String(s) => s.trim().parse().map(|n| Some(Some(n))).map_err(|_| invalid()),
        _ => Err(invalid()),
    }
}

/// An enum field: absent → `None`; blank → "can't be blank"; unknown →
/// "is not included in the list" (upstream: a 500).
fn enum_field<T>(
    v: &mut Violations,
    raw: Option<Option<Value>>,
    (attribute, label): (&str, &str),
    by_name: fn(&str) -> Option<T>,
    by_index: fn(i64) -> Option<T>,
) -> Option<T> {
    let raw = raw?;
    match enum_value(raw.as_ref().unwrap_or(&Value::Null), by_name, by_index) {
        EnumValue::Known(value) => return Some(value),
        EnumValue::Blank => v.add(attribute, format!("{label} can't be blank")),
        EnumValue::Unknown => v.add(attribute, format!("{label} is not included in the list")),
    }
    None
}

impl DefinitionRequest {
    /// The two enums, or a 422 naming every bad one.
    fn enums(&mut self) -> ApiResult<(Option<DisplayType>, Option<AttributeModel>)> {
        let mut v = Violations::new();
        let display_type = enum_field(
            &mut v,
            self.attribute_display_type.take(),
            ("attribute_display_type", "Attribute display type"),
            DisplayType::parse,
            DisplayType::from_index,
        );
        let model = enum_field(
            &mut v,
            self.attribute_model.take(),
            ("attribute_model", "Attribute model"),
            AttributeModel::parse,
            AttributeModel::from_index,
        );
        v.into_result().map_err(ApiError::Invalid)?;
        Ok((display_type, model))
    }

    pub fn into_new(mut self) -> ApiResult<NewDefinition> {
        let (display_type, model) = self.enums()?;
        Ok(NewDefinition {
            attribute_display_name: self.attribute_display_name.flatten(),
            attribute_key: self.attribute_key.flatten(),
            attribute_display_type: display_type,
            attribute_model: model,
            attribute_description: self.attribute_description.flatten(),
            attribute_values: self.attribute_values.flatten(),
            regex_pattern: self.regex_pattern.flatten(),
            regex_cue: self.regex_cue.flatten(),
            default_value: self.default_value.flatten(),
            ..NewDefinition::default()
        })
    }

    pub fn into_patch(mut self) -> ApiResult<DefinitionPatch> {
        let (display_type, model) = self.enums()?;
        Ok(DefinitionPatch {
            // an explicit `null` is a blank value, as upstream
            attribute_display_name: self.attribute_display_name.map(Option::unwrap_or_default),
            attribute_key: self.attribute_key.map(Option::unwrap_or_default),
            attribute_display_type: display_type,
            attribute_model: model,
            attribute_description: self.attribute_description,
            attribute_values: self.attribute_values.map(Option::unwrap_or_default),
            regex_pattern: self.regex_pattern,
            regex_cue: self.regex_cue,
            default_value: self.default_value,
        })
    }
}

/// A definition as the upstream renders it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Definition {
    pub id: i64,
    pub attribute_display_name: String,
    pub attribute_display_type: String,
    pub attribute_description: Option<String>,
    pub attribute_key: String,
    pub regex_pattern: Option<String>,
    pub regex_cue: Option<String>,
    #[schema(value_type = Vec<String>)]
    pub attribute_values: Value,
    pub attribute_model: String,
    pub default_value: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<DefinitionRow> for Definition {
    fn from(r: DefinitionRow) -> Self {
        Self {
            id: r.id,
            attribute_display_name: r.attribute_display_name,
            attribute_display_type: r.attribute_display_type,
            attribute_description: r.attribute_description,
            attribute_key: r.attribute_key,
            regex_pattern: r.regex_pattern,
            regex_cue: r.regex_cue,
            attribute_values: r.attribute_values,
            attribute_model: r.attribute_model,
            default_value: r.default_value,
            created_at: iso(r.created_at),
            updated_at: iso(r.updated_at),
        }
    }
}
