//! The helpers that are not plain calls, for the Kotlin layer: pagination
//! ([`NativePager`], a `Flow` there), waiting for a table ([`NativeWait`]),
//! uploads and exports. The core does the work ([`lasso_ai::Client::pager`],
//! [`lasso_ai::Client::wait_for_table`], [`lasso_ai::Client::upload_file`],
//! [`lasso_ai::Client::export`], [`lasso_ai::Client::export_to_path`]); this
//! module converts values and bridges async like `lib.rs`.
//!
//! Both the pager and the wait are pulled by Kotlin (`next…()` until done),
//! so no Kotlin code ever runs on a runtime thread, and the caller's
//! coroutine runs its own progress callback.

use std::sync::{Arc, Mutex};

use std::convert::Infallible;
use std::ops::ControlFlow;

use lasso_ai::__bindings::{ClientExt, Job, Pager};
use lasso_ai::{Progress, UploadSource};
use tokio::sync::mpsc;

use crate::error::{guard, to_native, NativeError};
use crate::options::{request_options, CallOptions};
use crate::runtime::{self, Task};
use crate::{json_args, NativeClient};

/// A pager over one list operation, one page ahead of the caller (the core
/// prefetches the next page as soon as the current one arrives).
#[derive(uniffi::Object)]
pub struct NativePager {
    /// `None` once stopped: dropping the core pager aborts its prefetch.
    pager: Arc<tokio::sync::Mutex<Option<Pager>>>,
}

#[uniffi::export]
impl NativePager {
    /// The items of the next page as the text of a JSON array, or `None`
    /// when the list is exhausted (or the pager was stopped).
    pub async fn next_page(&self) -> Result<Option<String>, NativeError> {
        let pager = self.pager.clone();
        runtime::spawn(async move {
            let mut pager = pager.lock().await;
            match pager.as_mut() {
                // Cancel-safe: if this task is aborted, the page being fetched
                // stays in the pager, which `stop()` then drops.
                Some(p) => Ok(p.next_raw_page().await?.map(|page| page.items_json())),
                None => Ok(None),
            }
        })
        .await
    }

    /// Stops paging: the page being prefetched is abandoned (its request
    /// dropped). Safe to call more than once.
    pub fn stop(&self) {
        if let Ok(mut pager) = self.pager.try_lock() {
            *pager = None;
            return;
        }
        // A `next_page` is being aborted: drop the pager right after it.
        let pager = self.pager.clone();
        runtime::get().spawn(async move { *pager.lock().await = None });
    }
}

/// One step of a wait: a change of status or progress, or the end.
#[derive(uniffi::Enum)]
pub enum WaitStep {
    /// The table's status or progress (0–100) changed.
    Progress {
        /// The status as the API reports it.
        status: String,
        /// 0–100, when the API reports it.
        progress: Option<f64>,
    },
    /// The job completed: the table (or the enhancement status) as JSON text.
    Done {
        /// The Table object, or the EnhanceStatus object.
        table: String,
    },
}

enum Event {
    Progress(lasso_ai::Progress),
    Done(Result<serde_json::Value, lasso_ai::Error>),
}

/// A wait for a table, running on the runtime; Kotlin pulls its steps.
#[derive(uniffi::Object)]
pub struct NativeWait {
    events: tokio::sync::Mutex<mpsc::UnboundedReceiver<Event>>,
    task: Mutex<Option<Task<()>>>,
}

#[uniffi::export]
impl NativeWait {
    /// The next step: every progress report in order, then the table (or
    /// the error that ended the wait: `job_failed`, `timeout`, …).
    pub async fn next_step(&self) -> Result<WaitStep, NativeError> {
        let event = self.events.lock().await.recv().await;
        match event {
            Some(Event::Progress(p)) => Ok(WaitStep::Progress {
                status: p.status.to_string(),
                progress: p.progress,
            }),
            Some(Event::Done(Ok(table))) => Ok(WaitStep::Done {
                table: table.to_string(),
            }),
            Some(Event::Done(Err(e))) => Err(to_native(&e)),
            None => Err(to_native(&config("this wait was stopped"))),
        }
    }

    /// Stops the wait at once: the poll in flight is dropped. Safe to call
    /// more than once.
    pub fn stop(&self) {
        self.task.lock().unwrap_or_else(|p| p.into_inner()).take();
    }
}

/// An export held in memory (`data`) or written to disk (`path`, `size`).
#[derive(uniffi::Record)]
pub struct Exported {
    /// The body, for an export into memory.
    pub data: Option<Vec<u8>>,
    /// Where it was written, for an export to a file.
    pub path: Option<String>,
    /// Bytes received.
    pub size: u64,
    /// The `Content-Type` the server sent.
    pub content_type: Option<String>,
    /// The file name from `Content-Disposition`, when sent.
    pub filename: Option<String>,
}

