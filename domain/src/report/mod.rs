//! Reporting: which facts a conversation's history yields for the reports
//! (the upstream's reporting events plus message counts), and how much of
//! an interval falls inside an inbox's business hours. Pure rules; the
//! `reports` projection stores and aggregates what they produce.

pub mod business_hours;
pub mod metric;
pub mod rules;

pub use metric::{Metric, MetricKind, ReportMetric};
pub use rules::{Fact, ReportState};
