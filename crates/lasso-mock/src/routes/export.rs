//! `export` endpoints.

use crate::errors::ApiError;

/// `GET /tables/{table_id}/export` (operation `tables.export`): not emulated yet.
pub async fn export() -> ApiError {
    ApiError::not_implemented("tables.export")
}
