mod actions;
mod audit;
mod create;
mod filter;
mod list;
mod messages;
