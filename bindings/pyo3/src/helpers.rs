//! The core's helpers that are not plain calls, for the methods
//! `lasso/_generated.py` generates from the spec's helper descriptors:
//! pagination (`open_pager`), waiting for a job (`wait_for_job`), uploads
//! (`upload_file`) and exports (`export_table`), plus the progress bar's
//! line and the wait defaults. Each runs blocking (GIL released) or, with
//! `asynchronous=True`, as an `asyncio.Future` on the same runtime.

use std::future::Future;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use lasso_ai::__bindings::{ClientExt, ErrorExt, Job, Pager, RawPage};
use lasso_ai::{Error, Progress, UploadSource};
use pyo3::exceptions::PyTypeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};
use serde_json::Value;

use crate::client::{arguments, NativeClient};
use crate::convert::{to_py, JsonDecoder};
use crate::errors::to_pyerr;
use crate::file_source::FileSource;
use crate::fork::ProcessLocal;
use crate::{options, runtime};

/// Runs `fut` blocking, or returns it as an awaitable, converting its value with `convert`.
fn dispatch<'py, T, F, C>(
    py: Python<'py>,
    asynchronous: bool,
    fut: F,
    convert: C,
) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = Result<T, Error>> + Send + 'static,
    T: Send + 'static,
    C: for<'a> FnOnce(Python<'a>, T) -> PyResult<Bound<'a, PyAny>> + Send + 'static,
{
    if asynchronous {
        return runtime::spawn_awaitable(py, fut, convert);
    }
    match runtime::block_on(py, fut)? {
        Ok(value) => convert(py, value),
        Err(e) => Err(to_pyerr(py, &e)),
    }
}

/// The pages of one list operation, fetched one step ahead.
#[pyclass(module = "lasso._native", frozen)]
pub struct NativePager {
    /// Its prefetch runs on the runtime of the process that opened it.
    pager: ProcessLocal<Arc<tokio::sync::Mutex<Pager>>>,
}

#[pymethods]
impl NativePager {
    /// The next page's items (a list), or `None` at the end.
    #[pyo3(signature = (*, asynchronous=false))]
    fn next_page<'py>(&self, py: Python<'py>, asynchronous: bool) -> PyResult<Bound<'py, PyAny>> {
        crate::errors::guard(py, "NativePager.next_page", || {
            if !self.pager.is_current() {
                let message = "this iterator was opened before fork(); its pages belong to the parent \
                               process. Start a new iteration in the child";
                return Err(to_pyerr(py, &Error::configuration_error(message)));
            }
            let pager = self.pager.get().clone();
            let next = async move { pager.lock().await.next_raw_page().await };
            if asynchronous {
                return runtime::spawn_awaitable(py, next, page_to_list);
            }
            // Polled here: the page is already downloading in its own task, whose
            // completion then wakes this thread directly.
            match runtime::block_on_here(py, next)? {
                Ok(page) => page_to_list(py, page),
                Err(e) => Err(to_pyerr(py, &e)),
            }
        })
    }
}

