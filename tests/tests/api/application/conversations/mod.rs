mod actions;
mod create;
mod list;
