//! `/catalog` endpoints (lasso-api.md §2.11): company products with keyset cursor
//! pagination, sparse-merge updates with optimistic locking, soft deletes, lookup
//! by attribute value and an incremental changes feed.

use std::cmp::Ordering;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::accepted::{PRODUCT_SOURCE, PRODUCT_STATUS};
use crate::app::AppState;
use crate::auth::CompanyId;
use crate::catalog_state::{CatalogState, Product};
use crate::clock::{format_ms, parse_ms};
use crate::errors::{ApiError, Result};
use crate::input::{invalid, invalid_param, Fields, JsonObject, Path, Query};
use crate::pagination::{bad_cursor, decode_cursor, encode_cursor};
use crate::state::Company;
use crate::webhook::catalog::{dispatch, Event};

const MAX_EXTENSIONS: usize = 2000;

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("Product not found: {id}"))
}

/// Column keys of a schema the company has, or `None` when the schema is unknown
/// to the emulator (then any attribute key is accepted).
fn schema_keys(company: &Company, schema_id: &str) -> Option<Vec<String>> {
    company
        .extraction
        .schemas
        .get(schema_id)
        .map(|schema| schema.columns.iter().map(|c| c.key.clone()).collect())
}

/// `422` listing the attribute keys that are neither schema columns nor product-only
/// extensions.
fn check_keys<'a>(
    company: &Company,
    schema_id: &str,
    keys: impl Iterator<Item = &'a String>,
    extension_keys: &[String],
) -> Result<()> {
    let Some(columns) = schema_keys(company, schema_id) else {
        return Ok(());
    };
    let unknown: Vec<&String> = keys
        .filter(|k| !columns.contains(k) && !extension_keys.contains(k))
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    let list: Vec<&str> = unknown.iter().map(|k| k.as_str()).collect();
    Err(ApiError::validation(format!(
        "Invalid field attributes: unknown attribute keys for schema {schema_id}: {}",
        list.join(", ")
    ))
    .with("details", json!({ "unknown_keys": list, "schema_id": schema_id })))
}

/// A uuid-ish id list: array of unique strings, at most 2000.
fn id_list(fields: Fields<'_>, name: &str) -> Result<Vec<String>> {
    let Some(items) = fields.opt_array(name)? else {
        return Ok(Vec::new());
    };
    let ids = crate::input::str_list(name, items, 0, MAX_EXTENSIONS)?;
    for (i, id) in ids.iter().enumerate() {
        if ids[..i].contains(id) {
            return Err(invalid(name, "must hold unique items"));
        }
    }
    Ok(ids.into_iter().map(str::to_owned).collect())
}

/// Resolves extension ids to attribute keys; `422` for ids not in the dictionary.
fn extension_keys(catalog: &CatalogState, ids: &[String], name: &str) -> Result<Vec<String>> {
    ids.iter()
        .map(|id| {
            catalog.attribute_by_id(id).map(|a| a.key.clone()).ok_or_else(|| {
                ApiError::validation(format!("Invalid field {name}: unknown attribute id {id}"))
            })
        })
        .collect()
}

fn product_event(catalog: &CatalogState, name: &'static str, product: &Product) -> Option<Event> {
    catalog.event(
        name,
        || json!({ "product_id": product.id, "product": catalog.product_json(product) }),
    )
}

fn events(event: Option<Event>) -> Vec<Event> {
    event.into_iter().collect()
}

// ---------------------------------------------------------------------------------
// Sorting and cursors

#[derive(Clone, Debug, PartialEq)]
enum SortField {
    UpdatedAt,
    CreatedAt,
    Attr(String),
}

impl SortField {
    fn parse(raw: Option<&str>) -> Result<SortField> {
        match raw {
            None | Some("updated_at") => Ok(SortField::UpdatedAt),
            Some("created_at") => Ok(SortField::CreatedAt),
            Some(attr) if attr.len() > 5 && attr.starts_with("attr:") => {
                Ok(SortField::Attr(attr[5..].to_owned()))
            }
            Some(other) => Err(ApiError::invalid_request(format!(
                "Invalid query parameter 'sort_field': must be updated_at, created_at or attr:<key>, got '{other}'"
            ))),
        }
    }

    fn name(&self) -> String {
        match self {
            SortField::UpdatedAt => "updated_at".into(),
            SortField::CreatedAt => "created_at".into(),
            SortField::Attr(key) => format!("attr:{key}"),
        }
    }

    fn value(&self, product: &Product) -> Value {
        match self {
            SortField::UpdatedAt => product.updated_ms.into(),
            SortField::CreatedAt => product.created_ms.into(),
            SortField::Attr(key) => product.attributes.get(key).cloned().unwrap_or(Value::Null),
        }
    }
}