/// A page's items as a Python list, each decoded from its JSON text (`None`
/// past the last page).
fn page_to_list(py: Python<'_>, page: Option<RawPage>) -> PyResult<Bound<'_, PyAny>> {
    let Some(page) = page else {
        return Ok(py.None().into_bound(py));
    };
    let mut decoder = JsonDecoder::default(); // one key cache for the page's rows
    let items = page
        .items()
        .map(|item| {
            decoder
                .decode(py, item)
                .map_err(|why| to_pyerr(py, &page.decode_error(&why)))
        })
        .collect::<PyResult<Vec<_>>>()?;
    Ok(PyList::new(py, items)?.into_any())
}

/// A pager over `operation` (a list operation) with these arguments.
#[pyfunction]
#[pyo3(signature = (client, operation, args=None, timeout=None, max_retries=None, extra_headers=None, extra_query=None, extra_body=None))]
#[allow(clippy::too_many_arguments)]
pub fn open_pager(
    py: Python<'_>,
    client: &NativeClient,
    operation: &str,
    args: Option<&Bound<'_, PyAny>>,
    timeout: Option<&Bound<'_, PyAny>>,
    max_retries: Option<&Bound<'_, PyAny>>,
    extra_headers: Option<&Bound<'_, PyAny>>,
    extra_query: Option<&Bound<'_, PyAny>>,
    extra_body: Option<&Bound<'_, PyAny>>,
) -> PyResult<NativePager> {
    crate::errors::guard(py, "open_pager", || {
        let args = arguments(args)?;
        let opts =
            options::request_options(py, timeout, max_retries, extra_headers, extra_query, extra_body)?;
        let rt = runtime::get()?;
        let _inside = rt.enter();
        let pager = client
            .client(py)?
            .pager(operation, args, opts)
            .map_err(|e| to_pyerr(py, &e))?;
        Ok(NativePager {
            pager: ProcessLocal::new(Arc::new(tokio::sync::Mutex::new(pager))),
        })
    })
}

/// What a progress callback's run sends back: `None` to go on, or the
/// exception it raised (which stops the wait and is raised in its place).
type Outcome = Option<PyErr>;

/// `lasso._helpers._on_loop`, which runs a progress callback on the event
/// loop and awaits it when it returns an awaitable.
static ON_LOOP: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Waits for a job: `"extraction"` of a table (returns the completed table;
/// failed / error / cancelled raise `JobFailedError`) or `"enhancement"` of
/// its cells, every column's or `column_key`'s (returns the last status).
/// `on_progress(status, progress)` hears each change and the wait goes on
/// only once it returned: blocking, on the calling thread; awaited, on the
/// event loop's thread, an awaitable it returns awaited there. An exception
/// it raises stops the wait and is raised. The per-call options apply to
/// each status request.
#[pyfunction]
#[pyo3(signature = (client, job, table_id, column_key, interval, timeout, on_progress=None, call_timeout=None, max_retries=None, extra_headers=None, extra_query=None, extra_body=None, *, asynchronous=false))]
#[allow(clippy::too_many_arguments)]
pub fn wait_for_job<'py>(
    py: Python<'py>,
    client: &NativeClient,
    job: &str,
    table_id: String,
    column_key: Option<String>,
    interval: &Bound<'py, PyAny>,
    timeout: &Bound<'py, PyAny>,
    on_progress: Option<Py<PyAny>>,
    call_timeout: Option<&Bound<'py, PyAny>>,
    max_retries: Option<&Bound<'py, PyAny>>,
    extra_headers: Option<&Bound<'py, PyAny>>,
    extra_query: Option<&Bound<'py, PyAny>>,
    extra_body: Option<&Bound<'py, PyAny>>,
    asynchronous: bool,
) -> PyResult<Bound<'py, PyAny>> {
    crate::errors::guard(py, "wait_for_job", || {
        let enhancement = match job {
            "extraction" => false,
            "enhancement" => true,
            other => {
                return Err(PyTypeError::new_err(format!(
                    "job must be \"extraction\" or \"enhancement\", not {other:?}"
                )))
            }
        };
        let interval = options::timeout(py, "interval_s", interval)?;
        let timeout = options::timeout(py, "timeout_s", timeout)?;
        let opts = options::request_options(
            py,
            call_timeout,
            max_retries,
            extra_headers,
            extra_query,
            extra_body,
        )?;
        let client = client.client(py)?.with_options(opts);
        // Where each report runs: blocking, on this thread (which waits
        // with the GIL released and serves these jobs); awaited, handed by
        // the `lasso-gil` thread to the event loop.
        let caller = (!asynchronous).then(runtime::CallerQueue::new);
        let deliver = match &caller {
            Some(queue) => Deliver::Caller(queue.jobs()),
            None => {
                let on_loop = ON_LOOP.get_or_try_init(py, || {
                    PyResult::Ok(py.import("lasso._helpers")?.getattr("_on_loop")?.unbind())
                })?;
                Deliver::Loop {
                    gil: runtime::gil_thread()?,
                    event_loop: Arc::new(runtime::running_loop(py)?.unbind()),
                    on_loop: Arc::new(on_loop.clone_ref(py)),
                }
            }
        };
        let callback = on_progress.map(Arc::new);
        let deliver = Arc::new(deliver);
        let report = move |p: Progress| {
            let callback = callback.clone();
            let deliver = deliver.clone();
            async move {
                let Some(callback) = callback else {
                    return ControlFlow::Continue(());
                };
                let (done, outcome) = tokio::sync::oneshot::channel::<Outcome>();
                deliver.run(callback, p, done);
                match outcome.await {
                    Ok(None) => ControlFlow::Continue(()),
                    Ok(Some(raised)) => ControlFlow::Break(Some(raised)),
                    // The report was dropped unrun: the interpreter is exiting.
                    Err(_) => ControlFlow::Break(None),
                }
            }
        };
        let wait = async move {
            let job = match enhancement {
                false => Job::Extraction { table_id: &table_id },
                true => Job::Enhancement {
                    table_id: &table_id,
                    column_key: column_key.as_deref(),
                },
            };
            client.wait_for_job(job, interval, timeout, report).await
        };
        match caller {
            None => runtime::spawn_awaitable(py, wait, finish_wait),
            Some(queue) => match runtime::block_on_serving(py, queue, wait)? {
                Ok(waited) => finish_wait(py, waited),
                Err(e) => Err(to_pyerr(py, &e)),
            },
        }
    })
}

