//! `POST /files`: uploads streamed from disk, memory or a caller's reader.

use std::path::PathBuf;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::StreamExt;
use serde_json::Value;
use tokio::io::AsyncReadExt;

use crate::call::Call;
use crate::error::{capped_text, Error, RAW_BODY_LIMIT};
use crate::operation::by_id;
use crate::options::RequestOptions;
use crate::transport::{ChunkStream, FilePart, Form, RawResponse};
use crate::types::FileObject;
use crate::{Client, Files};

/// Opens the content of a [`UploadSource::Stream`] for one attempt.
pub type OpenStream = Arc<dyn Fn() -> Result<ChunkStream, Error> + Send + Sync>;

/// What to upload.
#[derive(Clone)]
#[non_exhaustive]
pub enum UploadSource {
    /// A file on disk, streamed (never read into memory whole).
    Path(PathBuf),
    /// Bytes already in memory.
    Bytes(Bytes),
    /// Chunks read from a source of the caller's (a file object of another
    /// language, a pipe), streamed as they come. `open` is called once per
    /// attempt: a source that cannot start again makes a retry fail with its
    /// error. `length`, when known, is sent as the part's size.
    Stream {
        /// Starts reading the content.
        open: OpenStream,
        /// Its size in bytes, when known.
        length: Option<u64>,
    },
}

impl std::fmt::Debug for UploadSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UploadSource::Path(path) => f.debug_tuple("Path").field(path).finish(),
            UploadSource::Bytes(bytes) => write!(f, "Bytes({} bytes)", bytes.len()),
            UploadSource::Stream { length, .. } => f.debug_struct("Stream").field("length", length).finish(),
        }
    }
}

/// A file to upload with [`Files::upload`]: a path, bytes or a stream, and
/// optionally the name and content type to store it under.
///
/// ```
/// let upload = lasso_ai::Upload::bytes(b"name,price\nMug,12".to_vec(), "mugs.csv")
///     .content_type("text/csv");
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Upload {
    /// Where the content comes from.
    pub source: UploadSource,
    /// The name the server stores; default: the path's file name.
    pub filename: Option<String>,
    /// The content type; default: from the file name's extension.
    pub content_type: Option<String>,
}

impl Upload {
    /// Uploads from `source`; a [`UploadSource::Bytes`] or
    /// [`UploadSource::Stream`] also needs a [`filename`](Upload::filename).
    pub fn new(source: UploadSource) -> Upload {
        Upload {
            source,
            filename: None,
            content_type: None,
        }
    }

    /// Uploads the file at `path`, streamed from disk.
    pub fn path(path: impl Into<PathBuf>) -> Upload {
        Upload::new(UploadSource::Path(path.into()))
    }

    /// Uploads bytes under `filename`.
    pub fn bytes(bytes: impl Into<Bytes>, filename: impl Into<String>) -> Upload {
        Upload::new(UploadSource::Bytes(bytes.into())).filename(filename)
    }

    /// The name the server stores.
    pub fn filename(mut self, filename: impl Into<String>) -> Upload {
        self.filename = Some(filename.into());
        self
    }

    /// The content type (`type/subtype`), instead of the one the name's extension gives.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Upload {
        self.content_type = Some(content_type.into());
        self
    }
}

impl Files<'_> {
    /// `POST /files`: uploads a file (multipart, part `file`), streaming it from
    /// disk, and returns the stored [`FileObject`], whose `id` goes into
    /// `tables().create(…)` as a [`TableSource::FileIds`](crate::TableSource::FileIds).
    /// A file that cannot be read is [`Error::File`] (kind `local_file_not_found`, …).
    ///
    /// ```no_run
    /// # async fn run(client: lasso_ai::Client) -> Result<(), lasso_ai::Error> {
    /// let file = client.files().upload(lasso_ai::Upload::path("catalog.pdf")).await?;
    /// println!("{} ({} bytes)", file.id, file.size.unwrap_or(0));
    /// # Ok(()) }
    /// ```
    pub fn upload(self, upload: Upload) -> Call<FileObject> {
        Call::custom(self.client, "files.upload", move |client, options| {
            Box::pin(async move {
                let response = client.upload(upload, &options).await?;
                decode_file(&response).map_err(|e| client.redact(e))
            })
        })
    }
}

