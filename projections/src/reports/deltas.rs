//! Changes to `report_hourly`, summed in memory and written in one
//! statement. Sums are integers, so adding and removing the same facts
//! leaves exactly nothing; emptied rows are deleted.

use super::scope::{scopes_of, Scope, StoredFact};
use onelink_domain::report::ReportState;
use sqlx::PgConnection;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    count: i64,
    sum_us: i64,
    sum_bh_us: i64,
}

#[derive(Default)]
pub struct Deltas {
    rows: HashMap<(i16, String, i16, i64), Sums>,
}

pub fn hour_of(at: chrono::DateTime<chrono::Utc>) -> i64 {
    at.timestamp().div_euclid(3600)
}

impl Deltas {
    fn add(&mut self, scope: &Scope, fact: &StoredFact, sign: i64) {
        let key = (scope.code(), scope.key(), fact.metric, hour_of(fact.at));
        let sums = self.rows.entry(key).or_default();
        sums.count += sign;
        sums.sum_us += sign * fact.value_us;
        sums.sum_bh_us += sign * fact.value_bh_us;
    }

    /// `fact` counted in every scope of `state`.
    pub fn count(&mut self, fact: &StoredFact, state: &ReportState) {
        for scope in scopes_of(fact, state) {
            self.add(&scope, fact, 1);
        }
    }

    /// `fact` taken out of every scope of `state`.
    pub fn uncount(&mut self, fact: &StoredFact, state: &ReportState) {
        for scope in scopes_of(fact, state) {
            self.add(&scope, fact, -1);
        }
    }

    /// `fact` moved from the scopes of `before` to those of `after`.
    pub fn reattribute(&mut self, fact: &StoredFact, before: &ReportState, after: &ReportState) {
        let old = scopes_of(fact, before);
        let new = scopes_of(fact, after);
        for scope in old.iter().filter(|s| !new.contains(s)) {
            self.add(scope, fact, -1);
        }
        for scope in new.iter().filter(|s| !old.contains(s)) {
            self.add(scope, fact, 1);
        }
    }

    pub async fn write(self, conn: &mut PgConnection, account_id: i64) -> anyhow::Result<()> {
        let rows: Vec<_> = self
            .rows
            .into_iter()
            .filter(|(_, s)| s.count != 0 || s.sum_us != 0 || s.sum_bh_us != 0)
            .collect();
        if rows.is_empty() {
            return Ok(());
        }
        let mut scopes = Vec::with_capacity(rows.len());
        let mut keys = Vec::with_capacity(rows.len());
        let mut metrics = Vec::with_capacity(rows.len());
        let mut hours = Vec::with_capacity(rows.len());
        let mut counts = Vec::with_capacity(rows.len());
        let mut sums = Vec::with_capacity(rows.len());
        let mut sums_bh = Vec::with_capacity(rows.len());
        for ((scope, key, metric, hour), s) in rows {
            scopes.push(scope);
            keys.push(key);
            metrics.push(metric);
            hours.push(hour);
            counts.push(s.count);
            sums.push(s.sum_us);
            sums_bh.push(s.sum_bh_us);
        }
        sqlx::query(
            "INSERT INTO report_hourly (account_id, scope, key, metric, hour, count, sum_us, sum_bh_us) \
             SELECT $1, d.* FROM UNNEST($2::smallint[], $3::text[], $4::smallint[], $5::bigint[], \
                                        $6::bigint[], $7::bigint[], $8::bigint[]) AS d \
             ON CONFLICT (account_id, scope, key, metric, hour) DO UPDATE SET \
               count = report_hourly.count + EXCLUDED.count, \
               sum_us = report_hourly.sum_us + EXCLUDED.sum_us, \
               sum_bh_us = report_hourly.sum_bh_us + EXCLUDED.sum_bh_us",
        )
        .bind(account_id)
        .bind(&scopes)
        .bind(&keys)
        .bind(&metrics)
        .bind(&hours)
        .bind(&counts)
        .bind(&sums)
        .bind(&sums_bh)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "DELETE FROM report_hourly h USING UNNEST($2::smallint[], $3::text[], $4::smallint[], $5::bigint[]) \
               AS d(scope, key, metric, hour) \
             WHERE h.account_id = $1 AND h.scope = d.scope AND h.key = d.key AND h.metric = d.metric \
               AND h.hour = d.hour AND h.count = 0 AND h.sum_us = 0 AND h.sum_bh_us = 0",
        )
        .bind(account_id)
        .bind(&scopes)
        .bind(&keys)
        .bind(&metrics)
        .bind(&hours)
        .execute(conn)
        .await?;
        Ok(())
    }
}
