//! The shape of a filter request: `payload` must be an array (of at most
//! [`MAX_CONDITIONS`](super::MAX_CONDITIONS)) of objects, and every
//! `query_operator` must be blank, `AND` or `OR` (checked for all
//! conditions before any condition is looked at, as upstream does).

use super::operator::Connective;
use super::{FilterError, MAX_CONDITIONS};
use serde_json::Value;

/// One condition as sent, with its connective to the next condition.
#[derive(Debug, Clone, Copy)]
pub struct RawCondition<'a> {
    pub attribute_key: Option<&'a Value>,
    pub filter_operator: Option<&'a Value>,
    pub values: Option<&'a Value>,
    pub query_operator: Option<Connective>,
}

pub fn conditions(payload: Option<&Value>) -> Result<Vec<RawCondition<'_>>, FilterError> {
    let items = match payload {
        None | Some(Value::Null) => return Err(FilterError::MissingPayload),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(FilterError::MalformedPayload),
    };
    if items.len() > MAX_CONDITIONS {
        return Err(FilterError::TooManyConditions);
    }
    let objects: Vec<_> = items
        .iter()
        .map(|item| item.as_object().ok_or(FilterError::MalformedPayload))
        .collect::<Result<_, _>>()?;
    let mut out = Vec::with_capacity(objects.len());
    for object in objects {
        let query_operator = match object.get("query_operator") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(Value::String(s)) => Some(Connective::parse(s).ok_or(FilterError::InvalidQueryOperator)?),
            Some(_) => return Err(FilterError::InvalidQueryOperator),
        };
        out.push(RawCondition {
            attribute_key: object.get("attribute_key"),
            filter_operator: object.get("filter_operator"),
            values: object.get("values"),
            query_operator,
        });
    }
    Ok(out)
}
