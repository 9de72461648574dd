//! The conversation aggregate's state and its decisions about the
//! conversation itself (status, priority, assignment, team, labels,
//! attributes); message decisions are in `message_rules`.

use super::command::{ConversationCommand, NewConversation, StatusRequest, Toggler};
use super::event::ConversationEvent;
use super::idempotency::RecentKeys;
use super::message::validate_attributes;
use super::message_rules::{check_message, FLOOD_WINDOW_SECONDS, RECENT_CAP};
use super::status::{Assignee, Priority, Status};
use super::ConversationError;
use crate::ids::{AccountId, ConversationId, DisplayId, InboxId, TeamId, UserId};
use crate::validation::Violations;
use chrono::{DateTime, Duration, Utc};
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::VecDeque;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    pub id: Option<ConversationId>,
    pub account_id: AccountId,
    pub display_id: DisplayId,
    pub inbox_id: InboxId,
    pub deleted: bool,
    pub status: Status,
    pub snoozed_until: Option<DateTime<Utc>>,
    pub priority: Option<Priority>,
    pub assignee: Option<Assignee>,
    pub team_id: Option<TeamId>,
    pub labels: Vec<String>,
    pub custom_attributes: Map<String, Value>,
    pub muted: bool,
    /// Creation times of the messages of the last minute (flood guard).
    pub recent_messages: VecDeque<DateTime<Utc>>,
    pub message_count: u64,
    /// Idempotency keys of the most recent messages.
    #[serde(default)]
    pub idempotency_keys: RecentKeys,
}

/// Lower-cased, trimmed, de-duplicated labels in their first-seen order.
pub fn normalize_labels(labels: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for label in labels {
        let label = label.trim().to_lowercase();
        if !label.is_empty() && !out.contains(&label) {
            out.push(label);
        }
    }
    out
}

impl Conversation {
    pub(super) fn live(&self) -> Result<(), ConversationError> {
        if self.id.is_none() || self.deleted {
            return Err(ConversationError::NotFound);
        }
        Ok(())
    }

    fn create(&self, new: NewConversation) -> Result<Vec<ConversationEvent>, ConversationError> {
        if self.id.is_some() {
            return Err(ConversationError::AlreadyExists);
        }
        let mut v = Violations::new();
        validate_attributes(&mut v, "additional_attributes", &new.additional_attributes);
        validate_attributes(&mut v, "custom_attributes", &new.custom_attributes);
        v.into_result().map_err(ConversationError::Invalid)?;
        let snoozed_until = new.snoozed_until.filter(|_| new.status == Status::Snoozed);
        let mut events = vec![ConversationEvent::ConversationCreated {
            id: new.id,
            account_id: new.account_id,
            display_id: new.display_id,
            uuid: new.uuid,
            inbox_id: new.inbox_id,
            contact_id: new.contact_id,
            source_id: new.source_id,
            status: new.status,
            snoozed_until,
            priority: new.priority,
            assignee: new.assignee,
            team_id: new.team_id,
            additional_attributes: new.additional_attributes,
            custom_attributes: new.custom_attributes,
            created_at: new.created_at,
        }];
        if let Some(message) = new.message {
            check_message(&message)?;
            events.push(ConversationEvent::MessageCreated(message));
        }
        Ok(events)
    }

    fn toggle_status(
        &self,
        request: StatusRequest,
        by: Toggler,
    ) -> Result<Vec<ConversationEvent>, ConversationError> {
        self.live()?;
        let mut events = Vec::new();
        let bot_handoff = matches!(by, Toggler::Bot(_))
            && self.status == Status::Pending
            && request.status == Some(Status::Open);
        let next = match request.status {
            Some(status) => status,
            None => match self.status {
                Status::Open => Status::Resolved,
                Status::Resolved | Status::Pending | Status::Snoozed => Status::Open,
            },
        };
        let snoozed_until = if next == Status::Snoozed { request.snoozed_until } else { None };
        if next != self.status || snoozed_until != self.snoozed_until || bot_handoff {
            events.push(ConversationEvent::ConversationStatusChanged {
                status: next,
                snoozed_until,
                bot_handoff,
            });
        }
        // An agent who reopens an unassigned conversation takes it. (The
        // upstream takes it even from another agent; see UPSTREAM-QUIRKS.)
        if let (Status::Open, Toggler::Agent(user)) = (next, by) {
            if self.assignee.is_none() {
                events.push(ConversationEvent::ConversationAssigneeChanged {
                    assignee: Some(Assignee::User(user)),
                });
            }
        }
        Ok(events)
    }

    fn set_team(
        &self,
        team_id: Option<TeamId>,
        drop_assignee: bool,
        auto_assignee: Option<UserId>,
    ) -> Result<Vec<ConversationEvent>, ConversationError> {
        self.live()?;
        if team_id == self.team_id {
            return Ok(vec![]);
        }
        let mut events = vec![ConversationEvent::ConversationTeamChanged { team_id }];
        let assignee = match auto_assignee {
            Some(user) => Some(Assignee::User(user)),
            None if drop_assignee => None,
            None => self.assignee,
        };
        if assignee != self.assignee {
            events.push(ConversationEvent::ConversationAssigneeChanged { assignee });
        }
        Ok(events)
    }

