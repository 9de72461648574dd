//! Events are stored as `event_type` + `payload` (the variant's data). Our
//! domain enums are adjacently tagged (`{"type": …, "data": …}`), so the
//! split and the reverse are mechanical.

use super::StoreFailure;
use serde::de::value::MapDeserializer;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

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

/// The domain event stored as `event_type` + `payload`. Presents the pair to
/// serde as the adjacently tagged map with the tag first, so neither the
/// payload is copied nor serde buffers it to look for the tag.
pub fn decode_event<E: DeserializeOwned>(event_type: &str, payload: &Value) -> Result<E, StoreFailure> {
    let tag = Value::String(event_type.to_owned());
    let mut entries = vec![("type", &tag)];
    if !payload.is_null() {
        entries.push(("data", payload));
    }
    // Deserializing the map by value also checks that nothing is left over.
    let map = MapDeserializer::<_, serde_json::Error>::new(entries.into_iter());
    E::deserialize(map).map_err(|e| StoreFailure::Corrupt(format!("{event_type}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(tag = "type", content = "data")]
    enum Sample {
        Unit,
        Struct { a: i64, b: Option<String> },
        Tuple(i64),
    }

    #[test]
    fn decodes_what_it_encodes() {
        for event in [Sample::Unit, Sample::Struct { a: 7, b: Some("x".into()) }, Sample::Tuple(3)] {
            let (event_type, payload) = encode_event(&event).unwrap();
            assert_eq!(decode_event::<Sample>(&event_type, &payload).unwrap(), event);
        }
    }

    #[test]
    fn unknown_types_and_bad_payloads_are_corrupt() {
        assert!(matches!(decode_event::<Sample>("Nope", &Value::Null), Err(StoreFailure::Corrupt(_))));
        let bad = serde_json::json!({"a": "not a number"});
        assert!(matches!(decode_event::<Sample>("Struct", &bad), Err(StoreFailure::Corrupt(_))));
    }
}