#[uniffi::export]
impl NativeClient {
    /// Opens a pager over `operation` (a list operation such as
    /// `tables.rows`) with these arguments (JSON text); the page size is 100
    /// unless the arguments set one. The first page starts downloading at once.
    pub fn open_pager(
        &self,
        operation: String,
        args: String,
        options: CallOptions,
    ) -> Result<Arc<NativePager>, NativeError> {
        guard(|| {
            let opts = request_options(&options).map_err(|e| to_native(&e))?;
            let args = json_args(&args)?;
            let _inside = runtime::get().enter();
            let pager = self
                .core()?
                .pager(&operation, args, opts)
                .map_err(|e| to_native(&e))?;
            Ok(Arc::new(NativePager {
                pager: Arc::new(tokio::sync::Mutex::new(Some(pager))),
            }))
        })
    }

    /// Starts a wait: `job` `extraction` polls the table every `interval_ms`
    /// until it is completed, ends failed / error / cancelled (`job_failed`)
    /// or `timeout_ms` passes (`timeout`); `enhancement` polls its
    /// enhancement status (of `column_key` only, when given) until every
    /// cell is done. `options` apply to each poll.
    pub fn wait_for_job(
        &self,
        job: String,
        table_id: String,
        column_key: Option<String>,
        interval_ms: f64,
        timeout_ms: f64,
        options: CallOptions,
    ) -> Result<Arc<NativeWait>, NativeError> {
        guard(|| {
            let err = |e: lasso_ai::Error| to_native(&e);
            if job != "extraction" && job != "enhancement" {
                return Err(err(config("the job is \"extraction\" or \"enhancement\"")));
            }
            let interval =
                lasso_ai::__bindings::duration_from_millis("interval", interval_ms).map_err(err)?;
            let timeout = lasso_ai::__bindings::timeout_from_millis("timeout", timeout_ms).map_err(err)?;
            let opts = request_options(&options).map_err(err)?;
            let client = self.core()?.with_options(opts);
            let (tx, rx) = mpsc::unbounded_channel();
            let task = runtime::get().spawn(async move {
                let report = |p: Progress| {
                    let _ = tx.send(Event::Progress(p));
                    std::future::ready(ControlFlow::<Infallible>::Continue(()))
                };
                let job = match job.as_str() {
                    "extraction" => Job::Extraction { table_id: &table_id },
                    _ => Job::Enhancement {
                        table_id: &table_id,
                        column_key: column_key.as_deref(),
                    },
                };
                let result = client.wait_for_job(job, interval, timeout, report).await;
                let result = result.map(|done| match done {
                    Ok(value) => value,
                    Err(never) => match never {},
                });
                let _ = tx.send(Event::Done(result));
            });
            Ok(Arc::new(NativeWait {
                events: tokio::sync::Mutex::new(rx),
                task: Mutex::new(Some(Task::new(task))),
            }))
        })
    }

    /// `POST /files`: uploads a file streamed from disk (`path`) or bytes
    /// (`data`, copied once; `filename` is then required). The filename and
    /// content type are inferred unless given. Returns the File object as JSON text.
    pub async fn upload_file(
        &self,
        path: Option<String>,
        data: Option<Vec<u8>>,
        filename: Option<String>,
        content_type: Option<String>,
        options: CallOptions,
    ) -> Result<String, NativeError> {
        let opts = request_options(&options).map_err(|e| to_native(&e))?;
        let source = match (path, data) {
            (Some(path), None) => UploadSource::Path(path.into()),
            (None, Some(data)) => UploadSource::Bytes(data.into()),
            _ => {
                return Err(to_native(&config(
                    "files.upload takes a path or bytes (exactly one)",
                )))
            }
        };
        let upload = lasso_ai::__bindings::upload(source, filename, content_type);
        let client = self.core()?;
        runtime::spawn(async move {
            let file = client.upload_file(upload, &opts).await?;
            Ok(file.to_string())
        })
        .await
    }

    /// `GET /tables/{table_id}/export`: `format` is `csv`, `xlsx`, `json` or
    /// `images`; `columns` comma-separated column keys. Without `path` the
    /// body comes back in memory; with one it is streamed to a temporary file
    /// beside `path` and renamed into place once complete (no partial file
    /// on failure or cancellation).
    pub async fn export_table(
        &self,
        table_id: String,
        format: String,
        columns: Option<String>,
        path: Option<String>,
        options: CallOptions,
    ) -> Result<Exported, NativeError> {
        let opts = request_options(&options).map_err(|e| to_native(&e))?;
        let client = self.core()?;
        runtime::spawn(async move {
            let columns = columns.as_deref();
            Ok(match path {
                None => {
                    let d = client.export_table(&table_id, &format, columns, &opts).await?;
                    Exported {
                        size: d.bytes.len() as u64,
                        data: Some(Vec::from(d.bytes)),
                        path: None,
                        content_type: d.content_type,
                        filename: d.filename,
                    }
                }
                Some(path) => {
                    let s = client
                        .export_table_to_path(&table_id, &format, columns, &path, &opts)
                        .await?;
                    Exported {
                        data: None,
                        path: Some(s.path.to_string_lossy().into_owned()),
                        size: s.size,
                        content_type: s.content_type,
                        filename: s.filename,
                    }
                }
            })
        })
        .await
    }
}

fn config(message: &str) -> lasso_ai::Error {
    <lasso_ai::Error as lasso_ai::__bindings::ErrorExt>::configuration_error(message.to_owned())
}
