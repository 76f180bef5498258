//! `/glossary` endpoints (lasso-api.md §2.9): translation rules per company.

use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::app::AppState;
use crate::auth::CompanyId;
use crate::catalog_state::GlossaryTerm;
use crate::errors::{ApiError, Result};
use crate::isotime::{format_ms, now_ms};
use crate::json_input::{self as input, invalid, missing};
use crate::pagination::{query_pairs, PageParams};

const TYPES: [&str; 3] = ["do_not_translate", "specific_translation", "context_dependent"];

fn term_type(map: &Map<String, Value>, required: bool) -> Result<Option<String>> {
    match map.get("type") {
        None | Some(Value::Null) if required => Err(missing("type")),
        None => Ok(None),
        Some(Value::String(t)) if TYPES.contains(&t.as_str()) => Ok(Some(t.clone())),
        Some(_) => Err(invalid("type", &format!("one of {}", TYPES.join(", ")))),
    }
}

/// `translations`: an object of language code → non-empty string.
fn translations(map: &Map<String, Value>) -> Result<Option<Map<String, Value>>> {
    match map.get("translations") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(t)) => {
            for (lang, value) in t {
                if lang.trim().is_empty() {
                    return Err(invalid("translations", "keyed by language codes"));
                }
                if value.as_str().is_none_or(|s| s.trim().is_empty()) {
                    return Err(invalid(&format!("translations.{lang}"), "a non-empty string"));
                }
            }
            Ok(Some(t.clone()))
        }
        Some(_) => Err(invalid(
            "translations",
            "an object mapping language codes to strings",
        )),
    }
}

fn needs_translations(kind: &str, translations: &Map<String, Value>) -> Result<()> {
    if kind == "specific_translation" && translations.is_empty() {
        return Err(ApiError::validation(
            "Missing required field: translations (required when type is specific_translation)",
        ));
    }
    Ok(())
}

/// `GET /glossary` (operation `glossary.list`): oldest first, page/limit.
pub async fn list(
    State(app): State<AppState>,
    company: CompanyId,
    query: std::result::Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<Value>> {
    let pairs = query_pairs(query)?;
    let page = PageParams::from_pairs(&pairs)?;
    let body = app.companies.with(company, |c| {
        let terms = &c.catalog.glossary;
        page.envelope(page.slice(terms), terms.len())
    });
    Ok(Json(body))
}

/// `POST /glossary` (operation `glossary.create`): `201` Term.
pub async fn create(State(app): State<AppState>, company: CompanyId, body: Bytes) -> Result<Response> {
    let map = input::object(&body)?;
    let term = input::required_str(&map, "term", "")?;
    let kind = term_type(&map, true)?.unwrap_or_default();
    let case_sensitive = input::optional_bool(&map, "case_sensitive", "")?.unwrap_or(false);
    let category = input::optional_str(&map, "category", "")?.unwrap_or_else(|| "custom".into());
    let translations = translations(&map)?.unwrap_or_default();
    needs_translations(&kind, &translations)?;
    let created = GlossaryTerm {
        id: Uuid::new_v4().to_string(),
        term,
        kind,
        case_sensitive,
        category,
        translations,
        created_at: format_ms(now_ms()),
    };
    app.companies
        .with(company, |c| c.catalog.glossary.push(created.clone()));
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

fn not_found(term_id: &str) -> ApiError {
    ApiError::not_found(format!("Glossary term not found: {term_id}"))
}

/// `PUT /glossary/{term_id}` (operation `glossary.update`): every field optional,
/// `translations` replaces the existing ones.
pub async fn update(
    State(app): State<AppState>,
    company: CompanyId,
    Path(term_id): Path<String>,
    body: Bytes,
) -> Result<Json<GlossaryTerm>> {
    let map = input::object(&body)?;
    let term = input::optional_str(&map, "term", "")?;
    let kind = term_type(&map, false)?;
    let case_sensitive = input::optional_bool(&map, "case_sensitive", "")?;
    let category = input::optional_str(&map, "category", "")?;
    let new_translations = translations(&map)?;
    app.companies.with(company, |c| {
        let existing = c
            .catalog
            .glossary
            .iter_mut()
            .find(|t| t.id == term_id)
            .ok_or_else(|| not_found(&term_id))?;
        let mut updated = existing.clone();
        if let Some(term) = term {
            updated.term = term;
        }
        if let Some(kind) = kind {
            updated.kind = kind;
        }
        if let Some(case_sensitive) = case_sensitive {
            updated.case_sensitive = case_sensitive;
        }
        if let Some(category) = category {
            updated.category = category;
        }
        if map.contains_key("translations") {
            updated.translations = new_translations.unwrap_or_default();
        }
        needs_translations(&updated.kind, &updated.translations)?;
        *existing = updated.clone();
        Ok(Json(updated))
    })
}

/// `DELETE /glossary/{term_id}` (operation `glossary.delete`): `204`.
pub async fn delete(
    State(app): State<AppState>,
    company: CompanyId,
    Path(term_id): Path<String>,
) -> Result<StatusCode> {
    app.companies.with(company, |c| {
        let terms = &mut c.catalog.glossary;
        let index = terms
            .iter()
            .position(|t| t.id == term_id)
            .ok_or_else(|| not_found(&term_id))?;
        terms.remove(index);
        Ok(StatusCode::NO_CONTENT)
    })
}