/// A wait's value, or what stopped it from the progress callback.
fn finish_wait(py: Python<'_>, waited: Result<Value, Option<PyErr>>) -> PyResult<Bound<'_, PyAny>> {
    match waited {
        Ok(value) => to_py(py, &value),
        Err(Some(raised)) => Err(raised),
        Err(None) => Err(runtime_exiting()),
    }
}

fn runtime_exiting() -> PyErr {
    pyo3::exceptions::PyRuntimeError::new_err("the wait stopped: the interpreter is exiting")
}

/// Where progress callbacks run.
enum Deliver {
    /// The thread blocked in the call (blocking waits).
    Caller(runtime::CallerJobs),
    /// The event loop's thread (awaited waits), through `lasso._helpers._on_loop`.
    Loop {
        gil: runtime::GilThread,
        event_loop: Arc<Py<PyAny>>,
        on_loop: Arc<Py<PyAny>>,
    },
}

impl Deliver {
    /// Runs `callback(status, progress)` where it belongs; `done` hears how it went.
    fn run(&self, callback: Arc<Py<PyAny>>, p: Progress, done: tokio::sync::oneshot::Sender<Outcome>) {
        let (status, progress) = (p.status.to_string(), p.progress);
        match self {
            Deliver::Caller(caller) => caller.run(move |py| {
                let outcome = match callback.call1(py, (status, progress)) {
                    Ok(returned)
                        if returned
                            .bind(py)
                            .hasattr(intern!(py, "__await__"))
                            .unwrap_or(false) =>
                    {
                        // Never awaited: close it so Python does not warn.
                        let _ = returned.call_method0(py, intern!(py, "close"));
                        Some(PyTypeError::new_err(
                            "on_progress returned an awaitable: a blocking wait calls it as a plain \
                             function (use AsyncLassoClient for an `async def` callback)",
                        ))
                    }
                    Ok(_) => None,
                    Err(e) => Some(e),
                };
                let _ = done.send(outcome);
            }),
            Deliver::Loop {
                gil,
                event_loop,
                on_loop,
            } => {
                let (event_loop, on_loop) = (event_loop.clone(), on_loop.clone());
                gil.run(move |py| {
                    let done = ProgressDone {
                        sender: Mutex::new(Some(done)),
                    };
                    let scheduled = event_loop.bind(py).call_method1(
                        intern!(py, "call_soon_threadsafe"),
                        (on_loop.bind(py), callback.bind(py), status, progress, done),
                    );
                    // A closed loop: nobody awaits the wait any more; dropping
                    // `done` (inside the failed call's arguments) stops it.
                    drop(scheduled);
                })
            }
        }
    }
}

/// Called by `lasso._helpers._on_loop` once a progress callback finished:
/// with `None`, or the exception it raised.
#[pyclass(frozen, module = "lasso._native")]
pub struct ProgressDone {
    sender: Mutex<Option<tokio::sync::oneshot::Sender<Outcome>>>,
}

#[pymethods]
impl ProgressDone {
    fn __call__(&self, py: Python<'_>, raised: Option<Bound<'_, PyAny>>) -> PyResult<()> {
        crate::errors::guard(py, "ProgressDone.__call__", || {
            let outcome = raised.map(PyErr::from_value);
            if let Some(sender) = self.sender.lock().unwrap_or_else(|p| p.into_inner()).take() {
                let _ = sender.send(outcome);
            }
            Ok(())
        })
    }
}

/// Uploads a file: `source` is a path (str or os.PathLike, streamed from
/// disk), bytes (then `filename` is required) or a binary file object (read
/// in chunks from its current position, see `file_source`).
#[pyfunction]
#[pyo3(signature = (client, source, filename=None, content_type=None, timeout=None, max_retries=None, extra_headers=None, extra_query=None, extra_body=None, *, asynchronous=false))]
#[allow(clippy::too_many_arguments)]
pub fn upload_file<'py>(
    py: Python<'py>,
    client: &NativeClient,
    source: &Bound<'py, PyAny>,
    filename: Option<String>,
    content_type: Option<String>,
    timeout: Option<&Bound<'py, PyAny>>,
    max_retries: Option<&Bound<'py, PyAny>>,
    extra_headers: Option<&Bound<'py, PyAny>>,
    extra_query: Option<&Bound<'py, PyAny>>,
    extra_body: Option<&Bound<'py, PyAny>>,
    asynchronous: bool,
) -> PyResult<Bound<'py, PyAny>> {
    crate::errors::guard(py, "upload_file", || {
        let opts =
            options::request_options(py, timeout, max_retries, extra_headers, extra_query, extra_body)?;
        let client = client.client(py)?;
        let mut file = None;
        let source = if let Ok(bytes) = source.cast::<PyBytes>() {
            UploadSource::Bytes(bytes.as_bytes().to_vec().into())
        } else if let Ok(path) = source.extract::<PathBuf>() {
            UploadSource::Path(path)
        } else if source.hasattr(pyo3::intern!(py, "read"))? {
            file.insert(FileSource::new(source)?).upload_source()
        } else {
            return Err(PyTypeError::new_err(
                "files.upload takes a path (str or os.PathLike), bytes, or a binary file object",
            ));
        };
        let upload = lasso_ai::__bindings::upload(source, filename, content_type);
        // Always `Ok`: an exception raised by the file object's `read` is
        // raised in place of the failure the transport saw.
        let upload = async move { Ok(client.upload_file(upload, &opts).await) };
        dispatch(py, asynchronous, upload, move |py, outcome| {
            if let Some(raised) = file.and_then(|f| f.take_failure()) {
                return Err(raised);
            }
            match outcome {
                Ok(stored) => to_py(py, &stored),
                Err(e) => Err(to_pyerr(py, &e)),
            }
        })
    })
}

