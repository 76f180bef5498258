//! `/credits/*` endpoints. Charges are made by the billed operations (see
//! `extraction::billing`); these read the balance and the ledger.

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use serde_json::{json, Value};

use crate::app::AppState;
use crate::auth::CompanyId;
use crate::clock;
use crate::errors::ApiError;
use crate::extraction::billing::{self, LedgerEntry};
use crate::input::{invalid_param, Query};
use crate::pagination::PageParams;

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

/// A `from`/`to` query date: `YYYY-MM-DD` or an ISO date-time (its date is used).
fn date_param(query: &Query, name: &str) -> Result<Option<i64>, ApiError> {
    match query.text(name) {
        None => Ok(None),
        Some(raw) => clock::parse_date_or_datetime(raw.trim())
            .map(Some)
            .ok_or_else(|| invalid_param(name, "a date YYYY-MM-DD", raw)),
    }
}

/// `GET /credits/usage` (operation `credits.usage`): ledger entries newest first,
/// filtered by `from`/`to` (inclusive dates) and `service` (a raw ledger value, or
/// the published groups `extraction`, `enhancement`, `search`, `enrich`).
pub async fn usage(
    State(app): State<AppState>,
    company: CompanyId,
    query: Query,
) -> Result<Json<Value>, ApiError> {
    let page = PageParams::from_query(&query)?;
    let from = date_param(&query, "from")?;
    let to = date_param(&query, "to")?;
    let service = query.text("service");
    let body = app.companies.with(company, |c| {
        let entries: Vec<&LedgerEntry> = c
            .extraction
            .ledger
            .iter()
            .rev()
            .filter(|e| from.is_none_or(|d| e.day >= d) && to.is_none_or(|d| e.day <= d))
            .filter(|e| service.is_none_or(|s| billing::service_matches(s, e.service)))
            .collect();
        let total_used: f64 = entries.iter().map(|e| -e.amount).sum();
        let mut body = page.envelope(page.slice(&entries), entries.len());
        body["total_used"] = json!((total_used * 100.0).round() / 100.0);
        body
    });
    Ok(Json(body))
}

/// `GET /credits/stats` (operation `credits.stats`): `from` and `to` are required
/// `YYYY-MM-DD`, `to >= from`, at most 1830 days; anything else is `400`.
pub async fn stats(
    State(app): State<AppState>,
    company: CompanyId,
    query: Query,
) -> Result<Json<Value>, ApiError> {
    let (from, to) = query.date_range()?;
    let monthly = app.extraction.initial_balance;
    let body = app.companies.with(company, |c| {
        billing::stats(&c.extraction.ledger, from, to, monthly)
    });
    Ok(Json(body))
}
