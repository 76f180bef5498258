//! `/tables/{table_id}/rows` endpoints (lasso-api.md §2.4). Reads need a completed
//! table (`409` otherwise); writes also need it unlocked.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use serde_json::{json, Map, Value};

use crate::app::AppState;
use crate::auth::CompanyId;
use crate::clock;
use crate::errors::ApiError;
use crate::extraction::table::Row;
use crate::extraction::{table_mut, TableRef};
use crate::input::{missing, Fields, JsonObject, Path, Query};
use crate::pagination::PageParams;

pub const MAX_CREATE: usize = 1000;

fn row_not_found(row_id: &str) -> ApiError {
    ApiError::not_found(format!("Row not found: {row_id}"))
}

/// Orders JSON values: numbers numerically, strings case-insensitively, missing and
/// null values last.
fn compare(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    let rank = |v: Option<&Value>| match v {
        None | Some(Value::Null) => 3,
        Some(Value::Number(_)) => 0,
        Some(Value::String(_)) => 1,
        Some(_) => 2,
    };
    match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => {
            x.as_f64().partial_cmp(&y.as_f64()).unwrap_or(Ordering::Equal)
        }
        (Some(Value::String(x)), Some(Value::String(y))) => x.to_lowercase().cmp(&y.to_lowercase()),
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)),
    }
}

/// `GET /tables/{table_id}/rows` (operation `tables.rows`): `sort_by` a column key
/// (or `row_index`, `created_at`), `sort_order` `asc` (default) or `desc`.
pub async fn list(
    State(app): State<AppState>,
    company: CompanyId,
    Path(table_id): Path<String>,
    query: Query,
) -> Result<Response, ApiError> {
    let page = PageParams::from_query(&query)?;
    let sort_by = query.get("sort_by").filter(|s| !s.is_empty()).map(str::to_owned);
    let descending = match query.get("sort_order") {
        None | Some("") | Some("asc") => false,
        Some("desc") => true,
        Some(other) => {
            return Err(ApiError::invalid_request(format!(
                "Invalid query parameter 'sort_order': must be asc or desc, got '{other}'"
            )))
        }
    };
    let rows = app.companies.with(company, |c| {
        let t = table_mut(c, &app.extraction, &table_id)?;
        t.require_completed()?;
        // Synthetic rows come in index order (`sort_by` is ignored), generated per page.
        if let Some(synthetic) = &t.data.synthetic {
            let start = page.offset() as u64;
            let end = (start + page.limit).min(synthetic.count);
            let items: Vec<_> = (start.min(end)..end)
                .map(|i| synthetic.row_view(if descending { synthetic.count - 1 - i } else { i }))
                .collect();
            return Ok(Err(page.envelope_response(&items, synthetic.count as usize)));
        }
        Ok::<_, ApiError>(Ok(t.data.rows.clone()))
    })?;
    let mut rows = match rows {
        Ok(rows) => rows,
        Err(synthetic_page) => return Ok(synthetic_page),
    };
    if let Some(key) = &sort_by {
        rows.sort_by(|a, b| {
            let ordering = match key.as_str() {
                "row_index" if !a.data.contains_key("row_index") => a.row_index.cmp(&b.row_index),
                "created_at" if !a.data.contains_key("created_at") => a.created_at.cmp(&b.created_at),
                _ => compare(a.data.get(key), b.data.get(key)),
            };
            // Missing values stay last in both directions; the built-in keys are never missing.
            let builtin = matches!(key.as_str(), "row_index" | "created_at");
            let missing = |r: &Row| !builtin && r.data.get(key).is_none_or(Value::is_null);
            if descending && !(missing(a) || missing(b)) {
                ordering.reverse()
            } else {
                ordering
            }
            .then(a.row_index.cmp(&b.row_index))
        });
    } else if descending {
        rows.reverse();
    }
    let items: Vec<&Row> = page.slice(&rows).iter().map(|r| r.as_ref()).collect();
    Ok(page.envelope_response(&items, rows.len()))
}

