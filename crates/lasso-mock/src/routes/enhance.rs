//! `enhance` endpoints.

use crate::errors::ApiError;

/// `GET /tables/{table_id}/rows/{row_id}/traces` (operation `enhance.traces`): not emulated yet.
pub async fn traces() -> ApiError {
    ApiError::not_implemented("enhance.traces")
}

/// `POST /tables/{table_id}/enhance` (operation `enhance.cells`): not emulated yet.
pub async fn cells() -> ApiError {
    ApiError::not_implemented("enhance.cells")
}

/// `POST /tables/{table_id}/enhance/bulk` (operation `enhance.bulk`): not emulated yet.
pub async fn bulk() -> ApiError {
    ApiError::not_implemented("enhance.bulk")
}

/// `GET /tables/{table_id}/enhance/status` (operation `enhance.status`): not emulated yet.
pub async fn status() -> ApiError {
    ApiError::not_implemented("enhance.status")
}

/// `POST /tables/{table_id}/enhance/cancel` (operation `enhance.cancel`): not emulated yet.
pub async fn cancel() -> ApiError {
    ApiError::not_implemented("enhance.cancel")
}
