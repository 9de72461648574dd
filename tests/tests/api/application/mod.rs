mod agents;
mod auth;
mod contacts;
