//! The webhook event names a subscription may list (upstream
//! `Webhook::ALLOWED_WEBHOOK_EVENTS`, in its order). Names are accepted
//! before OneLink produces the event (conversations and messages arrive
//! later); a subscription simply receives nothing until then.

pub const WEBHOOK_EVENTS: [&str; 12] = [
    "conversation_status_changed",
    "conversation_updated",
    "conversation_created",
    "contact_created",
    "contact_updated",
    "message_created",
    "message_updated",
    "webwidget_triggered",
    "inbox_created",
    "inbox_updated",
    "conversation_typing_on",
    "conversation_typing_off",
];

/// What a webhook created without `subscriptions` listens to (the
/// upstream's column default).
pub const DEFAULT_SUBSCRIPTIONS: [&str; 8] = [
    "conversation_status_changed",
    "conversation_updated",
    "conversation_created",
    "contact_created",
    "contact_updated",
    "message_created",
    "message_updated",
    "webwidget_triggered",
];

pub fn is_known_event(name: &str) -> bool {
    WEBHOOK_EVENTS.contains(&name)
}
