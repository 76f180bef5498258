//! The interface of the language bindings (`bindings/pyo3`, `bindings/napi`,
//! `bindings/uniffi`): calls by operation id with JSON arguments, JSON results,
//! waits a callback on another thread can stop, errors as one JSON object of
//! fields. Not part of the Rust API: hidden from the docs, left out of
//! `public-api.txt`, and free to change with the bindings.

// The trait's methods promise `Send` futures, which `async fn` in a trait cannot.
#![allow(clippy::manual_async_fn)]

use std::future::Future;
use std::ops::ControlFlow;
use std::path::Path;
use std::time::Duration;

use serde_json::Value;

pub use crate::arguments::{check_arguments, closest_name};
pub use crate::client::{JsonBody, ResponseMeta, MAX_ARGUMENT_DEPTH};
pub use crate::config::{
    duration_from_millis, duration_from_secs, timeout_from_millis, timeout_from_secs, NO_TIMEOUT,
};
pub use crate::naming::{OptionNames, OPTION_NAMES};
pub use crate::pagination::{Pager, RawPage, DEFAULT_PAGE_SIZE};
pub use crate::settings::{CallSettings, ClientSettings, ProxyChoice, TimeUnit, MAX_SAFE_INTEGER};
pub use crate::transport::RawResponse;
pub use crate::waiting::Job;
use crate::{Client, Download, Error, Progress, RequestOptions, SavedExport, Upload, UploadSource};

/// The retry policy, for the property tests (`tests/properties.rs`).
pub mod retry {
    pub use crate::retry::{
        backoff, is_idempotent, is_retryable, parse_retry_after, retry_after, Failure, MAX_RETRY_AFTER,
    };
}

/// The error for an API response, whatever its body (the property tests).
pub fn api_error_from_response(
    status: http::StatusCode,
    headers: &http::HeaderMap,
    body: &[u8],
    retry_after: Option<Duration>,
) -> crate::ApiError {
    crate::ApiError::from_response(status, headers, body, retry_after)
}

/// The error a 200 body carries, if it carries one (the property tests).
pub fn api_error_from_success_body(
    status: http::StatusCode,
    headers: &http::HeaderMap,
    body: &Value,
) -> Option<crate::ApiError> {
    crate::ApiError::from_success_body(status, headers, body)
}

/// The progress bar each front door draws on a terminal while it waits.
pub mod progress {
    pub use crate::progress::{bar_line, CLEAR_LINE};
}

/// A download from its parts (a binding that reads an exported file back).
pub fn download(bytes: bytes::Bytes, content_type: Option<String>, filename: Option<String>) -> Download {
    Download {
        bytes,
        content_type,
        filename,
    }
}

/// An upload from its parts as a binding receives them.
pub fn upload(source: UploadSource, filename: Option<String>, content_type: Option<String>) -> Upload {
    Upload {
        source,
        filename,
        content_type,
    }
}

/// What the bindings call on a client.
pub trait ClientExt {
    /// Calls an operation by id with JSON arguments; the JSON answer.
    fn call(
        &self,
        operation: &str,
        args: Value,
        options: &RequestOptions,
    ) -> impl Future<Output = Result<Value, Error>> + Send;

    /// Calls an operation by id; the successful answer's JSON, undecoded.
    fn call_json(
        &self,
        operation: &str,
        args: Value,
        options: &RequestOptions,
    ) -> impl Future<Output = Result<JsonBody, Error>> + Send;

    /// A pager over a list operation, with `limit`/`page_size` 100 unless
    /// `args` sets one; nothing is sent before its first page is asked for.
    fn pager(&self, operation: &str, args: Value, options: RequestOptions) -> Result<Pager, Error>;

    /// Every item of a list operation as a stream of JSON values (a pager's
    /// stream, with default options).
    fn paginate(
        &self,
        operation: &str,
        args: Value,
    ) -> Result<impl futures_util::Stream<Item = Result<Value, Error>> + Send, Error>;

    /// One request by method and path, with the client's authentication,
    /// timeouts and retries (tests, endpoints newer than the SDK).
    fn raw_request(
        &self,
        method: http::Method,
        path: &str,
        body: Option<Value>,
        options: &RequestOptions,
    ) -> impl Future<Output = Result<RawResponse, Error>> + Send;

