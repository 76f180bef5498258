//! `catalog` endpoints.

use crate::errors::ApiError;

/// `GET /catalog` (operation `catalog.list`): not emulated yet.
pub async fn list() -> ApiError {
    ApiError::not_implemented("catalog.list")
}

/// `POST /catalog` (operation `catalog.create`): not emulated yet.
pub async fn create() -> ApiError {
    ApiError::not_implemented("catalog.create")
}

/// `GET /catalog/{id}` (operation `catalog.get`): not emulated yet.
pub async fn get() -> ApiError {
    ApiError::not_implemented("catalog.get")
}

/// `PATCH /catalog/{id}` (operation `catalog.update`): not emulated yet.
pub async fn update() -> ApiError {
    ApiError::not_implemented("catalog.update")
}

/// `DELETE /catalog/{id}` (operation `catalog.delete`): not emulated yet.
pub async fn delete() -> ApiError {
    ApiError::not_implemented("catalog.delete")
}

/// `GET /catalog/lookup` (operation `catalog.lookup`): not emulated yet.
pub async fn lookup() -> ApiError {
    ApiError::not_implemented("catalog.lookup")
}

/// `GET /catalog/changes` (operation `catalog.changes`): not emulated yet.
pub async fn changes() -> ApiError {
    ApiError::not_implemented("catalog.changes")
}
