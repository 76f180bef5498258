//! `GET /tables/{table_id}/export?format=csv|xlsx|json|images&columns=a,b`
//! (lasso-api.md §2.3). The table must be `completed` (`409` otherwise).
//!
//! * `csv`: semicolon-delimited (the published docs), header row of column keys,
//!   quoted when needed, arrays joined with `, `; streamed in chunks, so very large
//!   tables never become one big string.
//! * `json`: an array of row objects (column key → value), streamed the same way.
//! * `xlsx`: a real workbook (header row + typed cells). A cell over 32,767
//!   characters is a `422`, as in the newer docs.
//! * `images`: a ZIP with a placeholder PNG per image URL, one folder per row, plus
//!   `manifest.csv` mapping files to URLs.
//!
//! Every format sets `Content-Disposition: attachment; filename="<table name>.<ext>"`.

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, StreamExt};
use serde_json::{Map, Value};

use crate::app::AppState;
use crate::auth::CompanyId;
use crate::errors::ApiError;
use crate::extraction::catalogue::slugify;
use crate::extraction::images::{zip_images, ImageEntry};
use crate::extraction::schema::Column;
use crate::extraction::table::Row;
use crate::extraction::table_mut;
use crate::input::{Path, Query};

const FORMATS: &str = "csv, xlsx, json, images";
/// Rows rendered per streamed chunk.
const CHUNK_ROWS: usize = 512;
const XLSX_CELL_LIMIT: usize = 32_767;

/// `GET /tables/{table_id}/export` (operation `tables.export`).
pub async fn export(
    State(app): State<AppState>,
    company: CompanyId,
    Path(table_id): Path<String>,
    query: Query,
) -> Result<Response, ApiError> {
    let format = match query.get("format") {
        None | Some("") => {
            return Err(ApiError::invalid_request(
                "Missing required query parameter: format",
            ))
        }
        Some(f @ ("csv" | "xlsx" | "json" | "images")) => f.to_owned(),
        Some(other) => {
            return Err(ApiError::invalid_request(format!(
                "Invalid query parameter 'format': must be one of {FORMATS}, got '{other}'"
            )))
        }
    };
    let wanted: Option<Vec<String>> = query.get("columns").map(|list| {
        list.split(',')
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(str::to_owned)
            .collect()
    });
    let (name, columns, rows) = app.companies.with(company, |c| {
        let t = table_mut(c, &app.extraction, &table_id)?;
        t.require_completed()?;
        let columns: Vec<Column> = match &wanted {
            Some(keys) if !keys.is_empty() => {
                let unknown: Vec<&str> = keys
                    .iter()
                    .filter(|k| t.data.column(k).is_none())
                    .map(String::as_str)
                    .collect();
                if !unknown.is_empty() {
                    return Err(ApiError::invalid_request(format!(
                        "Invalid query parameter 'columns': unknown column keys: {}",
                        unknown.join(", ")
                    )));
                }
                keys.iter().filter_map(|k| t.data.column(k).cloned()).collect()
            }
            _ => t.data.columns.clone(),
        };
        let rows = match &t.data.synthetic {
            Some(s) => Rows::Synthetic {
                count: s.count,
                base: s.base.clone(),
                tag: s.tag.clone(),
            },
            None => Rows::Stored(t.data.rows.clone()),
        };
        Ok::<_, ApiError>((t.table.name.clone(), columns, rows))
    })?;
    let rows = Arc::new(rows);
    let columns = Arc::new(columns);
    let (content_type, ext, body) = match format.as_str() {
        "csv" => ("text/csv", "csv", csv_body(rows, columns)),
        "json" => ("application/json", "json", json_body(rows, columns)),
        "xlsx" => {
            let sheet = name.clone();
            let bytes = tokio::task::spawn_blocking(move || xlsx_bytes(&sheet, &rows, &columns))
                .await
                .map_err(|err| ApiError::internal(format!("XLSX export failed: {err}")))??;
            (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "xlsx",
                Body::from(bytes),
            )
        }
        _ => {
            let bytes = tokio::task::spawn_blocking(move || zip_images(&image_entries(&rows, &columns)))
                .await
                .map_err(|err| ApiError::internal(format!("Image export failed: {err}")))?
                .map_err(|err| ApiError::internal(format!("Image export failed: {err}")))?;
            ("application/zip", "zip", Body::from(bytes))
        }
    };
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&content_disposition(&name, ext)) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// `attachment; filename="<ascii name>.<ext>"` plus an RFC 5987 `filename*` when the
/// name is not plain ASCII.
fn content_disposition(name: &str, ext: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || " ._-()".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let ascii = if ascii.trim().is_empty() {
        "export".to_owned()
    } else {
        ascii
    };
    let mut value = format!("attachment; filename=\"{ascii}.{ext}\"");
    if ascii != name {
        let encoded: String = format!("{name}.{ext}")
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        value.push_str(&format!("; filename*=UTF-8''{encoded}"));
    }
    value
}

