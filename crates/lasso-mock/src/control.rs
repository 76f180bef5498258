//! The control API under `/__mock` (no auth): inject faults, read stats, reset.
//! Tests drive the emulator through it from any language.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::app::AppState;
use crate::auth;
use crate::errors::ApiError;
use crate::faults::Fault;
use crate::routes::fallback;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/faults", post(queue_fault).get(list_faults).delete(clear_faults))
        .route("/stats", get(stats))
        .route("/requests", get(requests))
        .route("/reset", post(reset))
        .route("/webhook-secret", get(webhook_secret))
        .route("/webhook-deliveries", get(webhook_deliveries))
        .method_not_allowed_fallback(fallback::wrong_method)
}

/// `POST /__mock/faults`. Takes raw bytes rather than `Json<_>` so that a missing
/// content type is fine and every mistake gets a 422 envelope naming the field.
async fn queue_fault(
    State(app): State<AppState>,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let fault = Fault::from_json(&body).map_err(ApiError::validation)?;
    app.faults.push(fault);
    Ok((StatusCode::CREATED, Json(json!({ "queued": true }))))
}

/// `GET /__mock/faults`: `{"faults": [...]}` with each fault's remaining `times`.
async fn list_faults(State(app): State<AppState>) -> Json<Value> {
    Json(app.faults.to_json())
}

/// `DELETE /__mock/faults`.
async fn clear_faults(State(app): State<AppState>) -> Json<Value> {
    let cleared = app.faults.clear();
    Json(json!({ "cleared": cleared }))
}

/// `GET /__mock/stats`.
async fn stats(State(app): State<AppState>) -> Json<Value> {
    Json(app.stats.to_json())
}

/// `GET /__mock/requests`: the last requests that reached the API (key masked).
async fn requests(State(app): State<AppState>) -> Json<Value> {
    Json(app.journal.to_json())
}

/// `GET /__mock/webhook-secret` with the company's `Authorization` header:
/// `{"secret": "whsec_…"}`, the key of its `webhook_url` callback signatures.
async fn webhook_secret(State(app): State<AppState>, headers: HeaderMap) -> Result<Json<Value>, ApiError> {
    let company = auth::authenticate(&headers, app.keys.as_ref())?;
    Ok(Json(json!({ "secret": app.extraction.webhook_secret(company) })))
}

/// `GET /__mock/webhook-deliveries`: every `webhook_url` callback attempt, oldest first.
async fn webhook_deliveries(State(app): State<AppState>) -> Json<Value> {
    Json(app.extraction.deliveries.to_json())
}

/// `POST /__mock/reset`: back to a freshly started emulator.
async fn reset(State(app): State<AppState>) -> Json<Value> {
    app.companies.clear();
    app.faults.clear();
    app.stats.reset();
    app.journal.clear();
    app.extraction.deliveries.clear();
    Json(json!({ "reset": true }))
}
