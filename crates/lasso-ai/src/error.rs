//! One error model for every front door.
//!
//! Each failure has a kind ([`Error::kind`], an [`ErrorKind`]) with a stable
//! machine code ([`Error::code`]) that the Python, Node and Kotlin bindings map to
//! their exception classes, so the classification below is the only place that
//! decides what kind of failure a response is.

// Much of it serves the client only (`--no-default-features` leaves the types).
#![cfg_attr(not(feature = "client"), allow(dead_code))]

use std::time::Duration;

use http::{HeaderMap, StatusCode};
use serde_json::Value;

pub use crate::error_kind::ErrorKind;
use crate::webhook_error::WebhookErrorReason;

/// How much of a response body an error keeps (`raw_body`).
pub const RAW_BODY_LIMIT: usize = 4 * 1024;
/// How much of a non-JSON body is quoted in an error message.
const SNIPPET_LIMIT: usize = 200;

/// The underlying cause of an error, reachable through [`std::error::Error::source`].
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Result type of every fallible SDK call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Every failure the SDK reports.
///
/// Branch on [`Error::kind`] (an [`ErrorKind`]; its [`code`](ErrorKind::code) is
/// the string Python, Node and Kotlin see), use the helpers
/// ([`is_retryable`](Error::is_retryable), [`retry_after`](Error::retry_after),
/// [`request_id`](Error::request_id), [`status`](Error::status)), or match the
/// variants. New variants, and new fields of a variant, may come in minor releases.
///
/// ```no_run
/// # async fn run(client: lasso_ai::Client) -> Result<(), lasso_ai::Error> {
/// use lasso_ai::ErrorKind;
/// match client.tables().get("tbl_123").await {
///     Ok(table) => println!("{:?}", table.name),
///     Err(e) if e.kind() == ErrorKind::NotFound => println!("no such table"),
///     Err(e) if e.is_retryable() => println!("try again later: {e}"),
///     Err(e) => return Err(e),
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with an error status (or a 200 carrying an error).
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The connection could not be made or broke before a complete response.
    #[error("{message}")]
    #[non_exhaustive]
    Connection {
        /// What happened, with the host and the number of attempts.
        message: String,
        /// True when the request certainly never reached the server.
        not_sent: bool,
        /// The network or TLS error underneath, when there was one.
        #[source]
        source: Option<BoxError>,
    },
    /// The request did not complete within its timeout.
    #[error("{message}")]
    #[non_exhaustive]
    Timeout {
        /// What timed out and after how long.
        message: String,
    },
    /// The API key is missing or malformed; raised before any network call.
    #[error("{message}")]
    #[non_exhaustive]
    InvalidApiKey {
        /// Which rule failed (`missing`, `empty`, `prefix`, `length`, `characters`).
        rule: &'static str,
        /// What is wrong and how to fix it; shows at most `lasso_…` and the last 4 characters.
        message: String,
    },
    /// A job (e.g. a table's extraction) ended in failure while being waited for.
    #[error("{message}")]
    #[non_exhaustive]
    JobFailed {
        /// The terminal status (`failed`, `error`, `cancelled`, …).
        status: String,
        /// What failed, with the server's `error_message` when it gave one.
        message: String,
        /// Which kind of job it was, i.e. what `job` holds.
        kind: JobKind,
        /// The job as last read: a [`Table`](crate::Table) object for a table's
        /// extraction, an [`EnhanceStatus`](crate::EnhanceStatus) for an enhancement
        /// (boxed: it keeps `Error` small on the success path of every `Result`).
        job: Box<Value>,
    },
    /// A bug inside the SDK (e.g. a panic caught at a language boundary).
    #[error("{message}")]
    #[non_exhaustive]
    Internal {
        /// What went wrong.
        message: String,
    },
    /// An argument or option is invalid (base URL, header, timeout…), or the
    /// client is used where it cannot work (outside a tokio runtime).
    #[error("{message}")]
    #[non_exhaustive]
    Configuration {
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A successful response whose body is not what the operation returns.
    #[error("{message}")]
    #[non_exhaustive]
    Decode {
        /// HTTP status of the response (0 for a webhook body, which has none).
        status: u16,
        /// What could not be decoded, with a short snippet of the body.
        message: String,
        /// The body as received, capped at [`RAW_BODY_LIMIT`] bytes.
        raw_body: String,
        /// The decoder's own error, when it gave one (a `serde_json::Error`).
        #[source]
        source: Option<BoxError>,
    },
    /// A successful response larger than the client's `max_response_bytes`,
    /// not read into memory (stream an export to a file instead).
    #[error("{message}")]
    #[non_exhaustive]
    ResponseTooLarge {
        /// HTTP status of the response.
        status: u16,
        /// The limit it exceeded, in bytes.
        limit: u64,
        /// What was too large and what to do about it.
        message: String,
    },
    /// A paginated list that does not advance (a cursor or page repeated, or
    /// pages that stay empty while the server says more follow): stopped
    /// rather than looping forever.
    #[error("{message}")]
    #[non_exhaustive]
    Pagination {
        /// What the server did and where the list stopped.
        message: String,
    },
    /// A local file could not be read or written: an upload's source, an
    /// export's destination. Its kind says which ([`ErrorKind::LocalFileNotFound`],
    /// [`ErrorKind::LocalFilePermissionDenied`], else [`ErrorKind::LocalFile`]).
    #[error("{message}")]
    #[non_exhaustive]
    File {
        /// The file as the caller named it (never a temporary name).
        path: std::path::PathBuf,
        /// The POSIX name of the failure (`ENOENT`, `EACCES`, `EISDIR`,
        /// `ENOTDIR`, `ENOSPC`, …; `EIO` when the system gave none).
        os_code: &'static str,
        /// What could not be done and why.
        message: String,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A webhook delivery failed signature verification (`lasso_ai::webhook`).
    #[error("{message}")]
    #[non_exhaustive]
    WebhookVerification {
        /// Why it failed.
        reason: WebhookErrorReason,
        /// What is wrong and how to fix it; never contains a secret.
        message: String,
    },
}

/// What kind of job a [`Error::JobFailed`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum JobKind {
    /// A table's extraction: the job is the [`Table`](crate::Table).
    Table,
    /// An enhancement of a table's cells: the job is its [`EnhanceStatus`](crate::EnhanceStatus).
    Enhancement,
}

