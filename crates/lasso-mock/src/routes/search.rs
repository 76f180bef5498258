//! `search` endpoints.

use crate::errors::ApiError;

/// `POST /search` (operation `search`): not emulated yet.
pub async fn search() -> ApiError {
    ApiError::not_implemented("search")
}
