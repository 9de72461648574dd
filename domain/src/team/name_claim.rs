//! Uniqueness of team names within an account, enforced by the event
//! store: each (account, normalized name) is a stream, claimed in the same
//! atomic write as the team event. Two concurrent creates with one name
//! conflict on this stream's version; the retry of the loser finds the
//! name taken.

use crate::ids::{AccountId, TeamId};
use cqrs_es::event_sink::EventSink;
use serde::{Deserialize, Serialize};

/// The claim stream id of `normalized_name` in `account_id`.
pub fn name_claim_id(account_id: AccountId, normalized_name: &str) -> String {
    format!("{account_id}/{normalized_name}")
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TeamNameClaim {
    pub owner: Option<TeamId>,
}

#[derive(Debug, Clone)]
pub enum TeamNameClaimCommand {
    Claim { team_id: TeamId },
    Release { team_id: TeamId },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
pub enum TeamNameClaimEvent {
    TeamNameClaimed { team_id: TeamId },
    TeamNameReleased { team_id: TeamId },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TeamNameClaimError {
    #[error("Name has already been taken")]
    Taken { owner: TeamId },
}

impl cqrs_es::DomainEvent for TeamNameClaimEvent {
    fn event_type(&self) -> String {
        match self {
            TeamNameClaimEvent::TeamNameClaimed { .. } => "TeamNameClaimed",
            TeamNameClaimEvent::TeamNameReleased { .. } => "TeamNameReleased",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}

impl cqrs_es::Aggregate for TeamNameClaim {
    const TYPE: &'static str = "TeamNameClaim";
    type Command = TeamNameClaimCommand;
    type Event = TeamNameClaimEvent;
    type Error = TeamNameClaimError;
    type Services = ();

    async fn handle(
        &mut self,
        command: TeamNameClaimCommand,
        _: &(),
        sink: &EventSink<Self>,
    ) -> Result<(), TeamNameClaimError> {
        match command {
            TeamNameClaimCommand::Claim { team_id } => match self.owner {
                Some(owner) if owner == team_id => {}
                Some(owner) => return Err(TeamNameClaimError::Taken { owner }),
                None => sink.write(TeamNameClaimEvent::TeamNameClaimed { team_id }, self).await,
            },
            TeamNameClaimCommand::Release { team_id } => {
                if self.owner == Some(team_id) {
                    sink.write(TeamNameClaimEvent::TeamNameReleased { team_id }, self).await;
                }
            }
        }
        Ok(())
    }

    fn apply(&mut self, event: TeamNameClaimEvent) {
        self.owner = match event {
            TeamNameClaimEvent::TeamNameClaimed { team_id } => Some(team_id),
            TeamNameClaimEvent::TeamNameReleased { .. } => None,
        };
    }
}