/// An error answered by the Lasso API.
///
/// Its `Display` names the request and the answer:
/// `GET /tables/{table_id}: Table not found (404 not_found, request_id req_1)`.
#[derive(Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// HTTP status code.
    pub status: u16,
    /// The body's `error_type` as sent (documented or not), if any.
    pub error_type: Option<String>,
    /// The body's `message`, or a description built from the status and body.
    pub message: String,
    /// The body's `request_id`, else the `x-request-id` header: quote it to support.
    pub request_id: Option<String>,
    /// Newer API: a stable detail code such as `stale_write` or `attribute_in_use`.
    pub code: Option<String>,
    /// Newer API, with `stale_write`: when the resource was last changed, so
    /// the caller can fetch it again before retrying.
    pub current_updated_at: Option<String>,
    /// Newer API: the attribute an error concerns (its id).
    pub attribute_id: Option<String>,
    /// Newer API: the attribute an error concerns (its key).
    pub attribute_key: Option<String>,
    /// Newer API: whether the same payload may be retried.
    pub retryable: Option<bool>,
    /// Newer API: free-form details.
    pub details: Option<Value>,
    /// The whole JSON body when it was JSON (it may lack the standard envelope).
    pub body: Option<Value>,
    /// The body as received, capped at [`RAW_BODY_LIMIT`] bytes.
    pub raw_body: String,
    /// The server's `Retry-After` / `retry-after-ms`, when sent.
    pub retry_after: Option<Duration>,
    /// The request that failed: method and path template (`GET /tables/{table_id}`).
    pub operation: Option<String>,
    kind: ErrorKind,
}

impl std::error::Error for ApiError {}

