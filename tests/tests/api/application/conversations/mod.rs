mod actions;
mod create;
mod filter;
mod list;
