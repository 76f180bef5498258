//! `/attributes` endpoints (lasso-api.md §2.7): the company attribute dictionary.
//!
//! Follows the newer behaviour where the docs disagree: keys match
//! `^[a-zA-Z0-9][a-zA-Z0-9_/]*$`, delete refuses attributes that are in use
//! (`409 attribute_in_use`) instead of cascading, and rename is atomic.

use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::app::AppState;
use crate::auth::CompanyId;
use crate::catalog_state::{Attribute, CatalogState, ATTRIBUTE_TYPES};
use crate::errors::{ApiError, Result};
use crate::isotime::{format_ms, parse_ms, Millis};
use crate::json_input::{self as input, field_name, invalid, missing};
use crate::pagination::{param, query_pairs, PageParams};
use crate::state::Company;
use crate::webhook_delivery::{self, Event};

const MAX_BULK: usize = 500;

const FORMAT_OUTPUT_TYPES: [&str; 7] = ["text", "number", "boolean", "json", "richtext", "file", "image"];

const INPUT_FIELDS: [&str; 15] = [
    "key",
    "label",
    "type",
    "format_output_type",
    "enum_values",
    "tags_values",
    "allow_custom_values",
    "boolean_config",
    "number_config",
    "relation_config",
    "description",
    "validation",
    "language",
    "image_config",
    "is_reviewed",
];

const UPDATE_FIELDS: [&str; 18] = [
    "key",
    "type",
    "label",
    "format_output_type",
    "enum_values",
    "tags_values",
    "allow_custom_values",
    "boolean_config",
    "number_config",
    "relation_config",
    "description",
    "validation",
    "language",
    "image_config",
    "is_reviewed",
    "detach",
    "expected_updated_at",
    "attribute_id",
];

const NUMBER_CONFIG_FIELDS: [&str; 4] = ["unit", "unit_position", "format_style", "file_export"];

const IMAGE_CONFIG_FIELDS: [&str; 8] = [
    "format",
    "required_aspect_ratio",
    "required_background_color",
    "max_size_mb",
    "min_width",
    "min_height",
    "max_width",
    "max_height",
];

/// `^[a-zA-Z0-9][a-zA-Z0-9_/]*$`
pub fn valid_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '/')
}

fn key_field(map: &Map<String, Value>, name: &str, prefix: &str) -> Result<String> {
    let key = input::required_str(map, name, prefix)?;
    if !valid_key(&key) {
        return Err(invalid(
            &field_name(prefix, name),
            "letters, digits, '_' and '/', starting with a letter or digit (^[a-zA-Z0-9][a-zA-Z0-9_/]*$)",
        ));
    }
    Ok(key)
}

/// The optional fields shared by create/upsert and update. Outer `None`: absent.
#[derive(Default)]
struct Fields {
    label: Option<String>,
    format_output_type: Option<Option<String>>,
    enum_values: Option<Option<Vec<String>>>,
    tags_values: Option<Option<Vec<String>>>,
    allow_custom_values: Option<bool>,
    boolean_config: Option<Option<Map<String, Value>>>,
    number_config: Option<Option<Map<String, Value>>>,
    relation_config: Option<Option<Map<String, Value>>>,
    description: Option<Option<String>>,
    validation: Option<Option<Map<String, Value>>>,
    language: Option<Option<String>>,
    image_config: Option<Option<Map<String, Value>>>,
    is_reviewed: Option<bool>,
}

fn check_sub_object(object: &Option<Option<Map<String, Value>>>, allowed: &[&str], name: &str) -> Result<()> {
    if let Some(Some(map)) = object {
        input::reject_unknown(map, allowed, name)?;
    }
    Ok(())
}

