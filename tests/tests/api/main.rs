//! Black-box API tests: the real server on a random port, over HTTP.

mod application;
mod cli;
mod client;
mod connected_accounts;
mod crash;
mod health;
mod openapi;
mod platform;
mod rebuild;
mod secrets_at_rest;
mod tenancy_matrix;
mod webhooks;
