//! Serde helpers for request bodies, matching what Rails accepts.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// Distinguishes an absent field (`None`) from an explicit `null`
/// (`Some(None)`). Use with `#[serde(default, deserialize_with = "nullable")]`.
pub fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// An id given as a JSON number or a numeric string (Rails casts both).
pub fn flexible_id<'de, D>(d: D) -> Result<Option<i64>, D::Error>
where
    D: Deserializer<'de>,
{
    use serde::de::Error;
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => {
            n.as_i64().map(Some).ok_or_else(|| D::Error::custom("must be an integer id"))
        }
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => {
            s.trim().parse().map(Some).map_err(|_| D::Error::custom("must be an integer id"))
        }
        Some(_) => Err(D::Error::custom("must be an integer id")),
    }
}

/// Truthiness of a flag value: `true`, `"true"`, `1`, `"1"` and other
/// non-blank values enable; `false`, `"false"`, `0`, `"0"`, `null`, `""`
/// disable. (Rails' `present?` would treat the string `"false"` as true;
/// OneLink does not — see docs/UPSTREAM-QUIRKS.md.)
pub fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !matches!(s.trim(), "" | "false" | "0"),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// A boolean as Rails casts it: `true`/`false`, `"true"`/`"false"`,
/// `"t"`/`"f"`, `"1"`/`"0"`, `1`/`0`; `null` or `""` is absent. Anything
/// else is a 422 naming the attribute.
pub fn flexible_bool<'de, D>(d: D) -> Result<Option<bool>, D::Error>
where
    D: Deserializer<'de>,
{
    use serde::de::Error;
    let invalid = || D::Error::custom("must be true or false");
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(b)),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(1) => Ok(Some(true)),
            Some(0) => Ok(Some(false)),
            _ => Err(invalid()),
        },
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "" => Ok(None),
            "true" | "t" | "1" | "on" => Ok(Some(true)),
            "false" | "f" | "0" | "off" => Ok(Some(false)),
            _ => Err(invalid()),
        },
        Some(_) => Err(invalid()),
    }
}

/// A list of record ids (`user_ids`): numbers or numeric strings. A string
/// that is not a number names no record and becomes `None`, so the caller
/// can refuse it like an unknown id; a value that is not a list, or an
/// element that is neither number nor string, is a 422.
pub fn id_list<'de, D>(d: D) -> Result<Option<Vec<Option<i64>>>, D::Error>
where
    D: Deserializer<'de>,
{
    use serde::de::Error;
    let Some(values) = Option::<Vec<Value>>::deserialize(d)? else { return Ok(None) };
    values
        .into_iter()
        .map(|v| match v {
            Value::Number(n) => Ok(n.as_i64()),
            Value::String(s) => Ok(s.trim().parse().ok()),
            _ => Err(D::Error::custom("must be a list of ids")),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// The last value of `name` in a raw query string (Rails: last one wins),
/// without NUL characters (no stored value has one).
pub fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    url::form_urlencoded::parse(query?.as_bytes())
        .filter(|(key, _)| key == name)
        .last()
        .map(|(_, value)| value.replace('\0', ""))
}

/// What an enum field of a body holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumValue<T> {
    /// `null` or `""` (Rails casts both to nil).
    Blank,
    Known(T),
    /// Anything that is not one of the values.
    Unknown,
}

/// An enum given by name or by the upstream's integer value (a JSON number
/// or a numeric string).
pub fn enum_value<T>(
    value: &Value,
    by_name: fn(&str) -> Option<T>,
    by_index: fn(i64) -> Option<T>,
) -> EnumValue<T> {
    let known = match value {
        Value::Null => return EnumValue::Blank,
        Value::String(s) if s.trim().is_empty() => return EnumValue::Blank,
        Value::String(s) => by_name(s),
        Value::Number(n) => n.as_i64().and_then(by_index),
        _ => None,
    };
    known.map_or(EnumValue::Unknown, EnumValue::Known)
}
