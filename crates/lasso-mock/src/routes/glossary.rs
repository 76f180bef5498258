//! `glossary` endpoints.

use crate::errors::ApiError;

/// `GET /glossary` (operation `glossary.list`): not emulated yet.
pub async fn list() -> ApiError {
    ApiError::not_implemented("glossary.list")
}

/// `POST /glossary` (operation `glossary.create`): not emulated yet.
pub async fn create() -> ApiError {
    ApiError::not_implemented("glossary.create")
}

/// `PUT /glossary/{term_id}` (operation `glossary.update`): not emulated yet.
pub async fn update() -> ApiError {
    ApiError::not_implemented("glossary.update")
}

/// `DELETE /glossary/{term_id}` (operation `glossary.delete`): not emulated yet.
pub async fn delete() -> ApiError {
    ApiError::not_implemented("glossary.delete")
}
