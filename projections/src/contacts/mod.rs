//! Contacts read model: the `contacts` projection, the queries the API
//! reads with, and the contact filter's attribute table.

pub mod filter;
pub mod project;
pub mod query;

pub use project::ContactsProjection;
pub use query::ContactRow;