impl Fields {
    fn parse(map: &Map<String, Value>, prefix: &str) -> Result<Fields> {
        let format_output_type = match map.get("format_output_type") {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::String(t)) if FORMAT_OUTPUT_TYPES.contains(&t.as_str()) => Some(Some(t.clone())),
            Some(_) => {
                return Err(invalid(
                    &field_name(prefix, "format_output_type"),
                    &format!("one of {} or null", FORMAT_OUTPUT_TYPES.join(", ")),
                ))
            }
        };
        let fields = Fields {
            label: input::optional_str(map, "label", prefix)?,
            format_output_type,
            enum_values: input::nullable_strings(map, "enum_values", prefix)?,
            tags_values: input::nullable_strings(map, "tags_values", prefix)?,
            allow_custom_values: input::optional_bool(map, "allow_custom_values", prefix)?,
            boolean_config: input::nullable_object(map, "boolean_config", prefix)?,
            number_config: input::nullable_object(map, "number_config", prefix)?,
            relation_config: input::nullable_object(map, "relation_config", prefix)?,
            description: input::nullable_str(map, "description", prefix)?,
            validation: input::nullable_object(map, "validation", prefix)?,
            language: input::nullable_str(map, "language", prefix)?,
            image_config: input::nullable_object(map, "image_config", prefix)?,
            is_reviewed: input::optional_bool(map, "is_reviewed", prefix)?,
        };
        check_sub_object(
            &fields.number_config,
            &NUMBER_CONFIG_FIELDS,
            &field_name(prefix, "number_config"),
        )?;
        check_sub_object(
            &fields.image_config,
            &IMAGE_CONFIG_FIELDS,
            &field_name(prefix, "image_config"),
        )?;
        Ok(fields)
    }

    /// Type-dependent rules, checked against the attribute's (immutable) type.
    fn check_for_type(&self, kind: &str, prefix: &str) -> Result<()> {
        if kind != "format" && matches!(self.format_output_type, Some(Some(_))) {
            return Err(ApiError::validation(format!(
                "Invalid field {}: only valid for format attributes",
                field_name(prefix, "format_output_type")
            )));
        }
        if !matches!(kind, "number" | "format") && matches!(self.number_config, Some(Some(_))) {
            return Err(ApiError::validation(format!(
                "Invalid field {}: only valid for number or format attributes",
                field_name(prefix, "number_config")
            )));
        }
        Ok(())
    }

    /// Applies the present fields; absent ones keep their current value.
    fn apply(self, attribute: &mut Attribute) {
        if let Some(label) = self.label {
            attribute.label = label;
        }
        if let Some(output) = self.format_output_type {
            if attribute.kind == "format" {
                attribute.format_output_type = Some(output.unwrap_or_else(|| "text".into()));
            }
        }
        if let Some(v) = self.enum_values {
            attribute.enum_values = v;
        }
        if let Some(v) = self.tags_values {
            attribute.tags_values = v;
        }
        if let Some(v) = self.allow_custom_values {
            attribute.allow_custom_values = v;
        }
        if let Some(v) = self.boolean_config {
            attribute.boolean_config = v;
        }
        if let Some(v) = self.number_config {
            attribute.number_config = v;
        }
        if let Some(v) = self.relation_config {
            attribute.relation_config = v;
        }
        if let Some(v) = self.description {
            attribute.description = v;
        }
        if let Some(v) = self.validation {
            attribute.validation = v;
        }
        if let Some(v) = self.language {
            attribute.language = v;
        }
        // An empty object clears the canonical image requirements.
        if let Some(v) = self.image_config {
            attribute.image_config = v.filter(|m| !m.is_empty());
        }
        if let Some(v) = self.is_reviewed {
            attribute.is_reviewed = v;
        }
    }
}

/// One validated `AttributeInput`.
struct AttributeInput {
    key: String,
    kind: String,
    fields: Fields,
}