    /// Waits for a table's extraction; the Table as JSON.
    fn wait_for_table(
        &self,
        table_id: &str,
        interval: Duration,
        timeout: Duration,
        on_progress: impl FnMut(&Progress) + Send,
    ) -> impl Future<Output = Result<Value, Error>> + Send;

    /// Waits for any job, with an asynchronous `on_progress` that may stop the
    /// wait (`ControlFlow::Break` ends it with `Ok(Err(reason))`).
    fn wait_for_job<B: Send, F, Fut>(
        &self,
        job: Job<'_>,
        interval: Duration,
        timeout: Duration,
        on_progress: F,
    ) -> impl Future<Output = Result<Result<Value, B>, Error>> + Send
    where
        F: FnMut(Progress) -> Fut + Send,
        Fut: Future<Output = ControlFlow<B>> + Send;

    /// Uploads a file; the File object as JSON.
    fn upload_file(
        &self,
        upload: Upload,
        options: &RequestOptions,
    ) -> impl Future<Output = Result<Value, Error>> + Send;

    /// Exports a table into memory; `format` and `columns` as the query takes them.
    fn export_table(
        &self,
        table_id: &str,
        format: &str,
        columns: Option<&str>,
        options: &RequestOptions,
    ) -> impl Future<Output = Result<Download, Error>> + Send;

    /// Exports a table to a file.
    fn export_table_to_path(
        &self,
        table_id: &str,
        format: &str,
        columns: Option<&str>,
        path: impl AsRef<Path> + Send,
        options: &RequestOptions,
    ) -> impl Future<Output = Result<SavedExport, Error>> + Send;

    /// Exports a table to a file, calling `on_progress` (on a runtime thread)
    /// with the bytes written so far and the announced size after each chunk
    /// (a progress bar in bytes: the command line's `lasso export`).
    fn export_table_to_path_with_progress(
        &self,
        table_id: &str,
        format: &str,
        columns: Option<&str>,
        path: impl AsRef<Path> + Send,
        options: &RequestOptions,
        on_progress: impl FnMut(u64, Option<u64>) + Send + 'static,
    ) -> impl Future<Output = Result<SavedExport, Error>> + Send;
}

impl ClientExt for Client {
    fn call(
        &self,
        operation: &str,
        args: Value,
        options: &RequestOptions,
    ) -> impl Future<Output = Result<Value, Error>> + Send {
        self.value_call(operation, args, options)
    }

    fn call_json(
        &self,
        operation: &str,
        args: Value,
        options: &RequestOptions,
    ) -> impl Future<Output = Result<JsonBody, Error>> + Send {
        self.json_call(operation, args, options)
    }

    fn pager(&self, operation: &str, args: Value, options: RequestOptions) -> Result<Pager, Error> {
        Pager::new(self.clone(), operation, args, options)
    }

    fn paginate(
        &self,
        operation: &str,
        args: Value,
    ) -> Result<impl futures_util::Stream<Item = Result<Value, Error>> + Send, Error> {
        Ok(self
            .pager(operation, args, RequestOptions::default())?
            .into_stream())
    }

    fn raw_request(
        &self,
        method: http::Method,
        path: &str,
        body: Option<Value>,
        options: &RequestOptions,
    ) -> impl Future<Output = Result<RawResponse, Error>> + Send {
        async move { crate::runtime::guarded(self.send_raw(method, path, body, options)).await }
    }

    fn wait_for_table(
        &self,
        table_id: &str,
        interval: Duration,
        timeout: Duration,
        mut on_progress: impl FnMut(&Progress) + Send,
    ) -> impl Future<Output = Result<Value, Error>> + Send {
        async move {
            let job = Job::Extraction { table_id };
            let report = |p: Progress| {
                on_progress(&p);
                std::future::ready(ControlFlow::<std::convert::Infallible>::Continue(()))
            };
            let options = RequestOptions::default();
            let wait = self.wait_job(job, interval, timeout, &options, report);
            match crate::runtime::guarded(wait).await? {
                Ok(table) => Ok(table),
                Err(never) => match never {},
            }
        }
    }

