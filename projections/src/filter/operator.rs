//! The filter operators and the AND/OR connectives, matched against fixed
//! lists (a name that is not here is never turned into SQL).

/// A condition's `filter_operator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    EqualTo,
    NotEqualTo,
    Contains,
    DoesNotContain,
    IsPresent,
    IsNotPresent,
    IsGreaterThan,
    IsLessThan,
    DaysBefore,
    StartsWith,
}

impl Operator {
    pub const ALL: [Operator; 10] = [
        Operator::EqualTo,
        Operator::NotEqualTo,
        Operator::Contains,
        Operator::DoesNotContain,
        Operator::IsPresent,
        Operator::IsNotPresent,
        Operator::IsGreaterThan,
        Operator::IsLessThan,
        Operator::DaysBefore,
        Operator::StartsWith,
    ];

    pub fn parse(value: &str) -> Option<Operator> {
        Operator::ALL.into_iter().find(|op| op.as_str() == value)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Operator::EqualTo => "equal_to",
            Operator::NotEqualTo => "not_equal_to",
            Operator::Contains => "contains",
            Operator::DoesNotContain => "does_not_contain",
            Operator::IsPresent => "is_present",
            Operator::IsNotPresent => "is_not_present",
            Operator::IsGreaterThan => "is_greater_than",
            Operator::IsLessThan => "is_less_than",
            Operator::DaysBefore => "days_before",
            Operator::StartsWith => "starts_with",
        }
    }

    /// Operators that need no value.
    pub fn takes_no_value(self) -> bool {
        matches!(self, Operator::IsPresent | Operator::IsNotPresent)
    }
}

/// The `query_operator` joining a condition to the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connective {
    And,
    Or,
}

impl Connective {
    /// Case-insensitive `AND` / `OR`.
    pub fn parse(value: &str) -> Option<Connective> {
        if value.eq_ignore_ascii_case("and") {
            Some(Connective::And)
        } else if value.eq_ignore_ascii_case("or") {
            Some(Connective::Or)
        } else {
            None
        }
    }
}

// Operator lists of the standard attributes (upstream filter_keys.yml).
use Operator::*;
pub const EQUALITY: &[Operator] = &[EqualTo, NotEqualTo];
pub const TEXT: &[Operator] = &[EqualTo, NotEqualTo, Contains, DoesNotContain];
pub const TEXT_WITH_PREFIX: &[Operator] = &[EqualTo, NotEqualTo, Contains, DoesNotContain, StartsWith];
pub const PRESENCE: &[Operator] = &[EqualTo, NotEqualTo, IsPresent, IsNotPresent];
pub const DATE: &[Operator] = &[IsGreaterThan, IsLessThan, DaysBefore];
