//! `/catalog/webhooks` endpoints (lasso-api.md §2.12): managed subscriptions to
//! product and attribute events, their delivery history, test sends and manual
//! redelivery. Delivery itself is in `webhook::catalog`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use url::Url;
use uuid::Uuid;

use crate::accepted::CATALOG_WEBHOOK_EVENT;
use crate::app::AppState;
use crate::auth::CompanyId;
use crate::catalog_state::{DeliveryRecord, WebhookEndpoint};
use crate::clock::now_iso;
use crate::errors::{ApiError, Result};
use crate::input::{invalid, Fields, JsonObject, Path, Query};
use crate::webhook::catalog::Attempt;
use crate::webhook::signature::new_secret;
use crate::webhook::{is_loopback, payload};

const MAX_URL: usize = 2048;
const MAX_NAME: usize = 120;
const MAX_DESCRIPTION: usize = 500;

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("Webhook endpoint not found: {id}"))
}

/// HTTPS anywhere, or plain HTTP to a loopback host (the spec allows HTTP to
/// localhost on local development servers, which the emulator is).
fn parse_url(fields: Fields<'_>) -> Result<Option<(Url, String)>> {
    let Some(raw) = fields.opt_str("url")? else {
        return Ok(None);
    };
    if raw.len() > MAX_URL {
        return Err(invalid("url", &format!("must be at most {MAX_URL} characters")));
    }
    let url = Url::parse(raw).map_err(|err| invalid("url", &format!("must be an absolute URL ({err})")))?;
    let ok =
        url.host().is_some() && (url.scheme() == "https" || (url.scheme() == "http" && is_loopback(&url)));
    if !ok {
        return Err(invalid(
            "url",
            "must be an https URL (plain http is accepted only for 127.0.0.1, [::1] or localhost)",
        ));
    }
    Ok(Some((url, raw.to_owned())))
}

fn parse_events(fields: Fields<'_>) -> Result<Option<Vec<String>>> {
    let Some(items) = fields.opt_array("events")? else {
        return Ok(None);
    };
    if items.is_empty() {
        return Err(invalid("events", "must be a non-empty array"));
    }
    let mut events: Vec<String> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let name = item
            .as_str()
            .filter(|e| CATALOG_WEBHOOK_EVENT.contains(e))
            .ok_or_else(|| {
                invalid(
                    &format!("events[{i}]"),
                    &format!("must be one of {}", CATALOG_WEBHOOK_EVENT.join(", ")),
                )
            })?;
        if events.iter().any(|e| e == name) {
            return Err(invalid(
                "events",
                &format!("must hold unique event names ('{name}' is repeated)"),
            ));
        }
        events.push(name.to_owned());
    }
    Ok(Some(events))
}

fn parse_name(fields: Fields<'_>) -> Result<Option<String>> {
    match fields.raw("name") {
        None => Ok(None),
        Some(Value::String(s)) if !s.trim().is_empty() && s.chars().count() <= MAX_NAME => {
            Ok(Some(s.clone()))
        }
        Some(_) => Err(invalid(
            "name",
            &format!("must be a string of 1 to {MAX_NAME} characters"),
        )),
    }
}

fn parse_description(fields: Fields<'_>) -> Result<Option<Option<String>>> {
    let description = fields.nullable_str("description")?;
    if let Some(Some(text)) = description {
        if text.chars().count() > MAX_DESCRIPTION {
            return Err(invalid(
                "description",
                &format!("must be at most {MAX_DESCRIPTION} characters"),
            ));
        }
    }
    Ok(description.map(|text| text.map(str::to_owned)))
}

/// `GET /catalog/webhooks` (operation `catalog.webhooks.list`): never with secrets.
pub async fn list(State(app): State<AppState>, company: CompanyId) -> Json<Value> {
    let webhooks = app.companies.with(company, |c| {
        let catalog = &c.catalog;
        catalog
            .webhooks
            .iter()
            .map(|w| w.to_json(&catalog.company_uuid))
            .collect::<Vec<_>>()
    });
    Json(json!({ "webhooks": webhooks }))
}

