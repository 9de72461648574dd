//! What each conversation event contributes to the reports, following the
//! upstream's reporting-event rules (`ReportingEventListener`):
//!
//! * `conversation_resolved` on every change to resolved: resolved − created,
//!   attributed to the assignee; `conversation_bot_resolved` alongside when
//!   the inbox has a bot and no user ever sent an outgoing message.
//! * `first_response` on the first qualifying human reply (outgoing, public,
//!   sent by a user, not by automation or a campaign): reply − the last
//!   non-human activity (latest hand-off or reopening, else latest bot
//!   resolution, else creation), attributed to the replier.
//! * `reply_time` on later qualifying replies while the contact is waiting:
//!   reply − waiting since, attributed to the conversation's assignee.
//! * `conversation_bot_handoff` once per conversation: hand-off − created.
//! * "waiting since" starts at creation and at an incoming message when the
//!   contact was not already waiting; replies (human or bot) and resolution
//!   end it.

use super::metric::Metric;
use crate::conversation::{Assignee, ConversationEvent, MessageType, NewMessage, Sender, Status};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One fact for the reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    pub metric: Metric,
    pub at: DateTime<Utc>,
    /// Duration facts: the measured interval (its length is the value;
    /// business hours are measured over it). `None` for counts.
    pub span: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// The user the fact is attributed to for agent reports. For
    /// [`Metric::ConversationCreated`] this is always `None`: a conversation
    /// counts for its *current* assignee.
    pub user_id: Option<i64>,
}

impl Fact {
    fn count(metric: Metric, at: DateTime<Utc>, user_id: Option<i64>) -> Self {
        Self { metric, at, span: None, user_id }
    }

    fn duration(metric: Metric, from: DateTime<Utc>, at: DateTime<Utc>, user_id: Option<i64>) -> Self {
        Self { metric, at, span: Some((from.min(at), at)), user_id }
    }

    /// The value in microseconds (0 for counts).
    pub fn value_us(&self) -> i64 {
        self.span.map(|(from, to)| (to - from).num_microseconds().unwrap_or(i64::MAX)).unwrap_or(0)
    }
}

/// What the rules remember about one conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportState {
    pub inbox_id: i64,
    pub created_at: DateTime<Utc>,
    pub status: Status,
    /// The assigned user (a bot assignee counts as none).
    pub assignee: Option<i64>,
    pub team_id: Option<i64>,
    pub labels: Vec<String>,
    pub first_reply_at: Option<DateTime<Utc>>,
    pub waiting_since: Option<DateTime<Utc>>,
    pub last_resolved_at: Option<DateTime<Utc>>,
    /// The latest hand-off or reopening.
    pub last_opened_at: Option<DateTime<Utc>>,
    pub last_bot_resolved_at: Option<DateTime<Utc>>,
    pub handed_off: bool,
    /// A user has sent an outgoing message.
    pub human_replied: bool,
}

fn user_of(assignee: &Option<Assignee>) -> Option<i64> {
    match assignee {
        Some(Assignee::User(u)) => Some(u.0),
        _ => None,
    }
}

impl ReportState {
    /// The state a new conversation starts in, and its creation fact.
    /// `None` for events other than `ConversationCreated`.
    pub fn created(event: &ConversationEvent) -> Option<(ReportState, Fact)> {
        let ConversationEvent::ConversationCreated {
            inbox_id, status, assignee, team_id, created_at, ..
        } = event
        else {
            return None;
        };
        let state = ReportState {
            inbox_id: inbox_id.0,
            created_at: *created_at,
            status: *status,
            assignee: user_of(assignee),
            team_id: team_id.map(|t| t.0),
            labels: Vec::new(),
            first_reply_at: None,
            waiting_since: Some(*created_at),
            last_resolved_at: None,
            last_opened_at: None,
            last_bot_resolved_at: None,
            handed_off: false,
            human_replied: false,
        };
        Some((state, Fact::count(Metric::ConversationCreated, *created_at, None)))
    }

