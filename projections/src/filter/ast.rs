//! The condition list as a boolean expression. Each condition's
//! `query_operator` joins it to the next one; there are no parentheses, so
//! standard precedence applies (AND binds tighter than OR) and the
//! expression is an OR of AND-groups: `A AND B OR C` = `(A AND B) OR C`,
//! `A OR B AND C` = `A OR (B AND C)`.

use super::condition::Condition;
use super::operator::Connective;
use super::FilterError;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Filter {
    /// Disjunction of conjunctions; empty = no condition (everything).
    groups: Vec<Vec<Condition>>,
}

impl Filter {
    /// The filter without conditions (`payload: []`).
    pub fn everything() -> Self {
        Self::default()
    }

    /// Every condition but the last needs a connective; the last must have
    /// none (a missing or trailing connective is an invalid query operator).
    pub fn from_conditions(conditions: Vec<(Condition, Option<Connective>)>) -> Result<Self, FilterError> {
        let last = conditions.len().saturating_sub(1);
        let mut groups: Vec<Vec<Condition>> = Vec::new();
        let mut current: Vec<Condition> = Vec::new();
        for (index, (condition, connective)) in conditions.into_iter().enumerate() {
            current.push(condition);
            match (index == last, connective) {
                (true, None) => {}
                (false, Some(Connective::And)) => {}
                (false, Some(Connective::Or)) => groups.push(std::mem::take(&mut current)),
                (true, Some(_)) | (false, None) => return Err(FilterError::InvalidQueryOperator),
            }
        }
        if !current.is_empty() {
            groups.push(current);
        }
        Ok(Self { groups })
    }

    pub fn groups(&self) -> &[Vec<Condition>] {
        &self.groups
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}
