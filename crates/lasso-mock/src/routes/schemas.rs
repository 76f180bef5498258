//! `schemas` endpoints.

use crate::errors::ApiError;

/// `GET /schemas` (operation `schemas.list`): not emulated yet.
pub async fn list() -> ApiError {
    ApiError::not_implemented("schemas.list")
}

/// `POST /schemas` (operation `schemas.create`): not emulated yet.
pub async fn create() -> ApiError {
    ApiError::not_implemented("schemas.create")
}

/// `GET /schemas/{schema_id}` (operation `schemas.get`): not emulated yet.
pub async fn get() -> ApiError {
    ApiError::not_implemented("schemas.get")
}

/// `PUT /schemas/{schema_id}` (operation `schemas.update`): not emulated yet.
pub async fn update() -> ApiError {
    ApiError::not_implemented("schemas.update")
}

/// `DELETE /schemas/{schema_id}` (operation `schemas.delete`): not emulated yet.
pub async fn delete() -> ApiError {
    ApiError::not_implemented("schemas.delete")
}

/// `POST /schemas/generate` (operation `schemas.generate`): not emulated yet.
pub async fn generate() -> ApiError {
    ApiError::not_implemented("schemas.generate")
}
