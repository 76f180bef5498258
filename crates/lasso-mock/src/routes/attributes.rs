//! `/attributes` endpoints (lasso-api.md §2.7): the company attribute dictionary.
//!
//! Follows the newer behaviour where the docs disagree: keys match
//! `^[a-zA-Z0-9][a-zA-Z0-9_/]*$`, delete refuses attributes that are in use
//! (`409 attribute_in_use`) instead of cascading, and rename is atomic.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::accepted::{ATTRIBUTES_CREATE_BODY, ATTRIBUTES_UPDATE_BODY, ATTRIBUTE_TYPE, FORMAT_OUTPUT_TYPE};
use crate::app::AppState;
use crate::auth::CompanyId;
use crate::catalog_state::{Attribute, CatalogState};
use crate::clock::{format_ms, Millis};
use crate::errors::{ApiError, Result};
use crate::input::{invalid, Fields, JsonObject, Path, Query};
use crate::pagination::PageParams;
use crate::state::Company;
use crate::webhook::catalog::{dispatch, Event};

const MAX_BULK: usize = 500;

/// What `PUT /attributes/{key}` takes besides its body's fields in the spec:
/// `key` (deprecated, ignored), `type` (a different one is refused as immutable)
/// and `attribute_id`, as the API does.
const UPDATE_AS_WELL: [&str; 3] = ["key", "type", "attribute_id"];

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

fn key_field(fields: Fields<'_>, name: &str) -> Result<String> {
    let key = fields.req_text(name)?;
    if !valid_key(key) {
        return Err(fields.invalid(
            name,
            "must be letters, digits, '_' and '/', starting with a letter or digit \
             (^[a-zA-Z0-9][a-zA-Z0-9_/]*$)",
        ));
    }
    Ok(key.to_owned())
}

/// The optional fields shared by create/upsert and update. Outer `None`: absent;
/// `Some(None)`: sent as `null`.
#[derive(Default)]
struct Changes {
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

/// A `null`able object whose own fields are limited to `allowed`.
fn config(
    fields: Fields<'_>,
    key: &str,
    allowed: Option<&[&str]>,
) -> Result<Option<Option<Map<String, Value>>>> {
    let config = fields.nullable_object(key)?;
    if let (Some(Some(map)), Some(allowed)) = (config, allowed) {
        Fields::nested(map, &fields.name(key)).reject_unknown(allowed)?;
    }
    Ok(config.map(|object| object.cloned()))
}

fn nullable_text(fields: Fields<'_>, key: &str) -> Result<Option<Option<String>>> {
    Ok(fields.nullable_str(key)?.map(|text| text.map(str::to_owned)))
}

/// Sets `target` when the field was sent.
fn set<T>(target: &mut T, value: Option<T>) {
    if let Some(value) = value {
        *target = value;
    }
}

impl Changes {
    fn parse(fields: Fields<'_>) -> Result<Changes> {
        let format_output_type = match fields.raw("format_output_type") {
            None => None,
            Some(Value::Null) => Some(None),
            Some(_) => fields
                .opt_one_of("format_output_type", &FORMAT_OUTPUT_TYPE)?
                .map(|output| Some(output.to_owned())),
        };
        Ok(Changes {
            label: fields.opt_text("label")?.map(str::to_owned),
            format_output_type,
            enum_values: fields.nullable_strings("enum_values")?,
            tags_values: fields.nullable_strings("tags_values")?,
            allow_custom_values: fields.opt_bool("allow_custom_values")?,
            boolean_config: config(fields, "boolean_config", None)?,
            number_config: config(fields, "number_config", Some(&NUMBER_CONFIG_FIELDS))?,
            relation_config: config(fields, "relation_config", None)?,
            description: nullable_text(fields, "description")?,
            validation: config(fields, "validation", None)?,
            language: nullable_text(fields, "language")?,
            image_config: config(fields, "image_config", Some(&IMAGE_CONFIG_FIELDS))?,
            is_reviewed: fields.opt_bool("is_reviewed")?,
        })
    }

    /// Type-dependent rules, checked against the attribute's (immutable) type.
    fn check_for_type(&self, kind: &str, fields: Fields<'_>) -> Result<()> {
        if kind != "format" && matches!(self.format_output_type, Some(Some(_))) {
            return Err(fields.invalid("format_output_type", "only valid for format attributes"));
        }
        if !matches!(kind, "number" | "format") && matches!(self.number_config, Some(Some(_))) {
            return Err(fields.invalid("number_config", "only valid for number or format attributes"));
        }
        Ok(())
    }

