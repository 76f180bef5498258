//! `/schemas` endpoints (lasso-api.md §2.6). Every company starts with the sample
//! schema `schema_sample` used by `tbl_sample`. Deleting a schema that a table still
//! uses is `409` (the newer revision's behaviour).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::Value;

use crate::app::AppState;
use crate::auth::CompanyId;
use crate::clock;
use crate::errors::ApiError;
use crate::extraction::catalogue::{field_of, first_number, Field};
use crate::extraction::schema::{default_columns, parse_columns, snake_case, Column, Mode, Schema};
use crate::input::{missing, Fields, JsonObject, Path, Query};
use crate::pagination::PageParams;

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("Schema not found: {id}"))
}

/// `GET /schemas` (operation `schemas.list`): newest first, with `columns_count`.
pub async fn list(
    State(app): State<AppState>,
    company: CompanyId,
    query: Query,
) -> Result<Json<Value>, ApiError> {
    let page = PageParams::from_query(&query)?;
    let body = app.companies.with(company, |c| {
        let mut schemas: Vec<&Schema> = c.extraction.schemas.values().collect();
        schemas.sort_by(|a, b| b.seq.cmp(&a.seq).then_with(|| a.id.cmp(&b.id)));
        let items: Vec<_> = page.slice(&schemas).iter().map(|s| s.list_item()).collect();
        page.envelope(&items, schemas.len())
    });
    Ok(Json(body))
}

/// `POST /schemas` (operation `schemas.create`): `201` Schema.
pub async fn create(
    State(app): State<AppState>,
    company: CompanyId,
    JsonObject(map): JsonObject,
) -> Result<(StatusCode, Json<Schema>), ApiError> {
    let fields = Fields::new(&map);
    let name = fields.req_text("name")?.trim().to_owned();
    let description = fields.opt_str("description")?.map(str::to_owned);
    let is_default = fields.opt_bool("is_default")?.unwrap_or(false);
    let key = app.extraction.company_key(company);
    let columns_value = fields.get("columns").ok_or_else(|| missing("columns"))?;
    let columns = parse_columns("columns", columns_value, Mode::Schema, key)?;
    let schema = app.companies.with(company, |c| {
        insert_schema(&mut c.extraction, key, name, description, is_default, columns)
    });
    Ok((StatusCode::CREATED, Json(schema)))
}

fn insert_schema(
    extraction: &mut crate::extraction::Extraction,
    key: u64,
    name: String,
    description: Option<String>,
    is_default: bool,
    columns: Vec<Column>,
) -> Schema {
    let now = clock::now_iso();
    let schema = Schema {
        id: extraction.next_id(key, "schema"),
        name,
        description,
        is_default,
        columns,
        created_at: now.clone(),
        updated_at: now,
        seq: extraction.next_seq(),
    };
    if is_default {
        extraction.schemas.values_mut().for_each(|s| s.is_default = false);
    }
    extraction.schemas.insert(schema.id.clone(), schema.clone());
    schema
}

/// `GET /schemas/{schema_id}` (operation `schemas.get`).
pub async fn get(
    State(app): State<AppState>,
    company: CompanyId,
    Path(id): Path<String>,
) -> Result<Json<Schema>, ApiError> {
    app.companies
        .with(company, |c| c.extraction.schemas.get(&id).cloned())
        .map(Json)
        .ok_or_else(|| not_found(&id))
}

/// `PUT /schemas/{schema_id}` (operation `schemas.update`): all fields optional;
/// `columns` replaces the whole list and must not be empty. Tables keep their copy.
pub async fn update(
    State(app): State<AppState>,
    company: CompanyId,
    Path(id): Path<String>,
    JsonObject(map): JsonObject,
) -> Result<Json<Schema>, ApiError> {
    let fields = Fields::new(&map);
    let name = fields.opt_text("name")?.map(|name| name.trim().to_owned());
    // Outer `None`: unchanged; `Some(None)`: cleared by `null`.
    let description = fields.nullable_str("description")?;
    let is_default = fields.opt_bool("is_default")?;
    let key = app.extraction.company_key(company);
    let columns = match fields.get("columns") {
        Some(value) => Some(parse_columns("columns", value, Mode::Schema, key)?),
        None => None,
    };
    app.companies.with(company, |c| {
        let schemas = &mut c.extraction.schemas;
        if !schemas.contains_key(&id) {
            return Err(not_found(&id));
        }
        if is_default == Some(true) {
            schemas.values_mut().for_each(|s| s.is_default = false);
        }
        let schema = schemas.get_mut(&id).ok_or_else(|| not_found(&id))?;
        if let Some(name) = name {
            schema.name = name;
        }
        if let Some(description) = description {
            schema.description = description.map(str::to_owned);
        }
        if let Some(flag) = is_default {
            schema.is_default = flag;
        }
        if let Some(columns) = columns {
            schema.columns = columns;
        }
        schema.updated_at = clock::now_iso();
        Ok(Json(schema.clone()))
    })
}

/// `DELETE /schemas/{schema_id}` (operation `schemas.delete`): `204`, or `409` while
/// a table uses the schema.
pub async fn delete(
    State(app): State<AppState>,
    company: CompanyId,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    app.companies.with(company, |c| {
        if !c.extraction.schemas.contains_key(&id) {
            return Err(not_found(&id));
        }
        let users: Vec<&str> = c
            .tables
            .values()
            .filter(|t| t.schema_id == id)
            .map(|t| t.id.as_str())
            .collect();
        if !users.is_empty() {
            return Err(ApiError::conflict(format!(
                "Schema {id} is still used by {} table(s) ({}); delete them first",
                users.len(),
                users.join(", ")
            )));
        }
        c.extraction.schemas.remove(&id);
        Ok(StatusCode::NO_CONTENT)
    })
}