/// A total order over JSON values: numbers, then strings, then booleans, then
/// arrays/objects (by their JSON text), then null.
fn cmp_values(a: &Value, b: &Value) -> Ordering {
    fn rank(v: &Value) -> u8 {
        match v {
            Value::Number(_) => 0,
            Value::String(_) => 1,
            Value::Bool(_) => 2,
            Value::Array(_) | Value::Object(_) => 3,
            Value::Null => 4,
        }
    }
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            x.partial_cmp(&y).unwrap_or(Ordering::Equal)
        }
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::Null, Value::Null) => Ordering::Equal,
        _ if rank(a) == rank(b) => a.to_string().cmp(&b.to_string()),
        _ => rank(a).cmp(&rank(b)),
    }
}

fn cursor_seq(map: &Map<String, Value>) -> Result<u64> {
    map.get("s").and_then(Value::as_u64).ok_or_else(bad_cursor)
}

fn page_size(query: &Query, default: u64) -> Result<usize> {
    Ok(query.int("page_size", default, 1, 200)? as usize)
}

// ---------------------------------------------------------------------------------
// Attribute filters (published docs): {"color":"red","price":{"op":"gt","value":10}}

#[derive(Debug)]
struct AttributeFilter {
    key: String,
    op: String,
    value: Value,
}

const FILTER_OPS: [&str; 9] = ["eq", "neq", "ne", "gt", "gte", "lt", "lte", "contains", "in"];

fn parse_filters(raw: Option<&str>) -> Result<Vec<AttributeFilter>> {
    let Some(raw) = raw else {
        return Ok(Vec::new());
    };
    let bad =
        |why: &str| ApiError::invalid_request(format!("Invalid query parameter 'attribute_filters': {why}"));
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(raw) else {
        return Err(bad("must be a JSON object"));
    };
    let mut filters = Vec::new();
    for (key, spec) in map {
        let filter = match spec {
            Value::Object(op) if op.contains_key("op") => {
                let name = op.get("op").and_then(Value::as_str).unwrap_or_default();
                if !FILTER_OPS.contains(&name) {
                    return Err(bad(&format!(
                        "op of '{key}' must be one of {}",
                        FILTER_OPS.join(", ")
                    )));
                }
                AttributeFilter {
                    key,
                    op: name.to_owned(),
                    value: op.get("value").cloned().unwrap_or(Value::Null),
                }
            }
            value => AttributeFilter {
                key,
                op: "eq".into(),
                value,
            },
        };
        filters.push(filter);
    }
    Ok(filters)
}

/// Loose equality: `"10"` matches `10`, `"true"` matches `true`.
fn loosely_equal(a: &Value, b: &Value) -> bool {
    if a == b {
        return true;
    }
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    match (a, b) {
        (Value::Number(x), Value::String(s)) | (Value::String(s), Value::Number(x)) => {
            s.trim().parse::<f64>().ok() == x.as_f64()
        }
        _ => matches!((text(a), text(b)), (Some(x), Some(y)) if x == y),
    }
}

