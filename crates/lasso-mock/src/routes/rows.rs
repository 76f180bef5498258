//! `rows` endpoints.

use crate::errors::ApiError;

/// `GET /tables/{table_id}/rows` (operation `tables.rows`): not emulated yet.
pub async fn list() -> ApiError {
    ApiError::not_implemented("tables.rows")
}

/// `POST /tables/{table_id}/rows` (operation `tables.create_rows`): not emulated yet.
pub async fn create() -> ApiError {
    ApiError::not_implemented("tables.create_rows")
}

/// `GET /tables/{table_id}/rows/{row_id}` (operation `tables.get_row`): not emulated yet.
pub async fn get() -> ApiError {
    ApiError::not_implemented("tables.get_row")
}

/// `PUT /tables/{table_id}/rows/{row_id}` (operation `tables.update_row`): not emulated yet.
pub async fn update() -> ApiError {
    ApiError::not_implemented("tables.update_row")
}

/// `DELETE /tables/{table_id}/rows/{row_id}` (operation `tables.delete_row`): not emulated yet.
pub async fn delete() -> ApiError {
    ApiError::not_implemented("tables.delete_row")
}

/// `POST /tables/{table_id}/rows/bulk-update` (operation `tables.bulk_update`): not emulated yet.
pub async fn bulk_update() -> ApiError {
    ApiError::not_implemented("tables.bulk_update")
}

/// `POST /tables/{table_id}/rows/bulk-delete` (operation `tables.bulk_delete`): not emulated yet.
pub async fn bulk_delete() -> ApiError {
    ApiError::not_implemented("tables.bulk_delete")
}
