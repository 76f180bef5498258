//! `GET /tables/{table_id}/export`: into memory (capped) or streamed to a file.

use std::path::{Path, PathBuf};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt;
use serde_json::json;
use tokio::time::Instant;

use std::future::IntoFuture;

use futures_util::future::BoxFuture;
use serde::de::DeserializeOwned;

use super::atomic::TempFile;
use super::disk_writer::DiskWriter;
use crate::call::Call;
use crate::error::{capped_text, snippet, Error, RAW_BODY_LIMIT};
use crate::operation::by_id;
use crate::options::RequestOptions;
use crate::transport::{human, RawResponse, Streaming};
use crate::types::TableExportFormat;
use crate::Client;

/// The export formats of `GET /tables/{table_id}/export`.
pub(crate) const EXPORT_FORMATS: [&str; 4] = ["csv", "xlsx", "json", "images"];

/// `client.export()`: a table's rows as a file: CSV, an Excel workbook, JSON, or a
/// ZIP of the images of its image columns.
///
/// Each format gives an [`ExportRequest`]: awaited, the export comes back in memory
/// (a [`Download`], at most the client's `max_response_bytes`); with
/// [`to_path`](ExportRequest::to_path) it is streamed to a file of any size.
///
/// ```no_run
/// # async fn run(client: lasso_ai::Client) -> Result<(), lasso_ai::Error> {
/// let saved = client.export().csv("tbl_123").columns(["name", "price"]).to_path("bottles.csv").await?;
/// println!("{} bytes in {}", saved.size, saved.path.display());
///
/// #[derive(serde::Deserialize)]
/// struct Bottle {
///     name: String,
/// }
/// let rows: Vec<Bottle> = client.export().json("tbl_123").await?.rows()?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Export<'c> {
    client: &'c Client,
}

impl Client {
    /// Exports of a table's rows (see [`Export`]).
    pub fn export(&self) -> Export<'_> {
        Export { client: self }
    }
}

impl Export<'_> {
    /// The rows as CSV.
    pub fn csv(self, table_id: &str) -> ExportRequest {
        self.format(table_id, TableExportFormat::Csv)
    }

    /// The rows as an Excel workbook (`.xlsx`).
    pub fn xlsx(self, table_id: &str) -> ExportRequest {
        self.format(table_id, TableExportFormat::Xlsx)
    }

    /// The rows as JSON ([`Download::rows`] decodes them).
    pub fn json(self, table_id: &str) -> ExportRequest {
        self.format(table_id, TableExportFormat::Json)
    }

    /// The images of the table's image columns, as a ZIP archive.
    pub fn images(self, table_id: &str) -> ExportRequest {
        self.format(table_id, TableExportFormat::Images)
    }

    /// The rows in `format`.
    pub fn format(self, table_id: &str, format: TableExportFormat) -> ExportRequest {
        ExportRequest {
            client: self.client.clone(),
            table_id: table_id.to_owned(),
            format,
            columns: Vec::new(),
            options: RequestOptions::default(),
        }
    }
}

/// One export of a table, sent when awaited (into memory) or by
/// [`to_path`](Self::to_path) (to a file).
#[must_use = "an export does nothing until it is awaited"]
#[derive(Debug)]
pub struct ExportRequest {
    client: Client,
    table_id: String,
    format: TableExportFormat,
    columns: Vec<String>,
    options: RequestOptions,
}

impl ExportRequest {
    /// Only these columns, by key (default: every column).
    pub fn columns(mut self, keys: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.columns = keys.into_iter().map(Into::into).collect();
        self
    }

    /// Options for this export (see [`Call::with_options`]). Streamed to a file,
    /// each chunk must arrive within the `timeout`, and `total_timeout` bounds the
    /// whole download.
    pub fn with_options(mut self, options: RequestOptions) -> Self {
        self.options = options.merged_over(&self.options);
        self
    }

