//! `/tables/*` endpoints (lasso-api.md §2.3).
//!
//! A created table goes `queued_for_processing` → `processing` → `completed` over
//! 1.2 s × time scale (a quarter of it queued), with `progress` rising 0 → 100 and
//! `total_rows` growing; it is `locked` until then. Rows are derived from the source
//! (`extraction::source`). A source containing `FAIL_EXTRACTION` ends in `error`.
//! Extraction costs 1 credit per extracted row, charged at creation (`402` when the
//! balance does not cover it). With `webhook_url`, `table.completed` is POSTed when
//! the job ends. A source text starting with `MOCK_ROWS=N` makes N generated rows
//! (free, for benchmarks; see `extraction::table::Synthetic`).

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::app::AppState;
use crate::auth::CompanyId;
use crate::clock;
use crate::errors::ApiError;
use crate::extraction::billing::{self, Charge};
use crate::extraction::schema::Column;
use crate::extraction::source::{self, FAIL_WORD};
use crate::extraction::table::{ExtractionJob, Row, Synthetic, TableData};
use crate::extraction::{advance_all, table_mut, Global};
use crate::hash::fnv;
use crate::input::{invalid, Fields, JsonObject, Path, Query};
use crate::model::{Table, TableFile};
use crate::pagination::PageParams;
use crate::webhook::callbacks;

/// Whole extraction time at time scale 1, and the queued part of it.
pub const EXTRACTION_TIME: Duration = Duration::from_millis(1200);
pub const QUEUED_TIME: Duration = Duration::from_millis(300);

/// `GET /tables/{table_id}` (operation `tables.get`). Tables of other companies are
/// simply not in this company's map, hence 404 like the real API.
pub async fn get(
    State(app): State<AppState>,
    company: CompanyId,
    Path(table_id): Path<String>,
) -> Result<Json<Table>, ApiError> {
    // Clone under the lock, serialise after releasing it.
    let table = app.companies.with(company, |c| {
        table_mut(c, &app.extraction, &table_id).map(|t| t.table.clone())
    })?;
    Ok(Json(table))
}

#[derive(Serialize)]
struct ListItem {
    id: String,
    name: String,
    status: String,
    total_rows: u64,
    schema_id: String,
    locked: bool,
    locked_at: Option<String>,
    locked_by: Option<String>,
    created_at: String,
}

/// Published status names also match the raw values they stand for.
fn status_matches(filter: &str, status: &str) -> bool {
    filter == status
        || match filter {
            "queued" => status == "queued_for_processing",
            "processing" => status == "processing_by_worker",
            "failed" => status == "error",
            _ => false,
        }
}

/// `GET /tables` (operation `tables.list`): newest first; `search` (case-insensitive
/// part of the name) and `status` filters.
pub async fn list(
    State(app): State<AppState>,
    company: CompanyId,
    query: Query,
) -> Result<Json<Value>, ApiError> {
    let page = PageParams::from_query(&query)?;
    let search = query
        .get("search")
        .map(str::to_lowercase)
        .filter(|s| !s.is_empty());
    let status = query.get("status").filter(|s| !s.is_empty());
    let body = app.companies.with(company, |c| {
        advance_all(c, &app.extraction);
        let mut items: Vec<(u64, &Table)> = Vec::new();
        let crate::state::Company {
            tables, extraction, ..
        } = c;
        for table in tables.values() {
            if search
                .as_ref()
                .is_some_and(|s| !table.name.to_lowercase().contains(s))
            {
                continue;
            }
            if status.is_some_and(|s| !status_matches(s, &table.status)) {
                continue;
            }
            let seq = extraction.tables.get(&table.id).map_or(0, |d| d.seq);
            items.push((seq, table));
        }
        items.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
        let list: Vec<ListItem> = page
            .slice(&items)
            .iter()
            .map(|(_, t)| ListItem {
                id: t.id.clone(),
                name: t.name.clone(),
                status: t.status.clone(),
                total_rows: t.total_rows,
                schema_id: t.schema_id.clone(),
                locked: t.locked,
                locked_at: t.locked_at.clone(),
                locked_by: t.locked_by.clone(),
                created_at: t.created_at.clone(),
            })
            .collect();
        page.envelope(&list, items.len())
    });
    Ok(Json(body))
}

enum Source {
    Text(String),
    Files(Vec<String>),
    Urls(Vec<String>),
}

/// A source file as extraction sees it.
struct SourceFile {
    name: String,
    path: String,
    size: u64,
    text: Option<String>,
}

