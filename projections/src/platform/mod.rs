//! Read models of the installation-level aggregates: accounts and their
//! members, users, platform apps and their grants, agent bots.

pub mod accounts;
pub mod agent_bots;
pub mod platform_apps;
pub mod users;
