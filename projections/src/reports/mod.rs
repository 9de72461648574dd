//! `reports`: the facts of the upstream's reporting events and message
//! counts, and their pre-aggregate per account × scope × metric × hour, so
//! a report costs O(buckets), not O(events). Changing a metric's rules is a
//! rebuild (`onelink projections rebuild reports`), not a migration.

mod batch;
pub mod buckets;
mod deltas;
mod project;
pub mod query;
mod scope;

pub use project::ReportsProjection;
pub use scope::Scope;
