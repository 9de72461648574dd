//! Renders a [`Filter`] into a `sqlx::QueryBuilder`. The only text pushed
//! is static (aliases, columns and keys of the model's attribute table,
//! operators); every value — and every custom attribute key — goes through
//! `push_bind`.

use super::ast::Filter;
use super::condition::{Condition, Scalar, Target, Test};
use super::model::{FilterModel, Kind, Labels, Source};
use sqlx::{Postgres, QueryBuilder};

/// Pushes the filter as one parenthesised boolean expression (`TRUE` when
/// it has no condition).
pub fn push_filter(qb: &mut QueryBuilder<'_, Postgres>, model: &FilterModel, filter: &Filter) {
    if filter.is_empty() {
        qb.push("TRUE");
        return;
    }
    qb.push("(");
    for (g, group) in filter.groups().iter().enumerate() {
        if g > 0 {
            qb.push(" OR ");
        }
        qb.push("(");
        for (c, condition) in group.iter().enumerate() {
            if c > 0 {
                qb.push(" AND ");
            }
            qb.push("(");
            push_condition(qb, model, condition);
            qb.push(")");
        }
        qb.push(")");
    }
    qb.push(")");
}

fn push_condition(qb: &mut QueryBuilder<'_, Postgres>, model: &FilterModel, condition: &Condition) {
    if matches!(&condition.target, Target::Standard(a) if a.source == Source::Labels) {
        push_labels(qb, model, &condition.test);
        return;
    }
    let target = &condition.target;
    match &condition.test {
        Test::Present(present) => {
            push_text(qb, model, target);
            qb.push(if *present { " IS NOT NULL" } else { " IS NULL" });
        }
        Test::Equal { negate, values } => {
            let Some(first) = values.first() else {
                qb.push("FALSE");
                return;
            };
            let nullable = *negate && matches!(target, Target::Custom { .. });
            if nullable {
                qb.push("(");
            }
            push_typed(qb, model, target, first);
            qb.push(if *negate { " NOT IN (" } else { " IN (" });
            for (i, value) in values.iter().enumerate() {
                if i > 0 {
                    qb.push(", ");
                }
                push_value(qb, target, value);
            }
            qb.push(")");
            if nullable {
                // a custom attribute the contact does not have is "not equal"
                qb.push(" OR ");
                push_text(qb, model, target);
                qb.push(" IS NULL)");
            }
        }
        Test::Like { negate, patterns } => {
            push_text(qb, model, target);
            qb.push(if *negate { " NOT ILIKE ALL(" } else { " ILIKE ANY(" });
            qb.push_bind(patterns.clone());
            qb.push(")");
        }
        Test::Compare { greater, value } => {
            push_typed(qb, model, target, value);
            qb.push(if *greater { " > " } else { " < " });
            push_value(qb, target, value);
        }
    }
}

/// The attribute's value as text.
fn push_text(qb: &mut QueryBuilder<'_, Postgres>, model: &FilterModel, target: &Target) {
    match target {
        Target::Standard(a) => match a.source {
            Source::Column(column) if matches!(a.kind, Kind::Text { .. }) => {
                qb.push(format_args!("{}.{column}", model.alias));
            }
            Source::Column(column) => {
                qb.push(format_args!("({}.{column})::text", model.alias));
            }
            Source::Additional(key) => {
                qb.push(format_args!("({}.additional_attributes ->> '{key}')", model.alias));
            }
            Source::Labels | Source::Absent => {
                qb.push("NULL::text");
            }
        },
        Target::Custom { key, .. } => {
            qb.push(format_args!("({}.custom_attributes ->> ", model.alias));
            qb.push_bind(key.clone());
            qb.push(")");
        }
    }
}

/// The attribute's value typed like `value` (lenient casts for anything
/// that is not a column of that type already).
fn push_typed(qb: &mut QueryBuilder<'_, Postgres>, model: &FilterModel, target: &Target, value: &Scalar) {
    let column = match target {
        Target::Standard(a) => match a.source {
            Source::Column(column) => Some((column, a.kind)),
            _ => None,
        },
        Target::Custom { .. } => None,
    };
    match (value, column) {
        (Scalar::Text(_), _) => {
            let lower = matches!(target.kind(), Kind::Text { case_insensitive: true } | Kind::Labels);
            qb.push(if lower { "LOWER(" } else { "(" });
            push_text(qb, model, target);
            qb.push(")");
        }
        (Scalar::Number(_), Some((column, Kind::Number | Kind::Enum { .. })))
        | (Scalar::Bool(_), Some((column, Kind::Boolean))) => {
            qb.push(format_args!("{}.{column}", model.alias));
        }
        (Scalar::Date(_), Some((column, Kind::Date))) => {
            qb.push(format_args!("({}.{column} AT TIME ZONE 'UTC')::date", model.alias));
        }
        (scalar, _) => {
            qb.push(match scalar {
                Scalar::Number(_) => "onelink_try_numeric(",
                Scalar::Date(_) => "onelink_try_date(",
                _ => "onelink_try_boolean(",
            });
            push_text(qb, model, target);
            qb.push(")");
        }
    }
}

fn push_value(qb: &mut QueryBuilder<'_, Postgres>, target: &Target, value: &Scalar) {
    match value {
        Scalar::Text(text) => {
            let lower = matches!(target.kind(), Kind::Text { case_insensitive: true } | Kind::Labels);
            qb.push(if lower { "LOWER(" } else { "(" });
            qb.push_bind(text.clone());
            qb.push(")");
        }
        Scalar::Number(number) => {
            qb.push_bind(number.clone());
            qb.push("::numeric");
        }
        Scalar::Date(date) => {
            qb.push_bind(*date);
        }
        Scalar::Bool(b) => {
            qb.push_bind(*b);
        }
    }
}

fn push_labels(qb: &mut QueryBuilder<'_, Postgres>, model: &FilterModel, test: &Test) {
    let Some(labels) = model.labels else {
        qb.push("FALSE");
        return;
    };
    let (negate, values) = match test {
        Test::Present(present) => (!present, None),
        Test::Equal { negate, values } => (*negate, Some(label_names(values))),
        Test::Like { .. } | Test::Compare { .. } => {
            qb.push("FALSE");
            return;
        }
    };
    let a = model.alias;
    match labels {
        Labels::Table(table) => {
            qb.push(if negate { "NOT EXISTS (" } else { "EXISTS (" });
            qb.push(format_args!(
                "SELECT 1 FROM {t} fl WHERE fl.account_id = {a}.account_id AND fl.{owner} = {a}.id",
                t = table.table,
                owner = table.owner_column
            ));
            if let Some(names) = values {
                qb.push(" AND fl.label = ANY(");
                qb.push_bind(names);
                qb.push(")");
            }
            qb.push(")");
        }
        Labels::Column(column) => {
            qb.push(if negate { "NOT (" } else { "(" });
            match values {
                Some(names) => {
                    qb.push(format_args!("{a}.{column} && "));
                    qb.push_bind(names);
                }
                None => {
                    qb.push(format_args!("cardinality({a}.{column}) > 0"));
                }
            }
            qb.push(")");
        }
    }
}

fn label_names(values: &[Scalar]) -> Vec<String> {
    values
        .iter()
        .filter_map(|v| match v {
            Scalar::Text(t) => Some(t.clone()),
            _ => None,
        })
        .collect()
}
