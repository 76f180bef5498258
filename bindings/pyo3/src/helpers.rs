//! The core's helpers that are not plain calls: pagination, waiting for a
//! table, uploads and exports. Each runs blocking (GIL released) or, with
//! `asynchronous=True`, as an `asyncio.Future` on the same runtime.

use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use lasso_ai::__bindings::{duration_from_secs, ClientExt, ErrorExt, Pager, RawPage};
use lasso_ai::{Error, Progress, UploadSource};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};
use serde_json::Value;

use crate::client::{request, NativeClient};
use crate::convert::{to_py, JsonDecoder};
use crate::errors::to_pyerr;
use crate::file_source::FileSource;
use crate::fork::ProcessLocal;
use crate::runtime;

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
#[pyo3(signature = (client, operation, args=None, *, timeout=None, max_retries=None))]
pub fn open_pager(
    py: Python<'_>,
    client: &NativeClient,
    operation: &str,
    args: Option<&Bound<'_, PyAny>>,
    timeout: Option<f64>,
    max_retries: Option<u32>,
) -> PyResult<NativePager> {
    crate::errors::guard(py, "open_pager", || {
        let (args, opts) = request(py, args, timeout, max_retries)?;
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

/// Waits for a table to finish extracting; `on_progress(status, progress)`
/// hears each change. An exception raised by the callback stops the wait and
/// propagates.
#[pyfunction]
#[pyo3(signature = (client, table_id, interval, timeout, on_progress=None, *, asynchronous=false))]
pub fn wait_for_table<'py>(
    py: Python<'py>,
    client: &NativeClient,
    table_id: String,
    interval: f64,
    timeout: f64,
    on_progress: Option<Py<PyAny>>,
    asynchronous: bool,
) -> PyResult<Bound<'py, PyAny>> {
    crate::errors::guard(py, "wait_for_table", || {
        let err = |e: Error| to_pyerr(py, &e);
        let interval = duration_from_secs("interval", interval).map_err(err)?;
        let timeout = duration_from_secs("timeout", timeout).map_err(err)?;
        let client = client.client(py)?;
        let failure: Arc<Mutex<Option<PyErr>>> = Arc::default();
        let (stop, stopped) = tokio::sync::watch::channel(false);
        // The wait runs on an I/O thread, which hands each callback to the
        // thread that runs Python for it: blocking, the caller's (waiting for
        // the result with the GIL released); awaited, the `lasso-gil` thread
        // (in order, ahead of the result).
        let caller = (!asynchronous).then(runtime::CallerQueue::new);
        let deliver = match &caller {
            Some(queue) => Deliver::Caller(queue.jobs()),
            None => Deliver::Gil(runtime::gil_thread()?),
        };
        let report = {
            let failure = failure.clone();
            let on_progress = on_progress.map(Arc::new);
            let stop = Arc::new(stop);
            move |p: &Progress| {
                let Some(callback) = &on_progress else { return };
                let (callback, failure, stop) = (callback.clone(), failure.clone(), stop.clone());
                let (status, progress) = (p.status.as_str().to_owned(), p.progress);
                let call = move |py: Python<'_>| {
                    let failed = || failure.lock().unwrap_or_else(|p| p.into_inner());
                    if failed().is_some() {
                        return; // the wait is stopping: no more callbacks
                    }
                    if let Err(e) = callback.call1(py, (status, progress)) {
                        failed().get_or_insert(e);
                        let _ = stop.send(true);
                    }
                };
                match &deliver {
                    Deliver::Gil(gil) => gil.run(call),
                    Deliver::Caller(caller) => caller.run(call),
                }
            }
        };
        let wait = async move {
            let mut stopped = stopped;
            tokio::select! {
                result = client.wait_for_table(&table_id, interval, timeout, report) => result.map(Some),
                _ = stopped.wait_for(|s| *s) => Ok(None),
            }
        };
        match caller {
            None => runtime::spawn_awaitable(py, wait, move |py, table| finish_wait(py, &failure, table)),
            Some(queue) => match runtime::block_on_serving(py, queue, wait)? {
                Ok(table) => finish_wait(py, &failure, table),
                Err(e) => Err(to_pyerr(py, &e)),
            },
        }
    })
}