impl AttributeFilter {
    fn matches(&self, product: &Product) -> bool {
        let actual = product.attributes.get(&self.key).unwrap_or(&Value::Null);
        let number = |v: &Value| match v {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        let order = || match (number(actual), number(&self.value)) {
            (Some(a), Some(b)) => a.partial_cmp(&b),
            _ => match (actual, &self.value) {
                (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
                _ => None,
            },
        };
        match self.op.as_str() {
            "eq" => loosely_equal(actual, &self.value),
            "neq" | "ne" => !loosely_equal(actual, &self.value),
            "gt" => order() == Some(Ordering::Greater),
            "gte" => matches!(order(), Some(Ordering::Greater | Ordering::Equal)),
            "lt" => order() == Some(Ordering::Less),
            "lte" => matches!(order(), Some(Ordering::Less | Ordering::Equal)),
            "contains" => match (actual, &self.value) {
                (Value::String(a), Value::String(b)) => a.to_lowercase().contains(&b.to_lowercase()),
                (Value::Array(items), v) => items.iter().any(|item| loosely_equal(item, v)),
                _ => false,
            },
            "in" => match &self.value {
                Value::Array(options) => options.iter().any(|o| loosely_equal(actual, o)),
                _ => false,
            },
            _ => false,
        }
    }
}

// ---------------------------------------------------------------------------------
// Handlers

/// `GET /catalog` (operation `catalog.list`): live products, newest first by
/// `updated_at` unless `sort_field`/`sort_dir` say otherwise; `{products,
/// next_cursor}` with `next_cursor: null` on the last page.
pub async fn list(State(app): State<AppState>, company: CompanyId, query: Query) -> Result<Json<Value>> {
    let size = page_size(&query, 50)?;
    let status = query.one_of("status", &PRODUCT_STATUS)?;
    let source = query.one_of("source", &PRODUCT_SOURCE)?;
    let search = query
        .get("search")
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty());
    let schema_id = query.get("schema_id");
    let field = SortField::parse(query.get("sort_field"))?;
    let descending = !matches!(query.one_of("sort_dir", &["asc", "desc"])?, Some("asc"));
    let filters = parse_filters(query.get("attribute_filters"))?;
    let after = match decode_cursor(&query)? {
        None => None,
        Some(cursor) => {
            let same_sort = cursor.get("f").and_then(Value::as_str) == Some(field.name().as_str())
                && cursor.get("d").and_then(Value::as_bool) == Some(descending);
            if !same_sort {
                return Err(ApiError::invalid_request(
                    "Invalid query parameter 'cursor': it belongs to a different sort_field/sort_dir",
                ));
            }
            Some((
                cursor.get("v").cloned().unwrap_or(Value::Null),
                cursor_seq(&cursor)?,
            ))
        }
    };

    let body = app.companies.with(company, |c| {
        let catalog = &c.catalog;
        let mut rows: Vec<(Value, &Product)> = catalog
            .products
            .iter()
            .filter(|p| !p.is_deleted())
            .filter(|p| status.is_none_or(|s| p.status == s))
            .filter(|p| source.is_none_or(|s| p.source == s))
            .filter(|p| schema_id.is_none_or(|s| p.schema_id == s))
            .filter(|p| search.as_deref().is_none_or(|s| p.matches_text(s)))
            .filter(|p| filters.iter().all(|f| f.matches(p)))
            .map(|p| (field.value(p), p))
            .collect();
        let order = |a: &(Value, &Product), b: &(Value, &Product)| {
            let natural = cmp_values(&a.0, &b.0).then(a.1.seq.cmp(&b.1.seq));
            if descending {
                natural.reverse()
            } else {
                natural
            }
        };
        rows.sort_by(order);
        if let Some((value, seq)) = &after {
            rows.retain(|row| {
                let natural = cmp_values(&row.0, value).then(row.1.seq.cmp(seq));
                let natural = if descending { natural.reverse() } else { natural };
                natural == Ordering::Greater
            });
        }
        let has_more = rows.len() > size;
        rows.truncate(size);
        let next_cursor = match rows.last() {
            Some((value, product)) if has_more => Some(encode_cursor(&json!({
                "f": field.name(), "d": descending, "v": value, "s": product.seq,
            }))),
            _ => None,
        };
        let products: Vec<Value> = rows.iter().map(|(_, p)| catalog.product_json(p)).collect();
        json!({ "products": products, "next_cursor": next_cursor })
    });
    Ok(Json(body))
}

/// `POST /catalog` (operation `catalog.create`): `201` Product, `source: "manual"`,
/// `status: "draft"`.
pub async fn create(
    State(app): State<AppState>,
    company: CompanyId,
    JsonObject(map): JsonObject,
) -> Result<Response> {
    let fields = Fields::new(&map);
    let schema_id = fields.req_text("schema_id")?.to_owned();
    let attributes = fields.req_object("attributes")?.clone();
    let extension_ids = id_list(fields, "attribute_extension_ids")?;
    fields.reject_unknown(&["schema_id", "attributes", "attribute_extension_ids"])?;
    let (product, events) = app.companies.with(company, |c| {
        let ext_keys = extension_keys(&c.catalog, &extension_ids, "attribute_extension_ids")?;
        check_keys(c, &schema_id, attributes.keys(), &ext_keys)?;
        let catalog = &mut c.catalog;
        let now = catalog.tick();
        let seq = catalog.next_seq();
        let product = Product {
            id: Uuid::new_v4().to_string(),
            schema_id,
            source: "manual".into(),
            external_id: None,
            status: "draft".into(),
            attributes,
            extensions: extension_ids,
            created_ms: now,
            updated_ms: now,
            deleted_ms: None,
            seq,
            rev: seq,
            actions: vec![now],
        };
        catalog.insert_product(product.clone());
        let json = catalog.product_json(&product);
        Ok::<_, ApiError>((json, events(product_event(catalog, "product.created", &product))))
    })?;
    dispatch(&app, company, events);
    Ok((StatusCode::CREATED, Json(product)).into_response())
}

/// Hydrated `relations` for the single-product GET: for every attribute of type
/// `relation`, the referenced live products (by id) in summary form.
fn relations(catalog: &CatalogState, product: &Product) -> Value {
    let mut out = Map::new();
    for (key, value) in &product.attributes {
        let is_relation = catalog.attributes.get(key).is_some_and(|a| a.kind == "relation");
        if !is_relation {
            continue;
        }
        let ids: Vec<&str> = match value {
            Value::String(id) => vec![id.as_str()],
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let linked: Vec<Value> = ids
            .into_iter()
            .filter_map(|id| catalog.live_product(id))
            .map(|p| json!({ "id": p.id, "schema_id": p.schema_id, "status": p.status, "name": p.display_name() }))
            .collect();
        out.insert(key.clone(), Value::Array(linked));
    }
    Value::Object(out)
}

/// `GET /catalog/{id}` (operation `catalog.get`): the Product plus `relations`.
pub async fn get(
    State(app): State<AppState>,
    company: CompanyId,
    Path(id): Path<String>,
) -> Result<Json<Value>> {
    app.companies
        .with(company, |c| {
            let catalog = &c.catalog;
            catalog.live_product(&id).map(|p| {
                let mut json = catalog.product_json(p);
                json["relations"] = relations(catalog, p);
                json
            })
        })
        .map(Json)
        .ok_or_else(|| not_found(&id))
}

/// `PATCH /catalog/{id}` (operation `catalog.update`): sparse merge of `attributes`
/// (`null` removes a key; `status` sets the product status, as in the published
/// example), extension attach/detach, `expected_updated_at` compare-and-set.
pub async fn update(
    State(app): State<AppState>,
    company: CompanyId,
    Path(id): Path<String>,
    JsonObject(map): JsonObject,
) -> Result<Json<Value>> {
    let fields = Fields::new(&map);
    let mut attributes = fields.req_object("attributes")?.clone();
    let expected = fields.opt_timestamp("expected_updated_at")?;
    let attach = id_list(fields, "attribute_extension_ids")?;
    let detach = id_list(fields, "remove_attribute_extension_ids")?;
    fields.reject_unknown(&[
        "attributes",
        "expected_updated_at",
        "attribute_extension_ids",
        "remove_attribute_extension_ids",
    ])?;
    let status = match attributes.remove("status") {
        None => None,
        Some(Value::String(s)) if PRODUCT_STATUS.contains(&s.as_str()) => Some(s),
        Some(_) => {
            return Err(invalid(
                "attributes.status",
                "must be one of draft, active, archived (it sets the product status)",
            ))
        }
    };

    let (product, events) = app.companies.with(company, |c| {
        let catalog = &c.catalog;
        let current = catalog.live_product(&id).ok_or_else(|| not_found(&id))?;
        if let Some(expected) = expected {
            if expected != current.updated_ms {
                return Err(ApiError::stale_write("Product", &format_ms(current.updated_ms)));
            }
        }
        let attach_keys = extension_keys(catalog, &attach, "attribute_extension_ids")?;
        let detach_keys = extension_keys(catalog, &detach, "remove_attribute_extension_ids")?;
        let mut extensions = current.extensions.clone();
        for (i, removed) in detach.iter().enumerate() {
            if !extensions.contains(removed) {
                return Err(ApiError::validation(format!(
                    "Invalid field remove_attribute_extension_ids[{i}]: {removed} is not attached to this product"
                )));
            }
        }
        extensions.retain(|e| !detach.contains(e));
        for added in &attach {
            if !extensions.contains(added) {
                extensions.push(added.clone());
            }
        }
        let mut merged = current.attributes.clone();
        for key in &detach_keys {
            merged.remove(key);
        }
        for (key, value) in attributes {
            if value.is_null() {
                merged.remove(&key);
            } else {
                merged.insert(key, value);
            }
        }
        let ext_keys: Vec<String> = extensions
            .iter()
            .filter_map(|e| catalog.attribute_by_id(e).map(|a| a.key.clone()))
            .chain(attach_keys)
            .collect();
        let schema_id = current.schema_id.clone();
        check_keys(c, &schema_id, merged.keys(), &ext_keys)?;

        let catalog = &mut c.catalog;
        let now = catalog.tick();
        let rev = catalog.next_seq();
        let product = catalog.product_mut(&id).expect("checked above");
        product.rev = rev;
        product.attributes = merged;
        product.extensions = extensions;
        if let Some(status) = status {
            product.status = status;
        }
        product.updated_ms = now;
        product.actions.push(now);
        let product = product.clone();
        let json = catalog.product_json(&product);
        Ok((json, events(product_event(catalog, "product.updated", &product))))
    })?;
    dispatch(&app, company, events);
    Ok(Json(product))
}

/// `DELETE /catalog/{id}` (operation `catalog.delete`): soft delete, `200 {deleted:
/// true, id}`; the product is `404` afterwards but still in the changes feed.
pub async fn delete(
    State(app): State<AppState>,
    company: CompanyId,
    Path(id): Path<String>,
) -> Result<Json<Value>> {
    let events = app.companies.with(company, |c| {
        let catalog = &mut c.catalog;
        if catalog.live_product(&id).is_none() {
            return Err(not_found(&id));
        }
        let now = catalog.tick();
        let rev = catalog.next_seq();
        let product = catalog.product_mut(&id).expect("checked above");
        product.rev = rev;
        product.deleted_ms = Some(now);
        product.updated_ms = now;
        let product = product.clone();
        Ok(events(product_event(catalog, "product.deleted", &product)))
    })?;
    dispatch(&app, company, events);
    Ok(Json(json!({ "deleted": true, "id": id })))
}

/// `GET /catalog/lookup?key=&value=` (operation `catalog.lookup`): the oldest live
/// product whose attribute `key` equals `value` (numbers and booleans compared by
/// their text), else `404`.
pub async fn lookup(State(app): State<AppState>, company: CompanyId, query: Query) -> Result<Json<Value>> {
    let key = query.required("key")?;
    let valid = key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '/');
    if !valid {
        return Err(ApiError::invalid_request(
            "Invalid query parameter 'key': letters, digits, '_' and '/' only",
        ));
    }
    let value = query
        .get("value")
        .ok_or_else(|| ApiError::invalid_request("Missing required query parameter: value"))?;
    let wanted = Value::String(value.to_owned());
    app.companies
        .with(company, |c| {
            let catalog = &c.catalog;
            catalog
                .products
                .iter()
                .filter(|p| !p.is_deleted())
                .find(|p| {
                    p.attributes
                        .get(key)
                        .is_some_and(|v| !v.is_array() && !v.is_object() && loosely_equal(v, &wanted))
                })
                .map(|p| catalog.product_json(p))
        })
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("No product with {key} = {value}")))
}

