//! A table's rows as Arrow record batches from the core, handed to Python
//! through the Arrow PyCapsule interface (`__arrow_c_stream__`): pyarrow,
//! polars and DuckDB import the batches without a copy.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::{RecordBatch, RecordBatchReader};
use arrow_schema::ffi::FFI_ArrowSchema;
use arrow_schema::{ArrowError, SchemaRef};
use lasso_ai::__bindings::ErrorExt;
use lasso_ai::{Error, TableBatches};
use pyo3::prelude::*;
use pyo3::types::PyCapsule;

use crate::client::NativeClient;
use crate::errors::to_pyerr;
use crate::options;
use crate::runtime;

/// What is left of one table's batches.
struct State {
    /// Read ahead by `read_all`, not yet exported.
    buffered: VecDeque<RecordBatch>,
    /// The rest, still to fetch (`None` once the table is read or failed).
    rest: Option<TableBatches>,
    /// Why the stream stopped early, for the front door to raise typed.
    error: Option<Error>,
    /// The process that opened it: its page downloads run on that process's runtime.
    pid: u32,
}

/// The error for a stream read in a process forked after it was opened.
fn forked() -> Error {
    Error::configuration_error(
        "this Arrow stream was opened before fork(); its pages belong to the parent process. \
                  Call tables.to_arrow again in the child",
    )
}

impl State {
    /// The next batch, fetched (blocking this thread) when none is buffered.
    fn next(&mut self) -> Option<Result<RecordBatch, Error>> {
        if let Some(batch) = self.buffered.pop_front() {
            return Some(Ok(batch));
        }
        let rest = self.rest.as_mut()?;
        let outcome = if self.pid != std::process::id() {
            Err(forked())
        } else if tokio::runtime::Handle::try_current().is_ok() {
            Err(Error::configuration_error(
                "an Arrow stream of a table cannot be read on the SDK's own I/O threads",
            ))
        } else {
            match runtime::get() {
                Ok(rt) => rt.block_on(rest.next_batch()),
                Err(e) => Err(Error::internal_error(e.to_string())),
            }
        };
        match outcome {
            Ok(Some(batch)) => Some(Ok(batch)),
            Ok(None) => {
                self.rest = None;
                None
            }
            Err(e) => {
                self.rest = None;
                let message = e.to_string();
                self.error = Some(e);
                Some(Err(Error::internal_error(message)))
            }
        }
    }
}

/// A table's rows as Arrow record batches (`lasso._native.NativeTableBatches`).
#[pyclass(module = "lasso._native", frozen)]
pub struct NativeTableBatches {
    schema: SchemaRef,
    state: Arc<Mutex<State>>,
}

impl NativeTableBatches {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The batches left in `state`, as a `RecordBatchReader` for the C stream.
struct Reader {
    schema: SchemaRef,
    state: Arc<Mutex<State>>,
}

impl Iterator for Reader {
    type Item = Result<RecordBatch, ArrowError>;

    fn next(&mut self) -> Option<Self::Item> {
        // Called by the consumer through the C stream: a panic must not unwind
        // across it, so it ends the stream as an error instead.
        let next = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
            state.next()
        }));
        let next = match next {
            Ok(next) => next,
            Err(panic) => {
                let e = <Error as ErrorExt>::from_panic(&*panic);
                let message = e.to_string();
                let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
                state.rest = None;
                state.error = Some(e);
                Some(Err(Error::internal_error(message)))
            }
        };
        next.map(|r| r.map_err(|e| ArrowError::ExternalError(Box::new(e))))
    }
}

impl RecordBatchReader for Reader {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }
}

