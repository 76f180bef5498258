//! `/files` endpoints (lasso-api.md §2.8). Uploads are streamed: the emulator counts
//! every byte (up to the documented 1 GB) but keeps only the first 4 MiB in memory,
//! enough to derive rows from text files.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::Value;

use crate::app::AppState;
use crate::auth::CompanyId;
use crate::clock;
use crate::errors::ApiError;
use crate::extraction::{StoredFile, FILE_HEAD_BYTES};
use crate::input::{missing, Path, Query};
use crate::pagination::PageParams;

/// The documented maximum upload size.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// `GET /files` (operation `files.list`): newest first.
pub async fn list(
    State(app): State<AppState>,
    company: CompanyId,
    query: Query,
) -> Result<Json<Value>, ApiError> {
    let page = PageParams::from_query(&query)?;
    let body = app.companies.with(company, |c| {
        let mut files: Vec<&StoredFile> = c.extraction.files.values().collect();
        files.sort_by_key(|f| std::cmp::Reverse(f.seq));
        let items: Vec<_> = page.slice(&files).iter().map(|f| f.view()).collect();
        page.envelope(&items, files.len())
    });
    Ok(Json(body))
}

/// `POST /files` (operation `files.upload`): multipart with a part named `file`;
/// `201` File. Other parts are ignored.
pub async fn upload(
    State(app): State<AppState>,
    company: CompanyId,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let mut multipart = multipart.map_err(|err| {
        ApiError::invalid_request(format!(
            "Expected a multipart/form-data body with a part named 'file' ({})",
            err.body_text()
        ))
    })?;
    loop {
        let field = multipart
            .next_field()
            .await
            .map_err(|err| ApiError::invalid_request(format!("Malformed multipart body: {err}")))?;
        let Some(mut field) = field else {
            return Err(missing("file"));
        };
        if field.name() != Some("file") {
            continue;
        }
        let filename = field
            .file_name()
            .map(|name| name.rsplit(['/', '\\']).next().unwrap_or(name).trim().to_owned())
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| "upload.bin".to_owned());
        let content_type = field
            .content_type()
            .filter(|ct| !ct.is_empty() && *ct != "application/octet-stream")
            .map(str::to_owned)
            .unwrap_or_else(|| guess_content_type(&filename).to_owned());
        let mut head = Vec::new();
        let mut size: u64 = 0;
        while let Some(chunk) = field
            .chunk()
            .await
            .map_err(|err| ApiError::invalid_request(format!("Upload interrupted: {err}")))?
        {
            size += chunk.len() as u64;
            if size > MAX_FILE_BYTES {
                return Err(ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "File exceeds the maximum upload size of 1 GB",
                ));
            }
            let room = FILE_HEAD_BYTES.saturating_sub(head.len());
            head.extend_from_slice(&chunk[..room.min(chunk.len())]);
        }
        let key = app.extraction.company_key(company);
        let view = app.companies.with(company, |c| {
            let file = StoredFile {
                id: c.extraction.next_id(key, "file"),
                filename,
                size,
                content_type,
                created_at: clock::now_iso(),
                seq: c.extraction.next_seq(),
                head,
            };
            let view = serde_json::to_value(file.view()).unwrap_or_default();
            c.extraction.files.insert(file.id.clone(), file);
            view
        });
        return Ok((StatusCode::CREATED, Json(view)));
    }
}

/// `DELETE /files/{file_id}` (operation `files.delete`): `204`. Tables already built
/// from the file keep their rows.
pub async fn delete(
    State(app): State<AppState>,
    company: CompanyId,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    app.companies
        .with(company, |c| c.extraction.files.remove(&id))
        .map(|_| StatusCode::NO_CONTENT)
        .ok_or_else(|| ApiError::not_found(format!("File not found: {id}")))
}

pub fn guess_content_type(filename: &str) -> &'static str {
    let ext = filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsm" => "application/vnd.ms-excel.sheet.macroEnabled.12",
        "xls" => "application/vnd.ms-excel",
        "csv" => "text/csv",
        "tsv" => "text/tab-separated-values",
        "txt" => "text/plain",
        "json" => "application/json",
        "xml" => "application/xml",
        "html" | "htm" => "text/html",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "doc" => "application/msword",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ => "application/octet-stream",
    }
}