fn parse_input(map: &Map<String, Value>, prefix: &str) -> Result<AttributeInput> {
    let key = key_field(map, "key", prefix)?;
    if !matches!(map.get("label"), Some(v) if !v.is_null()) {
        return Err(missing(&field_name(prefix, "label")));
    }
    let kind = match map.get("type") {
        None | Some(Value::Null) => return Err(missing(&field_name(prefix, "type"))),
        Some(Value::String(t)) if ATTRIBUTE_TYPES.contains(&t.as_str()) => t.clone(),
        Some(_) => {
            return Err(invalid(
                &field_name(prefix, "type"),
                &format!("one of {}", ATTRIBUTE_TYPES.join(", ")),
            ))
        }
    };
    let fields = Fields::parse(map, prefix)?;
    input::reject_unknown(map, &INPUT_FIELDS, prefix)?;
    fields.check_for_type(&kind, prefix)?;
    Ok(AttributeInput { key, kind, fields })
}

fn type_conflict(existing: &Attribute, requested: &str) -> ApiError {
    ApiError::conflict(format!(
        "Attribute type is immutable: '{}' is of type {}, not {requested}",
        existing.key, existing.kind
    ))
    .code("attribute_type_immutable")
    .with("attribute_id", existing.id.clone())
    .with("attribute_key", existing.key.clone())
}

fn not_found(key: &str) -> ApiError {
    ApiError::not_found(format!("Attribute not found: {key}"))
        .code("attribute_not_found")
        .with("attribute_key", key)
}

/// Checks that `input` can be upserted (type immutability).
fn check_upsert(catalog: &CatalogState, input: &AttributeInput) -> Result<()> {
    match catalog.attributes.get(&input.key) {
        Some(existing) if existing.kind != input.kind => Err(type_conflict(existing, &input.kind)),
        _ => Ok(()),
    }
}

/// Creates or updates at time `now`; returns the attribute and whether it is new.
fn upsert(catalog: &mut CatalogState, input: AttributeInput, now: Millis) -> (Attribute, bool) {
    if let Some(existing) = catalog.attributes.get_mut(&input.key) {
        input.fields.apply(existing);
        existing.updated_ms = now;
        existing.updated_at = format_ms(now);
        return (existing.clone(), false);
    }
    let timestamp = format_ms(now);
    let mut attribute = Attribute {
        id: Uuid::new_v4().to_string(),
        key: input.key.clone(),
        label: String::new(),
        format_output_type: (input.kind == "format").then(|| "text".to_owned()),
        kind: input.kind,
        enum_values: None,
        tags_values: None,
        allow_custom_values: true,
        boolean_config: None,
        number_config: None,
        relation_config: None,
        description: None,
        validation: None,
        language: None,
        image_config: None,
        status: "active".into(),
        archived_at: None,
        is_reviewed: false,
        source_id: None,
        external_id: None,
        source_synced_at: None,
        created_at: timestamp.clone(),
        updated_at: timestamp,
        updated_ms: now,
    };
    input.fields.apply(&mut attribute);
    catalog.attributes.insert(input.key, attribute.clone());
    (attribute, true)
}

fn event_data(attribute: &Attribute) -> Value {
    json!({ "attribute_id": attribute.id, "attribute": attribute })
}

fn attribute_event(catalog: &CatalogState, name: &'static str, attribute: &Attribute) -> Option<Event> {
    catalog.event(name, || event_data(attribute))
}