/// `POST /catalog/webhooks` (operation `catalog.webhooks.create`): `201` endpoint plus
/// its one-time `secret`.
pub async fn create(
    State(app): State<AppState>,
    company: CompanyId,
    JsonObject(map): JsonObject,
) -> Result<Response> {
    let fields = Fields::new(&map);
    let (url, raw_url) = parse_url(fields)?.ok_or_else(|| fields.missing("url"))?;
    let events = parse_events(fields)?.ok_or_else(|| fields.missing("events"))?;
    let name = parse_name(fields)?;
    let description = parse_description(fields)?.flatten();
    let now = now_iso();
    let endpoint = WebhookEndpoint {
        id: Uuid::new_v4().to_string(),
        name: name.unwrap_or_else(|| {
            url.host_str()
                .unwrap_or("webhook")
                .chars()
                .take(MAX_NAME)
                .collect()
        }),
        url: raw_url,
        events,
        enabled: true,
        description,
        secret: new_secret(),
        created_at: now.clone(),
        updated_at: now,
    };
    let mut body = app.companies.with(company, |c| {
        c.catalog.webhooks.push(endpoint.clone());
        endpoint.to_json(&c.catalog.company_uuid)
    });
    body["secret"] = Value::String(endpoint.secret);
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// `PATCH /catalog/webhooks/{id}` (operation `catalog.webhooks.update`): at least one
/// of `name`, `url`, `events`, `enabled`, `description`.
pub async fn update(
    State(app): State<AppState>,
    company: CompanyId,
    Path(id): Path<String>,
    JsonObject(map): JsonObject,
) -> Result<Json<Value>> {
    const FIELDS: [&str; 5] = ["name", "url", "events", "enabled", "description"];
    if !FIELDS.iter().any(|f| map.contains_key(*f)) {
        return Err(ApiError::validation(format!(
            "Request body must contain at least one of: {}",
            FIELDS.join(", ")
        )));
    }
    let fields = Fields::new(&map);
    let url = parse_url(fields)?;
    let events = parse_events(fields)?;
    let name = parse_name(fields)?;
    let enabled = fields.opt_bool("enabled")?;
    let description = parse_description(fields)?;
    app.companies.with(company, |c| {
        let catalog = &mut c.catalog;
        let endpoint = catalog
            .webhooks
            .iter_mut()
            .find(|w| w.id == id)
            .ok_or_else(|| not_found(&id))?;
        if let Some((_, raw_url)) = url {
            endpoint.url = raw_url;
        }
        if let Some(events) = events {
            endpoint.events = events;
        }
        if let Some(name) = name {
            endpoint.name = name;
        }
        if let Some(enabled) = enabled {
            endpoint.enabled = enabled;
        }
        if let Some(description) = description {
            endpoint.description = description;
        }
        endpoint.updated_at = now_iso();
        let json = endpoint.to_json(&catalog.company_uuid);
        Ok(Json(json))
    })
}

/// `DELETE /catalog/webhooks/{id}` (operation `catalog.webhooks.delete`): the
/// endpoint and its delivery history.
pub async fn delete(
    State(app): State<AppState>,
    company: CompanyId,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    app.companies.with(company, |c| {
        let catalog = &mut c.catalog;
        let index = catalog
            .webhooks
            .iter()
            .position(|w| w.id == id)
            .ok_or_else(|| not_found(&id))?;
        catalog.webhooks.remove(index);
        catalog.deliveries.retain(|d| d.endpoint_id != id);
        Ok(StatusCode::NO_CONTENT)
    })
}

/// `GET /catalog/webhooks/{id}?limit&offset` (operation
/// `catalog.webhooks.deliveries`): attempts, newest first; metadata only.
pub async fn deliveries(
    State(app): State<AppState>,
    company: CompanyId,
    Path(id): Path<String>,
    query: Query,
) -> Result<Json<Value>> {
    let limit = query.int("limit", 20, 1, 100)? as usize;
    let offset = query.int("offset", 0, 0, u64::MAX)?;
    let offset = usize::try_from(offset).unwrap_or(usize::MAX);
    app.companies.with(company, |c| {
        let catalog = &c.catalog;
        catalog.webhook(&id).ok_or_else(|| not_found(&id))?;
        let deliveries: Vec<&DeliveryRecord> = catalog
            .deliveries
            .iter()
            .rev()
            .filter(|d| d.endpoint_id == id)
            .skip(offset)
            .take(limit)
            .collect();
        Ok(Json(json!({ "deliveries": deliveries })))
    })
}

/// `POST /catalog/webhooks/{id}` (operation `catalog.webhooks.action`): `{"action":
/// "test"}` sends a `webhook.test` event; `{"action": "redeliver",
/// "delivery_record_id": ...}` resends a failed attempt's payload with the same
/// `delivery_id`. Both wait for the attempt and answer `200 {delivery}`.
pub async fn action(
    State(app): State<AppState>,
    company: CompanyId,
    Path(id): Path<String>,
    JsonObject(map): JsonObject,
) -> Result<Json<Value>> {
    let fields = Fields::new(&map);
    let attempt = match fields.req_one_of("action", &["test", "redeliver"])? {
        "test" => app.companies.with(company, |c| {
            let endpoint = c.catalog.webhook(&id).ok_or_else(|| not_found(&id))?;
            let data = json!({
                "endpoint_id": endpoint.id,
                "message": "Test delivery from Lasso",
            });
            Ok::<_, ApiError>(Attempt {
                endpoint_id: endpoint.id.clone(),
                url: endpoint.url.clone(),
                secret: endpoint.secret.clone(),
                event: "webhook.test".into(),
                delivery_id: Uuid::new_v4().to_string(),
                attempt_number: 1,
                is_test: true,
                redelivered_from: None,
                payload: payload("webhook.test", &data),
            })
        })?,
        // "redeliver"
        _ => {
            let record_id = fields.req_text("delivery_record_id")?;
            app.companies.with(company, |c| {
                let catalog = &c.catalog;
                let endpoint = catalog.webhook(&id).ok_or_else(|| not_found(&id))?;
                let record = catalog
                    .deliveries
                    .iter()
                    .find(|d| d.id == record_id && d.endpoint_id == id)
                    .ok_or_else(|| {
                        ApiError::not_found(format!("Delivery record not found: {record_id}"))
                    })?;
                if record.succeeded() {
                    return Err(ApiError::conflict(format!(
                        "Delivery record {record_id} succeeded (HTTP {}); only failed attempts can be redelivered",
                        record.status_code.unwrap_or_default()
                    )));
                }
                let attempts = catalog
                    .deliveries
                    .iter()
                    .filter(|d| d.delivery_id == record.delivery_id)
                    .map(|d| d.attempt_number)
                    .max()
                    .unwrap_or(record.attempt_number);
                Ok(Attempt {
                    endpoint_id: endpoint.id.clone(),
                    url: endpoint.url.clone(),
                    secret: endpoint.secret.clone(),
                    event: record.event.clone(),
                    delivery_id: record.delivery_id.clone(),
                    attempt_number: attempts + 1,
                    is_test: record.is_test,
                    redelivered_from: Some(record.id.clone()),
                    payload: record.payload.clone(),
                })
            })?
        }
    };
    let delivery = attempt.run(&app, company).await;
    Ok(Json(json!({ "delivery": delivery })))
}
