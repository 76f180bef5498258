//! `webhooks` endpoints.

use crate::errors::ApiError;

/// `GET /catalog/webhooks` (operation `catalog.webhooks.list`): not emulated yet.
pub async fn list() -> ApiError {
    ApiError::not_implemented("catalog.webhooks.list")
}

/// `POST /catalog/webhooks` (operation `catalog.webhooks.create`): not emulated yet.
pub async fn create() -> ApiError {
    ApiError::not_implemented("catalog.webhooks.create")
}

/// `PATCH /catalog/webhooks/{id}` (operation `catalog.webhooks.update`): not emulated yet.
pub async fn update() -> ApiError {
    ApiError::not_implemented("catalog.webhooks.update")
}

/// `DELETE /catalog/webhooks/{id}` (operation `catalog.webhooks.delete`): not emulated yet.
pub async fn delete() -> ApiError {
    ApiError::not_implemented("catalog.webhooks.delete")
}

/// `GET /catalog/webhooks/{id}` (operation `catalog.webhooks.deliveries`): not emulated yet.
pub async fn deliveries() -> ApiError {
    ApiError::not_implemented("catalog.webhooks.deliveries")
}

/// `POST /catalog/webhooks/{id}` (operation `catalog.webhooks.action`): not emulated yet.
pub async fn action() -> ApiError {
    ApiError::not_implemented("catalog.webhooks.action")
}
