//! `labels`: the account's label catalogue, from the label streams. A
//! deleted account takes its labels with it.

mod project;
pub mod query;

pub use project::LabelsProjection;
pub use query::LabelRow;
