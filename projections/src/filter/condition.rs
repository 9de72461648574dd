//! One condition, validated in the upstream's order — (a) the operator is
//! allowed for a standard attribute, (b) a value is given unless the
//! operator needs none, (c) the key is a standard or custom attribute — and
//! then typed: every value is parsed into a [`Scalar`] of the attribute's
//! kind (a value that cannot be is an "Invalid value", never a SQL error).

use super::model::{CustomAttribute, FilterModel, Kind, Normalize, StandardAttribute};
use super::operator::Operator;
use super::payload::RawCondition;
use super::{FilterError, MAX_VALUES, MAX_VALUE_CHARS};
use chrono::{DateTime, NaiveDate};
use serde_json::Value;

/// The attribute a condition tests.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Standard(&'static StandardAttribute),
    /// A custom attribute (its key is bound, never written into SQL).
    Custom {
        key: String,
        kind: Kind,
    },
}

impl Target {
    pub fn kind(&self) -> Kind {
        match self {
            Target::Standard(a) => a.kind,
            Target::Custom { kind, .. } => *kind,
        }
    }
}

/// A typed value.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Text(String),
    /// A validated decimal literal, cast to `numeric` in SQL.
    Number(String),
    Date(NaiveDate),
    Bool(bool),
}

/// What is checked.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// `is_present` (`true`) / `is_not_present` (`false`).
    Present(bool),
    /// `equal_to` / `not_equal_to` (`negate`) against any of `values`.
    Equal { negate: bool, values: Vec<Scalar> },
    /// Case-insensitive `LIKE` patterns (already escaped): matches any
    /// (`contains`, `starts_with`) or, negated, none (`does_not_contain`).
    Like { negate: bool, patterns: Vec<String> },
    /// `is_greater_than` / `is_less_than` / `days_before` (strict).
    Compare { greater: bool, value: Scalar },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub target: Target,
    pub test: Test,
}

/// Rails' `blank?` for the `values` parameter.
fn blank(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) | Some(Value::Bool(false)) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        Some(_) => false,
    }
}

/// How a key is shown in messages (a non-string key as its JSON text).
fn key_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

pub fn validate(
    raw: &RawCondition<'_>,
    model: &FilterModel,
    custom: &[CustomAttribute],
    today: NaiveDate,
) -> Result<Condition, FilterError> {
    let key = key_text(raw.attribute_key);
    let key_str = raw.attribute_key.and_then(Value::as_str);
    let operator_name = raw.filter_operator.and_then(Value::as_str);
    let operator = operator_name.and_then(Operator::parse);
    let standard = key_str.and_then(|k| model.standard(k));

    // (a) a standard attribute's operator list
    if let Some(attribute) = standard {
        if !operator.is_some_and(|op| attribute.operators.contains(&op)) {
            return Err(invalid_operator(&key, attribute.operators));
        }
    }
    // (b) a value, unless the operator needs none
    let needs_value = !matches!(operator_name, Some("is_present" | "is_not_present"));
    if needs_value && blank(raw.values) {
        return Err(FilterError::InvalidValue { key });
    }
    // (c) a known attribute
    let target = match standard {
        Some(attribute) => Target::Standard(attribute),
        None => match key_str.and_then(|k| custom.iter().find(|c| c.key == k)) {
            Some(def) => Target::Custom { key: def.key.clone(), kind: def.display_type.kind() },
            None => return Err(FilterError::InvalidAttribute { key, allowed: model.keys() }),
        },
    };
    // custom attributes accept any operator, but only a known one
    let operator = operator.ok_or_else(|| invalid_operator(&key, &Operator::ALL))?;
    let values = value_list(raw.values).ok_or_else(|| FilterError::InvalidValue { key: key.clone() })?;
    let test =
        typed_test(&target, operator, &values, model, today).ok_or(FilterError::InvalidValue { key })?;
    Ok(Condition { target, test })
}

fn invalid_operator(key: &str, allowed: &[Operator]) -> FilterError {
    FilterError::InvalidOperator {
        key: key.to_owned(),
        allowed: allowed.iter().map(|o| o.as_str()).collect(),
    }
}

/// `values` as a list (a scalar is a list of one), capped.
fn value_list(values: Option<&Value>) -> Option<Vec<&Value>> {
    let list: Vec<&Value> = match values {
        None | Some(Value::Null) => vec![],
        Some(Value::Array(items)) => items.iter().collect(),
        Some(other) => vec![other],
    };
    (list.len() <= MAX_VALUES).then_some(list)
}