    /// Streams the export to `path`: into a private temporary file beside it,
    /// renamed into place only once complete and checked to be the format asked
    /// for, so a failure never leaves a partial file nor touches an existing one.
    pub fn to_path(self, path: impl AsRef<Path>) -> Call<SavedExport> {
        let path = path.as_ref().to_path_buf();
        let ExportRequest {
            client,
            table_id,
            format,
            columns,
            options,
        } = self;
        let columns = joined(&columns);
        Call::custom(&client, "tables.export", move |client, more| {
            Box::pin(async move {
                let options = more.merged_over(&options);
                let columns = columns?;
                client
                    .export_file(&table_id, format.as_str(), columns.as_deref(), &path, &options)
                    .await
            })
        })
    }
}

impl IntoFuture for ExportRequest {
    type Output = Result<Download, Error>;
    type IntoFuture = BoxFuture<'static, Result<Download, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        let ExportRequest {
            client,
            table_id,
            format,
            columns,
            options,
        } = self;
        Box::pin(crate::runtime::guarded(async move {
            let columns = joined(&columns)?;
            client
                .export_bytes(&table_id, format.as_str(), columns.as_deref(), &options)
                .await
        }))
    }
}

/// Column keys as the `columns` query parameter takes them: comma-separated.
fn joined(columns: &[String]) -> Result<Option<String>, Error> {
    if let Some(bad) = columns.iter().find(|c| c.is_empty() || c.contains(',')) {
        return Err(Error::config(format!(
            "export: {bad:?} is not a column key (keys are non-empty and have no commas)"
        )));
    }
    Ok((!columns.is_empty()).then(|| columns.join(",")))
}

/// An export held in memory.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Download {
    /// The body.
    pub bytes: Bytes,
    /// The `Content-Type` the server sent.
    pub content_type: Option<String>,
    /// The file name from `Content-Disposition`, when sent.
    pub filename: Option<String>,
}

impl Download {
    /// The rows of a JSON export as the text of one JSON array, checked:
    /// the published API sends `{"data": [...]}`, a bare array is accepted
    /// too; anything else is a decode error. Each front door parses the text
    /// with its own fastest parser.
    pub fn json_rows(&self) -> Result<&str, Error> {
        #[derive(serde::Deserialize)]
        struct Envelope<'a> {
            #[serde(borrow)]
            data: Option<&'a serde_json::value::RawValue>,
        }
        let not_rows = |why: &str| Error::Decode {
            status: 200,
            message: format!(
                "the JSON export is not an array of rows ({why}): {}",
                snippet(&self.bytes)
            ),
            raw_body: capped_text(&self.bytes, RAW_BODY_LIMIT),
            source: None,
        };
        let text = std::str::from_utf8(&self.bytes).map_err(|e| not_rows(&e.to_string()))?;
        let trimmed = text.trim_start();
        let rows = if trimmed.starts_with('[') {
            serde_json::from_str::<&serde_json::value::RawValue>(text)
                .map_err(|e| not_rows(&e.to_string()))?
                .get()
        } else {
            serde_json::from_str::<Envelope<'_>>(text)
                .map_err(|e| not_rows(&e.to_string()))?
                .data
                .map(|raw| raw.get())
                .ok_or_else(|| not_rows("no `data`"))?
        };
        if !rows.starts_with('[') {
            return Err(not_rows("`data` is not an array"));
        }
        Ok(rows)
    }

    /// The rows of a JSON export, each decoded as `T` (a `#[derive(Deserialize)]`
    /// struct of the table's columns, or `serde_json::Map` for any row).
    pub fn rows<T: DeserializeOwned>(&self) -> Result<Vec<T>, Error> {
        let text = self.json_rows()?;
        serde_json::from_str(text).map_err(|e| Error::Decode {
            status: 200,
            message: format!("the rows of the JSON export do not decode as asked ({e})"),
            raw_body: capped_text(text.as_bytes(), RAW_BODY_LIMIT),
            source: Some(Box::new(e)),
        })
    }
}

/// An export written to disk.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SavedExport {
    /// Where it was written.
    pub path: PathBuf,
    /// Bytes written.
    pub size: u64,
    /// The `Content-Type` the server sent.
    pub content_type: Option<String>,
    /// The file name from `Content-Disposition`, when sent.
    pub filename: Option<String>,
}

