//! `custom_filters`: every user's saved filters, from the custom filter
//! streams. A deleted account takes its filters with it, and so does a
//! deleted user.

mod project;
pub mod query;

pub use project::CustomFiltersProjection;
pub use query::CustomFilterRow;