/// Every field, but the body only once: parsed when it was JSON, else as received.
impl std::fmt::Debug for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("ApiError");
        d.field("kind", &self.kind)
            .field("status", &self.status)
            .field("operation", &self.operation)
            .field("message", &self.message)
            .field("error_type", &self.error_type)
            .field("request_id", &self.request_id);
        for (name, value) in [
            ("code", &self.code),
            ("current_updated_at", &self.current_updated_at),
            ("attribute_id", &self.attribute_id),
            ("attribute_key", &self.attribute_key),
        ] {
            if let Some(value) = value {
                d.field(name, value);
            }
        }
        if let Some(retryable) = self.retryable {
            d.field("retryable", &retryable);
        }
        if let Some(details) = &self.details {
            d.field("details", details);
        }
        if let Some(retry_after) = &self.retry_after {
            d.field("retry_after", retry_after);
        }
        match &self.body {
            Some(body) => d.field("body", body),
            None => d.field("raw_body", &self.raw_body),
        };
        d.finish()
    }
}

impl ErrorKind {
    /// The kind an API error's documented `error_type` names.
    fn from_error_type(error_type: &str) -> Option<Self> {
        Self::from_code(error_type).filter(|k| k.status().is_some())
    }

    /// The kind of an API error by its status alone: the documented status of a
    /// kind, any other 5xx as `internal_error`, anything else `api_error`.
    fn from_status(status: u16) -> Self {
        ErrorKind::ALL
            .iter()
            .copied()
            .find(|k| k.status() == Some(status))
            .unwrap_or(if (500..=599).contains(&status) {
                ErrorKind::InternalError
            } else {
                ErrorKind::ApiError
            })
    }
}

impl ApiError {
    /// Builds the error for a response, whatever its body looks like: the
    /// standard envelope, a partial one, other JSON, HTML or nothing.
    pub(crate) fn from_response(
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
        retry_after: Option<Duration>,
    ) -> Self {
        let json: Option<Value> = serde_json::from_slice(body).ok();
        let obj = json.as_ref().and_then(Value::as_object);
        let text = |key: &str| {
            obj.and_then(|o| o.get(key))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };

        let error_type = text("error_type");
        // Newer handlers sometimes put the message under `error`.
        let message = text("message")
            .or_else(|| text("error"))
            .filter(|m| !m.trim().is_empty())
            .unwrap_or_else(|| describe_status(status, body, json.is_some()));
        let request_id = text("request_id").or_else(|| {
            headers
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        });
        let kind = error_type
            .as_deref()
            .and_then(ErrorKind::from_error_type)
            .unwrap_or_else(|| ErrorKind::from_status(status.as_u16()));

        ApiError {
            status: status.as_u16(),
            error_type,
            message,
            request_id,
            code: text("code"),
            current_updated_at: text("current_updated_at"),
            attribute_id: text("attribute_id"),
            attribute_key: text("attribute_key"),
            retryable: obj.and_then(|o| o.get("retryable")).and_then(Value::as_bool),
            details: obj.and_then(|o| o.get("details")).cloned(),
            body: json,
            raw_body: capped_text(body, RAW_BODY_LIMIT),
            retry_after,
            operation: None,
            kind,
        }
    }

    /// The same error, naming the request that failed (`GET /tables/{table_id}`).
    pub(crate) fn for_operation(mut self, operation: &str) -> Self {
        self.operation = Some(operation.to_owned());
        self
    }

    /// The error carried by a successful response's top-level `error` field
    /// (newer API: `200 {"error": "Insufficient credits", "results": []}`), if any.
    pub(crate) fn from_success_body(status: StatusCode, headers: &HeaderMap, body: &Value) -> Option<Self> {
        let message = body.get("error")?.as_str()?.trim();
        if message.is_empty() {
            return None;
        }
        let error_type = body.get("error_type").and_then(Value::as_str);
        let kind = error_type
            .and_then(ErrorKind::from_error_type)
            .unwrap_or_else(|| {
                if message.to_ascii_lowercase().contains("insufficient credits") {
                    ErrorKind::InsufficientCredits
                } else {
                    ErrorKind::InternalError
                }
            });
        let raw = serde_json::to_vec(body).unwrap_or_default();
        let mut error = ApiError::from_response(status, headers, &raw, None);
        error.message = message.to_owned();
        error.error_type = Some(error_type.unwrap_or(kind.code()).to_owned());
        error.kind = kind;
        Some(error)
    }

