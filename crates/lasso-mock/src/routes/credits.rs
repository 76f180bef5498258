//! `/credits/*` endpoints.

use axum::extract::State;
use axum::Json;
use serde::Serialize;

use crate::app::AppState;
use crate::auth::CompanyId;
use crate::errors::ApiError;

#[derive(Serialize)]
pub struct Balance {
    balance: f64,
    currency: &'static str,
}

/// `GET /credits/balance` (operation `credits.balance`).
pub async fn balance(State(app): State<AppState>, company: CompanyId) -> Json<Balance> {
    let balance = app.companies.with(company, |c| c.balance);
    Json(Balance {
        balance,
        currency: "credits",
    })
}

/// `GET /credits/usage` (operation `credits.usage`): not emulated yet.
pub async fn usage() -> ApiError {
    ApiError::not_implemented("credits.usage")
}

/// `GET /credits/stats` (operation `credits.stats`): not emulated yet.
pub async fn stats() -> ApiError {
    ApiError::not_implemented("credits.stats")
}
