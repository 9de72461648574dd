mod agents;
mod auth;