    /// The kind, from `error_type` when documented, else from the status.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(operation) = &self.operation {
            write!(f, "{operation}: ")?;
        }
        write!(f, "{} ({}", self.message, self.status)?;
        if let Some(t) = &self.error_type {
            write!(f, " {t}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, ", request_id {id}")?;
        }
        f.write_str(")")
    }
}

impl Error {
    /// What kind of failure this is: branch on it (the enum is non-exhaustive,
    /// so a new kind in a minor release does not break a `match`).
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Api(e) => e.kind,
            Error::Connection { .. } => ErrorKind::Connection,
            Error::Timeout { .. } => ErrorKind::Timeout,
            Error::InvalidApiKey { .. } => ErrorKind::InvalidApiKey,
            Error::Configuration { .. } => ErrorKind::Configuration,
            Error::Decode { .. } => ErrorKind::Decode,
            Error::Internal { .. } => ErrorKind::InternalSdkError,
            Error::JobFailed { .. } => ErrorKind::JobFailed,
            Error::WebhookVerification { .. } => ErrorKind::WebhookVerification,
            Error::ResponseTooLarge { .. } => ErrorKind::ResponseTooLarge,
            Error::Pagination { .. } => ErrorKind::Pagination,
            Error::File { os_code, .. } => match *os_code {
                "ENOENT" => ErrorKind::LocalFileNotFound,
                "EACCES" | "EPERM" => ErrorKind::LocalFilePermissionDenied,
                _ => ErrorKind::LocalFile,
            },
        }
    }

    /// The stable machine code of [`kind`](Error::kind), shared by every
    /// language: the documented `error_type` for API errors (`not_found`,
    /// `rate_limited`, …, `api_error` for an unrecognised one), else
    /// `connection`, `timeout`, `invalid_api_key`, `configuration`, `decode`, …
    pub fn code(&self) -> &'static str {
        self.kind().code()
    }

    /// Every field as one JSON object, the form in which the bindings hand
    /// errors to Python and JavaScript: `kind` (= [`Error::code`]),
    /// `message`, `status_code`, `error_type`, `request_id`, `code` (the
    /// body's detail code), `current_updated_at`, `attribute_id`,
    /// `attribute_key`, `retryable`, `details`, `body`, `raw_body` and
    /// `retry_after` (seconds); absent values are `null`. Webhook
    /// verification errors also have `reason`; job failures `status` and `job`.
    pub(crate) fn fields_json(&self) -> Value {
        let api = self.as_api();
        let mut fields = serde_json::json!({
            "kind": self.code(),
            "message": self.message(),
            "status_code": self.status(),
            "error_type": api.and_then(|a| a.error_type.as_deref()),
            "request_id": api.and_then(|a| a.request_id.as_deref()),
            "code": api.and_then(|a| a.code.as_deref()),
            "current_updated_at": api.and_then(|a| a.current_updated_at.as_deref()),
            "attribute_id": api.and_then(|a| a.attribute_id.as_deref()),
            "attribute_key": api.and_then(|a| a.attribute_key.as_deref()),
            "retryable": api.and_then(|a| a.retryable),
            "details": api.and_then(|a| a.details.clone()),
            "body": api.and_then(|a| a.body.clone()),
            "raw_body": self.raw_body(),
            "retry_after": api.and_then(|a| a.retry_after).map(|d| d.as_secs_f64()),
        });
        if let Error::WebhookVerification { reason, .. } = self {
            fields["reason"] = Value::from(reason.as_str());
        }
        if let Error::JobFailed {
            status, kind, job, ..
        } = self
        {
            fields["status"] = Value::from(status.as_str());
            // Both keys, the one the job is not `null`: every declared field is there.
            let (table, enhancement) = match kind {
                JobKind::Table => ((**job).clone(), Value::Null),
                JobKind::Enhancement => (Value::Null, (**job).clone()),
            };
            fields["table"] = table;
            fields["enhancement"] = enhancement;
        }
        if let Error::File { path, os_code, .. } = self {
            fields["path"] = Value::from(path.to_string_lossy());
            fields["os_code"] = Value::from(*os_code);
        }
        fields
    }

    /// The error reported for a panic caught at a language boundary.
    pub(crate) fn panicked(payload: &(dyn std::any::Any + Send)) -> Error {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        Error::Internal {
            message: format!("internal error in the Lasso SDK (this is a bug, please report it): {what}"),
        }
    }

    /// The API error, when the server answered with one.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status, when there was a response.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode { status, .. } if *status != 0 => Some(*status),
            Error::ResponseTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The message without the status and request id decorations.
    pub fn message(&self) -> &str {
        match self {
            Error::Api(e) => &e.message,
            Error::Connection { message, .. }
            | Error::Timeout { message }
            | Error::InvalidApiKey { message, .. }
            | Error::Configuration { message }
            | Error::Internal { message }
            | Error::JobFailed { message, .. }
            | Error::Decode { message, .. }
            | Error::ResponseTooLarge { message, .. }
            | Error::Pagination { message }
            | Error::File { message, .. }
            | Error::WebhookVerification { message, .. } => message,
        }
    }

    /// Whether the same idempotent request may succeed if sent again: the
    /// connection failed or timed out, or the server answered 408, 429 or a
    /// 5xx (and did not ask to wait more than a minute). The SDK already
    /// retries these within `max_retries` where it is safe.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Connection { .. } | Error::Timeout { .. } => true,
            Error::Api(e) => {
                crate::retry::is_retryable(&http::Method::GET, crate::retry::Failure::Status(e.status))
                    && e.retry_after.is_none_or(|d| d <= crate::retry::MAX_RETRY_AFTER)
            }
            _ => false,
        }
    }

    /// How long the server asked to wait before trying again (`Retry-After`).
    pub fn retry_after(&self) -> Option<Duration> {
        self.as_api().and_then(|a| a.retry_after)
    }

    /// The request id the server gave the failed request, when it answered
    /// with one: quote it to Lasso support.
    pub fn request_id(&self) -> Option<&str> {
        self.as_api().and_then(|a| a.request_id.as_deref())
    }

    /// The body as received (capped), for API and decode errors.
    pub fn raw_body(&self) -> Option<&str> {
        match self {
            Error::Api(e) => Some(&e.raw_body),
            Error::Decode { raw_body, .. } => Some(raw_body),
            _ => None,
        }
    }

    /// The same error with every trace of `key` in its texts replaced by the
    /// masked key: a server (or a caller's misplaced argument) may echo it.
    pub(crate) fn redacted(mut self, key: &crate::api_key::ApiKey) -> Error {
        let fix = |text: &mut String| {
            if let std::borrow::Cow::Owned(clean) = key.redact(text) {
                *text = clean;
            }
        };
        match &mut self {
            Error::Api(e) => {
                for text in [&mut e.message, &mut e.raw_body] {
                    fix(text);
                }
                for text in [
                    &mut e.request_id,
                    &mut e.error_type,
                    &mut e.code,
                    &mut e.current_updated_at,
                    &mut e.attribute_id,
                    &mut e.attribute_key,
                ]
                .into_iter()
                .flatten()
                {
                    fix(text);
                }
                for value in [&mut e.body, &mut e.details].into_iter().flatten() {
                    redact_json(value, &fix);
                }
            }
            Error::Decode {
                message, raw_body, ..
            } => {
                fix(message);
                fix(raw_body);
            }
            Error::JobFailed { message, job, .. } => {
                fix(message);
                redact_json(job, &fix);
            }
            Error::Connection { message, .. }
            | Error::Timeout { message }
            | Error::InvalidApiKey { message, .. }
            | Error::Configuration { message }
            | Error::Internal { message }
            | Error::ResponseTooLarge { message, .. }
            | Error::Pagination { message }
            | Error::File { message, .. }
            | Error::WebhookVerification { message, .. } => fix(message),
        }
        self
    }

    /// The error for a call on a client that was closed (the bindings' `close()`).
    pub(crate) fn closed() -> Self {
        Error::config("this LassoClient is closed; create a new client")
    }

    /// The error for a file that could not be `doing` ("upload", "write the
    /// export to"): `path` is the caller's name for it, even when the failure
    /// was on a temporary file beside it. For [`crate::OpenStream`]s that
    /// read files.
    pub fn file(doing: &str, path: &std::path::Path, source: std::io::Error) -> Self {
        let os_code = os_code(&source);
        let why = match source.kind() {
            std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
            _ => strip_os_suffix(&source.to_string()),
        };
        Error::File {
            path: path.to_path_buf(),
            os_code,
            message: format!("cannot {doing} {}: {why} ({os_code})", path.display()),
            source,
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Configuration {
            message: message.into(),
        }
    }

    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Error::Internal {
            message: message.into(),
        }
    }
}

