mod actions;
mod audit;
mod create;
mod list;
mod messages;
