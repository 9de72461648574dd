//! Black-box API tests: the real server on a random port, over HTTP.

mod health;
mod openapi;
mod platform;
