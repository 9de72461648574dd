mod audit;
mod actions;
mod create;
mod list;
mod messages;
