//! The scopes a report is asked for, and which scopes a fact counts in.

use onelink_domain::report::{Fact, Metric, ReportState};

/// What a report covers. Team and label scopes follow a conversation's
/// *current* team and labels, and the agent scope its current assignee for
/// conversation counts (the upstream evaluates them against the present).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    Account,
    Agent(i64),
    Inbox(i64),
    Label(String),
    Team(i64),
}

impl Scope {
    pub fn code(&self) -> i16 {
        match self {
            Scope::Account => 0,
            Scope::Agent(_) => 1,
            Scope::Inbox(_) => 2,
            Scope::Label(_) => 3,
            Scope::Team(_) => 4,
        }
    }

    pub fn key(&self) -> String {
        match self {
            Scope::Account => String::new(),
            Scope::Agent(id) | Scope::Inbox(id) | Scope::Team(id) => id.to_string(),
            Scope::Label(title) => title.clone(),
        }
    }
}

/// A stored fact, as far as attribution needs it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredFact {
    pub metric: i16,
    pub at: chrono::DateTime<chrono::Utc>,
    pub value_us: i64,
    pub value_bh_us: i64,
    pub user_id: Option<i64>,
}

impl StoredFact {
    pub fn new(fact: &Fact, value_bh_us: i64) -> Self {
        Self {
            metric: fact.metric.code(),
            at: fact.at,
            value_us: fact.value_us(),
            value_bh_us,
            user_id: fact.user_id,
        }
    }
}

/// Every scope `fact` counts in while the conversation is in `state`.
pub fn scopes_of(fact: &StoredFact, state: &ReportState) -> Vec<Scope> {
    let mut scopes = vec![Scope::Account, Scope::Inbox(state.inbox_id)];
    let agent = if fact.metric == Metric::ConversationCreated.code() { state.assignee } else { fact.user_id };
    scopes.extend(agent.map(Scope::Agent));
    scopes.extend(state.team_id.map(Scope::Team));
    scopes.extend(state.labels.iter().cloned().map(Scope::Label));
    scopes
}