    fn wait_for_job<B: Send, F, Fut>(
        &self,
        job: Job<'_>,
        interval: Duration,
        timeout: Duration,
        on_progress: F,
    ) -> impl Future<Output = Result<Result<Value, B>, Error>> + Send
    where
        F: FnMut(Progress) -> Fut + Send,
        Fut: Future<Output = ControlFlow<B>> + Send,
    {
        async move {
            let options = RequestOptions::default();
            let wait = self.wait_job(job, interval, timeout, &options, on_progress);
            crate::runtime::guarded(wait).await
        }
    }

    fn upload_file(
        &self,
        upload: Upload,
        options: &RequestOptions,
    ) -> impl Future<Output = Result<Value, Error>> + Send {
        self.upload_json(upload, options)
    }

    fn export_table(
        &self,
        table_id: &str,
        format: &str,
        columns: Option<&str>,
        options: &RequestOptions,
    ) -> impl Future<Output = Result<Download, Error>> + Send {
        async move { crate::runtime::guarded(self.export_bytes(table_id, format, columns, options)).await }
    }

    fn export_table_to_path(
        &self,
        table_id: &str,
        format: &str,
        columns: Option<&str>,
        path: impl AsRef<Path> + Send,
        options: &RequestOptions,
    ) -> impl Future<Output = Result<SavedExport, Error>> + Send {
        async move { crate::runtime::guarded(self.export_file(table_id, format, columns, path, options)).await }
    }

    fn export_table_to_path_with_progress(
        &self,
        table_id: &str,
        format: &str,
        columns: Option<&str>,
        path: impl AsRef<Path> + Send,
        options: &RequestOptions,
        on_progress: impl FnMut(u64, Option<u64>) + Send + 'static,
    ) -> impl Future<Output = Result<SavedExport, Error>> + Send {
        async move {
            let export =
                self.export_to_path_with_progress(table_id, format, columns, path, options, on_progress);
            crate::runtime::guarded(export).await
        }
    }
}

/// What the bindings call on an error.
pub trait ErrorExt {
    /// Every field as one JSON object, the form in which the bindings hand
    /// errors to Python, JavaScript and Kotlin: `kind` (the code), `message`,
    /// `status_code`, `error_type`, `request_id`, … (see `Error::fields_json`).
    fn to_fields(&self) -> Value;
    /// The error reported for a panic caught at a language boundary.
    fn from_panic(payload: &(dyn std::any::Any + Send)) -> Error;
    /// The error for a call on a client that was closed.
    fn client_closed() -> Error;
    /// A `configuration` error with this message.
    fn configuration_error(message: impl Into<String>) -> Error;
    /// An `internal_sdk_error` with this message.
    fn internal_error(message: impl Into<String>) -> Error;
    /// An `invalid_api_key` error breaking `rule`, with this message.
    fn invalid_api_key_error(rule: &'static str, message: impl Into<String>) -> Error;
    /// A `decode` error: a successful answer (`status`) whose body is not what
    /// was expected; `raw_body` as received (capped by the caller).
    fn decode_error(status: u16, message: impl Into<String>, raw_body: impl Into<String>) -> Error;
    /// This error's message with its option names spelled as a front door
    /// spells them (`baseUrl` for Node and Kotlin).
    fn spelled_message(&self, names: OptionNames) -> std::borrow::Cow<'_, str>;
    /// This error with its message spelled as by `spelled_message`.
    fn spelled(self, names: OptionNames) -> Error;
}

impl ErrorExt for Error {
    fn to_fields(&self) -> Value {
        self.fields_json()
    }

    fn from_panic(payload: &(dyn std::any::Any + Send)) -> Error {
        crate::runtime::from_panic(payload)
    }

    fn client_closed() -> Error {
        Error::closed()
    }

    fn configuration_error(message: impl Into<String>) -> Error {
        Error::config(message)
    }

    fn internal_error(message: impl Into<String>) -> Error {
        Error::internal(message)
    }

    fn decode_error(status: u16, message: impl Into<String>, raw_body: impl Into<String>) -> Error {
        Error::Decode {
            status,
            message: message.into(),
            raw_body: raw_body.into(),
            source: None,
        }
    }

    fn invalid_api_key_error(rule: &'static str, message: impl Into<String>) -> Error {
        Error::InvalidApiKey {
            rule,
            message: message.into(),
        }
    }

    fn spelled_message(&self, names: OptionNames) -> std::borrow::Cow<'_, str> {
        Error::spelled_message(self, names)
    }

    fn spelled(self, names: OptionNames) -> Error {
        Error::spelled(self, names)
    }
}