impl Client {
    /// `GET /tables/{table_id}/export` into memory. `format` is one of
    /// `EXPORT_FORMATS`; `columns` a comma-separated list of column keys.
    /// The whole body must arrive within the request timeout and be at most
    /// the client's `max_response_bytes` (256 MiB by default); a larger
    /// export is an error that says to stream it with
    /// a path.
    pub(crate) async fn export_bytes(
        &self,
        table_id: &str,
        format: &str,
        columns: Option<&str>,
        options: &RequestOptions,
    ) -> Result<Download, Error> {
        let args = export_args(table_id, format, columns)?;
        let response = self
            .execute_bounded(
                by_id("tables.export"),
                args,
                options,
                "export to a file instead (a path), which streams it with no size limit",
            )
            .await?;
        let (content_type, filename) = describe(&response.headers);
        check_content(format, content_type.as_deref(), &response.body)
            .and_then(|()| check_complete_in_memory(format, &response.body))
            .map_err(|why| self.redact(export_decode_error(table_id, format, &response, &why)))?;
        Ok(Download {
            bytes: response.body,
            content_type,
            filename,
        })
    }

    /// `GET /tables/{table_id}/export` streamed to `path`. The body goes to a
    /// private temporary file beside `path`, renamed into place only once
    /// complete and checked to be the format asked for, so a failure never
    /// leaves a partial file nor touches an existing one. Each chunk must
    /// arrive within the request timeout; `total_timeout` bounds the whole
    /// download.
    pub(crate) async fn export_file(
        &self,
        table_id: &str,
        format: &str,
        columns: Option<&str>,
        path: impl AsRef<Path>,
        options: &RequestOptions,
    ) -> Result<SavedExport, Error> {
        self.export_to_path_with_progress(table_id, format, columns, path, options, |_, _| {})
            .await
    }

    /// `export_file`, calling `on_progress`
    /// with the bytes written so far and the size the server announced
    /// (`Content-Length`, when it sent one) after each chunk: what a
    /// progress bar in bytes needs (the command line's `lasso export`).
    pub(crate) async fn export_to_path_with_progress(
        &self,
        table_id: &str,
        format: &str,
        columns: Option<&str>,
        path: impl AsRef<Path>,
        options: &RequestOptions,
        mut on_progress: impl FnMut(u64, Option<u64>) + Send + 'static,
    ) -> Result<SavedExport, Error> {
        let started = Instant::now();
        let path = path.as_ref().to_path_buf();
        let args = export_args(table_id, format, columns)?;
        let response = self
            .execute_streaming(by_id("tables.export"), args, options)
            .await?;
        let (content_type, filename) = describe(&response.headers);
        let (temp, file) = TempFile::create(&path)
            .await
            .map_err(|e| Error::file("write the export to", &path, e))?;
        let limits = StreamLimits {
            idle: options.timeout.unwrap_or_else(|| self.attempt_timeout()),
            deadline: options.total_timeout.map(|t| (started + t, t)),
        };
        let target = Target {
            table_id: table_id.to_owned(),
            format: format.to_owned(),
            content_type: content_type.clone(),
            dest: path.clone(),
        };
        let file = DiskWriter::new(file.into_std().await);
        // Read on a runtime worker, beside the connection task that feeds the
        // body: polled from the caller's thread instead (a `block_on` in
        // `main`), every chunk wakes that thread (bench/ANALYSIS.md).
        let size = crate::runtime::on_worker(async move {
            pump(response, file, &limits, &target, &mut on_progress).await
        })
        .await
        .map_err(|e| self.redact(e))?;
        check_complete_on_disk(format, temp.path())
            .await
            .map_err(|why| {
                self.redact(Error::Decode {
                    status: 200,
                    message: format!("the {format} export of table {table_id} is not a complete {format} file ({why}); {} was left as it was", path.display()),
                    raw_body: String::new(),
                    source: None,
                })
            })?;
        temp.finish(&path)
            .await
            .map_err(|e| Error::file("move the export to", &path, e))?;
        Ok(SavedExport {
            path,
            size,
            content_type,
            filename,
        })
    }
}

/// What a streamed export is checked against as it is written.
struct Target {
    table_id: String,
    format: String,
    content_type: Option<String>,
    dest: PathBuf,
}

