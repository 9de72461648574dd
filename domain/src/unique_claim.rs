//! Uniqueness of a value within an account, enforced by the event store:
//! each (account, scope, value) is a stream, claimed in the same atomic
//! write as the owner's event. Two concurrent writers of one value conflict
//! on this stream's version; the retry of the loser finds the value taken.
//!
//! Used for values whose uniqueness needs nothing but the owner's id:
//! canned response short codes, custom attribute keys (per model). The
//! scope names the kind of value, so claims of different kinds never meet.

use crate::ids::AccountId;
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};

/// The claim stream of `value` under `scope` in `account_id`. The account
/// id has no `/` and every scope is a fixed prefix, so the id is unambiguous
/// whatever the value contains.
pub fn unique_claim_id(account_id: AccountId, scope: &str, value: &str) -> String {
    format!("{account_id}/{scope}/{value}")
}

/// The attribute a claim is about, for the "has already been taken" error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimedField {
    pub attribute: &'static str,
    /// The attribute as Rails' full messages name it.
    pub label: &'static str,
    /// What follows the label in the error (Rails' default is "has already
    /// been taken").
    pub message: &'static str,
}

impl ClaimedField {
    /// A field with Rails' default uniqueness message.
    pub const fn new(attribute: &'static str, label: &'static str) -> Self {
        Self { attribute, label, message: "has already been taken" }
    }
}

/// The claim stream of `value` under `scope` for the whole installation
/// (values that appear in public URLs, such as help center slugs).
pub fn installation_claim_id(scope: &str, value: &str) -> String {
    format!("installation/{scope}/{value}")
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UniqueClaim {
    /// The id of the record holding the value.
    pub owner: Option<i64>,
}

#[derive(Debug, Clone)]
pub enum UniqueClaimCommand {
    /// Takes the value for `owner` (a no-op if `owner` holds it already).
    Claim { owner: i64, field: ClaimedField },
    /// Frees the value if `owner` holds it.
    Release { owner: i64 },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum UniqueClaimEvent {
    UniqueValueClaimed { owner: i64 },
    UniqueValueReleased { owner: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UniqueClaimError {
    #[error("{} {}", .field.label, .field.message)]
    Taken { field: ClaimedField, owner: i64 },
}

impl cqrs_es::DomainEvent for UniqueClaimEvent {
    fn event_type(&self) -> String {
        match self {
            UniqueClaimEvent::UniqueValueClaimed { .. } => "UniqueValueClaimed",
            UniqueClaimEvent::UniqueValueReleased { .. } => "UniqueValueReleased",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}

impl cqrs_es::Aggregate for UniqueClaim {
    const TYPE: &'static str = "UniqueClaim";
    type Command = UniqueClaimCommand;
    type Event = UniqueClaimEvent;
    type Error = UniqueClaimError;
    type Services = ();

    async fn handle(
        &mut self,
        command: UniqueClaimCommand,
        _: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), UniqueClaimError> {
        match command {
            UniqueClaimCommand::Claim { owner, field } => match self.owner {
                Some(current) if current == owner => {}
                Some(current) => return Err(UniqueClaimError::Taken { field, owner: current }),
                None => sink.write(UniqueClaimEvent::UniqueValueClaimed { owner }, self).await,
            },
            UniqueClaimCommand::Release { owner } => {
                if self.owner == Some(owner) {
                    sink.write(UniqueClaimEvent::UniqueValueReleased { owner }, self).await;
                }
            }
        }
        Ok(())
    }

    fn apply(&mut self, event: UniqueClaimEvent) {
        self.owner = match event {
            UniqueClaimEvent::UniqueValueClaimed { owner } => Some(owner),
            UniqueClaimEvent::UniqueValueReleased { .. } => None,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cqrs_es::test::TestFramework;

    const CODE: ClaimedField = ClaimedField::new("short_code", "Short code");

    #[test]
    fn a_value_is_claimed_once_until_its_owner_releases_it() {
        let claimed = UniqueClaimEvent::UniqueValueClaimed { owner: 1 };
        TestFramework::<UniqueClaim>::with(())
            .given(vec![claimed.clone()])
            .when(UniqueClaimCommand::Claim { owner: 2, field: CODE })
            .then_expect_error(UniqueClaimError::Taken { field: CODE, owner: 1 });
        TestFramework::<UniqueClaim>::with(())
            .given(vec![claimed.clone()])
            .when(UniqueClaimCommand::Claim { owner: 1, field: CODE })
            .then_expect_events(vec![]);
        TestFramework::<UniqueClaim>::with(())
            .given(vec![claimed.clone()])
            .when(UniqueClaimCommand::Release { owner: 2 })
            .then_expect_events(vec![]);
        TestFramework::<UniqueClaim>::with(())
            .given(vec![claimed, UniqueClaimEvent::UniqueValueReleased { owner: 1 }])
            .when(UniqueClaimCommand::Claim { owner: 2, field: CODE })
            .then_expect_events(vec![UniqueClaimEvent::UniqueValueClaimed { owner: 2 }]);
    }

    #[test]
    fn the_error_names_the_field_in_rails_wording() {
        let e = UniqueClaimError::Taken { field: CODE, owner: 1 };
        assert_eq!(e.to_string(), "Short code has already been taken");
        assert_ne!(unique_claim_id(AccountId(1), "a", "x"), unique_claim_id(AccountId(2), "a", "x"));
        assert_ne!(unique_claim_id(AccountId(1), "a", "x"), unique_claim_id(AccountId(1), "b", "x"));
    }
}