/// The POSIX name of an I/O failure, as Node's `err.code` and Python's
/// `errno` module spell it.
fn os_code(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "ENOENT",
        K::PermissionDenied => "EACCES",
        K::AlreadyExists => "EEXIST",
        K::IsADirectory => "EISDIR",
        K::NotADirectory => "ENOTDIR",
        K::StorageFull => "ENOSPC",
        K::ReadOnlyFilesystem => "EROFS",
        K::InvalidFilename => "ENAMETOOLONG",
        K::DirectoryNotEmpty => "ENOTEMPTY",
        K::Interrupted => "EINTR",
        _ => "EIO",
    }
}

/// "Is a directory (os error 21)" → "is a directory": the code is named separately.
fn strip_os_suffix(text: &str) -> String {
    let text = text.split(" (os error").next().unwrap_or(text);
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn redact_json(value: &mut Value, fix: &impl Fn(&mut String)) {
    match value {
        Value::String(text) => fix(text),
        Value::Array(items) => items.iter_mut().for_each(|v| redact_json(v, fix)),
        Value::Object(map) => map.values_mut().for_each(|v| redact_json(v, fix)),
        _ => {}
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Api(Box::new(e))
    }
}

/// "HTTP 502 Bad Gateway" plus a short, whitespace-folded snippet of a
/// non-envelope body, so an HTML page from a proxy still says something useful.
fn describe_status(status: StatusCode, body: &[u8], is_json: bool) -> String {
    let mut out = format!("HTTP {}", status.as_u16());
    if let Some(reason) = status.canonical_reason() {
        out.push(' ');
        out.push_str(reason);
    }
    let snippet = snippet(body);
    if !snippet.is_empty() {
        out.push_str(if is_json { ": " } else { ": body: " });
        out.push_str(&snippet);
    } else {
        out.push_str(" (empty body)");
    }
    out
}

/// Up to [`SNIPPET_LIMIT`] characters of the body with HTML tags and runs of
/// white space removed.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(16 * 1024)]);
    let mut out = String::new();
    let mut in_tag = false;
    let mut last_space = true;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                if !last_space {
                    out.push(' ');
                    last_space = true;
                }
            }
            _ if in_tag => {}
            c if c.is_whitespace() || c.is_control() => {
                if !last_space {
                    out.push(' ');
                    last_space = true;
                }
            }
            c => {
                out.push(c);
                last_space = false;
            }
        }
        if out.chars().count() >= SNIPPET_LIMIT {
            out.push('…');
            break;
        }
    }
    out.trim().to_owned()
}

