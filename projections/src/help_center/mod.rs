//! Help center read models: `portals`, `categories`, `articles`.

mod project;
pub mod query;

pub use project::HelpCenterProjection;