/// `POST /tables` (operation `tables.create`): `201` Table, extraction started.
pub async fn create(
    State(app): State<AppState>,
    company: CompanyId,
    JsonObject(map): JsonObject,
) -> Result<(StatusCode, Json<Table>), ApiError> {
    let fields = Fields::new(&map);
    let schema_id = fields.req_text("schema_id")?.to_owned();
    let name = fields.req_text("name")?.trim().to_owned();
    let given: Vec<&str> = ["file_ids", "file_urls", "source_text"]
        .into_iter()
        .filter(|f| fields.has(f))
        .collect();
    if given.len() != 1 {
        let what = if given.is_empty() {
            "Missing source: send exactly one of file_ids, file_urls or source_text".to_owned()
        } else {
            format!(
                "Send exactly one of file_ids, file_urls or source_text, not {}",
                given.join(" and ")
            )
        };
        return Err(ApiError::validation(what));
    }
    let source = match given[0] {
        "file_ids" => Source::Files(
            fields
                .req_str_list("file_ids", 1, 100)?
                .into_iter()
                .map(str::to_owned)
                .collect(),
        ),
        "file_urls" => {
            let urls = fields.req_str_list("file_urls", 1, 100)?;
            for (i, url) in urls.iter().enumerate() {
                if !(url.starts_with("http://") || url.starts_with("https://")) {
                    return Err(invalid(
                        &format!("file_urls[{i}]"),
                        "must be an absolute http(s) URL",
                    ));
                }
            }
            Source::Urls(urls.into_iter().map(str::to_owned).collect())
        }
        _ => Source::Text(fields.req_text("source_text")?.to_owned()),
    };
    let additional_context = fields.opt_str("additional_context")?.map(str::to_owned);
    let enhancement_context = fields.opt_str("enhancement_context")?.map(str::to_owned);
    let webhook_url = fields.opt_url("webhook_url")?.map(str::to_owned);
    let key = app.extraction.company_key(company);

    // 1. Look up the schema and files.
    let (columns, files) = app.companies.with(company, |c| {
        let schema = c
            .extraction
            .schemas
            .get(&schema_id)
            .ok_or_else(|| ApiError::not_found(format!("Schema not found: {schema_id}")))?;
        let files: Vec<SourceFile> = match &source {
            Source::Text(_) => Vec::new(),
            Source::Urls(urls) => urls
                .iter()
                .map(|url| SourceFile {
                    name: url_file_name(url),
                    path: url.clone(),
                    size: 0,
                    text: None,
                })
                .collect(),
            Source::Files(ids) => {
                let mut files = Vec::with_capacity(ids.len());
                for id in ids {
                    let file = c
                        .extraction
                        .files
                        .get(id)
                        .ok_or_else(|| ApiError::not_found(format!("File not found: {id}")))?;
                    let text = source::is_text(&file.filename, &file.content_type, &file.head)
                        .then(|| source::file_text(&file.head));
                    files.push(SourceFile {
                        name: file.filename.clone(),
                        path: format!("uploads/{}/{}", file.id, file.filename),
                        size: file.size,
                        text,
                    });
                }
                files
            }
        };
        Ok::<_, ApiError>((schema.columns.clone(), files))
    })?;
    for (i, file) in files.iter().enumerate() {
        if files[..i].iter().any(|f| f.name == file.name) {
            return Err(ApiError::validation(format!(
                "Duplicate source file name: {}",
                file.name
            )));
        }
    }

    // 2. Extract (outside the lock).
    let fails = match &source {
        Source::Text(text) => text.contains(FAIL_WORD),
        _ => files.iter().any(|f| f.name.contains(FAIL_WORD)),
    };
    let synthetic = match &source {
        Source::Text(text) if !fails => source::synthetic_count(text),
        _ => None,
    };
    let synthetic_base =
        synthetic.map(|_| Arc::new(source::synthetic_base(&columns, &app.extraction.catalogue)));
    let extracted = if fails || synthetic.is_some() {
        Vec::new()
    } else {
        extract_rows(&app.extraction, &source, &files, &columns)
    };

    // 3. Charge and store.
    let started = Instant::now();
    let started_wall = SystemTime::now();
    let total = app.extraction.scaled(EXTRACTION_TIME);
    let queued = app.extraction.scaled(QUEUED_TIME);
    let done_at = clock::format_ms(clock::ms_of(started_wall + total));
    let cost = extracted.len() as f64;
    let table = app.companies.with(company, |c| {
        billing::ensure(c.balance, cost)?;
        let id = c.extraction.next_id(key, "tbl");
        let rows: Vec<Row> = extracted
            .into_iter()
            .enumerate()
            .map(|(i, data)| {
                Row::new(
                    c.extraction.next_id(key, "row"),
                    i as u64,
                    data,
                    done_at.clone(),
                    &columns,
                )
            })
            .collect();
        let now = clock::format_ms(clock::ms_of(started_wall));
        let table = Table {
            id: id.clone(),
            name: name.clone(),
            schema_id: schema_id.clone(),
            status: "queued_for_processing".into(),
            progress: 0,
            total_rows: 0,
            source_type: if matches!(source, Source::Text(_)) {
                "text"
            } else {
                "files"
            }
            .into(),
            additional_context,
            enhancement_context,
            error_message: None,
            files: files
                .iter()
                .map(|f| TableFile {
                    name: f.name.clone(),
                    path: f.path.clone(),
                    size: f.size,
                })
                .collect(),
            created_at: now.clone(),
            updated_at: now.clone(),
            locked: true,
            locked_at: Some(now),
            locked_by: None,
        };
        let entry_id = c.extraction.next_id(key, "tx");
        billing::record(
            &mut c.balance,
            &mut c.extraction.ledger,
            entry_id,
            &id,
            Charge {
                service: if matches!(source, Source::Text(_)) {
                    "product_import"
                } else {
                    "pdf_extraction"
                },
                cost,
                description: format!("Extraction of {} row(s) into \"{name}\"", rows.len()),
                table: Some((id.clone(), name.clone())),
                products: rows.len() as u64,
            },
        );
        let mut data = TableData::new(c.extraction.next_seq(), columns);
        data.finished = false;
        data.job = Some(ExtractionJob {
            started,
            started_wall,
            queued,
            total,
            pending: rows,
            failure: fails.then(|| {
                format!("Extraction failed: the source could not be parsed ({FAIL_WORD} test hook)")
            }),
            synthetic: synthetic.zip(synthetic_base).map(|(count, base)| Synthetic {
                count,
                base,
                created_at: done_at.clone(),
                tag: id.trim_start_matches("tbl_").to_owned(),
            }),
        });
        c.extraction.tables.insert(id.clone(), data);
        c.tables.insert(id, table.clone());
        Ok::<_, ApiError>(table)
    })?;

    if let Some(url) = webhook_url {
        let table_id = table.id.clone();
        callbacks::spawn(&app, company, url, "table.completed", total, move |app| {
            app.companies.with(company, |c| {
                let t = table_mut(c, &app.extraction, &table_id).ok()?;
                Some(json!({"table_id": t.table.id, "status": t.table.status, "total_rows": t.table.total_rows}))
            })
        });
    }
    Ok((StatusCode::CREATED, Json(table)))
}

