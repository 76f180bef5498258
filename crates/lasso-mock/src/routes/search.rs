//! `POST /search` (lasso-api.md §2.1): deterministic results from the built-in
//! catalogue, shaped by `columns`, `schema_id` or the default product schema.
//! 5 credits per search; with `webhook_url` the call answers `202` and the result is
//! POSTed to the (loopback) URL as event `search.completed`.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::app::AppState;
use crate::auth::CompanyId;
use crate::errors::ApiError;
use crate::extraction::billing::{self, Charge};
use crate::extraction::catalogue::shape;
use crate::extraction::schema::{default_columns, parse_columns, Column, Mode};
use crate::hash::fnv;
use crate::input::{Fields, JsonObject};
use crate::state::Company;
use crate::webhook::callbacks;

pub const SEARCH_COST: f64 = 5.0;

/// Inline `columns` of a search or enrich request, validated before any lookup.
pub fn inline_columns(fields: &Fields<'_>, key: u64) -> Result<Option<Vec<Column>>, ApiError> {
    if fields.has("schema_id") && fields.has("columns") {
        return Err(ApiError::validation(
            "Invalid fields 'schema_id' and 'columns': they are mutually exclusive, send only one",
        ));
    }
    fields.opt_str("schema_id")?;
    match fields.get("columns") {
        Some(value) => Ok(Some(parse_columns("columns", value, Mode::Inline, key)?)),
        None => Ok(None),
    }
}

/// The output shape: inline columns, the schema's columns (404 if unknown) or the
/// default product schema.
pub fn output_columns(
    company: &Company,
    fields: &Fields<'_>,
    inline: Option<Vec<Column>>,
    key: u64,
) -> Result<Vec<Column>, ApiError> {
    if let Some(columns) = inline {
        return Ok(columns);
    }
    match fields.get("schema_id").and_then(Value::as_str) {
        Some(id) => company
            .extraction
            .schemas
            .get(id)
            .map(|s| s.columns.clone())
            .ok_or_else(|| ApiError::not_found(format!("Schema not found: {id}"))),
        None => Ok(default_columns(key)),
    }
}

/// Delay before an async search/enrich result is delivered (scaled).
pub const ASYNC_DELAY: Duration = Duration::from_millis(300);

/// `POST /search` (operation `search`).
pub async fn search(
    State(app): State<AppState>,
    company: CompanyId,
    JsonObject(map): JsonObject,
) -> Result<Response, ApiError> {
    let fields = Fields::new(&map);
    let query = fields.req_text("query")?.to_owned();
    let max_results = fields.opt_int("max_results", 1, 7)?.unwrap_or(7) as usize;
    fields.opt_str("model")?;
    let webhook_url = fields.opt_url("webhook_url")?.map(str::to_owned);
    let key = app.extraction.company_key(company);
    let inline = inline_columns(&fields, key)?;
    let (id, columns) = app.companies.with(company, |c| {
        let columns = output_columns(c, &fields, inline, key)?;
        let charge = Charge {
            service: "product_search",
            cost: SEARCH_COST,
            description: format!("Product search: {}", query.chars().take(80).collect::<String>()),
            table: None,
            products: 0,
        };
        let id = billing::bill_new_job(c, key, "search", charge)?;
        Ok::<_, ApiError>((id, columns))
    })?;
    let salt = fnv(&[query.as_bytes()]);
    let results: Vec<Value> = app
        .extraction
        .catalogue
        .search(&query, max_results)
        .into_iter()
        .map(|(product, confidence)| {
            json!({
                "data": shape(product, &columns, salt),
                "source_url": product.url,
                "source_title": format!("{} | {}", product.name, product.brand),
                "confidence": confidence,
            })
        })
        .collect();
    let result = json!({
        "id": id,
        "status": "completed",
        "query": query,
        "total_results": results.len(),
        "results": results,
        "credits_used": SEARCH_COST,
    });
    if webhook_url.is_none() {
        return Ok(Json(result).into_response());
    }
    Ok(accepted(
        &app,
        company,
        webhook_url,
        "search.completed",
        &id,
        SEARCH_COST,
        result,
    ))
}

/// The `202` of an asynchronous search or enrich. With a `webhook_url`, `result` is
/// delivered there as `event` after [`ASYNC_DELAY`].
pub fn accepted(
    app: &AppState,
    company: CompanyId,
    webhook_url: Option<String>,
    event: &'static str,
    id: &str,
    cost: f64,
    result: Value,
) -> Response {
    if let Some(url) = webhook_url {
        let delay = app.extraction.scaled(ASYNC_DELAY);
        callbacks::spawn(app, company, url, event, delay, move |_| Some(result));
    }
    let body = json!({"id": id, "status": "processing", "estimated_credits": cost});
    (StatusCode::ACCEPTED, Json(body)).into_response()
}
