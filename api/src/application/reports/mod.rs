//! Reports v2 (`/api/v2/accounts/{account_id}/…`, upstream
//! `api/v2/accounts/reports_controller.rb` and `live_reports_controller.rb`),
//! read from the `reports` projection. Administrators only.

pub mod live;
pub mod params;
pub mod summary;
pub mod timeseries;
