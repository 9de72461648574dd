//! Client API (`/public/api/v1/inboxes/…`) and realtime (`/cable`).

mod contacts;
mod conversations;
mod hmac;
mod nodes;
mod realtime;
