//! `/tables/*` endpoints.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::Json;

use crate::app::AppState;
use crate::auth::CompanyId;
use crate::errors::ApiError;
use crate::model::Table;

/// `GET /tables/{table_id}` (operation `tables.get`). Tables of other companies are
/// simply not in this company's map, hence 404 like the real API.
pub async fn get(
    State(app): State<AppState>,
    company: CompanyId,
    table_id: Result<Path<String>, PathRejection>,
) -> Result<Json<Table>, ApiError> {
    let Path(table_id) = table_id.map_err(|err| ApiError::invalid_request(err.body_text()))?;
    // Clone under the lock, serialise after releasing it.
    let table = app.companies.with(company, |c| c.tables.get(&table_id).cloned());
    table
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("Table not found: {table_id}")))
}

/// `GET /tables` (operation `tables.list`): not emulated yet.
pub async fn list() -> ApiError {
    ApiError::not_implemented("tables.list")
}

/// `POST /tables` (operation `tables.create`): not emulated yet.
pub async fn create() -> ApiError {
    ApiError::not_implemented("tables.create")
}

/// `PATCH /tables/{table_id}` (operation `tables.update`): not emulated yet.
pub async fn update() -> ApiError {
    ApiError::not_implemented("tables.update")
}

/// `DELETE /tables/{table_id}` (operation `tables.delete`): not emulated yet.
pub async fn delete() -> ApiError {
    ApiError::not_implemented("tables.delete")
}

/// `GET /tables/{table_id}/columns` (operation `tables.columns`): not emulated yet.
pub async fn columns() -> ApiError {
    ApiError::not_implemented("tables.columns")
}