    fn set_labels(&self, labels: Vec<String>) -> Result<Vec<ConversationEvent>, ConversationError> {
        self.live()?;
        let labels = normalize_labels(labels);
        if labels == self.labels {
            return Ok(vec![]);
        }
        let added = labels.iter().filter(|l| !self.labels.contains(l)).cloned().collect();
        let removed = self.labels.iter().filter(|l| !labels.contains(l)).cloned().collect();
        Ok(vec![ConversationEvent::ConversationLabelsChanged { labels, added, removed }])
    }
}

impl cqrs_es::Aggregate for Conversation {
    const TYPE: &'static str = "Conversation";
    type Command = ConversationCommand;
    type Event = ConversationEvent;
    type Error = ConversationError;
    type Services = ();

    async fn handle(
        &mut self,
        command: ConversationCommand,
        _: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), ConversationError> {
        use ConversationCommand as C;
        use ConversationEvent as E;
        let events = match command {
            C::Create(new) => self.create(*new)?,
            C::ToggleStatus { request, by } => self.toggle_status(request, by)?,
            C::SetPriority(priority) => {
                self.live()?;
                if priority == self.priority {
                    vec![]
                } else {
                    vec![E::ConversationPriorityChanged { priority }]
                }
            }
            C::Assign(assignee) => {
                self.live()?;
                if assignee == self.assignee {
                    vec![]
                } else {
                    vec![E::ConversationAssigneeChanged { assignee }]
                }
            }
            C::SetTeam { team_id, drop_assignee, auto_assignee } => {
                self.set_team(team_id, drop_assignee, auto_assignee)?
            }
            C::SetLabels(labels) => self.set_labels(labels)?,
            C::ReplaceCustomAttributes(custom_attributes) => {
                self.live()?;
                let mut v = Violations::new();
                validate_attributes(&mut v, "custom_attributes", &custom_attributes);
                v.into_result().map_err(ConversationError::Invalid)?;
                if custom_attributes == self.custom_attributes {
                    vec![]
                } else {
                    vec![E::ConversationCustomAttributesChanged { custom_attributes }]
                }
            }
            C::Delete => {
                self.live()?;
                vec![E::ConversationDeleted]
            }
            C::AddMessage { message, reopen_as, flood_limit } => {
                self.add_message(*message, reopen_as, flood_limit)?
            }
            C::DeleteMessage { message_id } => {
                self.live()?;
                vec![E::MessageDeleted { message_id }]
            }
            C::SetMessageStatus { message_id, current, status, external_error } => {
                self.set_message_status(message_id, current, status, external_error)?
            }
            C::MarkSeen { by, at } => {
                self.live()?;
                vec![E::ConversationSeen { at, by_assignee: self.assignee == Some(Assignee::User(by)) }]
            }
            C::MarkContactSeen { at } => {
                self.live()?;
                vec![E::ContactLastSeen { at }]
            }
            C::SubmitValues { message_id, submitted_values } => {
                self.live()?;
                vec![E::MessageValuesSubmitted { message_id, submitted_values }]
            }
        };
        for event in events {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: ConversationEvent) {
        use ConversationEvent as E;
        match event {
            E::ConversationCreated {
                id,
                account_id,
                display_id,
                inbox_id,
                status,
                snoozed_until,
                priority,
                assignee,
                team_id,
                custom_attributes,
                ..
            } => {
                self.id = Some(id);
                self.account_id = account_id;
                self.display_id = display_id;
                self.inbox_id = inbox_id;
                self.status = status;
                self.snoozed_until = snoozed_until;
                self.priority = priority;
                self.assignee = assignee;
                self.team_id = team_id;
                self.custom_attributes = custom_attributes;
            }
            E::ConversationStatusChanged { status, snoozed_until, .. } => {
                self.status = status;
                self.snoozed_until = snoozed_until;
            }
            E::ConversationPriorityChanged { priority } => self.priority = priority,
            E::ConversationAssigneeChanged { assignee } => self.assignee = assignee,
            E::ConversationTeamChanged { team_id } => self.team_id = team_id,
            E::ConversationLabelsChanged { labels, .. } => self.labels = labels,
            E::ConversationCustomAttributesChanged { custom_attributes } => {
                self.custom_attributes = custom_attributes
            }
            E::ConversationDeleted => self.deleted = true,
            E::MessageCreated(message) => {
                self.message_count += 1;
                let window_start = message.created_at - Duration::seconds(FLOOD_WINDOW_SECONDS);
                self.recent_messages.retain(|at| *at > window_start);
                self.recent_messages.push_back(message.created_at);
                while self.recent_messages.len() > RECENT_CAP {
                    self.recent_messages.pop_front();
                }
                if let Some(key) = message.idempotency_key {
                    self.idempotency_keys.record(key, message.id);
                }
            }
            E::MessageDeleted { .. }
            | E::MessageStatusChanged { .. }
            | E::ConversationSeen { .. }
            | E::ContactLastSeen { .. }
            | E::MessageValuesSubmitted { .. } => {}
        }
    }
}