/// Rows decoded from JSON exports so far, in this process: a test hook
/// showing an event loop kept running while a large export was decoded.
static ROWS_DECODED: AtomicU64 = AtomicU64::new(0);

/// Rows decoded per hold of the GIL: between two batches it is released, so
/// an event loop (or any other Python thread) runs while a large export is
/// decoded.
const ROWS_PER_BATCH: usize = 1_000;

/// Exports a table. With `path`, streamed to that file:
/// `{"path", "size", "content_type", "filename"}`. Otherwise in memory, as
/// `decode` says: `"bytes"`, `"text"` (UTF-8), `"rows"` (a JSON export's
/// rows, a list of dicts) or `"download"` (`{"content", "content_type",
/// "filename"}`).
#[pyfunction]
#[pyo3(signature = (client, table_id, format, columns=None, path=None, total_timeout=None, decode="bytes", timeout=None, max_retries=None, extra_headers=None, extra_query=None, extra_body=None, *, asynchronous=false))]
#[allow(clippy::too_many_arguments)]
pub fn export_table<'py>(
    py: Python<'py>,
    client: &NativeClient,
    table_id: String,
    format: String,
    columns: Option<String>,
    path: Option<PathBuf>,
    total_timeout: Option<&Bound<'py, PyAny>>,
    decode: &str,
    timeout: Option<&Bound<'py, PyAny>>,
    max_retries: Option<&Bound<'py, PyAny>>,
    extra_headers: Option<&Bound<'py, PyAny>>,
    extra_query: Option<&Bound<'py, PyAny>>,
    extra_body: Option<&Bound<'py, PyAny>>,
    asynchronous: bool,
) -> PyResult<Bound<'py, PyAny>> {
    crate::errors::guard(py, "export_table", || {
        let decode = match decode {
            "bytes" => Decode::Bytes,
            "text" => Decode::Text,
            "rows" => Decode::Rows,
            "download" => Decode::Download,
            other => return Err(PyTypeError::new_err(format!("unknown decode {other:?}"))),
        };
        let mut opts =
            options::request_options(py, timeout, max_retries, extra_headers, extra_query, extra_body)?;
        opts.total_timeout = options::optional_timeout(py, "total_timeout", total_timeout)?;
        let client = client.client(py)?;
        let stepped_on_loop = asynchronous && matches!(decode, Decode::Rows) && path.is_none();
        let export = async move {
            match path {
                Some(path) => {
                    let saved = client
                        .export_table_to_path(&table_id, &format, columns.as_deref(), &path, &opts)
                        .await?;
                    match decode {
                        // `export.xlsx(path=...)` (and csv, images) returns what it
                        // returns without a path, as `lasso-ai` 0.1.2 does: the file,
                        // streamed to disk and renamed into place, is read back here,
                        // off the GIL and the event loop.
                        Decode::Bytes | Decode::Text => {
                            let file = saved.path.clone();
                            let bytes = tokio::task::spawn_blocking(move || std::fs::read(&file))
                                .await
                                .map_err(|e| Error::internal_error(format!("reading the export back: {e}")))?
                                .map_err(|e| Error::file("read back", &saved.path, e))?;
                            Ok(Exported::Memory(lasso_ai::__bindings::download(
                                bytes.into(),
                                saved.content_type,
                                saved.filename,
                            )))
                        }
                        _ => Ok(Exported::Saved(saved)),
                    }
                }
                None => {
                    let d = client
                        .export_table(&table_id, &format, columns.as_deref(), &opts)
                        .await?;
                    match decode {
                        // Split into rows here, on an I/O thread without the GIL.
                        Decode::Rows => Ok(Exported::Rows(RowSpans::of(d)?)),
                        _ => Ok(Exported::Memory(d)),
                    }
                }
            }
        };
        if stepped_on_loop {
            return runtime::spawn_finished_on_loop(py, export, |py, exported, future| match exported {
                Exported::Rows(spans) => {
                    let rows = RowsOnLoop {
                        future,
                        list: PyList::empty(py).unbind(),
                        state: Mutex::new((spans, JsonDecoder::default(), 0)),
                    };
                    Ok(Bound::new(py, rows)?.into_any())
                }
                _ => Err(to_pyerr(
                    py,
                    &Error::internal_error("an in-memory JSON export gave no rows"),
                )),
            });
        }
        dispatch(py, asynchronous, export, move |py, exported| match exported {
            Exported::Saved(s) => {
                let out = PyDict::new(py);
                out.set_item("path", s.path)?;
                out.set_item("size", s.size)?;
                out.set_item("content_type", s.content_type)?;
                out.set_item("filename", s.filename)?;
                Ok(out.into_any())
            }
            Exported::Rows(rows) => rows.into_list(py),
            Exported::Memory(d) => match decode {
                Decode::Text => match std::str::from_utf8(&d.bytes) {
                    Ok(text) => Ok(PyString::new(py, text).into_any()),
                    Err(e) => Err(to_pyerr(
                        py,
                        &Error::decode_error(
                            200,
                            format!("the export is not UTF-8 text: {e}"),
                            String::from_utf8_lossy(&d.bytes[..d.bytes.len().min(4096)]).into_owned(),
                        ),
                    )),
                },
                Decode::Download => {
                    let out = PyDict::new(py);
                    out.set_item("content", PyBytes::new(py, &d.bytes))?;
                    out.set_item("content_type", d.content_type)?;
                    out.set_item("filename", d.filename)?;
                    Ok(out.into_any())
                }
                _ => Ok(PyBytes::new(py, &d.bytes).into_any()),
            },
        })
    })
}