/// Unknown keys of a row object, relative to the table's columns.
fn unknown_keys(t: &TableRef<'_>, data: &Map<String, Value>) -> Vec<String> {
    data.keys()
        .filter(|k| t.data.column(k).is_none())
        .cloned()
        .collect()
}

/// `POST /tables/{table_id}/rows` (operation `tables.create_rows`): 1–1000 rows,
/// atomic; any unknown key rejects the whole request (`422`, keys listed). `201`.
pub async fn create(
    State(app): State<AppState>,
    company: CompanyId,
    Path(table_id): Path<String>,
    JsonObject(map): JsonObject,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let fields = Fields::new(&map);
    let objects: Vec<Map<String, Value>> = fields
        .req_objects("rows", 1, MAX_CREATE)?
        .into_iter()
        .cloned()
        .collect();
    let key = app.extraction.company_key(company);
    let body = app.companies.with(company, |c| {
        {
            let mut t = table_mut(c, &app.extraction, &table_id)?;
            t.require_writable()?;
            let mut unknown: Vec<String> = Vec::new();
            for data in &objects {
                for k in unknown_keys(&t, data) {
                    if !unknown.contains(&k) {
                        unknown.push(k);
                    }
                }
            }
            if !unknown.is_empty() {
                return Err(ApiError::validation(format!(
                    "Unknown column keys (not in the table's schema): {}",
                    unknown.join(", ")
                )));
            }
        }
        let ids: Vec<String> = (0..objects.len())
            .map(|_| c.extraction.next_id(key, "row"))
            .collect();
        let t = table_mut(c, &app.extraction, &table_id)?;
        let now = clock::now_iso();
        let mut created = Vec::with_capacity(objects.len());
        for (data, id) in objects.into_iter().zip(ids) {
            let index = t.data.next_row_index;
            t.data.next_row_index += 1;
            let row = Row::new(id, index, data, now.clone(), &t.data.columns);
            created.push(row.clone());
            t.data.rows.push(Arc::new(row));
        }
        t.table.total_rows = t.data.rows.len() as u64;
        t.table.updated_at = now;
        Ok(json!({ "inserted_count": created.len(), "data": created }))
    })?;
    Ok((StatusCode::CREATED, Json(body)))
}

/// `GET /tables/{table_id}/rows/{row_id}` (operation `tables.get_row`).
pub async fn get(
    State(app): State<AppState>,
    company: CompanyId,
    Path((table_id, row_id)): Path<(String, String)>,
) -> Result<Json<Row>, ApiError> {
    let row = app.companies.with(company, |c| {
        let t = table_mut(c, &app.extraction, &table_id)?;
        t.require_completed()?;
        if let Some(synthetic) = &t.data.synthetic {
            let index = synthetic
                .index_of(&row_id)
                .ok_or_else(|| row_not_found(&row_id))?;
            return Ok(Arc::new(synthetic.row(index)));
        }
        let pos = t
            .data
            .row_position(&row_id)
            .ok_or_else(|| row_not_found(&row_id))?;
        Ok::<_, ApiError>(t.data.rows[pos].clone())
    })?;
    Ok(Json(Row::clone(&row)))
}

/// `PUT /tables/{table_id}/rows/{row_id}` (operation `tables.update_row`): body
/// `{data}` merged into the row (keys must be columns); `is_edited` becomes true.
pub async fn update(
    State(app): State<AppState>,
    company: CompanyId,
    Path((table_id, row_id)): Path<(String, String)>,
    JsonObject(map): JsonObject,
) -> Result<Json<Row>, ApiError> {
    let data = Fields::new(&map).req_object("data")?.clone();
    app.companies.with(company, |c| {
        let mut t = table_mut(c, &app.extraction, &table_id)?;
        t.require_writable()?;
        let pos = t
            .data
            .row_position(&row_id)
            .ok_or_else(|| row_not_found(&row_id))?;
        let unknown = unknown_keys(&t, &data);
        if !unknown.is_empty() {
            return Err(ApiError::validation(format!(
                "Unknown column keys (not in the table's schema): {}",
                unknown.join(", ")
            )));
        }
        let columns = t.data.columns.clone();
        let row = Arc::make_mut(&mut t.data.rows[pos]);
        row.data.extend(data);
        row.is_edited = true;
        row.validate(&columns);
        let row = row.clone();
        t.table.updated_at = clock::now_iso();
        Ok(Json(row))
    })
}

