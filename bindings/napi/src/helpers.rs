//! The helpers that are not plain calls, for `node/src/helpers.ts`:
//! auto-pagination (`openPager` → [`NativePager`]), waiting for a table
//! (`waitForTable`), uploads (`uploadFile`) and exports (`exportTable`).
//!
//! The core does the work ([`lasso_ai::Client::pager`],
//! [`lasso_ai::Client::wait_for_table`], [`lasso_ai::Client::upload_file`],
//! [`lasso_ai::Client::export`], [`lasso_ai::Client::export_to_path`]); this
//! module converts values, bridges async and maps errors like `lib.rs`. Every
//! entry point is guarded against panics. Durations are in milliseconds.

use std::ops::ControlFlow;
use std::sync::Arc;

use lasso_ai::__bindings::{
    check_arguments, duration_from_millis, timeout_from_millis, ClientExt, ErrorExt, Job, OptionNames, Pager,
};
use lasso_ai::{Error as CoreError, Progress, UploadSource};
use lasso_spec::Paging;
use napi::bindgen_prelude::{within_runtime_if_available, Buffer, Either, FnArgs, Promise, PromiseRaw};
use napi::threadsafe_function::ThreadsafeFunction;
use napi::{Env, Result, Status};
use napi_derive::napi;
use serde_json::{json, Value};
use tokio::sync::{watch, Mutex};

use crate::cancel::{Cancel, CancelToken};
use crate::errors::{guard, to_napi};
use crate::options::{request_options, CallOptions};
use crate::{spawn_guarded, NativeClient};

/// A pager over one list operation, one page ahead of the caller (the core
/// prefetches the next page as soon as the current one arrives).
#[napi]
pub struct NativePager {
    /// `None` once closed: dropping the core pager aborts its prefetch.
    pager: Arc<Mutex<Option<Pager>>>,
    /// Set by `close()`: a `nextPage` in flight gives up at once.
    closed: watch::Sender<bool>,
}

#[napi]
impl NativePager {
    /// The items of the next page as the text of a JSON array (for
    /// `JSON.parse`), or `null` when the list is exhausted (or the pager was
    /// closed, even while this call was waiting). Calls are served one after
    /// the other.
    #[napi(ts_return_type = "Promise<string | null>")]
    pub fn next_page<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, Option<String>>> {
        guard(|| {
            let pager = self.pager.clone();
            let mut closed = self.closed.subscribe();
            spawn_guarded(env, async move {
                let closing = async move {
                    // The sender lives as long as the NativePager; if it goes, never fire.
                    if closed.wait_for(|c| *c).await.is_err() {
                        std::future::pending::<()>().await;
                    }
                };
                let page = async {
                    let mut pager = pager.lock().await;
                    match pager.as_mut() {
                        // Cancel-safe: if `close()` wins, the page being fetched
                        // stays in the pager, which `close()` then drops (aborting it).
                        Some(p) => match p.next_raw_page().await {
                            Ok(page) => Ok(page.map(|page| page.items_json())),
                            Err(e) => Err(to_napi(&e)),
                        },
                        None => Ok(None),
                    }
                };
                tokio::select! {
                    biased;
                    () = closing => Ok(None),
                    page = page => page,
                }
            })
        })
    }

    /// Stops paging: the page being fetched or prefetched is abandoned (its
    /// request dropped) and `nextPage` resolves to `null` from now on, a
    /// pending one included. Safe to call more than once.
    #[napi]
    pub fn close(&self) -> Result<()> {
        guard(|| {
            self.closed.send_replace(true);
            match self.pager.try_lock() {
                Ok(mut pager) => *pager = None,
                // A `nextPage` is giving up (see above): drop the pager right after.
                Err(_) => {
                    let pager = self.pager.clone();
                    within_runtime_if_available(|| {
                        tokio::spawn(async move { *pager.lock().await = None });
                    });
                }
            }
            Ok(())
        })
    }
}

/// Opens a pager over `operation` (a list operation such as `tables.rows`)
/// with these arguments; `limit` / `page_size` is 100 unless `args` sets one.
/// The first page starts downloading at once.
#[napi(
    ts_args_type = "client: NativeClient, operation: string, args?: Record<string, unknown> | null, options?: CallOptions | null"
)]
pub fn open_pager(
    client: &NativeClient,
    operation: String,
    args: Option<Value>,
    options: Option<CallOptions>,
) -> Result<NativePager> {
    guard(|| {
        let opts = request_options(options.unwrap_or_default()).map_err(|e| to_napi(&e))?;
        let args = args.unwrap_or(Value::Null);
        check_arguments(&operation, &args, OptionNames::Camel).map_err(|e| to_napi(&e))?;
        let pager = within_runtime_if_available(|| {
            client
                .core()?
                .pager(&operation, args, opts)
                .map_err(|e| to_napi(&e))
        })?;
        Ok(NativePager {
            pager: Arc::new(Mutex::new(Some(pager))),
            closed: watch::Sender::new(false),
        })
    })
}

