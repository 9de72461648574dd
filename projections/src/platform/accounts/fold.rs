//! The `accounts` projection's batch fold: every touched account and its
//! members are loaded once, the batch's events change them in memory, and
//! the results are written back in four statements however many events
//! the batch holds (a rebuild is dominated by these batches).

use super::{AccountRow, AccountUserRow, ACCOUNT_COLUMNS, ACCOUNT_USER_COLUMNS};
use chrono::{DateTime, Utc};
use onelink_domain::account::AccountEvent;
use serde_json::Value;
use sqlx::PgConnection;
use std::collections::{BTreeMap, HashMap};

/// Touched accounts as they stand after the events folded so far.
#[derive(Default)]
pub(super) struct Batch {
    /// `None`: the account does not exist (never created, or deleted).
    accounts: HashMap<i64, Option<AccountRow>>,
    /// Members of each touched account, by user id.
    members: HashMap<i64, BTreeMap<i64, AccountUserRow>>,
}

impl Batch {
    /// Loads the current rows of `ids` (each id once).
    pub async fn load(conn: &mut PgConnection, ids: &[i64]) -> Result<Self, sqlx::Error> {
        let accounts: Vec<AccountRow> =
            sqlx::query_as(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = ANY($1)"))
                .bind(ids)
                .fetch_all(&mut *conn)
                .await?;
        let members: Vec<AccountUserRow> = sqlx::query_as(&format!(
            "SELECT {ACCOUNT_USER_COLUMNS} FROM account_users WHERE account_id = ANY($1)"
        ))
        .bind(ids)
        .fetch_all(&mut *conn)
        .await?;
        let mut batch = Batch {
            accounts: ids.iter().map(|&id| (id, None)).collect(),
            members: ids.iter().map(|&id| (id, BTreeMap::new())).collect(),
        };
        for row in accounts {
            batch.accounts.insert(row.id, Some(row));
        }
        for row in members {
            batch.members.entry(row.account_id).or_default().insert(row.user_id, row);
        }
        Ok(batch)
    }

    /// Applies one event of account `id` (which [`Batch::load`] loaded).
    pub fn fold(&mut self, id: i64, at: DateTime<Utc>, event: AccountEvent) -> anyhow::Result<()> {
        let account = self.accounts.entry(id).or_default();
        let members = self.members.entry(id).or_default();
        match event {
            AccountEvent::AccountCreated { fields: f, .. } => {
                *account = Some(AccountRow {
                    id,
                    name: f.name,
                    locale: f.locale,
                    domain: f.domain,
                    support_email: f.support_email,
                    status: f.status.as_str().to_owned(),
                    limits: Value::Object(f.limits),
                    custom_attributes: Value::Object(f.custom_attributes),
                    features: serde_json::to_value(&f.features)?,
                    created_at: at,
                    updated_at: at,
                });
            }
            AccountEvent::AccountUpdated {
                name,
                locale,
                domain,
                support_email,
                status,
                limits,
                custom_attributes,
                features,
            } => {
                let Some(row) = account else { return Ok(()) };
                if let Some(name) = name {
                    row.name = name;
                }
                if let Some(locale) = locale {
                    row.locale = locale;
                }
                if let Some(domain) = domain {
                    row.domain = domain;
                }
                if let Some(email) = support_email {
                    row.support_email = email;
                }
                if let Some(status) = status {
                    row.status = status.as_str().to_owned();
                }
                if let Some(limits) = limits {
                    row.limits = Value::Object(limits);
                }
                if let Some(custom) = custom_attributes {
                    row.custom_attributes = Value::Object(custom);
                }
                if !row.features.is_object() {
                    row.features = Value::Object(Default::default());
                }
                if let Value::Object(flags) = &mut row.features {
                    flags.extend(features.into_iter().map(|(k, v)| (k, Value::Bool(v))));
                }
                row.updated_at = at;
            }
            AccountEvent::AccountDeleted => {
                *account = None;
                members.clear();
            }
            AccountEvent::AccountUserAdded {
                account_user_id,
                user_id,
                role,
                inviter_id,
                availability,
                auto_offline,
            } => {
                members.insert(
                    user_id.0,
                    AccountUserRow {
                        id: account_user_id.0,
                        account_id: id,
                        user_id: user_id.0,
                        role: role.as_str().to_owned(),
                        inviter_id: inviter_id.map(|i| i.0),
                        active_at: None,
                        availability: availability.as_str().to_owned(),
                        auto_offline,
                        created_at: at,
                        updated_at: at,
                    },
                );
            }
            AccountEvent::AccountUserSettingsChanged { user_id, availability, auto_offline } => {
                if let Some(m) = members.get_mut(&user_id.0) {
                    if let Some(a) = availability {
                        m.availability = a.as_str().to_owned();
                    }
                    if let Some(o) = auto_offline {
                        m.auto_offline = o;
                    }
                    m.updated_at = at;
                }
            }
            AccountEvent::AccountUserRoleChanged { user_id, role } => {
                if let Some(m) = members.get_mut(&user_id.0) {
                    m.role = role.as_str().to_owned();
                    m.updated_at = at;
                }
            }
            AccountEvent::AccountUserRemoved { user_id } => {
                members.remove(&user_id.0);
            }
        }
        Ok(())
    }

    /// Replaces the touched accounts' rows and memberships with the folded
    /// ones.
    pub async fn write(self, conn: &mut PgConnection) -> Result<(), sqlx::Error> {
        let ids: Vec<i64> = self.accounts.keys().copied().collect();
        sqlx::query("DELETE FROM accounts WHERE id = ANY($1)").bind(&ids).execute(&mut *conn).await?;
        sqlx::query("DELETE FROM account_users WHERE account_id = ANY($1)")
            .bind(&ids)
            .execute(&mut *conn)
            .await?;
        insert_accounts(conn, self.accounts.into_values().flatten().collect()).await?;
        insert_members(conn, self.members.into_values().flat_map(BTreeMap::into_values).collect()).await
    }
}

async fn insert_accounts(conn: &mut PgConnection, rows: Vec<AccountRow>) -> Result<(), sqlx::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut c = AccountColumns::default();
    for r in rows {
        c.id.push(r.id);
        c.name.push(r.name);
        c.locale.push(r.locale);
        c.domain.push(r.domain);
        c.support_email.push(r.support_email);
        c.status.push(r.status);
        c.limits.push(r.limits);
        c.custom_attributes.push(r.custom_attributes);
        c.features.push(r.features);
        c.created_at.push(r.created_at);
        c.updated_at.push(r.updated_at);
    }
    sqlx::query(&format!(
        "INSERT INTO accounts ({ACCOUNT_COLUMNS}) SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[], \
         $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::jsonb[], $9::jsonb[], $10::timestamptz[], \
         $11::timestamptz[])"
    ))
    .bind(c.id)
    .bind(c.name)
    .bind(c.locale)
    .bind(c.domain)
    .bind(c.support_email)
    .bind(c.status)
    .bind(c.limits)
    .bind(c.custom_attributes)
    .bind(c.features)
    .bind(c.created_at)
    .bind(c.updated_at)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Default)]
