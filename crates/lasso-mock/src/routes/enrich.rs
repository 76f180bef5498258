//! `enrich` endpoints.

use crate::errors::ApiError;

/// `POST /enrich` (operation `enrich`): not emulated yet.
pub async fn enrich() -> ApiError {
    ApiError::not_implemented("enrich")
}
