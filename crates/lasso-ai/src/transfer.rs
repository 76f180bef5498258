//! Uploads and exports, streamed from and to disk so that a 1 GB file never
//! has to fit in memory.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use futures_util::StreamExt;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::error::Error;
use crate::operation::by_id;
use crate::options::RequestOptions;
use crate::Client;

/// The export formats of `GET /tables/{table_id}/export`.
pub const EXPORT_FORMATS: [&str; 4] = ["csv", "xlsx", "json", "images"];

/// What to upload.
#[derive(Debug, Clone)]
pub enum UploadSource {
    /// A file on disk, streamed (never read into memory whole).
    Path(PathBuf),
    /// Bytes already in memory.
    Bytes(Bytes),
}

/// A file to upload with `POST /files`.
#[derive(Debug, Clone)]
pub struct Upload {
    /// Where the content comes from.
    pub source: UploadSource,
    /// The name the server stores; default: the path's file name.
    pub filename: Option<String>,
    /// The content type; default: from the file name's extension.
    pub content_type: Option<String>,
}

impl Upload {
    /// Uploads the file at `path`.
    pub fn path(path: impl Into<PathBuf>) -> Upload {
        Upload {
            source: UploadSource::Path(path.into()),
            filename: None,
            content_type: None,
        }
    }

    /// Uploads bytes under `filename`.
    pub fn bytes(bytes: impl Into<Bytes>, filename: impl Into<String>) -> Upload {
        Upload {
            source: UploadSource::Bytes(bytes.into()),
            filename: Some(filename.into()),
            content_type: None,
        }
    }
}

/// An export held in memory.
#[derive(Debug, Clone)]
pub struct Download {
    /// The body.
    pub bytes: Bytes,
    /// The `Content-Type` the server sent.
    pub content_type: Option<String>,
    /// The file name from `Content-Disposition`, when sent.
    pub filename: Option<String>,
}

