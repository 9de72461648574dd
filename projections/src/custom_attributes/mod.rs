//! `custom_attribute_definitions`: the account's custom attribute
//! definitions, from their streams, and the lookup that hands a model's
//! definitions to the filter engine. A deleted account takes its
//! definitions with it.

mod project;
pub mod query;

pub use project::CustomAttributesProjection;
pub use query::DefinitionRow;