/// Writes the body of `response` to `file`, checking its first bytes are the
/// format asked for, within `limits`; its size.
async fn pump(
    // Kept whole, so its connection slot is held until the body is read.
    mut response: Streaming,
    mut file: DiskWriter,
    limits: &StreamLimits,
    target: &Target,
    on_progress: &mut (dyn FnMut(u64, Option<u64>) + Send),
) -> Result<u64, Error> {
    let Target {
        table_id,
        format,
        content_type,
        dest,
    } = target;
    let total = response
        .headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    on_progress(0, total);
    let io = |e: std::io::Error| Error::file("write the export to", dest, e);
    let mut size = 0u64;
    let mut head: Vec<u8> = Vec::new();
    loop {
        let wait = limits.next_wait(table_id)?;
        let next = tokio::time::timeout(wait, response.body.frame())
            .await
            .map_err(|_| limits.elapsed(table_id))?;
        let chunk = match next {
            Some(Ok(frame)) => match frame.into_data() {
                Ok(chunk) => chunk,
                Err(_) => continue,
            },
            Some(Err(e)) => return Err(interrupted(table_id, &e)),
            None => break,
        };
        // The first bytes say whether this is the format at all (not an
        // HTML page a proxy answered with): checked before anything is kept.
        if head.len() < SNIFF_LEN {
            head.extend_from_slice(&chunk[..chunk.len().min(SNIFF_LEN - head.len())]);
            if head.len() >= SNIFF_LEN {
                check_head(format, content_type.as_deref(), &head, table_id)?;
            }
        }
        size += chunk.len() as u64;
        file.write(chunk).await.map_err(io)?;
        on_progress(size, total);
    }
    if head.len() < SNIFF_LEN {
        check_head(format, content_type.as_deref(), &head, table_id)?;
    }
    file.finish().await.map_err(io)?;
    Ok(size)
}

fn check_head(format: &str, content_type: Option<&str>, head: &[u8], table_id: &str) -> Result<(), Error> {
    check_content(format, content_type, head).map_err(|why| Error::Decode {
        status: 200,
        message: format!(
            "the {format} export of table {table_id} is not a {format} file ({why}): {}",
            snippet(head)
        ),
        raw_body: capped_text(head, RAW_BODY_LIMIT),
        source: None,
    })
}

/// How long a streamed download may wait for its next chunk.
struct StreamLimits {
    idle: Duration,
    /// `total_timeout`: when the whole download must be done, and its length.
    deadline: Option<(Instant, Duration)>,
}

impl StreamLimits {
    fn next_wait(&self, table_id: &str) -> Result<Duration, Error> {
        match self.deadline {
            Some((at, _)) => {
                let left = at.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(self.elapsed(table_id));
                }
                Ok(left.min(self.idle))
            }
            None => Ok(self.idle),
        }
    }

    fn elapsed(&self, table_id: &str) -> Error {
        let message = match self.deadline {
            Some((at, total)) if Instant::now() >= at => format!(
                "the export of table {table_id} did not finish within its total timeout of {}",
                human(total)
            ),
            _ => format!(
                "the export of table {table_id} stalled: no data for {}",
                human(self.idle)
            ),
        };
        Error::Timeout { message }
    }
}

/// Bytes looked at to tell a file's kind.
const SNIFF_LEN: usize = 512;

fn export_args(table_id: &str, format: &str, columns: Option<&str>) -> Result<serde_json::Value, Error> {
    if !EXPORT_FORMATS.contains(&format) {
        return Err(Error::config(format!(
            "export format {format:?} is not one of {}",
            EXPORT_FORMATS.join(", ")
        )));
    }
    Ok(json!({ "table_id": table_id, "format": format, "columns": columns }))
}

