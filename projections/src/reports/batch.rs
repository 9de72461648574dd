//! The fold of the `reports` projection, a batch at a time: each
//! conversation's state is loaded once, and facts, states and hourly
//! changes are written in a few statements. Events that need the stored
//! facts or other tables (inbox changes, a conversation changing team,
//! labels or assignee, deletions) first write what is pending.

use super::deltas::Deltas;
use super::project::{
    delete_account, facts_of, inbox_event, inbox_hours, load, InboxHours, ReportsProjection,
};
use super::scope::StoredFact;
use crate::conversations::status_code;
use crate::log::RecordedEvent;
use crate::projection::Projection;
use cqrs_es::Aggregate;
use onelink_domain::account::{Account, AccountEvent};
use onelink_domain::conversation::{Conversation, ConversationEvent};
use onelink_domain::inbox::Inbox;
use onelink_domain::report::ReportState;
use sqlx::types::Json;
use sqlx::PgConnection;
use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap};

type Key = (i64, i64);

#[derive(Default)]
struct Pending {
    states: HashMap<Key, ReportState>,
    dirty: BTreeSet<Key>,
    facts: Vec<(Key, i64, StoredFact)>,
    deltas: HashMap<i64, Deltas>,
    inboxes: HashMap<i64, Option<InboxHours>>,
}

/// Whether the event moves or removes the conversation's stored facts.
fn moves_facts(event: &ConversationEvent) -> bool {
    matches!(
        event,
        ConversationEvent::ConversationAssigneeChanged { .. }
            | ConversationEvent::ConversationTeamChanged { .. }
            | ConversationEvent::ConversationLabelsChanged { .. }
            | ConversationEvent::ConversationDeleted
    )
}

pub async fn apply(
    projection: &ReportsProjection,
    conn: &mut PgConnection,
    events: &[RecordedEvent],
) -> anyhow::Result<()> {
    let mut pending = Pending::default();
    preload(conn, events, &mut pending).await?;
    for e in events {
        let fail = |err: anyhow::Error| {
            anyhow::anyhow!("reports failed on event {} ({}): {err:#}", e.global_position, e.event_type)
        };
        if e.is(Inbox::TYPE) {
            pending.flush(conn).await?;
            inbox_event(conn, e).await.map_err(fail)?;
            pending.inboxes.clear();
        } else if e.is(Account::TYPE) && matches!(e.decode::<AccountEvent>()?, AccountEvent::AccountDeleted) {
            pending.flush(conn).await?;
            delete_account(conn, projection.tables(), e.numeric_id()?).await.map_err(fail)?;
            pending.states.clear();
        } else if e.is(Conversation::TYPE) {
            let account_id = e
                .account_id
                .ok_or_else(|| anyhow::anyhow!("conversation event {} has no account", e.event_id))?;
            let key = (account_id, e.numeric_id()?);
            let event: ConversationEvent = e.decode()?;
            if moves_facts(&event) {
                // the stored facts must be complete before they move
                pending.flush(conn).await?;
            }
            pending.fold(conn, key, &event, e).await.map_err(fail)?;
        }
    }
    pending.flush(conn).await
}

/// Loads the states of every conversation the batch touches, at once.
async fn preload(
    conn: &mut PgConnection,
    events: &[RecordedEvent],
    pending: &mut Pending,
) -> anyhow::Result<()> {
    let keys: BTreeSet<Key> = events
        .iter()
        .filter(|e| e.is(Conversation::TYPE))
        .filter_map(|e| Some((e.account_id?, e.numeric_id().ok()?)))
        .collect();
    if keys.is_empty() {
        return Ok(());
    }
    let (accounts, ids): (Vec<i64>, Vec<i64>) = keys.into_iter().unzip();
    let rows: Vec<(i64, i64, Json<ReportState>)> = sqlx::query_as(
        "SELECT r.account_id, r.conversation_id, r.state FROM report_conversations r \
         JOIN UNNEST($1::bigint[], $2::bigint[]) AS k(account_id, conversation_id) \
           ON r.account_id = k.account_id AND r.conversation_id = k.conversation_id",
    )
    .bind(&accounts)
    .bind(&ids)
    .fetch_all(conn)
    .await?;
    pending.states.extend(rows.into_iter().map(|(a, c, s)| ((a, c), s.0)));
    Ok(())
}

impl Pending {
    async fn fold(
        &mut self,
        conn: &mut PgConnection,
        key: Key,
        event: &ConversationEvent,
        e: &RecordedEvent,
    ) -> anyhow::Result<()> {
        if let Some((state, fact)) = ReportState::created(event) {
            let stored = StoredFact::new(&fact, 0);
            self.deltas.entry(key.0).or_default().count(&stored, &state);
            self.facts.push((key, state.inbox_id, stored));
            self.states.insert(key, state);
            self.dirty.insert(key);
            return Ok(());
        }
        if let Entry::Vacant(slot) = self.states.entry(key) {
            match load(conn, key.0, key.1).await? {
                Some(state) => slot.insert(state),
                None => return Ok(()),
            };
        }
        let Some(state) = self.states.get_mut(&key) else { return Ok(()) };
        if matches!(event, ConversationEvent::ConversationDeleted) {
            let deltas = self.deltas.entry(key.0).or_default();
            for fact in facts_of(conn, key.0, key.1).await? {
                deltas.uncount(&fact, state);
            }
            for table in ["report_facts", "report_conversations"] {
                sqlx::query(&format!("DELETE FROM {table} WHERE account_id = $1 AND conversation_id = $2"))
                    .bind(key.0)
                    .bind(key.1)
                    .execute(&mut *conn)
                    .await?;
            }
            self.states.remove(&key);
            self.dirty.remove(&key);
            return Ok(());
        }
        let inbox_id = state.inbox_id;
        if let Entry::Vacant(slot) = self.inboxes.entry(inbox_id) {
            slot.insert(inbox_hours(conn, inbox_id).await?);
        }
        let inbox = self.inboxes.get(&inbox_id).and_then(Option::as_ref);
        let before = state.clone();
        let facts = state.apply(event, e.recorded_at, inbox.is_some_and(|i| i.has_bot));
        if moves_facts(event) {
            let deltas = self.deltas.entry(key.0).or_default();
            for fact in facts_of(conn, key.0, key.1).await? {
                deltas.reattribute(&fact, &before, state);
            }
        }
        for fact in &facts {
            let stored = StoredFact::new(fact, inbox.map_or(0, |i| i.business_micros(fact)));
            self.deltas.entry(key.0).or_default().count(&stored, state);
            self.facts.push((key, inbox_id, stored));
        }
        if *state != before {
            self.dirty.insert(key);
        }
        Ok(())
    }

