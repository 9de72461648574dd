//! The facts the reports count and the metrics the API names.

/// A kind of fact, stored as a small integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Metric {
    /// A conversation was created.
    ConversationCreated = 1,
    IncomingMessage = 2,
    OutgoingMessage = 3,
    /// Upstream `conversation_resolved`: value = resolved − created.
    Resolved = 4,
    /// Upstream `first_response`: value = reply − last non-human activity.
    FirstResponse = 5,
    /// Upstream `reply_time`: value = reply − waiting since.
    ReplyTime = 6,
    /// Upstream `conversation_bot_resolved`.
    BotResolved = 7,
    /// Upstream `conversation_bot_handoff` (at most one per conversation).
    BotHandoff = 8,
}

impl Metric {
    pub const ALL: [Metric; 8] = [
        Metric::ConversationCreated,
        Metric::IncomingMessage,
        Metric::OutgoingMessage,
        Metric::Resolved,
        Metric::FirstResponse,
        Metric::ReplyTime,
        Metric::BotResolved,
        Metric::BotHandoff,
    ];

    pub fn code(self) -> i16 {
        self as i16
    }

    pub fn from_code(code: i16) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.code() == code)
    }
}

/// How a report metric summarises its facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricKind {
    /// The number of facts.
    Count,
    /// The average of the facts' values, in seconds.
    Average,
}

/// A metric of `GET /api/v2/accounts/{id}/reports`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportMetric {
    pub name: &'static str,
    pub fact: Metric,
    pub kind: MetricKind,
}

impl ReportMetric {
    pub const ALL: [ReportMetric; 9] = [
        ReportMetric::count("conversations_count", Metric::ConversationCreated),
        ReportMetric::count("incoming_messages_count", Metric::IncomingMessage),
        ReportMetric::count("outgoing_messages_count", Metric::OutgoingMessage),
        ReportMetric::average("avg_first_response_time", Metric::FirstResponse),
        ReportMetric::average("avg_resolution_time", Metric::Resolved),
        ReportMetric::count("resolutions_count", Metric::Resolved),
        ReportMetric::average("reply_time", Metric::ReplyTime),
        ReportMetric::count("bot_resolutions_count", Metric::BotResolved),
        // at most one hand-off fact per conversation, so counting facts
        // counts distinct conversations, as upstream
        ReportMetric::count("bot_handoffs_count", Metric::BotHandoff),
    ];

    const fn count(name: &'static str, fact: Metric) -> Self {
        Self { name, fact, kind: MetricKind::Count }
    }

    const fn average(name: &'static str, fact: Metric) -> Self {
        Self { name, fact, kind: MetricKind::Average }
    }

    pub fn named(name: &str) -> Option<ReportMetric> {
        ReportMetric::ALL.into_iter().find(|m| m.name == name)
    }
}
