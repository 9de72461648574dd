//! Canonical dumps of read models, to compare live tables with a rebuild.

use onelink_projections::all_projections;
use serde_json::Value;
use sqlx::PgPool;
use std::collections::BTreeMap;

/// Every projection table as a JSON array of rows in a canonical order.
pub async fn dump(pool: &PgPool) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for projection in all_projections() {
        for table in projection.tables() {
            let rows: Value = sqlx::query_scalar(&format!(
                "SELECT COALESCE(jsonb_agg(to_jsonb(t) ORDER BY to_jsonb(t)::text), '[]'::jsonb) FROM {table} t"
            ))
            .fetch_one(pool)
            .await
            .unwrap();
            out.insert(table.to_string(), rows);
        }
    }
    out
}

/// Rebuilds every projection (as `onelink projections rebuild all` does).
pub async fn rebuild_all(pool: &PgPool) {
    for projection in all_projections() {
        onelink_projections::rebuild::rebuild(pool, projection.as_ref()).await.unwrap();
    }
}