/// An export written to disk.
#[derive(Debug, Clone)]
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
    /// `POST /files`: uploads a file (multipart, part `file`), streaming it
    /// from disk. Returns the File object.
    ///
    /// ```no_run
    /// # async fn run(client: lasso_ai::Client) -> Result<(), lasso_ai::Error> {
    /// let file = client.upload_file(lasso_ai::Upload::path("catalog.pdf"), &Default::default()).await?;
    /// println!("{}", file["id"]);
    /// # Ok(()) }
    /// ```
    pub async fn upload_file(&self, upload: Upload, options: &RequestOptions) -> Result<Value, Error> {
        let (length, default_name) = match &upload.source {
            UploadSource::Path(path) => {
                let meta = tokio::fs::metadata(path)
                    .await
                    .map_err(|e| Error::config(format!("cannot upload {}: {e}", path.display())))?;
                if !meta.is_file() {
                    return Err(Error::config(format!(
                        "cannot upload {}: not a regular file",
                        path.display()
                    )));
                }
                (
                    meta.len(),
                    path.file_name().map(|n| n.to_string_lossy().into_owned()),
                )
            }
            UploadSource::Bytes(bytes) => (bytes.len() as u64, None),
        };
        let filename = upload
            .filename
            .clone()
            .or(default_name)
            .filter(|n| !n.trim().is_empty())
            .ok_or_else(|| Error::config("files.upload: give a filename for bytes (e.g. \"catalog.pdf\")"))?;
        let content_type = upload
            .content_type
            .clone()
            .unwrap_or_else(|| content_type_for(&filename).to_owned());
        reqwest::multipart::Part::bytes(Vec::new())
            .mime_str(&content_type)
            .map_err(|_| {
                Error::config(format!(
                    "files.upload: {content_type:?} is not a valid content type"
                ))
            })?;
        let source = upload.source;
        let form = Arc::new(move || {
            let body = match &source {
                UploadSource::Bytes(bytes) => reqwest::Body::from(bytes.clone()),
                UploadSource::Path(path) => {
                    let file = std::fs::File::open(path)
                        .map_err(|e| Error::config(format!("cannot upload {}: {e}", path.display())))?;
                    reqwest::Body::wrap_stream(read_chunks(tokio::fs::File::from_std(file)))
                }
            };
            let part = reqwest::multipart::Part::stream_with_length(body, length)
                .file_name(filename.clone())
                .mime_str(&content_type)
                .map_err(|e| Error::config(e.to_string()))?;
            Ok(reqwest::multipart::Form::new().part("file", part))
        });
        let response = self
            .execute_multipart(by_id("files.upload"), form, options)
            .await?;
        serde_json::from_slice(&response.body).map_err(|e| Error::Decode {
            status: response.status.as_u16(),
            message: format!("POST /files answered with a body that is not the File object ({e})"),
            raw_body: crate::error::capped_text(&response.body, crate::RAW_BODY_LIMIT),
        })
    }

    /// `GET /tables/{table_id}/export` into memory. `format` is one of
    /// [`EXPORT_FORMATS`]; `columns` a comma-separated list of column keys.
    pub async fn export(
        &self,
        table_id: &str,
        format: &str,
        columns: Option<&str>,
        options: &RequestOptions,
    ) -> Result<Download, Error> {
        let response = self.start_export(table_id, format, columns, options).await?;
        let (content_type, filename) = describe(&response);
        let bytes = response.bytes().await.map_err(|e| interrupted(table_id, &e))?;
        Ok(Download {
            bytes,
            content_type,
            filename,
        })
    }

    /// `GET /tables/{table_id}/export` streamed to `path`. The body goes to a
    /// temporary file beside `path`, renamed into place only once complete, so
    /// a failure never leaves a partial file. Each chunk must arrive within
    /// the request timeout.
    pub async fn export_to_path(
        &self,
        table_id: &str,
        format: &str,
        columns: Option<&str>,
        path: impl AsRef<Path>,
        options: &RequestOptions,
    ) -> Result<SavedExport, Error> {
        let path = path.as_ref().to_path_buf();
        let response = self.start_export(table_id, format, columns, options).await?;
        let (content_type, filename) = describe(&response);
        let temp = TempFile(Some(temp_path(&path)));
        let written = match self.stream_to(response, temp.path(), options, table_id).await {
            Ok(size) => tokio::fs::rename(temp.path(), &path)
                .await
                .map(|_| size)
                .map_err(|e| Error::config(format!("cannot move the export to {}: {e}", path.display()))),
            Err(e) => Err(e),
        };
        if written.is_ok() {
            temp.keep();
        }
        Ok(SavedExport {
            path,
            size: written?,
            content_type,
            filename,
        })
    }

    async fn start_export(
        &self,
        table_id: &str,
        format: &str,
        columns: Option<&str>,
        options: &RequestOptions,
    ) -> Result<reqwest::Response, Error> {
        if !EXPORT_FORMATS.contains(&format) {
            return Err(Error::config(format!(
                "export format {format:?} is not one of {}",
                EXPORT_FORMATS.join(", ")
            )));
        }
        let args = json!({ "table_id": table_id, "format": format, "columns": columns });
        self.execute_streaming(by_id("tables.export"), args, options)
            .await
    }

    async fn stream_to(
        &self,
        response: reqwest::Response,
        temp: &Path,
        options: &RequestOptions,
        table_id: &str,
    ) -> Result<u64, Error> {
        let idle = options.timeout.unwrap_or_else(|| self.attempt_timeout());
        let io =
            |e: std::io::Error| Error::config(format!("cannot write the export to {}: {e}", temp.display()));
        let mut file = tokio::fs::File::create(temp).await.map_err(io)?;
        let mut body = response.bytes_stream();
        let mut size = 0u64;
        loop {
            let next = tokio::time::timeout(idle, body.next())
                .await
                .map_err(|_| Error::Timeout {
                    message: format!(
                        "the export of table {table_id} stalled: no data for {} s",
                        idle.as_secs_f64()
                    ),
                })?;
            match next {
                Some(Ok(chunk)) => {
                    file.write_all(&chunk).await.map_err(io)?;
                    size += chunk.len() as u64;
                }
                Some(Err(e)) => return Err(interrupted(table_id, &e)),
                None => break,
            }
        }
        file.flush().await.map_err(io)?;
        file.sync_all().await.map_err(io)?;
        Ok(size)
    }
}