#[pymethods]
impl NativeTableBatches {
    /// Fetches and decodes every remaining batch now (blocking with the GIL
    /// released, or awaitable), so that exporting them only moves pointers.
    /// Raises the typed `LassoError` of a failed page.
    #[pyo3(signature = (*, asynchronous=false))]
    fn read_all<'py>(&self, py: Python<'py>, asynchronous: bool) -> PyResult<Bound<'py, PyAny>> {
        crate::errors::guard(py, "NativeTableBatches.read_all", || {
            let mut state = self.lock();
            if state.rest.is_some() && state.pid != std::process::id() {
                return Err(to_pyerr(py, &forked()));
            }
            let rest = state.rest.take();
            drop(state);
            let state = self.state.clone();
            let read = async move {
                let Some(rest) = rest else { return Ok(()) };
                match rest.collect().await {
                    Ok(batches) => {
                        state
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .buffered
                            .extend(batches);
                        Ok(())
                    }
                    Err(e) => Err(e),
                }
            };
            if asynchronous {
                return runtime::spawn_awaitable(py, read, |py, ()| Ok(py.None().into_bound(py)));
            }
            match runtime::block_on(py, read)? {
                Ok(()) => Ok(py.None().into_bound(py)),
                Err(e) => Err(to_pyerr(py, &e)),
            }
        })
    }

    /// The Arrow schema, as a PyCapsule (`__arrow_c_schema__`).
    fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
        crate::errors::guard(py, "NativeTableBatches.__arrow_c_schema__", || {
            let schema = FFI_ArrowSchema::try_from(self.schema.as_ref())
                .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
            PyCapsule::new_with_value(py, schema, c"arrow_schema")
        })
    }

    /// The batches not yet read, as an Arrow C stream in a PyCapsule. The
    /// requested schema is not applied (the protocol lets a producer ignore it).
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        crate::errors::guard(py, "NativeTableBatches.__arrow_c_stream__", || {
            let reader = Reader {
                schema: self.schema.clone(),
                state: self.state.clone(),
            };
            let stream = FFI_ArrowArrayStream::new(Box::new(reader));
            PyCapsule::new_with_value(py, stream, c"arrow_array_stream")
        })
    }

    /// The error that stopped the stream early, as its `LassoError`, once.
    fn take_error(&self, py: Python<'_>) -> PyResult<Option<PyErr>> {
        crate::errors::guard(py, "NativeTableBatches.take_error", || {
            Ok(self.lock().error.take().map(|e| to_pyerr(py, &e)))
        })
    }

    /// Column names, in order.
    #[getter]
    fn column_names(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        crate::errors::guard(py, "NativeTableBatches.column_names", || {
            Ok(self.schema.fields().iter().map(|f| f.name().clone()).collect())
        })
    }
}

/// Opens a table's batches: its columns and first page are requested at once.
#[pyfunction]
#[pyo3(signature = (client, table_id, *, timeout=None, max_retries=None, extra_headers=None, extra_query=None, asynchronous=false))]
#[allow(clippy::too_many_arguments)]
pub fn open_table_batches<'py>(
    py: Python<'py>,
    client: &NativeClient,
    table_id: String,
    timeout: Option<&Bound<'py, PyAny>>,
    max_retries: Option<&Bound<'py, PyAny>>,
    extra_headers: Option<&Bound<'py, PyAny>>,
    extra_query: Option<&Bound<'py, PyAny>>,
    asynchronous: bool,
) -> PyResult<Bound<'py, PyAny>> {
    crate::errors::guard(py, "open_table_batches", || {
        let opts = options::request_options(py, timeout, max_retries, extra_headers, extra_query, None)?;
        let client = client.client(py)?;
        let open = async move { client.table_batches(&table_id, opts).await };
        if asynchronous {
            return runtime::spawn_awaitable(py, open, wrap);
        }
        match runtime::block_on(py, open)? {
            Ok(batches) => wrap(py, batches),
            Err(e) => Err(to_pyerr(py, &e)),
        }
    })
}

fn wrap(py: Python<'_>, batches: TableBatches) -> PyResult<Bound<'_, PyAny>> {
    let native = NativeTableBatches {
        schema: batches.schema(),
        state: Arc::new(Mutex::new(State {
            rest: Some(batches),
            buffered: Default::default(),
            error: None,
            pid: std::process::id(),
        })),
    };
    Ok(Bound::new(py, native)?.into_any())
}