fn text_of(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string()))
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => other.to_string(),
    }
}

fn csv_field(out: &mut String, text: &str) {
    if text.contains([';', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// A snapshot of the rows to export: stored rows (cheap `Arc` clones), or the
/// parameters of synthetic rows, generated while streaming.
enum Rows {
    Stored(Vec<Arc<Row>>),
    Synthetic {
        count: u64,
        base: Arc<Vec<Map<String, Value>>>,
        tag: String,
    },
}

impl Rows {
    fn len(&self) -> usize {
        match self {
            Rows::Stored(rows) => rows.len(),
            Rows::Synthetic { count, .. } => *count as usize,
        }
    }

    /// Row data and index of the `i`-th row.
    fn data(&self, i: usize) -> (&Map<String, Value>, u64) {
        match self {
            Rows::Stored(rows) => (&rows[i].data, rows[i].row_index),
            Rows::Synthetic { base, .. } => (&base[i % base.len()], i as u64),
        }
    }

    fn id(&self, i: usize) -> String {
        match self {
            Rows::Stored(rows) => rows[i].id.clone(),
            Rows::Synthetic { tag, .. } => format!("row_{tag}_{i}"),
        }
    }

    /// Pre-rendered text per base row, so synthetic exports are memory copies.
    fn base_lines<F: Fn(&Map<String, Value>) -> Vec<u8>>(&self, render: F) -> Option<Vec<Vec<u8>>> {
        match self {
            Rows::Stored(_) => None,
            Rows::Synthetic { base, .. } => Some(base.iter().map(render).collect()),
        }
    }
}

fn csv_line(data: &Map<String, Value>, columns: &[Column]) -> Vec<u8> {
    let mut out = String::with_capacity(256);
    for (i, column) in columns.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        csv_field(&mut out, &text_of(data.get(&column.key)));
    }
    out.push('\n');
    out.into_bytes()
}

fn json_object(data: &Map<String, Value>, columns: &[Column]) -> Vec<u8> {
    let object: Map<String, Value> = columns
        .iter()
        .map(|c| (c.key.clone(), data.get(&c.key).cloned().unwrap_or(Value::Null)))
        .collect();
    // A map of JSON values always serialises.
    serde_json::to_vec(&object).unwrap_or_default()
}

/// Streams `render(row)` for every row in chunks, between `open` and `close`, with
/// `separator` between rows.
fn streamed(
    rows: Arc<Rows>,
    columns: Arc<Vec<Column>>,
    open: Vec<u8>,
    separator: &'static [u8],
    close: &'static [u8],
    render: fn(&Map<String, Value>, &[Column]) -> Vec<u8>,
) -> Body {
    let total = rows.len();
    let cached = rows.base_lines(|data| render(data, &columns));
    let chunks = stream::iter((0..total).step_by(CHUNK_ROWS)).map(move |start| {
        let mut out = Vec::with_capacity(CHUNK_ROWS * 256);
        for i in start..(start + CHUNK_ROWS).min(total) {
            if i > 0 {
                out.extend_from_slice(separator);
            }
            match &cached {
                Some(lines) => out.extend_from_slice(&lines[i % lines.len()]),
                None => out.extend_from_slice(&render(rows.data(i).0, &columns)),
            }
        }
        Ok::<_, Infallible>(Bytes::from(out))
    });
    let open = stream::once(async move { Ok::<_, Infallible>(Bytes::from(open)) });
    let close = stream::once(async move { Ok::<_, Infallible>(Bytes::from_static(close)) });
    Body::from_stream(open.chain(chunks).chain(close))
}

fn csv_body(rows: Arc<Rows>, columns: Arc<Vec<Column>>) -> Body {
    let mut header = String::new();
    for (i, column) in columns.iter().enumerate() {
        if i > 0 {
            header.push(';');
        }
        csv_field(&mut header, &column.key);
    }
    header.push('\n');
    streamed(rows, columns, header.into_bytes(), b"", b"", csv_line)
}

fn json_body(rows: Arc<Rows>, columns: Arc<Vec<Column>>) -> Body {
    streamed(rows, columns, b"[".to_vec(), b",", b"]", json_object)
}

fn sheet_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    let cleaned = cleaned.trim().trim_matches('\'').to_owned();
    if cleaned.is_empty() {
        "Sheet1".to_owned()
    } else {
        cleaned
    }
}

/// Data rows an XLSX sheet can hold (one more row is the header).
const XLSX_MAX_ROWS: usize = 1_048_575;

fn xlsx_bytes(name: &str, rows: &Rows, columns: &[Column]) -> Result<Vec<u8>, ApiError> {
    use rust_xlsxwriter::{Format, Workbook};
    let failed = |err: rust_xlsxwriter::XlsxError| ApiError::internal(format!("XLSX export failed: {err}"));
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name(name)).map_err(failed)?;
    if rows.len() > XLSX_MAX_ROWS {
        return Err(ApiError::validation(format!(
            "The table has {} rows; an XLSX sheet holds at most {XLSX_MAX_ROWS}. Export CSV or JSON instead",
            rows.len()
        )));
    }
    let bold = Format::new().set_bold();
    for (col, column) in columns.iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, &column.key, &bold)
            .map_err(failed)?;
    }
    for i in 0..rows.len() {
        let (data, _) = rows.data(i);
        let r = (i + 1) as u32;
        for (col, column) in columns.iter().enumerate() {
            let col = col as u16;
            match data.get(&column.key) {
                None | Some(Value::Null) => {}
                Some(Value::Number(n)) => {
                    sheet
                        .write_number(r, col, n.as_f64().unwrap_or_default())
                        .map_err(failed)?;
                }
                Some(Value::Bool(b)) => {
                    sheet.write_boolean(r, col, *b).map_err(failed)?;
                }
                value => {
                    let text = text_of(value);
                    if text.chars().count() > XLSX_CELL_LIMIT {
                        return Err(ApiError::validation(format!(
                            "Cell {} of row {} exceeds the XLSX limit of {XLSX_CELL_LIMIT} characters",
                            column.key,
                            rows.id(i)
                        )));
                    }
                    sheet.write_string(r, col, &text).map_err(failed)?;
                }
            }
        }
    }
    workbook.save_to_buffer().map_err(failed)
}

