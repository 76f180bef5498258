//! `files` endpoints.

use crate::errors::ApiError;

/// `GET /files` (operation `files.list`): not emulated yet.
pub async fn list() -> ApiError {
    ApiError::not_implemented("files.list")
}

/// `POST /files` (operation `files.upload`): not emulated yet.
pub async fn upload() -> ApiError {
    ApiError::not_implemented("files.upload")
}

/// `DELETE /files/{file_id}` (operation `files.delete`): not emulated yet.
pub async fn delete() -> ApiError {
    ApiError::not_implemented("files.delete")
}