/// Whether the start of a body can be an export in `format`: never an HTML
/// page (a sign-in or captive-portal page answering `200`), and a ZIP for
/// the ZIP-based formats.
fn check_content(format: &str, content_type: Option<&str>, head: &[u8]) -> Result<(), String> {
    let essence = content_type
        .and_then(|t| t.split(';').next())
        .map(|t| t.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if essence == "text/html" || essence == "application/xhtml+xml" || looks_like_html(head) {
        return Err("the server answered with an HTML page, e.g. a sign-in or captive-portal page".into());
    }
    match format {
        "xlsx" | "images" if !(head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06")) => {
            Err(format!(
                "it does not start like a ZIP archive (content type {})",
                shown_type(&essence)
            ))
        }
        "json"
            if !essence.is_empty()
                && !essence.contains("json")
                && essence != "text/plain"
                && essence != "application/octet-stream" =>
        {
            Err(format!("the content type is {essence}, not JSON"))
        }
        _ => Ok(()),
    }
}

fn shown_type(essence: &str) -> &str {
    if essence.is_empty() {
        "not given"
    } else {
        essence
    }
}

fn looks_like_html(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&head[..head.len().min(SNIFF_LEN)]).to_ascii_lowercase();
    let text = text.trim_start_matches('\u{feff}').trim_start();
    text.starts_with("<!doctype html")
        || text.starts_with("<html")
        || text.starts_with("<head")
        || text.starts_with("<body")
}

/// Whether a whole body held in memory is complete: JSON that parses, a ZIP
/// with its end record.
fn check_complete_in_memory(format: &str, body: &[u8]) -> Result<(), String> {
    match format {
        "json" => serde_json::from_slice::<serde::de::IgnoredAny>(body)
            .map(drop)
            .map_err(|e| format!("it is not valid JSON: {e}")),
        "xlsx" | "images" if !has_zip_end(body) => Err("the ZIP archive is cut short (no end record)".into()),
        _ => Ok(()),
    }
}

/// [`check_complete_in_memory`] for a file on disk, read in streaming.
async fn check_complete_on_disk(format: &str, path: &Path) -> Result<(), String> {
    let path = path.to_path_buf();
    let format = format.to_owned();
    tokio::task::spawn_blocking(move || -> Result<(), String> {
        use std::io::{Read, Seek, SeekFrom};
        let mut file = std::fs::File::open(&path).map_err(|e| e.to_string())?;
        match format.as_str() {
            "json" => serde_json::from_reader::<_, serde::de::IgnoredAny>(std::io::BufReader::new(file))
                .map(drop)
                .map_err(|e| format!("it is not valid JSON: {e}")),
            "xlsx" | "images" => {
                let len = file.metadata().map_err(|e| e.to_string())?.len();
                let tail_len = len.min(ZIP_TAIL as u64);
                file.seek(SeekFrom::Start(len - tail_len))
                    .map_err(|e| e.to_string())?;
                let mut tail = Vec::with_capacity(tail_len as usize);
                file.read_to_end(&mut tail).map_err(|e| e.to_string())?;
                has_zip_end(&tail)
                    .then_some(())
                    .ok_or_else(|| "the ZIP archive is cut short (no end record)".to_owned())
            }
            _ => Ok(()),
        }
    })
    .await
    .map_err(|e| e.to_string())?
}

/// The end record of a ZIP lies in its last 22 bytes plus a comment of at most 64 KiB.
const ZIP_TAIL: usize = 22 + 65_535;

fn has_zip_end(body: &[u8]) -> bool {
    let tail = &body[body.len().saturating_sub(ZIP_TAIL)..];
    tail.windows(4).any(|w| w == b"PK\x05\x06")
}

fn export_decode_error(table_id: &str, format: &str, response: &RawResponse, why: &str) -> Error {
    Error::Decode {
        status: response.status.as_u16(),
        message: format!(
            "the {format} export of table {table_id} is not a {format} file ({why}): {}",
            snippet(&response.body)
        ),
        raw_body: capped_text(&response.body, RAW_BODY_LIMIT),
        source: None,
    }
}

fn interrupted(table_id: &str, e: &hyper::Error) -> Error {
    Error::Connection {
        message: format!("the export of table {table_id} was interrupted: {e}"),
        not_sent: false,
        source: None,
    }
}

/// `Content-Type` and the `Content-Disposition` file name of a response.
fn describe(headers: &http::HeaderMap) -> (Option<String>, Option<String>) {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let content_type = header(http::header::CONTENT_TYPE).map(str::to_owned);
    let filename = header(http::header::CONTENT_DISPOSITION).and_then(disposition_filename);
    (content_type, filename)
}

