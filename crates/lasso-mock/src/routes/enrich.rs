//! `POST /enrich` (lasso-api.md §2.2): fills the missing fields of each item from the
//! best-matching catalogue product (by name, brand, SKU…), shaped by `columns`,
//! `schema_id` or the default product schema, with a `basis` per filled field when
//! `web_search` is on. Costs 4/2/1 credits per item (`thinking` hard/medium/low).
//! More than 5 items, or a `webhook_url`, answers `202`; the result goes to the
//! (loopback) webhook as event `enrich.completed`.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use super::search::{accepted, inline_columns, output_columns};
use crate::app::AppState;
use crate::auth::CompanyId;
use crate::errors::ApiError;
use crate::extraction::billing::{self, Charge};
use crate::extraction::catalogue::{value_for, Catalogue};
use crate::extraction::schema::Column;
use crate::hash::fnv;
use crate::input::{Fields, JsonObject};

/// Items answered synchronously; more are processed asynchronously.
pub const SYNC_ITEMS: usize = 5;
pub const MAX_ITEMS: usize = 50;

/// `POST /enrich` (operation `enrich`).
pub async fn enrich(
    State(app): State<AppState>,
    company: CompanyId,
    JsonObject(map): JsonObject,
) -> Result<Response, ApiError> {
    let fields = Fields::new(&map);
    let mut inputs: Vec<Map<String, Value>> = Vec::new();
    for (i, item) in fields.req_objects("items", 1, MAX_ITEMS)?.into_iter().enumerate() {
        let prefix = format!("items[{i}]");
        inputs.push(Fields::nested(item, &prefix).req_object("data")?.clone());
    }
    fields.opt_str("context")?;
    fields.opt_str("model")?;
    fields.opt_bool("use_glossary")?;
    let web_search = fields.opt_bool("web_search")?.unwrap_or(true);
    let per_item = match fields.opt_one_of("thinking", &["hard", "medium", "low"])? {
        Some("hard") => 4.0,
        Some("low") => 1.0,
        _ => 2.0,
    };
    let webhook_url = fields.opt_url("webhook_url")?.map(str::to_owned);
    let key = app.extraction.company_key(company);
    let inline = inline_columns(&fields, key)?;
    let cost = per_item * inputs.len() as f64;
    let (id, columns) = app.companies.with(company, |c| {
        let columns = output_columns(c, &fields, inline, key)?;
        let charge = Charge {
            service: "product_enrich",
            cost,
            description: format!("Product enrichment: {} item(s)", inputs.len()),
            table: None,
            products: inputs.len() as u64,
        };
        let id = billing::bill_new_job(c, key, "enrich", charge)?;
        Ok::<_, ApiError>((id, columns))
    })?;
    let asynchronous = inputs.len() > SYNC_ITEMS || webhook_url.is_some();
    let enriched: Vec<Value> = inputs
        .into_iter()
        .map(|data| enrich_item(&app.extraction.catalogue, data, &columns, web_search))
        .collect();
    let result = json!({"id": id, "status": "completed", "items": enriched, "credits_used": cost});
    if !asynchronous {
        return Ok(Json(result).into_response());
    }
    Ok(accepted(
        &app,
        company,
        webhook_url,
        "enrich.completed",
        &id,
        cost,
        result,
    ))
}

fn is_blank(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(items)) => items.is_empty(),
        _ => false,
    }
}

fn enrich_item(
    catalogue: &Catalogue,
    mut data: Map<String, Value>,
    columns: &[Column],
    web_search: bool,
) -> Value {
    let text: String = data
        .values()
        .filter_map(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" ");
    let (product, score) = catalogue.best_match(&text);
    let salt = fnv(&[text.as_bytes()]);
    let confidence = match score {
        6.. => "high",
        3..=5 => "medium",
        _ => "low",
    };
    let mut basis = Vec::new();
    for column in columns {
        if !is_blank(data.get(&column.key)) {
            continue;
        }
        let value = value_for(product, column, salt);
        let shown = value
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| value.to_string());
        if web_search {
            let reasoning = if score > 0 {
                format!(
                    "The item matches {} by {}; its product page lists the {}.",
                    product.name,
                    product.brand,
                    column.label.to_lowercase()
                )
            } else {
                format!(
                    "No exact match was found; the value comes from the closest similar product, {}.",
                    product.name
                )
            };
            basis.push(json!({
                "field": column.key,
                "citations": [{
                    "url": product.url,
                    "title": format!("{} | {}", product.name, product.brand),
                    "excerpt": format!("{}: {}", column.label, shown.chars().take(160).collect::<String>()),
                }],
                "reasoning": reasoning,
                "confidence": confidence,
            }));
        }
        data.insert(column.key.clone(), value);
    }
    if web_search {
        json!({"data": data, "basis": basis})
    } else {
        json!({"data": data})
    }
}