    /// Applies the present fields; absent ones keep their current value.
    fn apply(self, attribute: &mut Attribute) {
        set(&mut attribute.label, self.label);
        if let Some(output) = self.format_output_type {
            if attribute.kind == "format" {
                attribute.format_output_type = Some(output.unwrap_or_else(|| "text".into()));
            }
        }
        set(&mut attribute.enum_values, self.enum_values);
        set(&mut attribute.tags_values, self.tags_values);
        set(&mut attribute.allow_custom_values, self.allow_custom_values);
        set(&mut attribute.boolean_config, self.boolean_config);
        set(&mut attribute.number_config, self.number_config);
        set(&mut attribute.relation_config, self.relation_config);
        set(&mut attribute.description, self.description);
        set(&mut attribute.validation, self.validation);
        set(&mut attribute.language, self.language);
        // An empty object clears the canonical image requirements.
        set(
            &mut attribute.image_config,
            self.image_config.map(|v| v.filter(|m| !m.is_empty())),
        );
        set(&mut attribute.is_reviewed, self.is_reviewed);
    }
}

/// One validated `AttributeInput`.
struct AttributeInput {
    key: String,
    kind: String,
    changes: Changes,
}

fn parse_input(fields: Fields<'_>) -> Result<AttributeInput> {
    let key = key_field(fields, "key")?;
    if !fields.has("label") {
        return Err(fields.missing("label"));
    }
    let kind = fields.req_one_of("type", &ATTRIBUTE_TYPE)?.to_owned();
    let changes = Changes::parse(fields)?;
    fields.reject_unknown(&ATTRIBUTES_CREATE_BODY)?;
    changes.check_for_type(&kind, fields)?;
    Ok(AttributeInput { key, kind, changes })
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
        input.changes.apply(existing);
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
    input.changes.apply(&mut attribute);
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
pub async fn list(State(app): State<AppState>, company: CompanyId, query: Query) -> Result<Json<Value>> {
    let page = PageParams::from_query(&query)?;
    let search = query.get("search").map(str::to_lowercase);
    let kind = query.one_of("type", &ATTRIBUTE_TYPE)?;
    let include_archived = query.get("include_archived") == Some("true");
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
pub async fn create(
    State(app): State<AppState>,
    company: CompanyId,
    JsonObject(map): JsonObject,
) -> Result<Response> {
    let fields = Fields::new(&map);
    if fields.raw("attributes").is_none() {
        let (attribute, created) = upsert_all(&app, company, vec![parse_input(fields)?])?.remove(0);
        let status = if created {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        };
        return Ok((status, Json(attribute)).into_response());
    }
    fields.reject_unknown(&["attributes"])?;
    let mut inputs = Vec::new();
    for (i, object) in fields
        .req_objects("attributes", 1, MAX_BULK)?
        .into_iter()
        .enumerate()
    {
        let prefix = format!("attributes[{i}]");
        let parsed = parse_input(Fields::nested(object, &prefix))?;
        if let Some(j) = inputs.iter().position(|p: &AttributeInput| p.key == parsed.key) {
            return Err(invalid(
                &format!("{prefix}.key"),
                &format!("duplicate of attributes[{j}].key '{}'", parsed.key),
            ));
        }
        inputs.push(parsed);
    }
    let data: Vec<Attribute> = upsert_all(&app, company, inputs)?
        .into_iter()
        .map(|(attribute, _)| attribute)
        .collect();
    Ok(Json(json!({ "data": data })).into_response())
}

/// Upserts atomically (every input is checked before anything is written) at one
/// timestamp and sends the events; returns each attribute and whether it is new.
fn upsert_all(
    app: &AppState,
    company: CompanyId,
    inputs: Vec<AttributeInput>,
) -> Result<Vec<(Attribute, bool)>> {
    let (upserted, events) = app.companies.with(company, |c| {
        for parsed in &inputs {
            check_upsert(&c.catalog, parsed)?;
        }
        let now = c.catalog.tick();
        let mut upserted = Vec::with_capacity(inputs.len());
        let mut events = Vec::new();
        for parsed in inputs {
            let (attribute, created) = upsert(&mut c.catalog, parsed, now);
            let name = if created {
                "attribute.created"
            } else {
                "attribute.updated"
            };
            events.extend(attribute_event(&c.catalog, name, &attribute));
            upserted.push((attribute, created));
        }
        Ok::<_, ApiError>((upserted, events))
    })?;
    dispatch(app, company, events);
    Ok(upserted)
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
    JsonObject(map): JsonObject,
) -> Result<Json<Attribute>> {
    let fields = Fields::new(&map);
    let changes = Changes::parse(fields)?;
    if matches!(fields.raw("label"), Some(Value::Null)) {
        return Err(invalid("label", "must be a string"));
    }
    // `key` is deprecated and ignored, but must still be a string.
    fields.opt_str("key")?;
    let requested_type = fields.opt_str("type")?.map(str::to_owned);
    let detach = fields.opt_bool("detach")?.unwrap_or(false);
    let expected = fields.opt_timestamp("expected_updated_at")?;
    fields.reject_unknown(&[ATTRIBUTES_UPDATE_BODY.as_slice(), &UPDATE_AS_WELL].concat())?;
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
                return Err(ApiError::stale_write("Attribute", &existing.updated_at)
                    .with("attribute_id", existing.id.clone())
                    .with("attribute_key", existing.key.clone()));
            }
        }
        changes.check_for_type(&existing.kind, fields)?;
        let now = catalog.tick();
        let attribute = catalog.attributes.get_mut(&key).expect("checked above");
        changes.apply(attribute);
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
    dispatch(&app, company, events);
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
    dispatch(&app, company, events);
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /attributes/{key}/rename` (operation `attributes.rename`): atomic; renames
/// the key inside every catalog product too. Retrying with `attribute_id` after a
/// rename that already happened answers `200` again.
pub async fn rename(
    State(app): State<AppState>,
    company: CompanyId,
    Path(key): Path<String>,
    JsonObject(map): JsonObject,
) -> Result<Json<Value>> {
    let fields = Fields::new(&map);
    let new_key = key_field(fields, "new_key")?;
    let attribute_id = fields.opt_text("attribute_id")?;
    fields.nullable_str("expected_impact_revision")?;
    fields.reject_unknown(&["new_key", "attribute_id", "expected_impact_revision"])?;
    let (body, events) = app.companies.with(company, |c| {
        let new_key_in_schemas = schemas_using(c, &new_key);
        let catalog = &mut c.catalog;
        let existing = match catalog.attributes.get(&key) {
            Some(existing) => {
                if attribute_id.is_some_and(|id| id != existing.id) {
                    return Err(not_found(&key));
                }
                existing.clone()
            }
            None => {
                // A retry of a rename that already happened resolves by id.
                let done = attribute_id
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
            return Err(invalid("new_key", "must differ from the current key"));
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
    dispatch(&app, company, events);
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
