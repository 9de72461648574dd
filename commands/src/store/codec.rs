//! Events are stored as `event_type` + `payload` (the variant's data). Our
//! domain enums are adjacently tagged (`{"type": …, "data": …}`), so the
//! split and the reverse are mechanical.

use super::StoreFailure;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// `(event_type, payload)` of a domain event.
pub fn encode_event<E: Serialize>(event: &E) -> Result<(String, Value), StoreFailure> {
    let mut value = serde_json::to_value(event).map_err(|e| StoreFailure::Corrupt(e.to_string()))?;
    let object =
        value.as_object_mut().ok_or_else(|| StoreFailure::Corrupt("event is not an object".into()))?;
    let event_type = match object.remove("type") {
        Some(Value::String(t)) => t,
        _ => return Err(StoreFailure::Corrupt("event has no type tag".into())),
    };
    Ok((event_type, object.remove("data").unwrap_or(Value::Null)))
}

pub fn decode_event<E: DeserializeOwned>(event_type: &str, payload: Value) -> Result<E, StoreFailure> {
    let tagged = if payload.is_null() {
        json!({ "type": event_type })
    } else {
        json!({ "type": event_type, "data": payload })
    };
    serde_json::from_value(tagged).map_err(|e| StoreFailure::Corrupt(format!("{event_type}: {e}")))
}
