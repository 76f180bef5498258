//! Enhancement endpoints (lasso-api.md §2.5) and row traces (§2.4).
//!
//! A job's cells are processed one after the other (60 ms each at time scale 1, the
//! whole job at most 3 s); each finished cell gets a deterministic generated value,
//! `enhancement_status` `success` and a trace. Costs: 2 credits per queued row
//! (`enhance`), 0.5 per column (`enhance/bulk`), charged when queued (`402` when the
//! balance does not cover it).

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

use crate::app::AppState;
use crate::auth::CompanyId;
use crate::errors::ApiError;
use crate::extraction::billing::{self, Charge};
use crate::extraction::table::{Cell, CellState, EnhanceJob};
use crate::extraction::{table_mut, Global, TableRef};
use crate::input::{invalid, Fields, JsonObject, Path, Query};
use crate::state::Company;

pub const CELL_COST: f64 = 2.0;
pub const BULK_COLUMN_COST: f64 = 0.5;
pub const MAX_ROWS: usize = 1000;
const CELL_TIME: Duration = Duration::from_millis(60);
const MAX_JOB_TIME: Duration = Duration::from_secs(3);

/// A requested cell before it is queued.
struct Request {
    row_id: String,
    column_key: String,
    prompt: String,
    web_search: bool,
    target_language: Option<String>,
}

fn unknown_column(field: &str, key: &str, t: &TableRef<'_>) -> ApiError {
    let known: Vec<&str> = t.data.columns.iter().map(|c| c.key.as_str()).collect();
    invalid(
        field,
        &format!(
            "unknown column '{key}'; the table's columns are: {}",
            known.join(", ")
        ),
    )
}

/// Charges, queues the cells and answers the `202` body.
#[allow(clippy::too_many_arguments)]
fn queue(
    c: &mut Company,
    global: &Global,
    key: u64,
    table_id: &str,
    requests: Vec<Request>,
    cost: f64,
    service: &'static str,
    rows_queued: usize,
) -> Result<Value, ApiError> {
    let charge = Charge {
        service,
        cost,
        description: format!("Enhancement of {} cell(s)", requests.len()),
        table: c.tables.get(table_id).map(|t| (t.id.clone(), t.name.clone())),
        products: rows_queued as u64,
    };
    let id = billing::bill_new_job(c, key, "enhance", charge)?;
    let t = table_mut(c, global, table_id)?;
    let n = requests.len().max(1) as u32;
    let per_cell = global.scaled(CELL_TIME.min(MAX_JOB_TIME / n));
    for request in &requests {
        if let Some(pos) = t.data.row_position(&request.row_id) {
            Arc::make_mut(&mut t.data.rows[pos])
                .enhancement_status
                .insert(request.column_key.clone(), json!({"status": "pending"}));
        }
    }
    t.data.enhance.push(EnhanceJob {
        started: Instant::now(),
        per_cell,
        cells: requests
            .into_iter()
            .map(|r| Cell {
                row_id: r.row_id,
                column_key: r.column_key,
                prompt: r.prompt,
                web_search: r.web_search,
                target_language: r.target_language,
                state: CellState::Pending,
            })
            .collect(),
        applied: 0,
    });
    Ok(json!({"id": id, "status": "queued", "estimated_credits": cost, "rows_queued": rows_queued}))
}

/// `POST /tables/{table_id}/enhance` (operation `enhance.cells`): one column over
/// 1–1000 rows (duplicates count once, unknown ids are skipped); `202`.
pub async fn cells(
    State(app): State<AppState>,
    company: CompanyId,
    Path(table_id): Path<String>,
    JsonObject(map): JsonObject,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let fields = Fields::new(&map);
    let row_ids = fields.req_str_list("row_ids", 1, MAX_ROWS)?;
    let column_key = fields.req_text("column_key")?.to_owned();
    let prompt = fields.req_text("prompt")?.to_owned();
    fields.opt_str("model")?;
    fields.opt_bool("use_glossary")?;
    let web_search = fields.opt_bool("web_search")?.unwrap_or(true);
    let target_language = fields.opt_str("target_language")?.map(str::to_owned);
    let key = app.extraction.company_key(company);
    let accepted = app.companies.with(company, |c| {
        let mut t = table_mut(c, &app.extraction, &table_id)?;
        t.require_writable()?;
        if t.data.column(&column_key).is_none() {
            return Err(unknown_column("column_key", &column_key, &t));
        }
        let mut rows: Vec<String> = Vec::new();
        for id in row_ids {
            if t.data.row_position(id).is_some() && !rows.iter().any(|r| r == id) {
                rows.push(id.to_owned());
            }
        }
        if rows.is_empty() {
            return Err(invalid(
                "row_ids",
                &format!("none of the rows belong to table {table_id}"),
            ));
        }
        let requests: Vec<Request> = rows
            .iter()
            .map(|row_id| Request {
                row_id: row_id.clone(),
                column_key: column_key.clone(),
                prompt: prompt.clone(),
                web_search,
                target_language: target_language.clone(),
            })
            .collect();
        let count = requests.len();
        queue(
            c,
            &app.extraction,
            key,
            &table_id,
            requests,
            CELL_COST * count as f64,
            "ai_field",
            count,
        )
    })?;
    Ok((StatusCode::ACCEPTED, Json(accepted)))
}

