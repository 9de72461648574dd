mod agents;
mod auth;
mod inbox_access;
mod inbox_agent_bot;
mod inbox_members;
mod inboxes;