/// `GET /catalog/changes` (operation `catalog.changes`): products (soft-deleted ones
/// included, with `deleted_at`) updated after `since`, oldest first. Every page of one
/// walk reports the first page's `sync_timestamp`; using it as the next `since`
/// neither misses nor repeats a change.
pub async fn changes(State(app): State<AppState>, company: CompanyId, query: Query) -> Result<Json<Value>> {
    let raw_since = query.required("since")?;
    let since =
        parse_ms(raw_since).ok_or_else(|| invalid_param("since", "an ISO 8601 timestamp", raw_since))?;
    let size = page_size(&query, 100)?;
    let status = query.one_of("status", &PRODUCT_STATUS)?;
    let schema_id = query.get("schema_id");
    let cursor = match decode_cursor(&query)? {
        None => None,
        Some(map) => {
            let position = map.get("u").and_then(Value::as_i64);
            let sync = map.get("t").and_then(Value::as_i64);
            match (position, sync) {
                (Some(u), Some(t)) => Some((u, cursor_seq(&map)?, t)),
                _ => return Err(bad_cursor()),
            }
        }
    };

    let body = app.companies.with(company, |c| {
        let sync = match cursor {
            Some((_, _, t)) => t,
            None => c.catalog.sync_point(),
        };
        let catalog = &c.catalog;
        let mut rows: Vec<&Product> = catalog
            .products
            .iter()
            .filter(|p| p.updated_ms > since)
            .filter(|p| status.is_none_or(|s| p.status == s))
            .filter(|p| schema_id.is_none_or(|s| p.schema_id == s))
            .filter(|p| match cursor {
                Some((u, r, _)) => (p.updated_ms, p.rev) > (u, r),
                None => true,
            })
            .collect();
        rows.sort_by_key(|p| (p.updated_ms, p.rev));
        let has_more = rows.len() > size;
        rows.truncate(size);
        let next_cursor = match rows.last() {
            Some(last) if has_more => Some(encode_cursor(
                &json!({ "u": last.updated_ms, "s": last.rev, "t": sync }),
            )),
            _ => None,
        };
        let products: Vec<Value> = rows.iter().map(|p| catalog.product_json(p)).collect();
        json!({
            "products": products,
            "next_cursor": next_cursor,
            "has_more": has_more,
            "sync_timestamp": format_ms(sync),
        })
    });
    Ok(Json(body))
}
