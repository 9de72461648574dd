//! How many custom filters a user has in an account: one stream per (account,
//! user) holding the ids of their live filters. A create takes a slot in the
//! same atomic write as the filter's event, so concurrent creates cannot
//! together exceed the limit; a delete frees the slot.

use crate::ids::{AccountId, CustomFilterId, UserId};
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The quota stream of `user_id` in `account_id`.
pub fn quota_id(account_id: AccountId, user_id: UserId) -> String {
    format!("{account_id}/{user_id}")
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomFilterQuota {
    pub filters: BTreeSet<CustomFilterId>,
}

#[derive(Debug, Clone)]
pub enum QuotaCommand {
    /// Takes a slot for `filter_id` unless `limit` filters exist already.
    Take { filter_id: CustomFilterId, limit: usize },
    /// Frees the slot of `filter_id` (a no-op if it holds none).
    Free { filter_id: CustomFilterId },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum QuotaEvent {
    CustomFilterSlotTaken { filter_id: CustomFilterId },
    CustomFilterSlotFreed { filter_id: CustomFilterId },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuotaError {
    /// Upstream's wording (`errors.custom_filters.number_of_records` on
    /// `account_id`).
    #[error("Account Limit reached. The maximum number of allowed custom filters for a user per account is {limit}.")]
    LimitReached { limit: usize },
}

impl cqrs_es::DomainEvent for QuotaEvent {
    fn event_type(&self) -> String {
        match self {
            QuotaEvent::CustomFilterSlotTaken { .. } => "CustomFilterSlotTaken",
            QuotaEvent::CustomFilterSlotFreed { .. } => "CustomFilterSlotFreed",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}

impl cqrs_es::Aggregate for CustomFilterQuota {
    const TYPE: &'static str = "CustomFilterQuota";
    type Command = QuotaCommand;
    type Event = QuotaEvent;
    type Error = QuotaError;
    type Services = ();

    async fn handle(
        &mut self,
        command: QuotaCommand,
        _: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), QuotaError> {
        match command {
            QuotaCommand::Take { filter_id, limit } => {
                if self.filters.contains(&filter_id) {
                    return Ok(());
                }
                if self.filters.len() >= limit {
                    return Err(QuotaError::LimitReached { limit });
                }
                sink.write(QuotaEvent::CustomFilterSlotTaken { filter_id }, self).await;
            }
            QuotaCommand::Free { filter_id } => {
                if self.filters.contains(&filter_id) {
                    sink.write(QuotaEvent::CustomFilterSlotFreed { filter_id }, self).await;
                }
            }
        }
        Ok(())
    }

    fn apply(&mut self, event: QuotaEvent) {
        match event {
            QuotaEvent::CustomFilterSlotTaken { filter_id } => {
                self.filters.insert(filter_id);
            }
            QuotaEvent::CustomFilterSlotFreed { filter_id } => {
                self.filters.remove(&filter_id);
            }
        }
    }
}
