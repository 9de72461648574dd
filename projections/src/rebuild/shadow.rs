//! Shadow tables for a rebuild: exact copies of the live tables' shape,
//! with their secondary indexes built once at the end rather than
//! maintained row by row during the replay.
//!
//! Names are kept: the key constraints and the indexes get the live ones'
//! names (they live in another schema until the swap), so after a swap the
//! schema is the one the migrations created and later migrations can still
//! refer to indexes by name.

use sqlx::PgConnection;

/// Creates `shadow.table` for each table: columns, defaults, NOT NULL and
/// CHECK constraints, the constraints backed by indexes (primary keys,
/// unique and exclusion constraints) and the unique indexes: folds look
/// rows up by their keys and upserts infer their conflict targets from
/// them. Returns the statements that create the other indexes, for
/// [`build_indexes`].
pub async fn create_tables(
    conn: &mut PgConnection,
    tables: &[&str],
    shadow: &str,
) -> anyhow::Result<Vec<String>> {
    let mut deferred = Vec::new();
    for table in tables {
        let live = format!("public.{table}");
        sqlx::query(&format!("CREATE TABLE {shadow}.{table} (LIKE {live} INCLUDING ALL EXCLUDING INDEXES)"))
            .execute(&mut *conn)
            .await?;
        let constraints: Vec<(String, String)> = sqlx::query_as(
            "SELECT conname::text, pg_get_constraintdef(oid) FROM pg_constraint \
             WHERE conrelid = $1::regclass AND contype IN ('p', 'u', 'x') ORDER BY conname",
        )
        .bind(&live)
        .fetch_all(&mut *conn)
        .await?;
        for (name, definition) in constraints {
            sqlx::query(&format!("ALTER TABLE {shadow}.{table} ADD CONSTRAINT {name} {definition}"))
                .execute(&mut *conn)
                .await?;
        }
        for (unique, statement) in index_statements(conn, &live, table, shadow).await? {
            if unique {
                sqlx::query(&statement).execute(&mut *conn).await?;
            } else {
                deferred.push(statement);
            }
        }
    }
    Ok(deferred)
}

/// `CREATE INDEX` statements for the live table's indexes that no
/// constraint owns, retargeted at the shadow table, with whether the
/// index is unique.
async fn index_statements(
    conn: &mut PgConnection,
    live: &str,
    table: &str,
    shadow: &str,
) -> anyhow::Result<Vec<(bool, String)>> {
    // With an empty search_path every name in the definitions is qualified.
    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
    sqlx::query("SET LOCAL search_path = ''").execute(&mut *tx).await?;
    let definitions: Vec<(bool, String)> = sqlx::query_as(
        "SELECT i.indisunique, pg_get_indexdef(i.indexrelid) FROM pg_index i \
         WHERE i.indrelid = $1::regclass \
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) \
         ORDER BY i.indexrelid",
    )
    .bind(live)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let from = format!(" ON {live} ");
    let to = format!(" ON {shadow}.{table} ");
    definitions
        .into_iter()
        .map(|(unique, definition)| {
            anyhow::ensure!(
                definition.matches(&from).count() == 1,
                "unexpected index definition on {live}: {definition}"
            );
            Ok((unique, definition.replacen(&from, &to, 1)))
        })
        .collect()
}

/// Builds the deferred indexes over the filled shadow tables.
pub async fn build_indexes(conn: &mut PgConnection, statements: &[String]) -> anyhow::Result<()> {
    for statement in statements {
        sqlx::query(statement).execute(&mut *conn).await?;
    }
    Ok(())
}
