//! Applying automation rule and account events to `automation_rules`.

use crate::log::RecordedEvent;
use crate::projection::Projection;
use async_trait::async_trait;
use cqrs_es::Aggregate;
use onelink_domain::account::{Account, AccountEvent};
use onelink_domain::automation_rule::{AutomationRule, AutomationRuleEvent, RuleDefinition};
use sqlx::types::Json;
use sqlx::PgConnection;

pub struct AutomationRulesProjection;

async fn write(
    conn: &mut PgConnection,
    account_id: i64,
    id: i64,
    rule: RuleDefinition,
    e: &RecordedEvent,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO automation_rules (account_id, id, name, description, event_name, conditions, actions, \
                                       active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
         ON CONFLICT (account_id, id) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description, \
           event_name = EXCLUDED.event_name, conditions = EXCLUDED.conditions, actions = EXCLUDED.actions, \
           active = EXCLUDED.active, updated_at = EXCLUDED.updated_at",
    )
    .bind(account_id)
    .bind(id)
    .bind(rule.name)
    .bind(rule.description)
    .bind(rule.event_name)
    .bind(Json(rule.conditions))
    .bind(Json(rule.actions))
    .bind(rule.active)
    .bind(e.recorded_at)
    .execute(conn)
    .await?;
    Ok(())
}

#[async_trait]
impl Projection for AutomationRulesProjection {
    fn name(&self) -> &'static str {
        "automation_rules"
    }

    fn tables(&self) -> &'static [&'static str] {
        &["automation_rules"]
    }

    async fn apply(&self, conn: &mut PgConnection, e: &RecordedEvent) -> anyhow::Result<()> {
        if e.is(AutomationRule::TYPE) {
            let account_id = e
                .account_id
                .ok_or_else(|| anyhow::anyhow!("automation rule event {} has no account", e.event_id))?;
            let id = e.numeric_id()?;
            match e.decode::<AutomationRuleEvent>()? {
                AutomationRuleEvent::AutomationRuleCreated { rule, .. }
                | AutomationRuleEvent::AutomationRuleUpdated { rule } => {
                    write(conn, account_id, id, rule, e).await?;
                }
                AutomationRuleEvent::AutomationRuleDeleted => {
                    sqlx::query("DELETE FROM automation_rules WHERE account_id = $1 AND id = $2")
                        .bind(account_id)
                        .bind(id)
                        .execute(conn)
                        .await?;
                }
            }
        } else if e.is(Account::TYPE) && matches!(e.decode::<AccountEvent>()?, AccountEvent::AccountDeleted) {
            sqlx::query("DELETE FROM automation_rules WHERE account_id = $1")
                .bind(e.numeric_id()?)
                .execute(conn)
                .await?;
        }
        Ok(())
    }
}
