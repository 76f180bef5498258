//! `analytics` endpoints.

use crate::errors::ApiError;

/// `GET /analytics/products/summary` (operation `analytics.summary`): not emulated yet.
pub async fn summary() -> ApiError {
    ApiError::not_implemented("analytics.summary")
}

/// `GET /analytics/products/leaderboard` (operation `analytics.leaderboard`): not emulated yet.
pub async fn leaderboard() -> ApiError {
    ApiError::not_implemented("analytics.leaderboard")
}

/// `GET /analytics/products/activity` (operation `analytics.activity`): not emulated yet.
pub async fn activity() -> ApiError {
    ApiError::not_implemented("analytics.activity")
}