struct AccountColumns {
    id: Vec<i64>,
    name: Vec<String>,
    locale: Vec<String>,
    domain: Vec<Option<String>>,
    support_email: Vec<Option<String>>,
    status: Vec<String>,
    limits: Vec<Value>,
    custom_attributes: Vec<Value>,
    features: Vec<Value>,
    created_at: Vec<DateTime<Utc>>,
    updated_at: Vec<DateTime<Utc>>,
}

async fn insert_members(conn: &mut PgConnection, rows: Vec<AccountUserRow>) -> Result<(), sqlx::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut c = MemberColumns::default();
    for r in rows {
        c.id.push(r.id);
        c.account_id.push(r.account_id);
        c.user_id.push(r.user_id);
        c.role.push(r.role);
        c.inviter_id.push(r.inviter_id);
        c.active_at.push(r.active_at);
        c.availability.push(r.availability);
        c.auto_offline.push(r.auto_offline);
        c.created_at.push(r.created_at);
        c.updated_at.push(r.updated_at);
    }
    sqlx::query(&format!(
        "INSERT INTO account_users ({ACCOUNT_USER_COLUMNS}) SELECT * FROM UNNEST($1::bigint[], $2::bigint[], \
         $3::bigint[], $4::text[], $5::bigint[], $6::timestamptz[], $7::text[], $8::boolean[], \
         $9::timestamptz[], $10::timestamptz[])"
    ))
    .bind(c.id)
    .bind(c.account_id)
    .bind(c.user_id)
    .bind(c.role)
    .bind(c.inviter_id)
    .bind(c.active_at)
    .bind(c.availability)
    .bind(c.auto_offline)
    .bind(c.created_at)
    .bind(c.updated_at)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Default)]
struct MemberColumns {
    id: Vec<i64>,
    account_id: Vec<i64>,
    user_id: Vec<i64>,
    role: Vec<String>,
    inviter_id: Vec<Option<i64>>,
    active_at: Vec<Option<DateTime<Utc>>>,
    availability: Vec<String>,
    auto_offline: Vec<bool>,
    created_at: Vec<DateTime<Utc>>,
    updated_at: Vec<DateTime<Utc>>,
}