/// `GET /attributes` (operation `attributes.list`): ordered by key; `search` is a
/// case-insensitive key substring, `type` an exact type, `include_archived=true`
/// includes archived ones (none can be archived through the API).
pub async fn list(
    State(app): State<AppState>,
    company: CompanyId,
    query: std::result::Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<Value>> {
    let pairs = query_pairs(query)?;
    let page = PageParams::from_pairs(&pairs)?;
    let search = param(&pairs, "search").map(str::to_lowercase);
    let kind = input::query_enum(param(&pairs, "type"), "type", &ATTRIBUTE_TYPES)?;
    let include_archived = param(&pairs, "include_archived") == Some("true");
    let body = app.companies.with(company, |c| {
        let matching: Vec<&Attribute> = c
            .catalog
            .attributes
            .values()
            .filter(|a| include_archived || a.status == "active")
            .filter(|a| kind.is_none_or(|k| a.kind == k))
            .filter(|a| search.as_deref().is_none_or(|s| a.key.to_lowercase().contains(s)))
            .collect();
        page.envelope(page.slice(&matching), matching.len())
    });
    Ok(Json(body))
}

/// `POST /attributes` (operation `attributes.create`): a single attribute (`201` new,
/// `200` upsert of an existing key) or `{attributes: [...]}` (1–500, atomic, `200
/// {data}`).
pub async fn create(State(app): State<AppState>, company: CompanyId, body: Bytes) -> Result<Response> {
    let map = input::object(&body)?;
    if map.contains_key("attributes") {
        return bulk(app, company, map).await;
    }
    let parsed = parse_input(&map, "")?;
    let (attribute, created, events) = app.companies.with(company, |c| {
        check_upsert(&c.catalog, &parsed)?;
        let now = c.catalog.tick();
        let (attribute, created) = upsert(&mut c.catalog, parsed, now);
        let name = if created {
            "attribute.created"
        } else {
            "attribute.updated"
        };
        let events: Vec<Event> = attribute_event(&c.catalog, name, &attribute)
            .into_iter()
            .collect();
        Ok::<_, ApiError>((attribute, created, events))
    })?;
    webhook_delivery::dispatch(&app, company, events);
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(attribute)).into_response())
}

async fn bulk(app: AppState, company: CompanyId, map: Map<String, Value>) -> Result<Response> {
    input::reject_unknown(&map, &["attributes"], "")?;
    let items = match map.get("attributes") {
        Some(Value::Array(items)) => items,
        _ => return Err(invalid("attributes", "an array of attribute objects")),
    };
    if items.is_empty() || items.len() > MAX_BULK {
        return Err(invalid(
            "attributes",
            &format!("an array of 1 to {MAX_BULK} items, got {}", items.len()),
        ));
    }
    let mut inputs = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let prefix = format!("attributes[{i}]");
        let Value::Object(object) = item else {
            return Err(invalid(&prefix, "an object"));
        };
        let parsed = parse_input(object, &prefix)?;
        if let Some(j) = inputs.iter().position(|p: &AttributeInput| p.key == parsed.key) {
            return Err(ApiError::validation(format!(
                "Invalid field {prefix}.key: duplicate of attributes[{j}].key '{}'",
                parsed.key
            )));
        }
        inputs.push(parsed);
    }
    let (data, events) = app.companies.with(company, |c| {
        // Atomic: check everything before writing anything.
        for parsed in &inputs {
            check_upsert(&c.catalog, parsed)?;
        }
        // One timestamp for the whole batch.
        let now = c.catalog.tick();
        let mut data = Vec::with_capacity(inputs.len());
        let mut events = Vec::new();
        for parsed in inputs {
            let (attribute, created) = upsert(&mut c.catalog, parsed, now);
            let name = if created {
                "attribute.created"
            } else {
                "attribute.updated"
            };
            events.extend(attribute_event(&c.catalog, name, &attribute));
            data.push(attribute);
        }
        Ok::<_, ApiError>((data, events))
    })?;
    webhook_delivery::dispatch(&app, company, events);
    Ok(Json(json!({ "data": data })).into_response())
}

/// `GET /attributes/{key}` (operation `attributes.get`). Keys containing `/` are
/// sent URL-encoded (`%2F`).
pub async fn get(
    State(app): State<AppState>,
    company: CompanyId,
    Path(key): Path<String>,
) -> Result<Json<Attribute>> {
    app.companies
        .with(company, |c| c.catalog.attributes.get(&key).cloned())
        .map(Json)
        .ok_or_else(|| not_found(&key))
}

