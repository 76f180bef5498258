//! `/glossary` endpoints (lasso-api.md §2.9): translation rules per company.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::accepted::GLOSSARY_TERM_TYPE;
use crate::app::AppState;
use crate::auth::CompanyId;
use crate::catalog_state::GlossaryTerm;
use crate::clock::now_iso;
use crate::errors::{ApiError, Result};
use crate::input::{invalid, Fields, JsonObject, Path, Query};
use crate::pagination::PageParams;

/// `translations`: an object of language code → non-empty string.
fn translations(fields: Fields<'_>) -> Result<Option<Map<String, Value>>> {
    let Some(translations) = fields.opt_object("translations")? else {
        return Ok(None);
    };
    for (lang, value) in translations {
        if lang.trim().is_empty() {
            return Err(invalid("translations", "must be keyed by language codes"));
        }
        if value.as_str().is_none_or(|s| s.trim().is_empty()) {
            return Err(invalid(&format!("translations.{lang}"), "must not be empty"));
        }
    }
    Ok(Some(translations.clone()))
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
pub async fn list(State(app): State<AppState>, company: CompanyId, query: Query) -> Result<Json<Value>> {
    let page = PageParams::from_query(&query)?;
    let body = app.companies.with(company, |c| {
        let terms = &c.catalog.glossary;
        page.envelope(page.slice(terms), terms.len())
    });
    Ok(Json(body))
}

/// `POST /glossary` (operation `glossary.create`): `201` Term.
pub async fn create(
    State(app): State<AppState>,
    company: CompanyId,
    JsonObject(map): JsonObject,
) -> Result<Response> {
    let fields = Fields::new(&map);
    let term = fields.req_text("term")?.to_owned();
    let kind = fields.req_one_of("type", &GLOSSARY_TERM_TYPE)?.to_owned();
    let case_sensitive = fields.opt_bool("case_sensitive")?.unwrap_or(false);
    let category = fields.opt_text("category")?.unwrap_or("custom").to_owned();
    let translations = translations(fields)?.unwrap_or_default();
    needs_translations(&kind, &translations)?;
    let created = GlossaryTerm {
        id: Uuid::new_v4().to_string(),
        term,
        kind,
        case_sensitive,
        category,
        translations,
        created_at: now_iso(),
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
    JsonObject(map): JsonObject,
) -> Result<Json<GlossaryTerm>> {
    let fields = Fields::new(&map);
    let term = fields.opt_text("term")?;
    let kind = fields.opt_one_of("type", &GLOSSARY_TERM_TYPE)?;
    let case_sensitive = fields.opt_bool("case_sensitive")?;
    let category = fields.opt_text("category")?;
    let new_translations = translations(fields)?;
    app.companies.with(company, |c| {
        let existing = c
            .catalog
            .glossary
            .iter_mut()
            .find(|t| t.id == term_id)
            .ok_or_else(|| not_found(&term_id))?;
        let mut updated = existing.clone();
        if let Some(term) = term {
            updated.term = term.to_owned();
        }
        if let Some(kind) = kind {
            updated.kind = kind.to_owned();
        }
        if let Some(case_sensitive) = case_sensitive {
            updated.case_sensitive = case_sensitive;
        }
        if let Some(category) = category {
            updated.category = category.to_owned();
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