/// `POST /tables/{table_id}/enhance/bulk` (operation `enhance.bulk`): many columns of
/// one row; `202` with `rows_queued: 1`.
pub async fn bulk(
    State(app): State<AppState>,
    company: CompanyId,
    Path(table_id): Path<String>,
    JsonObject(map): JsonObject,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let fields = Fields::new(&map);
    let row_id = fields.req_text("row_id")?.to_owned();
    let mut requests = Vec::new();
    for (i, column) in fields
        .req_objects("columns", 1, usize::MAX)?
        .into_iter()
        .enumerate()
    {
        let prefix = format!("columns[{i}]");
        let column = Fields::nested(column, &prefix);
        requests.push(Request {
            row_id: row_id.clone(),
            column_key: column.req_text("key")?.to_owned(),
            prompt: column.req_text("prompt")?.to_owned(),
            web_search: column.opt_bool("web_search")?.unwrap_or(true),
            target_language: column.opt_str("target_language")?.map(str::to_owned),
        });
    }
    let key = app.extraction.company_key(company);
    let accepted = app.companies.with(company, |c| {
        let mut t = table_mut(c, &app.extraction, &table_id)?;
        t.require_writable()?;
        for (i, request) in requests.iter().enumerate() {
            if t.data.column(&request.column_key).is_none() {
                return Err(unknown_column(
                    &format!("columns[{i}].key"),
                    &request.column_key,
                    &t,
                ));
            }
        }
        if t.data.row_position(&row_id).is_none() {
            return Err(ApiError::not_found(format!("Row not found: {row_id}")));
        }
        let cost = BULK_COLUMN_COST * requests.len() as f64;
        queue(
            c,
            &app.extraction,
            key,
            &table_id,
            requests,
            cost,
            "ai_field_bulk",
            1,
        )
    })?;
    Ok((StatusCode::ACCEPTED, Json(accepted)))
}

/// `GET /tables/{table_id}/enhance/status` (operation `enhance.status`).
pub async fn status(
    State(app): State<AppState>,
    company: CompanyId,
    Path(table_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let columns = app.companies.with(company, |c| {
        table_mut(c, &app.extraction, &table_id).map(|t| t.data.enhance_status(Instant::now()))
    })?;
    Ok(Json(json!({ "columns": columns })))
}

/// `POST /tables/{table_id}/enhance/cancel` (operation `enhance.cancel`): body `{}`
/// or `{column_key}`; pending and processing cells return to `not_run`.
pub async fn cancel(
    State(app): State<AppState>,
    company: CompanyId,
    Path(table_id): Path<String>,
    JsonObject(map): JsonObject,
) -> Result<Json<Value>, ApiError> {
    let column_key = Fields::new(&map).opt_str("column_key")?.map(str::to_owned);
    let cancelled = app.companies.with(company, |c| {
        table_mut(c, &app.extraction, &table_id).map(|t| t.data.cancel(column_key.as_deref()))
    })?;
    Ok(Json(json!({ "cancelled_count": cancelled })))
}

/// `GET /tables/{table_id}/rows/{row_id}/traces` (operation `enhance.traces`):
/// `{data: [Trace]}` for the row's enhanced cells, optionally one `column_key`.
pub async fn traces(
    State(app): State<AppState>,
    company: CompanyId,
    Path((table_id, row_id)): Path<(String, String)>,
    query: Query,
) -> Result<Json<Value>, ApiError> {
    let column_key = query.get("column_key").filter(|k| !k.is_empty());
    let traces = app.companies.with(company, |c| {
        let t = table_mut(c, &app.extraction, &table_id)?;
        if t.data.row_position(&row_id).is_none() {
            return Err(ApiError::not_found(format!("Row not found: {row_id}")));
        }
        let traces: Vec<Value> = t
            .data
            .traces
            .get(&row_id)
            .map(|list| {
                list.iter()
                    .filter(|trace| column_key.is_none_or(|k| trace["column_key"] == k))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        Ok(traces)
    })?;
    Ok(Json(json!({ "data": traces })))
}