/// The file name of a `Content-Disposition` value (`filename*=UTF-8''…` or
/// `filename="…"`), reduced to its last path component so it can never
/// point elsewhere; `None` when nothing usable is left (empty, `.`, `..`,
/// or a name with control characters).
pub(crate) fn disposition_filename(value: &str) -> Option<String> {
    let mut encoded = None;
    let mut plain = None;
    for part in value.split(';').map(str::trim) {
        if let Some(value) = part.strip_prefix("filename*=") {
            let value = value.split_once("''").map(|(_, v)| v).unwrap_or(value);
            encoded = Some(safe_name(&percent_decode(value)));
        } else if let Some(name) = part.strip_prefix("filename=") {
            plain = Some(safe_name(name.trim_matches('"')));
        }
    }
    encoded.flatten().or(plain.flatten())
}

fn safe_name(name: &str) -> Option<String> {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    let usable = !matches!(last, "" | "." | "..") && !last.chars().any(char::is_control);
    usable.then(|| last.to_owned())
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = if bytes[i] == b'%' {
            s.get(i + 1..i + 3)
        } else {
            None
        };
        if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disposition_file_names() {
        let name = |v: &str| disposition_filename(v);
        assert_eq!(
            name("attachment; filename=\"Products.csv\"").as_deref(),
            Some("Products.csv")
        );
        assert_eq!(name("attachment; filename=a.xlsx").as_deref(), Some("a.xlsx"));
        assert_eq!(
            name("attachment; filename=\"x.csv\"; filename*=UTF-8''Caf%C3%A9.csv").as_deref(),
            Some("Café.csv")
        );
        assert_eq!(
            name("attachment; filename=\"../../etc/passwd\"").as_deref(),
            Some("passwd")
        );
        assert_eq!(name("attachment").as_deref(), None);
        assert_eq!(name("attachment; filename*=UTF-8''100%").as_deref(), Some("100%"));
        // Hostile names leave no file name at all.
        for hostile in [
            "attachment; filename=\"..\"",
            "attachment; filename=\".\"",
            "attachment; filename=\"\"",
            "attachment; filename=\"a/..\"",
            "attachment; filename*=UTF-8''a%00b.csv",
            "attachment; filename*=UTF-8''a%0D%0Ab.csv",
            "attachment; filename=\"tab\there.csv\"",
        ] {
            assert_eq!(name(hostile), None, "{hostile}");
        }
        // A hostile encoded name falls back to the plain one.
        assert_eq!(
            name("attachment; filename=\"ok.csv\"; filename*=UTF-8''..").as_deref(),
            Some("ok.csv")
        );
    }

    #[test]
    fn json_export_rows() {
        let download = |body: &str| Download {
            bytes: Bytes::from(body.to_owned()),
            content_type: None,
            filename: None,
        };
        assert_eq!(
            download(r#"{"data": [{"a": 1}], "meta": {}}"#)
                .json_rows()
                .unwrap(),
            r#"[{"a": 1}]"#
        );
        assert_eq!(download(r#" [{"a": 1}]"#).json_rows().unwrap(), r#"[{"a": 1}]"#);
        for bad in [r#"{"rows": []}"#, r#"{"data": {}}"#, "42", "<html>"] {
            let e = download(bad).json_rows().unwrap_err();
            assert_eq!(e.code(), "decode", "{bad}");
        }
    }

    #[test]
    fn content_checks() {
        assert!(check_content("csv", Some("text/csv"), b"a;b\n1;2\n").is_ok());
        assert!(check_content("csv", Some("text/html; charset=utf-8"), b"a;b").is_err());
        assert!(check_content("csv", Some("text/csv"), b"  <!DOCTYPE html><html>").is_err());
        assert!(check_content("xlsx", None, b"PK\x03\x04rest").is_ok());
        assert!(check_content("xlsx", Some("application/octet-stream"), b"hello").is_err());
        assert!(check_content("json", Some("application/json"), b"{\"data\": []}").is_ok());
        assert!(check_content("json", Some("text/csv"), b"a;b").is_err());
        assert!(check_complete_in_memory("json", b"{\"data\": [1, 2").is_err());
        assert!(check_complete_in_memory("images", b"PK\x03\x04 no end").is_err());
        assert!(
            check_complete_in_memory("images", b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0").is_ok()
        );
    }
}