/// Where progress callbacks run.
enum Deliver {
    /// The `lasso-gil` thread (awaited waits).
    Gil(runtime::GilThread),
    /// The thread blocked in the call (blocking waits).
    Caller(runtime::CallerJobs),
}

/// The waited-for table, unless the progress callback raised (its exception
/// wins, even if the table finished meanwhile).
fn finish_wait<'py>(
    py: Python<'py>,
    failure: &Mutex<Option<PyErr>>,
    table: Option<Value>,
) -> PyResult<Bound<'py, PyAny>> {
    let raised = failure.lock().unwrap_or_else(|p| p.into_inner()).take();
    match (raised, table) {
        (Some(e), _) => Err(e),
        (None, Some(table)) => to_py(py, &table),
        (None, None) => Err(PyTypeError::new_err("the progress callback failed")),
    }
}

/// Uploads a file: `source` is a path (str or os.PathLike, streamed from
/// disk), bytes (then `filename` is required) or a binary file object (read
/// in chunks from its current position, see `file_source`).
#[pyfunction]
#[pyo3(signature = (client, source, *, filename=None, content_type=None, timeout=None, max_retries=None, asynchronous=false))]
#[allow(clippy::too_many_arguments)]
pub fn upload_file<'py>(
    py: Python<'py>,
    client: &NativeClient,
    source: &Bound<'py, PyAny>,
    filename: Option<String>,
    content_type: Option<String>,
    timeout: Option<f64>,
    max_retries: Option<u32>,
    asynchronous: bool,
) -> PyResult<Bound<'py, PyAny>> {
    crate::errors::guard(py, "upload_file", || {
        let (_, opts) = request(py, None, timeout, max_retries)?;
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

/// Exports a table: into memory (`{"content", "content_type", "filename"}`)
/// or, with `path`, streamed to that file (`{"path", "size", "content_type", "filename"}`).
#[pyfunction]
#[pyo3(signature = (client, table_id, format, *, columns=None, path=None, timeout=None, max_retries=None, total_timeout=None, asynchronous=false))]
#[allow(clippy::too_many_arguments)]
pub fn export_table<'py>(
    py: Python<'py>,
    client: &NativeClient,
    table_id: String,
    format: String,
    columns: Option<String>,
    path: Option<PathBuf>,
    timeout: Option<f64>,
    max_retries: Option<u32>,
    total_timeout: Option<f64>,
    asynchronous: bool,
) -> PyResult<Bound<'py, PyAny>> {
    crate::errors::guard(py, "export_table", || {
        let (_, mut opts) = request(py, None, timeout, max_retries)?;
        if let Some(t) = total_timeout {
            opts.total_timeout = Some(duration_from_secs("total_timeout", t).map_err(|e| to_pyerr(py, &e))?);
        }
        let client = client.client(py)?;
        let export = async move {
            match path {
                Some(path) => {
                    let saved = client
                        .export_table_to_path(&table_id, &format, columns.as_deref(), &path, &opts)
                        .await?;
                    Ok(Exported::Saved(saved))
                }
                None => Ok(Exported::Memory(
                    client
                        .export_table(&table_id, &format, columns.as_deref(), &opts)
                        .await?,
                )),
            }
        };
        dispatch(py, asynchronous, export, |py, exported| {
            let out = PyDict::new(py);
            match exported {
                Exported::Memory(d) => {
                    out.set_item("content", PyBytes::new(py, &d.bytes))?;
                    out.set_item("content_type", d.content_type)?;
                    out.set_item("filename", d.filename)?;
                }
                Exported::Saved(s) => {
                    out.set_item("path", s.path)?;
                    out.set_item("size", s.size)?;
                    out.set_item("content_type", s.content_type)?;
                    out.set_item("filename", s.filename)?;
                }
            }
            Ok(out.into_any())
        })
    })
}

enum Exported {
    Memory(lasso_ai::Download),
    Saved(lasso_ai::SavedExport),
}