/// `POST /schemas/generate` (operation `schemas.generate`): derives columns from
/// `sample_data` (a CSV header row and its first data row, or field names mentioned
/// in free text) and saves the schema (`201`).
pub async fn generate(
    State(app): State<AppState>,
    company: CompanyId,
    JsonObject(map): JsonObject,
) -> Result<(StatusCode, Json<Schema>), ApiError> {
    let fields = Fields::new(&map);
    let sample = fields.req_text("sample_data")?;
    let sample: String = sample.chars().take(5000).collect();
    let name = fields.opt_text("name")?.map(|name| name.trim().to_owned());
    let key = app.extraction.company_key(company);
    let columns = generated_columns(&sample, key);
    let name = name.unwrap_or_else(|| {
        let first: String = sample.lines().next().unwrap_or("").chars().take(40).collect();
        format!("Generated schema: {}", first.trim())
    });
    let description = Some(format!(
        "Generated from {} characters of sample data",
        sample.chars().count()
    ));
    let schema = app.companies.with(company, |c| {
        insert_schema(&mut c.extraction, key, name, description, false, columns)
    });
    Ok((StatusCode::CREATED, Json(schema)))
}

const DELIMITERS: [char; 4] = [',', ';', '\t', '|'];

fn generated_columns(sample: &str, key: u64) -> Vec<Column> {
    let mut lines = sample.lines().map(str::trim).filter(|l| !l.is_empty());
    let header = lines.next().unwrap_or("");
    let delimiter = DELIMITERS
        .into_iter()
        .max_by_key(|d| header.matches(*d).count())
        .filter(|d| header.matches(*d).count() >= 1)
        // A sentence with commas is prose, not a header row.
        .filter(|d| {
            !header.ends_with('.') && header.split(*d).all(|cell| cell.split_whitespace().count() <= 4)
        });
    let mut columns: Vec<Column> = Vec::new();
    if let Some(delimiter) = delimiter {
        let first_row: Vec<&str> = lines
            .next()
            .map(|l| l.split(delimiter).collect())
            .unwrap_or_default();
        for (i, label) in header.split(delimiter).enumerate() {
            let label = label.trim().trim_matches('"').trim();
            if label.is_empty() {
                continue;
            }
            let column_key = snake_case(label);
            if columns.iter().any(|c| c.key == column_key) {
                continue;
            }
            let ty = infer_type(label, first_row.get(i).map(|v| v.trim().trim_matches('"')));
            columns.push(Column::simple(key, &column_key, label, ty));
        }
    } else {
        let text = sample.to_lowercase();
        for (word, column_key, label, ty) in MENTIONS {
            if text.contains(word) && !columns.iter().any(|c| c.key == *column_key) {
                columns.push(Column::simple(key, column_key, label, ty));
            }
        }
    }
    if columns.len() < 2 {
        return default_columns(key);
    }
    columns
}

const MENTIONS: &[(&str, &str, &str, &str)] = &[
    ("name", "name", "Name", "text"),
    ("title", "name", "Name", "text"),
    ("brand", "brand", "Brand", "text"),
    ("manufacturer", "brand", "Brand", "text"),
    ("sku", "sku", "SKU", "text"),
    ("ean", "ean", "EAN", "text"),
    ("gtin", "ean", "EAN", "text"),
    ("price", "price", "Price", "number"),
    ("description", "description", "Description", "richtext"),
    ("category", "category", "Category", "text"),
    ("color", "color", "Color", "text"),
    ("colour", "color", "Color", "text"),
    ("size", "size", "Size", "text"),
    ("material", "material", "Material", "text"),
    ("weight", "weight", "Weight", "number"),
    ("image", "image_url", "Image", "image"),
    ("photo", "image_url", "Image", "image"),
    ("url", "url", "URL", "url"),
    ("link", "url", "URL", "url"),
    ("feature", "features", "Features", "tags"),
    ("stock", "in_stock", "In stock", "boolean"),
    ("rating", "rating", "Rating", "number"),
];

fn infer_type(label: &str, sample: Option<&str>) -> &'static str {
    if let Some(value) = sample.filter(|v| !v.is_empty()) {
        let lower = value.to_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            let image = [".jpg", ".jpeg", ".png", ".webp", ".gif"]
                .iter()
                .any(|e| lower.ends_with(e));
            return if image { "image" } else { "url" };
        }
        if matches!(lower.as_str(), "true" | "false" | "yes" | "no") {
            return "boolean";
        }
        if value.contains('@') && !value.contains(' ') {
            return "email";
        }
        if clock::parse_date_or_datetime(value).is_some() {
            return "date";
        }
        let digits_only = value
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '$' | '€' | ' '));
        if digits_only
            && first_number(value).is_some()
            && field_of(label) != Some(Field::Sku)
            && field_of(label) != Some(Field::Gtin)
        {
            return "number";
        }
    }
    match field_of(label) {
        Some(Field::Price | Field::Weight | Field::Rating) => "number",
        Some(Field::Image) => "image",
        Some(Field::Images) => "images",
        Some(Field::Url) => "url",
        Some(Field::Features) => "tags",
        Some(Field::InStock) => "boolean",
        Some(Field::ReleaseDate) => "date",
        Some(Field::Description) => "richtext",
        _ => "text",
    }
}