/// `PUT /attributes/{key}` (operation `attributes.update`): omitted fields stay,
/// `type` cannot change (`409`), `expected_updated_at` is a compare-and-set (`409
/// stale_write`), `detach: true` clears the source link, `key` is ignored.
pub async fn update(
    State(app): State<AppState>,
    company: CompanyId,
    Path(key): Path<String>,
    body: Bytes,
) -> Result<Json<Attribute>> {
    let map = input::object(&body)?;
    let fields = Fields::parse(&map, "")?;
    if matches!(map.get("label"), Some(Value::Null)) {
        return Err(invalid("label", "a non-empty string"));
    }
    if let Some(old_key) = map.get("key") {
        if !old_key.is_string() {
            return Err(invalid("key", "a string"));
        }
    }
    let requested_type = match map.get("type") {
        None => None,
        Some(Value::String(t)) => Some(t.clone()),
        Some(_) => return Err(invalid("type", "a string")),
    };
    let detach = input::optional_bool(&map, "detach", "")?.unwrap_or(false);
    let expected = match map.get("expected_updated_at") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => {
            Some(parse_ms(s).ok_or_else(|| invalid("expected_updated_at", "an ISO 8601 date-time"))?)
        }
        Some(_) => return Err(invalid("expected_updated_at", "an ISO 8601 date-time string")),
    };
    input::reject_unknown(&map, &UPDATE_FIELDS, "")?;
    let (attribute, events) = app.companies.with(company, |c| {
        let catalog = &mut c.catalog;
        let existing = catalog.attributes.get(&key).ok_or_else(|| not_found(&key))?;
        if let Some(t) = &requested_type {
            if *t != existing.kind {
                return Err(type_conflict(existing, t));
            }
        }
        if let Some(expected) = expected {
            if expected != existing.updated_ms {
                return Err(
                    ApiError::conflict("Attribute was modified; refetch it before retrying")
                        .code("stale_write")
                        .with("current_updated_at", existing.updated_at.clone())
                        .with("attribute_id", existing.id.clone())
                        .with("attribute_key", existing.key.clone()),
                );
            }
        }
        fields.check_for_type(&existing.kind, "")?;
        let now = catalog.tick();
        let attribute = catalog.attributes.get_mut(&key).expect("checked above");
        fields.apply(attribute);
        if detach {
            attribute.source_id = None;
            attribute.external_id = None;
            attribute.source_synced_at = None;
        }
        attribute.updated_ms = now;
        attribute.updated_at = format_ms(now);
        let attribute = attribute.clone();
        let events: Vec<Event> = attribute_event(catalog, "attribute.updated", &attribute)
            .into_iter()
            .collect();
        Ok((attribute, events))
    })?;
    webhook_delivery::dispatch(&app, company, events);
    Ok(Json(attribute))
}

/// How many of the company's schemas have a column with this key.
fn schemas_using(company: &Company, key: &str) -> usize {
    company
        .extraction
        .schemas
        .values()
        .filter(|schema| schema.columns.iter().any(|column| column.key == key))
        .count()
}