/// The body as UTF-8 text (lossy), cut at `limit` bytes on a char boundary.
pub(crate) fn capped_text(body: &[u8], limit: usize) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(limit)]);
    text.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(status: u16, body: &str) -> ApiError {
        ApiError::from_response(
            StatusCode::from_u16(status).unwrap(),
            &HeaderMap::new(),
            body.as_bytes(),
            None,
        )
    }

    /// One error of every variant and every API kind. The matches are exhaustive,
    /// so a new variant or kind does not compile until it is added here.
    fn one_of_each() -> Vec<Error> {
        let kinds = [
            ErrorKind::InvalidRequest,
            ErrorKind::Unauthenticated,
            ErrorKind::InsufficientCredits,
            ErrorKind::Forbidden,
            ErrorKind::NotFound,
            ErrorKind::Conflict,
            ErrorKind::ValidationError,
            ErrorKind::RateLimited,
            ErrorKind::InternalError,
            ErrorKind::ServiceUnavailable,
            ErrorKind::ApiError,
        ];
        let mut every: Vec<Error> = kinds
            .into_iter()
            .map(|kind| {
                let status = match kind {
                    ErrorKind::InvalidRequest => 400,
                    ErrorKind::Unauthenticated => 401,
                    ErrorKind::InsufficientCredits => 402,
                    ErrorKind::Forbidden => 403,
                    ErrorKind::NotFound => 404,
                    ErrorKind::Conflict => 409,
                    ErrorKind::ValidationError => 422,
                    ErrorKind::RateLimited => 429,
                    ErrorKind::InternalError => 500,
                    ErrorKind::ServiceUnavailable => 503,
                    ErrorKind::ApiError => 418,
                    other => unreachable!("{other:?} is not an API kind"),
                };
                let e = err(status, "");
                assert_eq!(e.kind(), kind);
                Error::from(e)
            })
            .collect();
        let message = String::from("m");
        every.extend([
            Error::Connection {
                message: message.clone(),
                not_sent: true,
                source: None,
            },
            Error::Timeout {
                message: message.clone(),
            },
            Error::InvalidApiKey {
                rule: "missing",
                message: message.clone(),
            },
            Error::JobFailed {
                status: "failed".into(),
                message: message.clone(),
                kind: JobKind::Table,
                job: Box::new(serde_json::json!({"id": "tbl_1"})),
            },
            Error::Internal {
                message: message.clone(),
            },
            Error::Configuration {
                message: message.clone(),
            },
            Error::Decode {
                status: 200,
                message: message.clone(),
                raw_body: String::new(),
                source: None,
            },
            Error::ResponseTooLarge {
                status: 200,
                limit: 1,
                message: message.clone(),
            },
            Error::Pagination {
                message: message.clone(),
            },
            Error::WebhookVerification {
                reason: WebhookErrorReason::NoSecret,
                message,
            },
        ]);
        let missing = std::path::Path::new("/nonexistent/catalog.pdf");
        for kind in [
            std::io::ErrorKind::NotFound,
            std::io::ErrorKind::PermissionDenied,
            std::io::ErrorKind::IsADirectory,
        ] {
            every.push(Error::file("read", missing, kind.into()));
        }
        for e in &every {
            match e {
                Error::Api(_)
                | Error::Connection { .. }
                | Error::Timeout { .. }
                | Error::InvalidApiKey { .. }
                | Error::JobFailed { .. }
                | Error::Internal { .. }
                | Error::Configuration { .. }
                | Error::Decode { .. }
                | Error::ResponseTooLarge { .. }
                | Error::Pagination { .. }
                | Error::File { .. }
                | Error::WebhookVerification { .. } => {}
            }
        }
        every
    }

    #[test]
    fn every_code_is_in_the_spec_and_every_entry_of_the_spec_is_reachable() {
        let every = one_of_each();
        let mut codes: Vec<&str> = every.iter().map(Error::code).collect();
        codes.sort_unstable();
        let mut spec: Vec<&str> = lasso_spec::ERRORS.iter().map(|e| e.code).collect();
        spec.sort_unstable();
        assert_eq!(codes, spec, "Error::code() and lasso_spec::ERRORS differ");

        // The status that selects each API kind is the one the spec documents.
        for e in every.iter().filter_map(Error::as_api) {
            let entry = lasso_spec::errors::error_kind(e.kind().code()).unwrap();
            if let Some(status) = entry.status {
                assert_eq!(ErrorKind::from_status(status), e.kind(), "{}", entry.code);
                assert_eq!(ErrorKind::from_error_type(entry.code), Some(e.kind()));
            }
        }

        // Every error hands the bindings the common fields plus the spec's own ones.
        let connection = every
            .iter()
            .find(|e| e.code() == "connection")
            .unwrap()
            .fields_json();
        let common: Vec<&String> = connection.as_object().unwrap().keys().collect();
        for e in &every {
            let fields = e.fields_json();
            let own: Vec<&str> = fields
                .as_object()
                .unwrap()
                .keys()
                .filter(|k| !common.contains(k))
                .map(String::as_str)
                .collect();
            // Its own fields and those its parent classes declare, parents first.
            let mut declared: Vec<&str> = Vec::new();
            let mut entry = lasso_spec::errors::error_kind(e.code());
            while let Some(kind) = entry {
                declared.splice(0..0, kind.own_fields().map(|f| f.name));
                entry = kind
                    .parent
                    .and_then(|p| lasso_spec::ERRORS.iter().find(|k| k.class == p && !k.is_base()));
            }
            // The bindings read fields by name, so compare the sets (a JSON map is
            // ordered by key without serde_json's `preserve_order`).
            let (mut own, mut declared) = (own, declared);
            own.sort_unstable();
            declared.sort_unstable();
            assert_eq!(own, declared, "{}: fields", e.code());
        }
    }

    #[test]
    fn webhook_reasons_are_the_ones_of_the_spec() {
        use crate::webhook::WebhookErrorReason::{self, *};
        let reasons = [
            MissingHeader,
            MalformedHeader,
            NoMatchingSignature,
            PayloadNotRaw,
            NoSecret,
            TimestampOutsideTolerance,
            MissingTimestamp,
        ];
        for r in reasons {
            match r {
                MissingHeader
                | MalformedHeader
                | NoMatchingSignature
                | PayloadNotRaw
                | NoSecret
                | TimestampOutsideTolerance
                | MissingTimestamp => {}
            }
        }
        let ours: Vec<&str> = reasons.into_iter().map(WebhookErrorReason::as_str).collect();
        let spec: Vec<&str> = lasso_spec::errors::WEBHOOK_VERIFICATION_REASON
            .values
            .iter()
            .map(|(v, _)| *v)
            .collect();
        assert_eq!(ours, spec);
    }

    #[test]
    fn error_type_wins_over_status() {
        let e = err(
            400,
            r#"{"status_code":400,"error_type":"not_found","message":"x","request_id":"r"}"#,
        );
        assert_eq!(e.kind().code(), "not_found");
    }

    #[test]
    fn unknown_error_type_is_kept_and_status_decides() {
        let e = err(409, r#"{"error_type":"brand_new","message":"m"}"#);
        assert_eq!(e.error_type.as_deref(), Some("brand_new"));
        assert_eq!(e.kind(), ErrorKind::Conflict);
    }

    #[test]
    fn html_body_gives_status_and_snippet() {
        let e = err(
            502,
            "<html><body><h1>502 Bad Gateway</h1>\n<p>nginx</p></body></html>",
        );
        assert_eq!(e.kind(), ErrorKind::InternalError);
        assert!(
            e.message
                .starts_with("HTTP 502 Bad Gateway: body: 502 Bad Gateway nginx"),
            "{}",
            e.message
        );
    }

    #[test]
    fn error_inside_a_successful_body() {
        let body = serde_json::json!({"id": "s1", "results": [], "credits_used": 0, "error": "Insufficient credits"});
        let e = ApiError::from_success_body(StatusCode::OK, &HeaderMap::new(), &body).unwrap();
        assert_eq!(e.kind(), ErrorKind::InsufficientCredits);
        assert_eq!(e.status, 200);
        assert_eq!(e.message, "Insufficient credits");
        let e = ApiError::from_success_body(
            StatusCode::OK,
            &HeaderMap::new(),
            &serde_json::json!({"error": "worker crashed"}),
        )
        .unwrap();
        assert_eq!(e.kind(), ErrorKind::InternalError);
        assert!(ApiError::from_success_body(
            StatusCode::OK,
            &HeaderMap::new(),
            &serde_json::json!({"error": null})
        )
        .is_none());
        assert!(ApiError::from_success_body(
            StatusCode::OK,
            &HeaderMap::new(),
            &serde_json::json!({"results": []})
        )
        .is_none());
    }

    #[test]
    fn empty_body() {
        let e = err(503, "");
        assert_eq!(e.kind(), ErrorKind::ServiceUnavailable);
        assert_eq!(e.message, "HTTP 503 Service Unavailable (empty body)");
    }

    #[test]
    fn envelope_without_standard_fields() {
        let e = err(
            409,
            r#"{"code":"stale_write","current_updated_at":"2026-01-01T00:00:00Z"}"#,
        );
        assert_eq!(e.code.as_deref(), Some("stale_write"));
        assert_eq!(e.kind(), ErrorKind::Conflict);
        assert!(e.body.is_some());
    }

    #[test]
    fn raw_body_is_capped_without_panicking_on_char_boundaries() {
        let body = "é".repeat(RAW_BODY_LIMIT);
        let e = err(500, &body);
        assert!(e.raw_body.len() <= RAW_BODY_LIMIT + 3);
        assert!(e.message.chars().count() < 260);
    }
}