fn url_file_name(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|s| !s.is_empty() && !s.contains(':'))
        .unwrap_or("download")
        .to_owned()
}

fn extract_rows(
    global: &Global,
    source: &Source,
    files: &[SourceFile],
    columns: &[Column],
) -> Vec<Map<String, Value>> {
    let catalogue = &global.catalogue;
    let mut rows = match source {
        Source::Text(text) => source::rows_from_text(text, columns, catalogue, fnv(&[text.as_bytes()])),
        _ => files
            .iter()
            .flat_map(|file| {
                let salt = fnv(&[file.name.as_bytes()]);
                match &file.text {
                    Some(text) => source::rows_from_text(text, columns, catalogue, salt),
                    None => source::rows_from_name(&file.name, file.size, columns, catalogue, salt),
                }
            })
            .collect(),
    };
    rows.truncate(source::MAX_ROWS);
    rows
}

/// `PATCH /tables/{table_id}` (operation `tables.update`): `name`,
/// `enhancement_context`, `schema_id` (replaces the column snapshot; rows are not
/// remapped). `409` while the table is locked.
pub async fn update(
    State(app): State<AppState>,
    company: CompanyId,
    Path(table_id): Path<String>,
    JsonObject(map): JsonObject,
) -> Result<Json<Table>, ApiError> {
    let fields = Fields::new(&map);
    let name = fields.opt_text("name")?.map(|name| name.trim().to_owned());
    // Outer `None`: unchanged; `Some(None)`: cleared by `null`.
    let enhancement_context = fields.nullable_str("enhancement_context")?;
    let schema_id = fields.opt_str("schema_id")?.map(str::to_owned);
    app.companies.with(company, |c| {
        let columns = match &schema_id {
            Some(id) => Some(
                c.extraction
                    .schemas
                    .get(id)
                    .map(|s| s.columns.clone())
                    .ok_or_else(|| ApiError::not_found(format!("Schema not found: {id}")))?,
            ),
            None => None,
        };
        let t = table_mut(c, &app.extraction, &table_id)?;
        t.require_unlocked()?;
        if let Some(name) = name {
            t.table.name = name;
        }
        if let Some(context) = enhancement_context {
            t.table.enhancement_context = context.map(str::to_owned);
        }
        if let (Some(id), Some(columns)) = (schema_id, columns) {
            t.table.schema_id = id;
            t.data.columns = columns;
        }
        t.table.updated_at = clock::now_iso();
        Ok(Json(t.table.clone()))
    })
}

/// `DELETE /tables/{table_id}` (operation `tables.delete`): `204`; `409` while locked.
pub async fn delete(
    State(app): State<AppState>,
    company: CompanyId,
    Path(table_id): Path<String>,
) -> Result<StatusCode, ApiError> {
    app.companies.with(company, |c| {
        table_mut(c, &app.extraction, &table_id)?.require_unlocked()?;
        c.tables.remove(&table_id);
        c.extraction.tables.remove(&table_id);
        Ok(StatusCode::NO_CONTENT)
    })
}

/// `GET /tables/{table_id}/columns` (operation `tables.columns`): `{data: [Column]}`.
pub async fn columns(
    State(app): State<AppState>,
    company: CompanyId,
    Path(table_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let columns = app.companies.with(company, |c| {
        table_mut(c, &app.extraction, &table_id).map(|t| t.data.columns.clone())
    })?;
    Ok(Json(json!({ "data": columns })))
}