/// `DELETE /attributes/{key}` (operation `attributes.delete`): `204` when unused,
/// else `409 attribute_in_use` with the dependency counts; nothing cascades.
pub async fn delete(
    State(app): State<AppState>,
    company: CompanyId,
    Path(key): Path<String>,
) -> Result<StatusCode> {
    let events = app.companies.with(company, |c| {
        let schemas = schemas_using(c, &key);
        let catalog = &mut c.catalog;
        let existing = catalog.attributes.get(&key).ok_or_else(|| not_found(&key))?;
        let products = catalog.products_using(existing);
        if products + schemas > 0 {
            return Err(ApiError::conflict(format!("Attribute is still in use: {key}"))
                .code("attribute_in_use")
                .with("attribute_id", existing.id.clone())
                .with("attribute_key", key.clone())
                .with("key", key.clone())
                .with("total_count", products + schemas)
                .with(
                    "dependencies",
                    json!({
                        "schemas": { "count": schemas },
                        "catalog_products": { "count": products },
                    }),
                ));
        }
        let removed = catalog.attributes.remove(&key).expect("checked above");
        Ok(attribute_event(catalog, "attribute.deleted", &removed)
            .into_iter()
            .collect::<Vec<_>>())
    })?;
    webhook_delivery::dispatch(&app, company, events);
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /attributes/{key}/rename` (operation `attributes.rename`): atomic; renames
/// the key inside every catalog product too. Retrying with `attribute_id` after a
/// rename that already happened answers `200` again.
pub async fn rename(
    State(app): State<AppState>,
    company: CompanyId,
    Path(key): Path<String>,
    body: Bytes,
) -> Result<Json<Value>> {
    let map = input::object(&body)?;
    let new_key = key_field(&map, "new_key", "")?;
    let attribute_id = input::optional_str(&map, "attribute_id", "")?;
    input::nullable_str(&map, "expected_impact_revision", "")?;
    input::reject_unknown(&map, &["new_key", "attribute_id", "expected_impact_revision"], "")?;
    let (body, events) = app.companies.with(company, |c| {
        let new_key_in_schemas = schemas_using(c, &new_key);
        let catalog = &mut c.catalog;
        let existing = match catalog.attributes.get(&key) {
            Some(existing) => {
                if attribute_id.as_deref().is_some_and(|id| id != existing.id) {
                    return Err(not_found(&key));
                }
                existing.clone()
            }
            None => {
                // A retry of a rename that already happened resolves by id.
                let done = attribute_id
                    .as_deref()
                    .and_then(|id| catalog.attribute_by_id(id))
                    .filter(|a| a.key == new_key)
                    .cloned();
                return match done {
                    Some(attribute) => Ok((rename_body(&key, &new_key, &attribute, 0, 0), Vec::new())),
                    None => Err(not_found(&key)),
                };
            }
        };
        if new_key == key {
            return Err(invalid("new_key", "different from the current key"));
        }
        if let Some(taken) = catalog.attributes.get(&new_key) {
            return Err(
                ApiError::conflict(format!("An attribute with key '{new_key}' already exists"))
                    .code("attribute_key_conflict")
                    .with("attribute_id", taken.id.clone())
                    .with("attribute_key", new_key.clone()),
            );
        }
        if new_key_in_schemas > 0 {
            return Err(ApiError::conflict(format!(
                "Key '{new_key}' is already used by a column of {new_key_in_schemas} schema(s)"
            ))
            .code("attribute_key_conflict")
            .with("attribute_key", new_key.clone()));
        }
        let now = catalog.tick();
        let mut updated = 0usize;
        for index in 0..catalog.products.len() {
            if catalog.products[index].attributes.contains_key(&key) {
                let rev = catalog.next_seq();
                let product = &mut catalog.products[index];
                let value = product.attributes.remove(&key).expect("checked");
                product.attributes.insert(new_key.clone(), value);
                product.updated_ms = now;
                product.rev = rev;
                updated += 1;
            }
        }
        let mut attribute = existing;
        catalog.attributes.remove(&key);
        attribute.key = new_key.clone();
        attribute.updated_ms = now;
        attribute.updated_at = format_ms(now);
        catalog.attributes.insert(new_key.clone(), attribute.clone());
        let events: Vec<Event> = attribute_event(catalog, "attribute.updated", &attribute)
            .into_iter()
            .collect();
        // Schema columns follow the key (the emulator's only other dependent data).
        let mut schemas = 0usize;
        for schema in c.extraction.schemas.values_mut() {
            let mut touched = false;
            for column in schema.columns.iter_mut().filter(|column| column.key == key) {
                column.key = new_key.clone();
                touched = true;
            }
            schemas += usize::from(touched);
        }
        Ok((rename_body(&key, &new_key, &attribute, updated, schemas), events))
    })?;
    webhook_delivery::dispatch(&app, company, events);
    Ok(Json(body))
}

fn rename_body(
    old_key: &str,
    new_key: &str,
    attribute: &Attribute,
    products: usize,
    schemas: usize,
) -> Value {
    let result = |updated: usize| json!({ "updated": updated, "errors": [], "error_count": 0, "code": "ok" });
    json!({
        "success": true,
        "partial": false,
        "old_key": old_key,
        "new_key": new_key,
        "updated_count": products + schemas,
        "error_count": 0,
        "attribute": attribute,
        "results": {
            "catalog_products": result(products),
            "schemas": result(schemas),
        },
    })
}
