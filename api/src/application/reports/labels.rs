//! A label report names the label by id; conversations carry titles.

use crate::error::ApiResult;
use crate::state::AppState;

/// The title of the account's label `id`.
pub async fn title(state: &AppState, account_id: i64, id: i64) -> ApiResult<Option<String>> {
    Ok(sqlx::query_scalar("SELECT title FROM labels WHERE account_id = $1 AND id = $2")
        .bind(account_id)
        .bind(id)
        .fetch_optional(&state.pool)
        .await?)
}