    /// Writes the pending facts, states and hourly changes.
    async fn flush(&mut self, conn: &mut PgConnection) -> anyhow::Result<()> {
        if !self.facts.is_empty() {
            let facts = std::mem::take(&mut self.facts);
            let mut c = FactColumns::default();
            for ((account, conversation), inbox, f) in facts {
                c.accounts.push(account);
                c.conversations.push(conversation);
                c.metrics.push(f.metric);
                c.ats.push(f.at);
                c.values.push(f.value_us);
                c.values_bh.push(f.value_bh_us);
                c.users.push(f.user_id);
                c.inboxes.push(inbox);
            }
            sqlx::query(
                "INSERT INTO report_facts (account_id, conversation_id, metric, at, value_us, value_bh_us, user_id, inbox_id) \
                 SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::smallint[], $4::timestamptz[], $5::bigint[], \
                                      $6::bigint[], $7::bigint[], $8::bigint[])",
            )
            .bind(&c.accounts)
            .bind(&c.conversations)
            .bind(&c.metrics)
            .bind(&c.ats)
            .bind(&c.values)
            .bind(&c.values_bh)
            .bind(&c.users)
            .bind(&c.inboxes)
            .execute(&mut *conn)
            .await?;
        }
        let dirty = std::mem::take(&mut self.dirty);
        if !dirty.is_empty() {
            let mut c = StateColumns::default();
            for key in dirty {
                let Some(s) = self.states.get(&key) else { continue };
                c.accounts.push(key.0);
                c.conversations.push(key.1);
                c.inboxes.push(s.inbox_id);
                c.statuses.push(status_code(s.status));
                c.assignees.push(s.assignee);
                c.teams.push(s.team_id);
                c.first_replies.push(s.first_reply_at);
                c.waiting.push(s.waiting_since);
                c.states.push(serde_json::to_value(s)?);
            }
            sqlx::query(
                "INSERT INTO report_conversations (account_id, conversation_id, inbox_id, status, assignee_id, team_id, \
                                                   labels, first_reply_at, waiting_since, state) \
                 SELECT d.a, d.c, d.i, d.s, d.u, d.t, ARRAY(SELECT jsonb_array_elements_text(d.j->'labels')), \
                        d.f, d.w, d.j \
                 FROM UNNEST($1::bigint[], $2::bigint[], $3::bigint[], $4::smallint[], $5::bigint[], $6::bigint[], \
                             $7::timestamptz[], $8::timestamptz[], $9::jsonb[]) AS d(a, c, i, s, u, t, f, w, j) \
                 ON CONFLICT (account_id, conversation_id) DO UPDATE SET status = EXCLUDED.status, \
                   assignee_id = EXCLUDED.assignee_id, team_id = EXCLUDED.team_id, labels = EXCLUDED.labels, \
                   first_reply_at = EXCLUDED.first_reply_at, waiting_since = EXCLUDED.waiting_since, \
                   state = EXCLUDED.state",
            )
            .bind(&c.accounts)
            .bind(&c.conversations)
            .bind(&c.inboxes)
            .bind(&c.statuses)
            .bind(&c.assignees)
            .bind(&c.teams)
            .bind(&c.first_replies)
            .bind(&c.waiting)
            .bind(&c.states)
            .execute(&mut *conn)
            .await?;
        }
        for (account_id, deltas) in std::mem::take(&mut self.deltas) {
            deltas.write(conn, account_id).await?;
        }
        Ok(())
    }
}

#[derive(Default)]
struct FactColumns {
    accounts: Vec<i64>,
    conversations: Vec<i64>,
    metrics: Vec<i16>,
    ats: Vec<chrono::DateTime<chrono::Utc>>,
    values: Vec<i64>,
    values_bh: Vec<i64>,
    users: Vec<Option<i64>>,
    inboxes: Vec<i64>,
}

#[derive(Default)]
struct StateColumns {
    accounts: Vec<i64>,
    conversations: Vec<i64>,
    inboxes: Vec<i64>,
    statuses: Vec<i16>,
    assignees: Vec<Option<i64>>,
    teams: Vec<Option<i64>>,
    first_replies: Vec<Option<chrono::DateTime<chrono::Utc>>>,
    waiting: Vec<Option<chrono::DateTime<chrono::Utc>>>,
    states: Vec<serde_json::Value>,
}