fn typed_test(
    target: &Target,
    operator: Operator,
    values: &[&Value],
    model: &FilterModel,
    today: NaiveDate,
) -> Option<Test> {
    let kind = target.kind();
    let normalize = match target {
        Target::Standard(a) => a.normalize,
        Target::Custom { .. } => Normalize::None,
    };
    let first = values.first().copied();
    Some(match operator {
        Operator::IsPresent => Test::Present(true),
        Operator::IsNotPresent => Test::Present(false),
        Operator::EqualTo | Operator::NotEqualTo => {
            let first_only = model.equality == super::model::Equality::FirstValue
                || matches!((target, kind), (Target::Custom { .. }, Kind::Text { .. }));
            let chosen: Vec<&Value> = if first_only { first.into_iter().collect() } else { values.to_vec() };
            let values = match kind {
                Kind::Enum { codes, all } => enum_codes(codes, all, &chosen),
                _ => chosen.into_iter().map(|v| scalar(kind, v, normalize)).collect::<Option<Vec<_>>>(),
            }
            .filter(|v| !v.is_empty())?;
            Test::Equal { negate: operator == Operator::NotEqualTo, values }
        }
        Operator::Contains | Operator::DoesNotContain => {
            let patterns = values
                .iter()
                .map(|v| text(v).map(|t| format!("%{}%", escape_like(t.trim()))))
                .collect::<Option<Vec<_>>>()
                .filter(|p| !p.is_empty())?;
            Test::Like { negate: operator == Operator::DoesNotContain, patterns }
        }
        Operator::StartsWith => {
            let prefix = normalized(text(first?)?, normalize);
            Test::Like { negate: false, patterns: vec![format!("{}%", escape_like(&prefix))] }
        }
        Operator::IsGreaterThan | Operator::IsLessThan => {
            let value = scalar(kind, first?, normalize)?;
            Test::Compare { greater: operator == Operator::IsGreaterThan, value }
        }
        Operator::DaysBefore => {
            let days = whole_number(first?)?;
            let date = today.checked_sub_signed(chrono::TimeDelta::try_days(days)?)?;
            Test::Compare { greater: false, value: Scalar::Date(date) }
        }
    })
}

/// A value as text: strings as given, numbers and booleans as written.
fn text(value: &Value) -> Option<String> {
    let s = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    (!s.contains('\0') && s.chars().count() <= MAX_VALUE_CHARS).then_some(s)
}

fn normalized(value: String, normalize: Normalize) -> String {
    match normalize {
        Normalize::None => value,
        Normalize::PlusPrefixed => format!("+{}", value.trim().trim_start_matches('+')),
    }
}

fn scalar(kind: Kind, value: &Value, normalize: Normalize) -> Option<Scalar> {
    match kind {
        Kind::Text { .. } => Some(Scalar::Text(normalized(text(value)?, normalize))),
        Kind::Labels => Some(Scalar::Text(text(value)?.trim().to_lowercase())),
        Kind::Number => number(value).map(Scalar::Number),
        Kind::Date => date(value).map(Scalar::Date),
        Kind::Boolean => boolean(value).map(Scalar::Bool),
        Kind::Enum { codes, all } => enum_codes(codes, all, &[value])?.pop(),
    }
}

/// Enum names (or their numbers) as numbers; `all`, when the attribute
/// allows it, stands for every value. An unknown name is invalid.
fn enum_codes(codes: &[(&str, i64)], all: bool, values: &[&Value]) -> Option<Vec<Scalar>> {
    let mut out = Vec::new();
    for value in values {
        let name = text(value)?;
        let name = name.trim();
        if all && name == "all" {
            out.extend(codes.iter().map(|(_, code)| Scalar::Number(code.to_string())));
            continue;
        }
        let code = codes.iter().find(|(n, c)| *n == name || c.to_string() == name)?.1;
        out.push(Scalar::Number(code.to_string()));
    }
    Some(out)
}

/// A finite decimal literal Postgres' `numeric` accepts.
fn number(value: &Value) -> Option<String> {
    let s = text(value)?.trim().to_owned();
    let plain =
        !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b));
    (plain && s.parse::<f64>().is_ok_and(f64::is_finite)).then_some(s)
}

/// `YYYY-MM-DD`, or an RFC 3339 timestamp (its date).
fn date(value: &Value) -> Option<NaiveDate> {
    let s = value.as_str()?.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .or_else(|| DateTime::parse_from_rfc3339(s).ok().map(|d| d.date_naive()))
}

fn boolean(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => match n.as_i64() {
            Some(1) => Some(true),
            Some(0) => Some(false),
            _ => None,
        },
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "t" | "1" => Some(true),
            "false" | "f" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A whole number of days (as a number or a numeric string), at most
/// about 270 years either way.
fn whole_number(value: &Value) -> Option<i64> {
    let n = match value {
        Value::Number(n) => n.as_i64()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    (n.abs() <= 100_000).then_some(n)
}

/// Escapes `LIKE` wildcards so a value matches literally.
pub fn escape_like(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