    /// When the contact last waited on something other than a human.
    fn last_non_human_activity(&self) -> DateTime<Utc> {
        self.last_opened_at.or(self.last_bot_resolved_at).unwrap_or(self.created_at)
    }

    /// Applies an event that happened at `at` (messages carry their own
    /// time). `inbox_has_bot`: the inbox had an agent bot at that moment.
    pub fn apply(&mut self, event: &ConversationEvent, at: DateTime<Utc>, inbox_has_bot: bool) -> Vec<Fact> {
        match event {
            ConversationEvent::MessageCreated(message) => self.message(message),
            ConversationEvent::ConversationStatusChanged { status, bot_handoff, .. } => {
                self.status_changed(*status, *bot_handoff, at, inbox_has_bot)
            }
            ConversationEvent::ConversationAssigneeChanged { assignee } => {
                self.assignee = user_of(assignee);
                Vec::new()
            }
            ConversationEvent::ConversationTeamChanged { team_id } => {
                self.team_id = team_id.map(|t| t.0);
                Vec::new()
            }
            ConversationEvent::ConversationLabelsChanged { labels, .. } => {
                self.labels = labels.clone();
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn message(&mut self, m: &NewMessage) -> Vec<Fact> {
        let at = m.created_at;
        match m.message_type {
            MessageType::Incoming => {
                self.waiting_since.get_or_insert(at);
                vec![Fact::count(Metric::IncomingMessage, at, None)]
            }
            MessageType::Outgoing => {
                let mut facts = Vec::new();
                match m.sender {
                    Some(Sender::User(user)) => {
                        facts.push(Fact::count(Metric::OutgoingMessage, at, Some(user.0)));
                        self.human_replied = true;
                        if qualifies_as_human_reply(m) {
                            facts.extend(self.human_reply(user.0, at));
                        }
                    }
                    Some(Sender::AgentBot(_)) => {
                        facts.push(Fact::count(Metric::OutgoingMessage, at, None));
                        self.waiting_since = None;
                    }
                    _ => facts.push(Fact::count(Metric::OutgoingMessage, at, None)),
                }
                facts
            }
            MessageType::Activity | MessageType::Template => Vec::new(),
        }
    }

    fn human_reply(&mut self, user: i64, at: DateTime<Utc>) -> Option<Fact> {
        let fact = if self.first_reply_at.is_none() {
            self.first_reply_at = Some(at);
            Some(Fact::duration(Metric::FirstResponse, self.last_non_human_activity(), at, Some(user)))
        } else {
            self.waiting_since.map(|since| Fact::duration(Metric::ReplyTime, since, at, self.assignee))
        };
        self.waiting_since = None;
        fact
    }

    fn status_changed(
        &mut self,
        status: Status,
        bot_handoff: bool,
        at: DateTime<Utc>,
        inbox_has_bot: bool,
    ) -> Vec<Fact> {
        let previous = std::mem::replace(&mut self.status, status);
        if previous == status {
            return Vec::new();
        }
        let mut facts = Vec::new();
        match status {
            Status::Resolved => {
                facts.push(Fact::duration(Metric::Resolved, self.created_at, at, self.assignee));
                if inbox_has_bot && !self.human_replied {
                    facts.push(Fact::duration(Metric::BotResolved, self.created_at, at, self.assignee));
                    self.last_bot_resolved_at = Some(at);
                }
                self.last_resolved_at = Some(at);
                self.waiting_since = None;
            }
            Status::Open => {
                if bot_handoff && !self.handed_off {
                    facts.push(Fact::duration(Metric::BotHandoff, self.created_at, at, self.assignee));
                    self.handed_off = true;
                }
                self.last_opened_at = Some(at);
            }
            Status::Pending | Status::Snoozed => {}
        }
        facts
    }
}

/// Upstream `human_response?`: public, and not sent by an automation rule
/// or a campaign.
fn qualifies_as_human_reply(m: &NewMessage) -> bool {
    let by_machine = ["automation_rule_id", "campaign_id"]
        .iter()
        .any(|k| m.content_attributes.get(*k).is_some_and(|v| !v.is_null()));
    !m.private && !by_machine
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