/// The temporary file of an export to a path: removed when dropped (on
/// failure, and when the export's future is dropped, e.g. a cancelled call),
/// unless it was renamed into place.
struct TempFile(Option<PathBuf>);

impl TempFile {
    fn path(&self) -> &Path {
        self.0
            .as_deref()
            .expect("the temporary file is kept only once done")
    }

    /// It became the export: nothing to remove.
    fn keep(mut self) {
        self.0 = None;
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn interrupted(table_id: &str, e: &reqwest::Error) -> Error {
    Error::Connection {
        message: format!("the export of table {table_id} was interrupted: {e}"),
        not_sent: false,
    }
}

/// `Content-Type` and the `Content-Disposition` file name of a response.
fn describe(response: &reqwest::Response) -> (Option<String>, Option<String>) {
    let header = |name| response.headers().get(name).and_then(|v| v.to_str().ok());
    let content_type = header(http::header::CONTENT_TYPE).map(str::to_owned);
    let filename = header(http::header::CONTENT_DISPOSITION).and_then(disposition_filename);
    (content_type, filename)
}

/// The file name of a `Content-Disposition` value (`filename*=UTF-8''…` or `filename="…"`),
/// reduced to its last path component so it can never point elsewhere.
pub(crate) fn disposition_filename(value: &str) -> Option<String> {
    let mut plain = None;
    for part in value.split(';').map(str::trim) {
        if let Some(encoded) = part.strip_prefix("filename*=") {
            let encoded = encoded.split_once("''").map(|(_, v)| v).unwrap_or(encoded);
            return Some(safe_name(&percent_decode(encoded)));
        }
        if let Some(name) = part.strip_prefix("filename=") {
            plain = Some(safe_name(name.trim_matches('"')));
        }
    }
    plain.filter(|n| !n.is_empty())
}

fn safe_name(name: &str) -> String {
    name.rsplit(['/', '\\']).next().unwrap_or("").to_owned()
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

/// `dir/.name.<random>.part`: same directory, so the final rename is atomic.
fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    path.with_file_name(format!(".{name}.{:08x}.part", fastrand::u32(..)))
}

/// The file's chunks, read 512 KiB at a time: each read is a trip to
/// tokio's blocking pool, so larger reads made uploads faster (1 GB: 0.60 s
/// with 64 KiB), while the request body holds only a few chunks at once.
fn read_chunks(
    file: tokio::fs::File,
) -> impl futures_util::Stream<Item = std::io::Result<Bytes>> + Send + 'static {
    futures_util::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let mut buf = vec![0u8; 512 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(Bytes::from(buf)), Some(file)))
            }
            Err(e) => Some((Err(e), None)),
        }
    })
}

/// Content type by extension, for the formats Lasso extracts from.
fn content_type_for(filename: &str) -> &'static str {
    let ext = filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "csv" => "text/csv",
        "txt" => "text/plain",
        "xml" => "application/xml",
        "html" | "htm" => "text/html",
        "json" => "application/json",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsm" => "application/vnd.ms-excel.sheet.macroEnabled.12",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disposition_file_names() {
        assert_eq!(
            disposition_filename("attachment; filename=\"Products.csv\"").as_deref(),
            Some("Products.csv")
        );
        assert_eq!(
            disposition_filename("attachment; filename=a.xlsx").as_deref(),
            Some("a.xlsx")
        );
        assert_eq!(
            disposition_filename("attachment; filename=\"x.csv\"; filename*=UTF-8''Caf%C3%A9.csv").as_deref(),
            Some("Café.csv")
        );
        assert_eq!(
            disposition_filename("attachment; filename=\"../../etc/passwd\"").as_deref(),
            Some("passwd")
        );
        assert_eq!(disposition_filename("attachment").as_deref(), None);
        assert_eq!(
            disposition_filename("attachment; filename*=UTF-8''100%").as_deref(),
            Some("100%")
        );
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type_for("Catalog.PDF"), "application/pdf");
        assert_eq!(content_type_for("noext"), "application/octet-stream");
    }
}