/// The JS progress callback: `(status, progress)` → a Promise of whether to
/// stop. The TS layer wraps the user's callback so that it never throws and
/// resolves `true` when the user's callback threw or rejected.
type ProgressFn = ThreadsafeFunction<
    FnArgs<(String, Option<f64>)>,
    Promise<bool>,
    FnArgs<(String, Option<f64>)>,
    Status,
    false,
>;

/// Polls a job every `intervalMs` until it is done: `"extraction"` of a table
/// (resolves to the completed table; failed / error / cancelled is
/// `job_failed` carrying `status` and the `table`) or `"enhancement"`
/// of its cells, every column's or `columnKey`'s (resolves to the last
/// enhancement status); `timeoutMs` passing is `timeout`, naming the last
/// status and progress. `onProgress(status, progress)` hears each change on
/// the JS thread; the core awaits each report (so they arrive in order and
/// none after the Promise settles) and stops when it resolves `true`.
/// `options` apply to each poll; cancelling `cancel` stops the wait (and the
/// poll in flight) at once.
#[napi(
    ts_args_type = "client: NativeClient, job: \"extraction\" | \"enhancement\", tableId: string, columnKey: string | null, intervalMs: number, timeoutMs: number, onProgress?: ((status: string, progress: number | null) => Promise<boolean>) | null, options?: CallOptions | null, cancel?: CancelToken | null",
    ts_return_type = "Promise<any>"
)]
#[allow(clippy::too_many_arguments)]
pub fn wait_for_job<'env>(
    env: &'env Env,
    client: &NativeClient,
    job: String,
    table_id: String,
    column_key: Option<String>,
    interval_ms: f64,
    timeout_ms: f64,
    on_progress: Option<ProgressFn>,
    options: Option<CallOptions>,
    cancel: Option<&CancelToken>,
) -> Result<PromiseRaw<'env, Value>> {
    guard(|| {
        if job != "extraction" && job != "enhancement" {
            return Err(to_napi(&CoreError::configuration_error(format!(
                "unknown job {job:?}: \"extraction\" or \"enhancement\""
            ))));
        }
        let interval = duration_from_millis("intervalMs", interval_ms).map_err(|e| to_napi(&e))?;
        let timeout = timeout_from_millis("timeoutMs", timeout_ms).map_err(|e| to_napi(&e))?;
        let opts = request_options(options.unwrap_or_default()).map_err(|e| to_napi(&e))?;
        let client = client.core()?.with_options(opts);
        let callback = on_progress.map(Arc::new);
        let cancel = Cancel::of(cancel);
        spawn_guarded(env, async move {
            let report = |p: Progress| {
                let callback = callback.clone();
                async move {
                    let Some(f) = callback else {
                        return ControlFlow::Continue(());
                    };
                    let stop = match f
                        .call_async(FnArgs::from((p.status.to_string(), p.progress)))
                        .await
                    {
                        Ok(promise) => promise.await.unwrap_or(true),
                        Err(_) => true,
                    };
                    if stop {
                        ControlFlow::Break(())
                    } else {
                        ControlFlow::Continue(())
                    }
                }
            };
            let job = match job.as_str() {
                "extraction" => Job::Extraction { table_id: &table_id },
                _ => Job::Enhancement {
                    table_id: &table_id,
                    column_key: column_key.as_deref(),
                },
            };
            let wait = async {
                match client.wait_for_job(job, interval, timeout, report).await {
                    Ok(Ok(table)) => Ok(table),
                    Ok(Err(())) => Err(to_napi(&CoreError::configuration_error(format!(
                        "stopped waiting for {table_id}: the onProgress callback failed"
                    )))),
                    Err(e) => Err(to_napi(&e)),
                }
            };
            cancel.run(wait).await
        })
    })
}

/// `POST /files`: uploads a file streamed from disk (`source` is a path) or
/// a Buffer (copied once; `filename` is then required). The filename and
/// content type are inferred unless given. Resolves to the File object.
#[napi(
    ts_args_type = "client: NativeClient, source: string | Buffer, filename?: string | null, contentType?: string | null, options?: CallOptions | null, cancel?: CancelToken | null",
    ts_return_type = "Promise<any>"
)]
pub fn upload_file<'env>(
    env: &'env Env,
    client: &NativeClient,
    source: Either<String, Buffer>,
    filename: Option<String>,
    content_type: Option<String>,
    options: Option<CallOptions>,
    cancel: Option<&CancelToken>,
) -> Result<PromiseRaw<'env, Value>> {
    guard(|| {
        let opts = request_options(options.unwrap_or_default()).map_err(|e| to_napi(&e))?;
        let source = match source {
            Either::A(path) => UploadSource::Path(path.into()),
            Either::B(bytes) => UploadSource::Bytes(bytes.to_vec().into()),
        };
        let upload = lasso_ai::__bindings::upload(source, filename, content_type);
        let client = client.core()?;
        let cancel = Cancel::of(cancel);
        spawn_guarded(env, async move {
            cancel
                .run(async { client.upload_file(upload, &opts).await.map_err(|e| to_napi(&e)) })
                .await
        })
    })
}

