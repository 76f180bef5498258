//! `attributes` endpoints.

use crate::errors::ApiError;

/// `GET /attributes` (operation `attributes.list`): not emulated yet.
pub async fn list() -> ApiError {
    ApiError::not_implemented("attributes.list")
}

/// `POST /attributes` (operation `attributes.create`): not emulated yet.
pub async fn create() -> ApiError {
    ApiError::not_implemented("attributes.create")
}

/// `GET /attributes/{key}` (operation `attributes.get`): not emulated yet.
pub async fn get() -> ApiError {
    ApiError::not_implemented("attributes.get")
}

/// `PUT /attributes/{key}` (operation `attributes.update`): not emulated yet.
pub async fn update() -> ApiError {
    ApiError::not_implemented("attributes.update")
}

/// `DELETE /attributes/{key}` (operation `attributes.delete`): not emulated yet.
pub async fn delete() -> ApiError {
    ApiError::not_implemented("attributes.delete")
}

/// `POST /attributes/{key}/rename` (operation `attributes.rename`): not emulated yet.
pub async fn rename() -> ApiError {
    ApiError::not_implemented("attributes.rename")
}