fn image_entries(rows: &Rows, columns: &[Column]) -> Vec<ImageEntry> {
    let image_columns: Vec<&Column> = columns
        .iter()
        .filter(|c| matches!(c.ty.as_str(), "image" | "images"))
        .collect();
    let mut entries = Vec::new();
    for i in 0..rows.len() {
        let (data, row_index) = rows.data(i);
        // The row's name: a `name` value, else its first text column.
        let label = data
            .get("name")
            .and_then(Value::as_str)
            .or_else(|| {
                columns
                    .iter()
                    .filter(|c| c.ty == "text")
                    .find_map(|c| data.get(&c.key).and_then(Value::as_str))
            })
            .map(slugify)
            .filter(|s| !s.is_empty())
            .map(|s| s.chars().take(40).collect::<String>())
            .unwrap_or_else(|| rows.id(i));
        let folder = format!("{:05}_{label}", row_index + 1);
        for column in &image_columns {
            let urls: Vec<&str> = match data.get(&column.key) {
                Some(Value::String(url)) => vec![url.as_str()],
                Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            for (n, url) in urls.into_iter().filter(|u| !u.is_empty()).enumerate() {
                entries.push(ImageEntry {
                    path: format!("{folder}/{}_{}.png", column.key, n + 1),
                    url: url.to_owned(),
                });
            }
        }
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disposition() {
        assert_eq!(
            content_disposition("Sample products", "csv"),
            "attachment; filename=\"Sample products.csv\""
        );
        let v = content_disposition("Čaj \"x\"", "json");
        assert!(
            v.starts_with("attachment; filename=\"_aj _x_.json\"; filename*=UTF-8''%C4%8Caj%20%22x%22.json"),
            "{v}"
        );
    }

    #[test]
    fn csv_quoting() {
        let mut out = String::new();
        csv_field(&mut out, "a;b \"c\"");
        assert_eq!(out, "\"a;b \"\"c\"\"\"");
    }
}