/// An export held in memory.
#[napi(object)]
pub struct ExportedData {
    /// The body.
    pub data: Buffer,
    /// The `Content-Type` the server sent.
    pub content_type: Option<String>,
    /// The file name from `Content-Disposition`, when sent.
    pub filename: Option<String>,
}

/// An export written to disk.
#[napi(object)]
pub struct SavedFile {
    /// Where it was written.
    pub path: String,
    /// Bytes written.
    pub size: f64,
    /// The `Content-Type` the server sent.
    pub content_type: Option<String>,
    /// The file name from `Content-Disposition`, when sent.
    pub filename: Option<String>,
}

/// `GET /tables/{table_id}/export`: `format` is `csv`, `xlsx`, `json` or
/// `images`; `columns` comma-separated column keys. Without `path` the body
/// comes back in memory; with one it is streamed to a temporary file beside
/// `path` and renamed into place once complete (no partial file on failure
/// or cancellation).
#[napi(
    ts_args_type = "client: NativeClient, tableId: string, format: string, columns?: string | null, path?: string | null, options?: CallOptions | null, cancel?: CancelToken | null",
    ts_return_type = "Promise<ExportedData | SavedFile>"
)]
#[allow(clippy::too_many_arguments)]
pub fn export_table<'env>(
    env: &'env Env,
    client: &NativeClient,
    table_id: String,
    format: String,
    columns: Option<String>,
    path: Option<String>,
    options: Option<CallOptions>,
    cancel: Option<&CancelToken>,
) -> Result<PromiseRaw<'env, Either<ExportedData, SavedFile>>> {
    guard(|| {
        let opts = request_options(options.unwrap_or_default()).map_err(|e| to_napi(&e))?;
        let client = client.core()?;
        let cancel = Cancel::of(cancel);
        spawn_guarded(env, async move {
            cancel
                .run(export(client, table_id, format, columns, path, opts))
                .await
        })
    })
}

/// The body of `exportTable`.
async fn export(
    client: lasso_ai::Client,
    table_id: String,
    format: String,
    columns: Option<String>,
    path: Option<String>,
    opts: lasso_ai::RequestOptions,
) -> Result<Either<ExportedData, SavedFile>> {
    let columns = columns.as_deref();
    match path {
        None => {
            let d = client
                .export_table(&table_id, &format, columns, &opts)
                .await
                .map_err(|e| to_napi(&e))?;
            Ok(Either::A(ExportedData {
                data: Buffer::from(Vec::from(d.bytes)),
                content_type: d.content_type,
                filename: d.filename,
            }))
        }
        Some(path) => {
            let s = client
                .export_table_to_path(&table_id, &format, columns, &path, &opts)
                .await
                .map_err(|e| to_napi(&e))?;
            Ok(Either::B(SavedFile {
                path: s.path.to_string_lossy().into_owned(),
                size: s.size as f64,
                content_type: s.content_type,
                filename: s.filename,
            }))
        }
    }
}

/// Test hook (not part of the TS API): the core's operation table, so the
/// Node tests can check that every operation has a method. Each entry:
/// `{ id, method, path, paging, custom, params: [{ name, positional, required, fixed }] }`.
#[napi(js_name = "__operations", ts_return_type = "any[]")]
pub fn operations() -> Result<Vec<Value>> {
    guard(|| {
        Ok(lasso_spec::OPERATIONS
            .iter()
            .map(|op| {
                let paging = match op.paging {
                    Paging::None => Value::Null,
                    Paging::Page => Value::from("page"),
                    Paging::Cursor { .. } => Value::from("cursor"),
                };
                let params: Vec<Value> = op
                    .params
                    .iter()
                    .map(|p| {
                        json!({
                            "name": p.name,
                            "positional": p.positional,
                            "required": p.required,
                            "fixed": p.fixed,
                        })
                    })
                    .collect();
                json!({
                    "id": op.id,
                    "method": op.method.as_str(),
                    "path": op.path,
                    "paging": paging,
                    "custom": op.custom,
                    "params": params,
                })
            })
            .collect())
    })
}

/// The option among `names` that `given` most likely meant (the core's rule,
/// the same as for API arguments).
#[napi]
pub fn closest_name(given: String, names: Vec<String>) -> Result<Option<String>> {
    guard(|| {
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        Ok(lasso_ai::__bindings::closest_name(&given, &names).map(str::to_owned))
    })
}

/// The progress bar's line for a status and a progress (the core's renderer).
#[napi]
pub fn progress_line(status: String, progress: Option<f64>) -> String {
    lasso_ai::__bindings::progress::bar_line(&status, progress)
}

/// Erases the progress bar's line before other output.
#[napi]
pub const PROGRESS_CLEAR_LINE: &str = lasso_ai::__bindings::progress::CLEAR_LINE;