/// `DELETE /tables/{table_id}/rows/{row_id}` (operation `tables.delete_row`): `204`,
/// also when the row is already gone.
pub async fn delete(
    State(app): State<AppState>,
    company: CompanyId,
    Path((table_id, row_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    app.companies.with(company, |c| {
        let mut t = table_mut(c, &app.extraction, &table_id)?;
        t.require_writable()?;
        if let Some(pos) = t.data.row_position(&row_id) {
            t.data.rows.remove(pos);
            t.data.traces.remove(&row_id);
            t.table.total_rows = t.data.rows.len() as u64;
            t.table.updated_at = clock::now_iso();
        }
        Ok(StatusCode::NO_CONTENT)
    })
}

/// `POST /tables/{table_id}/rows/bulk-update` (operation `tables.bulk_update`): sets
/// `column_key` to `value` on the listed rows; unknown ids are ignored and the key is
/// not checked against the schema (the newer revision's behaviour).
pub async fn bulk_update(
    State(app): State<AppState>,
    company: CompanyId,
    Path(table_id): Path<String>,
    JsonObject(map): JsonObject,
) -> Result<Json<Value>, ApiError> {
    let fields = Fields::new(&map);
    let row_ids: HashSet<String> = fields
        .req_str_list("row_ids", 0, usize::MAX)?
        .into_iter()
        .map(str::to_owned)
        .collect();
    let column_key = fields.req_text("column_key")?.to_owned();
    let value = map.get("value").cloned().ok_or_else(|| missing("value"))?;
    app.companies.with(company, |c| {
        let mut t = table_mut(c, &app.extraction, &table_id)?;
        t.require_writable()?;
        let columns = t.data.columns.clone();
        let mut updated = 0u64;
        for row in t.data.rows.iter_mut().filter(|r| row_ids.contains(&r.id)) {
            let row = Arc::make_mut(row);
            row.data.insert(column_key.clone(), value.clone());
            row.is_edited = true;
            row.validate(&columns);
            updated += 1;
        }
        if updated > 0 {
            t.table.updated_at = clock::now_iso();
        }
        Ok(Json(json!({ "updated_count": updated })))
    })
}

/// `POST /tables/{table_id}/rows/bulk-delete` (operation `tables.bulk_delete`):
/// `row_ids` must not be empty; unknown ids are ignored.
pub async fn bulk_delete(
    State(app): State<AppState>,
    company: CompanyId,
    Path(table_id): Path<String>,
    JsonObject(map): JsonObject,
) -> Result<Json<Value>, ApiError> {
    let row_ids: HashSet<String> = Fields::new(&map)
        .req_str_list("row_ids", 1, usize::MAX)?
        .into_iter()
        .map(str::to_owned)
        .collect();
    app.companies.with(company, |c| {
        let mut t = table_mut(c, &app.extraction, &table_id)?;
        t.require_writable()?;
        let before = t.data.rows.len();
        t.data.rows.retain(|r| !row_ids.contains(&r.id));
        let deleted = before - t.data.rows.len();
        t.data.traces.retain(|id, _| !row_ids.contains(id));
        if deleted > 0 {
            t.table.total_rows = t.data.rows.len() as u64;
            t.table.updated_at = clock::now_iso();
        }
        Ok(Json(json!({ "deleted_count": deleted })))
    })
}