/// The File object an upload answered with.
fn decode_file<T: serde::de::DeserializeOwned>(response: &RawResponse) -> Result<T, Error> {
    serde_json::from_slice(&response.body).map_err(|e| Error::Decode {
        status: response.status.as_u16(),
        message: format!("POST /files answered with a body that is not the File object ({e})"),
        raw_body: capped_text(&response.body, RAW_BODY_LIMIT),
        source: Some(Box::new(e)),
    })
}

impl Client {
    /// Uploads a file and returns the File object as JSON (the bindings' upload).
    pub(crate) async fn upload_json(&self, upload: Upload, options: &RequestOptions) -> Result<Value, Error> {
        let response = crate::runtime::guarded(self.upload(upload, options)).await?;
        decode_file(&response).map_err(|e| self.redact(e))
    }

    /// Sends the upload; the answer's body is the File object.
    async fn upload(&self, upload: Upload, options: &RequestOptions) -> Result<RawResponse, Error> {
        self.upload_inner(upload, options)
            .await
            .map_err(|e| self.redact(e))
    }

    async fn upload_inner(&self, upload: Upload, options: &RequestOptions) -> Result<RawResponse, Error> {
        let (length, default_name) = match &upload.source {
            UploadSource::Path(path) => {
                let meta = tokio::fs::metadata(path)
                    .await
                    .map_err(|e| Error::file("upload", path, e))?;
                if meta.is_dir() {
                    return Err(Error::file(
                        "upload",
                        path,
                        std::io::ErrorKind::IsADirectory.into(),
                    ));
                }
                if !meta.is_file() {
                    return Err(Error::config(format!(
                        "cannot upload {}: not a regular file (pass its bytes or a file object instead)",
                        path.display()
                    )));
                }
                (
                    Some(meta.len()),
                    path.file_name().map(|n| n.to_string_lossy().into_owned()),
                )
            }
            UploadSource::Bytes(bytes) => (Some(bytes.len() as u64), None),
            UploadSource::Stream { length, .. } => (*length, None),
        };
        let filename = upload
            .filename
            .clone()
            .or(default_name)
            .filter(|n| !n.trim().is_empty())
            .ok_or_else(|| Error::config("files.upload: give a filename for bytes (e.g. \"catalog.pdf\")"))?;
        let content_type = match upload.content_type.clone() {
            Some(given) => checked_content_type(given)?,
            None => content_type_for(&filename).to_owned(),
        };
        let source = upload.source;
        let form = Arc::new(move || {
            let content: ChunkStream = match &source {
                UploadSource::Bytes(bytes) => futures_util::stream::iter([Ok(bytes.clone())]).boxed(),
                UploadSource::Path(path) => {
                    let file = std::fs::File::open(path).map_err(|e| Error::file("upload", path, e))?;
                    read_chunks(tokio::fs::File::from_std(file)).boxed()
                }
                UploadSource::Stream { open, .. } => open()?,
            };
            Ok(Form::new().part(FilePart {
                name: "file",
                filename: filename.clone(),
                content_type: content_type.clone(),
                length,
                content,
            }))
        });
        self.execute_multipart(by_id("files.upload"), form, options).await
    }
}

/// A caller's content type, checked to be `type/subtype[; parameters]` of
/// visible ASCII (it goes into a header line).
fn checked_content_type(value: String) -> Result<String, Error> {
    let essence = value.split(';').next().unwrap_or("").trim();
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&b))
    };
    let valid = essence
        .split_once('/')
        .is_some_and(|(kind, sub)| token(kind) && token(sub))
        && value.bytes().all(|b| b == b' ' || b.is_ascii_graphic());
    if !valid {
        return Err(Error::config(format!(
            "files.upload: {value:?} is not a valid content type (expected e.g. \"application/pdf\")"
        )));
    }
    Ok(value)
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
    fn content_types() {
        assert_eq!(content_type_for("Catalog.PDF"), "application/pdf");
        assert_eq!(content_type_for("noext"), "application/octet-stream");
        assert!(checked_content_type("text/csv; charset=utf-8".into()).is_ok());
        for bad in ["text", "text/csv\r\nX: 1", "a b/c", "/csv", "té/xt"] {
            assert!(checked_content_type(bad.into()).is_err(), "{bad:?}");
        }
    }
}