#[derive(Clone, Copy)]
enum Decode {
    Bytes,
    Text,
    Rows,
    Download,
}

enum Exported {
    Memory(lasso_ai::Download),
    Rows(RowSpans),
    Saved(lasso_ai::SavedExport),
}

/// A JSON export's body and where each row's JSON text lies in it (checked
/// and split by the core and serde, without the GIL).
struct RowSpans {
    body: bytes::Bytes,
    rows: Vec<std::ops::Range<usize>>,
}

impl RowSpans {
    fn of(d: lasso_ai::Download) -> Result<RowSpans, Error> {
        let text = d.json_rows()?;
        let base = d.bytes.as_ptr() as usize;
        let items: Vec<&serde_json::value::RawValue> = serde_json::from_str(text).map_err(|e| {
            Error::decode_error(
                200,
                format!("the JSON export is not an array of rows: {e}"),
                String::new(),
            )
        })?;
        let rows = items
            .iter()
            .map(|raw| {
                let start = raw.get().as_ptr() as usize - base;
                start..start + raw.get().len()
            })
            .collect();
        Ok(RowSpans {
            body: d.bytes.clone(),
            rows,
        })
    }

    /// Appends the rows of `batch` (indices into `rows`) to `list`.
    fn decode_into(
        &self,
        py: Python<'_>,
        decoder: &mut JsonDecoder,
        batch: std::ops::Range<usize>,
        list: &Bound<'_, PyList>,
    ) -> PyResult<()> {
        let count = batch.len() as u64;
        for span in &self.rows[batch] {
            let row = decoder.decode(py, &self.body[span.clone()]).map_err(|why| {
                to_pyerr(
                    py,
                    &Error::decode_error(
                        200,
                        format!("a row of the JSON export is not JSON: {why}"),
                        String::new(),
                    ),
                )
            })?;
            list.append(row)?;
        }
        ROWS_DECODED.fetch_add(count, Ordering::Relaxed);
        Ok(())
    }

