//! The filter engine behind `POST …/contacts/filter` (and, later,
//! `…/conversations/filter`): the upstream's JSON condition list, validated
//! in the upstream's order and wording, turned into an AST that respects
//! AND-binds-tighter-than-OR, and rendered into SQL that carries every
//! user-supplied value as a bind parameter.
//!
//! - [`payload`]: the request's `payload` array → raw conditions (shape,
//!   size cap, `query_operator`s).
//! - [`condition`]: one raw condition → a typed [`Condition`] against the
//!   model's attribute table ([`model`]) or a custom attribute definition.
//! - [`ast`]: conditions + connectives → [`Filter`] (OR of AND-groups).
//! - [`sql`]: [`Filter`] → `sqlx::QueryBuilder` (`push_bind` only).
//!
//! A model plugs in with a static [`FilterModel`]; custom attribute
//! definitions of the account are passed in per request.

pub mod ast;
pub mod condition;
pub mod model;
pub mod operator;
pub mod payload;
pub mod sql;

pub use ast::Filter;
pub use condition::{Condition, Scalar, Target, Test};
pub use model::{CustomAttribute, CustomType, FilterModel};
pub use operator::{Connective, Operator};

use chrono::NaiveDate;
use serde_json::Value;

/// Most conditions one filter may have.
pub const MAX_CONDITIONS: usize = 100;
/// Most values one condition may have.
pub const MAX_VALUES: usize = 100;
/// Longest value (in characters) a condition may carry.
pub const MAX_VALUE_CHARS: usize = 1024;

/// Why a filter was refused; every variant is a 422 `{"error": <message>}`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    #[error("Query operator must be either \"AND\" or \"OR\".")]
    InvalidQueryOperator,
    #[error("Invalid operator. The allowed operators for {key} are [{}].", .allowed.join(","))]
    InvalidOperator { key: String, allowed: Vec<&'static str> },
    #[error("Invalid value. The values provided for {key} are invalid")]
    InvalidValue { key: String },
    #[error(
        "Invalid attribute key - [{key}]. The key should be one of [{}] or a custom attribute defined in the account.",
        .allowed.join(",")
    )]
    InvalidAttribute { key: String, allowed: Vec<&'static str> },
    #[error("param is missing or the value is empty: payload")]
    MissingPayload,
    #[error("Invalid payload. The payload should be an array of filter conditions")]
    MalformedPayload,
    #[error("Too many filter conditions (maximum is {MAX_CONDITIONS})")]
    TooManyConditions,
}

/// Validates a request's `payload` against `model` and the account's
/// `custom` attribute definitions. `today` (UTC) anchors `days_before`.
pub fn parse(
    payload: Option<&Value>,
    model: &FilterModel,
    custom: &[CustomAttribute],
    today: NaiveDate,
) -> Result<Filter, FilterError> {
    let raw = payload::conditions(payload)?;
    let mut conditions = Vec::with_capacity(raw.len());
    for r in &raw {
        conditions.push((condition::validate(r, model, custom, today)?, r.query_operator));
    }
    Filter::from_conditions(conditions)
}

#[cfg(test)]
mod tests;