    /// The rows as a list of Python objects, built [`ROWS_PER_BATCH`] at a
    /// time with the GIL released in between (for a blocking call: other
    /// Python threads may run).
    fn into_list(self, py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        let list = PyList::empty(py);
        let mut decoder = JsonDecoder::default();
        for start in (0..self.rows.len()).step_by(ROWS_PER_BATCH) {
            let end = (start + ROWS_PER_BATCH).min(self.rows.len());
            self.decode_into(py, &mut decoder, start..end, &list)?;
            py.detach(|| ());
        }
        Ok(list.into_any())
    }
}

/// An async JSON export's rows, decoded on the event loop [`ROWS_PER_BATCH`]
/// at a time, each batch a callback of its own: the loop's other tasks run
/// between every two batches.
#[pyclass(frozen, module = "lasso._native")]
struct RowsOnLoop {
    future: Py<PyAny>,
    list: Py<PyList>,
    state: Mutex<(RowSpans, JsonDecoder, usize)>,
}

#[pymethods]
impl RowsOnLoop {
    fn __call__(slf: &Bound<'_, Self>) -> PyResult<()> {
        let py = slf.py();
        let this = slf.get();
        let future = this.future.bind(py);
        // Cancelled meanwhile: nothing waits for the rows.
        if runtime::is_done(future) {
            return Ok(());
        }
        let step = crate::errors::guard(py, "RowsOnLoop.__call__", || {
            let mut state = this.state.lock().unwrap_or_else(|p| p.into_inner());
            let (spans, decoder, next) = &mut *state;
            let end = (*next + ROWS_PER_BATCH).min(spans.rows.len());
            spans.decode_into(py, decoder, *next..end, this.list.bind(py))?;
            *next = end;
            Ok(end < spans.rows.len())
        });
        match step {
            Ok(true) => {
                let event_loop = py
                    .import(intern!(py, "asyncio"))?
                    .call_method0(intern!(py, "get_running_loop"))?;
                event_loop.call_method1(intern!(py, "call_soon"), (slf,))?;
            }
            Ok(false) => {
                future.call_method1(intern!(py, "set_result"), (this.list.bind(py),))?;
            }
            Err(e) => {
                future.call_method1(intern!(py, "set_exception"), (e.into_value(py),))?;
            }
        }
        Ok(())
    }
}

/// Test hook: rows decoded from JSON exports so far in this process.
#[pyfunction]
#[pyo3(name = "__rows_decoded")]
pub fn rows_decoded(py: Python<'_>) -> PyResult<u64> {
    crate::errors::guard(py, "__rows_decoded", || Ok(ROWS_DECODED.load(Ordering::Relaxed)))
}

/// The keyword among `names` that `given` most likely meant (the core's rule,
/// the same as for API arguments).
#[pyfunction]
pub fn closest_name(py: Python<'_>, given: &str, names: Vec<String>) -> PyResult<Option<String>> {
    crate::errors::guard(py, "closest_name", || {
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        Ok(lasso_ai::__bindings::closest_name(given, &names).map(str::to_owned))
    })
}

/// The progress bar's line for a status and a progress (the core's renderer).
#[pyfunction]
pub fn progress_line(py: Python<'_>, status: &str, progress: Option<f64>) -> PyResult<String> {
    crate::errors::guard(py, "progress_line", || {
        Ok(lasso_ai::__bindings::progress::bar_line(status, progress))
    })
}
