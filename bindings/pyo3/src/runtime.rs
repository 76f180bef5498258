//! One tokio runtime per process, rebuilt in a forked child (whose copy of
//! the parent's runtime has no threads), the blocking bridge every sync call
//! goes through, and the asyncio bridge every async call goes through.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::FutureExt;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use tokio::runtime::Runtime;
use tokio::task::AbortHandle;

use crate::errors::to_pyerr;
use crate::fork::ProcessLocal;

/// Locked only with the GIL held, so never held by another thread at a fork().
static RUNTIME: Mutex<Option<ProcessLocal<Arc<Runtime>>>> = Mutex::new(None);

/// Set by the `atexit` hook: from then on no thread of ours (nor a log
/// record) takes the GIL. (A thread that takes it while the interpreter
/// finalizes is terminated with `pthread_exit`, which cannot unwind through
/// Rust frames and aborts the process, or, once the thread states are
/// deleted, crashes it.)
static CLOSING: AtomicBool = AtomicBool::new(false);
/// Threads of ours and log records holding or about to take the GIL.
static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);

/// Registered with `atexit` when the module is imported: stops our threads
/// and the logging bridge from taking the GIL and waits (GIL released, at
/// most 2 s) for those already doing so.
#[pyfunction]
pub fn _shutdown(py: Python<'_>) -> PyResult<()> {
    crate::errors::guard(py, "_shutdown", || {
        CLOSING.store(true, Ordering::SeqCst);
        py.detach(|| {
            let deadline = Instant::now() + Duration::from_secs(2);
            while IN_FLIGHT.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(1));
            }
        });
        Ok(())
    })
}

/// Runs `f` with the GIL on a runtime thread, unless the interpreter is shutting down.
fn attach_unless_closing(f: impl FnOnce(Python<'_>)) {
    if let Some(_entered) = Entered::new() {
        Python::try_attach(f);
    }
}

/// Whether the interpreter is shutting down (`_shutdown` ran): no thread of
/// ours may take the GIL any more.
pub fn closing() -> bool {
    CLOSING.load(Ordering::SeqCst)
}

/// A thread of ours counted in `IN_FLIGHT` while it holds or is about to
/// take the GIL, so that `_shutdown` waits for it; `None` once shutting down.
pub(crate) struct Entered(());

impl Entered {
    pub(crate) fn new() -> Option<Entered> {
        if closing() {
            return None;
        }
        IN_FLIGHT.fetch_add(1, Ordering::SeqCst);
        let entered = Entered(());
        // Checked again after counting ourselves in, so `_shutdown` either
        // sees us or we see its flag.
        (!closing()).then_some(entered)
    }
}

impl Drop for Entered {
    fn drop(&mut self) {
        IN_FLIGHT.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Work that needs the GIL, handed to this process's `lasso-gil` thread.
type Job = Box<dyn FnOnce(Python<'_>) + Send>;

/// The `lasso-gil` thread of this process. Locked only with the GIL held, so
/// never held by another thread at a fork().
static GIL_THREAD: Mutex<Option<ProcessLocal<GilThread>>> = Mutex::new(None);

/// One thread of ours runs, in order, everything the I/O threads need done
/// with the GIL (completing asyncio futures, progress callbacks). It keeps one
/// Python thread state for its whole life: a thread state made and deleted
/// per job takes CPython's runtime lock each time, and a fork() landing while
/// another thread holds that lock deadlocks the child inside CPython.
#[derive(Clone)]
pub struct GilThread(std::sync::mpsc::Sender<Job>);

impl GilThread {
    /// Starts a thread of ours, named `name`, that runs the jobs given to
    /// [`GilThread::run`] in order with the GIL, keeping one Python thread
    /// state for its whole life. It ends once every handle to it is dropped.
    ///
    /// Taking the GIL (to make its thread state, to run a job, to delete the
    /// thread state at the end) is counted in `IN_FLIGHT` like
    /// [`attach_unless_closing`]: once the interpreter shuts down the thread
    /// never takes it again (it parks instead of ending).
    pub fn spawn(name: &str) -> PyResult<GilThread> {
        let (sender, jobs) = std::sync::mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                let Some(entered) = Entered::new() else { return };
                let mut leaving = None;
                // Attached once, then detached between jobs: each job
                // re-attaches with the same thread state.
                let leaving_slot = &mut leaving;
                Python::try_attach(move |py| {
                    py.detach(move || {
                        drop(entered);
                        while let Ok(job) = jobs.recv() {
                            attach_unless_closing(job);
                        }
                        // Leaving re-attaches, to delete the thread state.
                        match Entered::new() {
                            Some(e) => *leaving_slot = Some(e),
                            None => loop {
                                std::thread::park();
                            },
                        }
                    })
                });
                drop(leaving);
            })
            .map_err(|e| {
                pyo3::exceptions::PyRuntimeError::new_err(format!("cannot start a Lasso thread: {e}"))
            })?;
        Ok(GilThread(sender))
    }

    /// Runs `job` with the GIL on this thread, after the jobs given before,
    /// unless the interpreter is shutting down (nobody is waiting then).
    pub fn run(&self, job: impl FnOnce(Python<'_>) + Send + 'static) {
        // Fails only if the thread is gone, i.e. the interpreter is exiting.
        let _ = self.0.send(Box::new(job));
    }
}

/// This process's `lasso-gil` thread, started on first use.
pub fn gil_thread() -> PyResult<GilThread> {
    let mut slot = GIL_THREAD.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(thread) = slot.as_ref().filter(|t| t.is_current()) {
        return Ok(thread.get().clone());
    }
    let thread = GilThread::spawn("lasso-gil")?;
    *slot = Some(ProcessLocal::new(thread.clone()));
    Ok(thread)
}

/// How often a blocked call wakes up to let Python handle Ctrl-C.
const SIGNAL_CHECK: Duration = Duration::from_millis(20);

/// The runtime of this process.
pub fn get() -> PyResult<Arc<Runtime>> {
    let mut slot = RUNTIME.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(rt) = slot.as_ref().filter(|rt| rt.is_current()) {
        return Ok(rt.get().clone());
    }
    // None yet, or inherited through fork() (its workers do not exist here;
    // replacing it leaks it, see `fork`).
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("lasso-io")
        .enable_all()
        .build()
        .map_err(|e| {
            pyo3::exceptions::PyRuntimeError::new_err(format!("cannot start the Lasso I/O runtime: {e}"))
        })?;
    let rt = Arc::new(rt);
    *slot = Some(ProcessLocal::new(rt.clone()));
    Ok(rt)
}

/// Runs `fut` to completion on the I/O runtime while this thread waits with
/// the GIL released; a panic inside it is raised as `LassoError`. Every few
/// milliseconds the wait briefly takes the GIL to run Python's signal
/// handlers, so Ctrl-C raises `KeyboardInterrupt` promptly; the task (and its
/// request) is then dropped.
///
/// The future runs on the runtime's own threads, next to the connections it
/// uses, so a call crosses threads twice (there and back) instead of at every
/// step of the exchange, as it would if this thread polled it.
pub fn block_on<F>(py: Python<'_>, fut: F) -> PyResult<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let rt = get()?;
    let (done, outcome) = std::sync::mpsc::sync_channel(1);
    let task = rt.spawn(async move {
        let _ = done.send(AssertUnwindSafe(fut).catch_unwind().await);
    });
    let mut outcome = outcome;
    let outcome = loop {
        match recv_detached(py, &mut outcome) {
            Ok(outcome) => break outcome,
            Err(RecvTimeoutError::Timeout) => {
                if let Err(interrupt) = py.check_signals() {
                    task.abort();
                    return Err(interrupt);
                }
            }
            Err(RecvTimeoutError::Disconnected) => return Err(runtime_stopped()),
        }
    };
    // A panic in the core becomes `LassoError` (`internal_sdk_error`), as in
    // `spawn_awaitable`, instead of pyo3's `PanicException` (a BaseException).
    outcome.map_err(|panic| {
        to_pyerr(
            py,
            &<lasso_ai::Error as lasso_ai::__bindings::ErrorExt>::from_panic(&*panic),
        )
    })
}

/// Like [`block_on`], polling `fut` on this thread: the result of a task
/// already running on the runtime (a page fetched ahead) then wakes this
/// thread directly.
///
/// A thread already inside the runtime cannot enter it again (tokio panics),
/// so from there (Python code run on an I/O thread, such as a logging
/// handler, that iterates) this is [`block_on`].
pub fn block_on_here<F>(py: Python<'_>, fut: F) -> PyResult<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    if tokio::runtime::Handle::try_current().is_ok() {
        return block_on(py, fut);
    }
    let rt = get()?;
    let mut fut = Box::pin(AssertUnwindSafe(fut).catch_unwind());
    // Polled in slices of `SIGNAL_CHECK`, taking the GIL back in between as
    // `recv_detached` does.
    let outcome = loop {
        // The timer is made inside `block_on`: it needs the runtime's context.
        match py.detach(|| rt.block_on(async { tokio::time::timeout(SIGNAL_CHECK, &mut fut).await })) {
            Ok(outcome) => break outcome,
            Err(_elapsed) => py.check_signals()?,
        }
    };
    outcome.map_err(|panic| {
        to_pyerr(
            py,
            &<lasso_ai::Error as lasso_ai::__bindings::ErrorExt>::from_panic(&*panic),
        )
    })
}

/// Waits up to [`SIGNAL_CHECK`] for `rx` with the GIL released.
///
/// Every wait of a caller's thread takes the GIL back by leaving `detach`
/// (`PyEval_RestoreThread`, with the thread's own state), never by attaching
/// anew from inside it (`PyGILState_Ensure`): the thread may be a daemon
/// thread still waiting while the interpreter finalizes, and once
/// finalization has deleted the thread states, `PyGILState_Ensure` crashes
/// the process, whereas restoring parks the thread (pyo3) and exit goes on.
fn recv_detached<T: Send>(py: Python<'_>, rx: &mut Receiver<T>) -> Result<T, RecvTimeoutError> {
    py.detach(move || rx.recv_timeout(SIGNAL_CHECK))
}

fn runtime_stopped() -> PyErr {
    pyo3::exceptions::PyRuntimeError::new_err("the Lasso I/O runtime stopped")
}

/// What the runtime sends the thread waiting in [`block_on_serving`].
enum ToCaller {
    /// Run this with the GIL, on the waiting thread.
    Run(Job),
    /// The future finished.
    Done,
}

/// The queue of a call waiting in [`block_on_serving`]: the future sends
/// work for the caller's thread through [`CallerQueue::jobs`].
pub struct CallerQueue {
    sender: std::sync::mpsc::Sender<ToCaller>,
    jobs: std::sync::mpsc::Receiver<ToCaller>,
}

impl CallerQueue {
    pub fn new() -> CallerQueue {
        let (sender, jobs) = std::sync::mpsc::channel();
        CallerQueue { sender, jobs }
    }

    /// Where the future sends work for the caller's thread.
    pub fn jobs(&self) -> CallerJobs {
        CallerJobs(self.sender.clone())
    }
}

/// Sends work to the thread waiting in [`block_on_serving`].
#[derive(Clone)]
pub struct CallerJobs(std::sync::mpsc::Sender<ToCaller>);

impl CallerJobs {
    /// Runs `job` with the GIL on the caller's thread, after the jobs sent
    /// before and before the result (dropped if the caller stopped waiting).
    pub fn run(&self, job: impl FnOnce(Python<'_>) + Send + 'static) {
        let _ = self.0.send(ToCaller::Run(Box::new(job)));
    }
}

/// Like [`block_on`] (the future runs on the I/O runtime), while this thread
/// runs, with the GIL, the jobs the future sends through `queue` (progress
/// callbacks), in order and before the result. This thread is not inside the
/// runtime then, so a callback can make any blocking call of the SDK (a
/// nested wait, an iterator).
pub fn block_on_serving<F>(py: Python<'_>, queue: CallerQueue, fut: F) -> PyResult<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let rt = get()?;
    let CallerQueue { sender, jobs } = queue;
    let outcome = Arc::new(Mutex::new(None));
    let task = rt.spawn({
        let outcome = outcome.clone();
        async move {
            let out = AssertUnwindSafe(fut).catch_unwind().await;
            *outcome.lock().unwrap_or_else(|p| p.into_inner()) = Some(out);
            let _ = sender.send(ToCaller::Done);
        }
    });
    let mut jobs = jobs;
    loop {
        match recv_detached(py, &mut jobs) {
            Ok(ToCaller::Run(job)) => job(py),
            Ok(ToCaller::Done) => break,
            Err(RecvTimeoutError::Timeout) => {
                if let Err(interrupt) = py.check_signals() {
                    task.abort();
                    return Err(interrupt);
                }
            }
            Err(RecvTimeoutError::Disconnected) => return Err(runtime_stopped()),
        }
    }
    let outcome = outcome.lock().unwrap_or_else(|p| p.into_inner()).take();
    match outcome {
        Some(Ok(value)) => Ok(value),
        Some(Err(panic)) => Err(to_pyerr(
            py,
            &<lasso_ai::Error as lasso_ai::__bindings::ErrorExt>::from_panic(&*panic),
        )),
        None => Err(runtime_stopped()),
    }
}

/// `asyncio.get_running_loop`, looked up once.
static GET_RUNNING_LOOP: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The running asyncio event loop. Without one, asyncio's `RuntimeError`,
/// or, inside trio, one that says the async client needs asyncio.
pub fn running_loop(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    let get_running_loop = GET_RUNNING_LOOP.get_or_try_init(py, || {
        PyResult::Ok(py.import("asyncio")?.getattr("get_running_loop")?.unbind())
    })?;
    get_running_loop.bind(py).call0().map_err(|no_loop| {
        if in_trio(py) {
            pyo3::exceptions::PyRuntimeError::new_err(
                "AsyncLassoClient runs on asyncio and this is trio: run it under asyncio (anyio's \
                 asyncio backend works), or call the blocking LassoClient from trio with \
                 trio.to_thread.run_sync",
            )
        } else {
            no_loop
        }
    })
}

/// Whether this thread runs trio (only asked when there is no asyncio loop).
fn in_trio(py: Python<'_>) -> bool {
    let Ok(modules) = py.import("sys").and_then(|sys| sys.getattr("modules")) else {
        return false;
    };
    let Ok(Some(trio)) = modules
        .call_method1("get", ("trio",))
        .map(|t| (!t.is_none()).then_some(t))
    else {
        return false;
    };
    trio.getattr("lowlevel")
        .and_then(|lowlevel| lowlevel.call_method0("current_trio_token"))
        .is_ok()
}

/// Starts `fut` on this process's runtime and returns an `asyncio.Future` of
/// the running event loop that it completes, with `convert(value)` or the
/// error's exception class (a panic becomes `internal_sdk_error`).
///
/// Nothing is bound to a loop beyond this one future, so clients work across
/// any number of `asyncio.run()` calls. Cancelling the future (directly, by
/// cancelling the awaiting task, or by `asyncio.wait_for`) aborts the tokio
/// task, which drops the request. Must be called on the loop's thread (it
/// raises `RuntimeError` when no loop is running, like `asyncio` itself).
pub fn spawn_awaitable<'py, F, T, C>(py: Python<'py>, fut: F, convert: C) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = Result<T, lasso_ai::Error>> + Send + 'static,
    T: Send + 'static,
    C: for<'a> FnOnce(Python<'a>, T) -> PyResult<Bound<'a, PyAny>> + Send + 'static,
{
    spawn_finished_on_loop(py, fut, move |py, value, future| {
        let value = convert(py, value)?.unbind();
        Ok(Py::new(
            py,
            Resolve {
                future,
                ok: true,
                value,
            },
        )?
        .into_bound(py)
        .into_any())
    })
}

/// Like [`spawn_awaitable`], but the value is finished on the loop's thread:
/// `finish(value, future)` gives the callable the loop runs, which must
/// settle `future`. A value too large to convert in one go is converted
/// there in slices, each a callback of its own, so the loop's other tasks run
/// between them (handing the GIL to the loop's thread from another thread is
/// up to the OS scheduler, and mostly fails).
pub fn spawn_finished_on_loop<'py, F, T, C>(py: Python<'py>, fut: F, finish: C) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = Result<T, lasso_ai::Error>> + Send + 'static,
    T: Send + 'static,
    C: for<'a> FnOnce(Python<'a>, T, Py<PyAny>) -> PyResult<Bound<'a, PyAny>> + Send + 'static,
{
    let event_loop = running_loop(py)?;
    let py_fut = event_loop.call_method0(intern!(py, "create_future"))?;
    let rt = get()?;
    let gil = gil_thread()?;
    let target = Completion {
        event_loop: event_loop.unbind(),
        future: py_fut.clone().unbind(),
    };
    let task = rt.spawn(async move {
        let outcome = match AssertUnwindSafe(fut).catch_unwind().await {
            Ok(outcome) => outcome,
            Err(panic) => Err(<lasso_ai::Error as lasso_ai::__bindings::ErrorExt>::from_panic(
                &*panic,
            )),
        };
        // Not on this I/O worker: waiting for the GIL here would stall every
        // other request in flight.
        gil.run(move |py| target.complete(py, outcome, finish));
    });
    py_fut.call_method1(
        intern!(py, "add_done_callback"),
        (AbortOnDone {
            task: task.abort_handle(),
        },),
    )?;
    Ok(py_fut)
}

/// Where a result goes: an `asyncio.Future` and the loop it belongs to.
struct Completion {
    event_loop: Py<PyAny>,
    future: Py<PyAny>,
}

impl Completion {
    /// Prepares the outcome under the GIL and hands it to the loop's thread
    /// (futures are not thread-safe), unless the future was cancelled.
    fn complete<T, C>(self, py: Python<'_>, outcome: Result<T, lasso_ai::Error>, finish: C)
    where
        C: for<'a> FnOnce(Python<'a>, T, Py<PyAny>) -> PyResult<Bound<'a, PyAny>>,
    {
        if is_done(self.future.bind(py)) {
            return;
        }
        let future = self.future.clone_ref(py);
        let callback = outcome
            .map_err(|e| to_pyerr(py, &e))
            .and_then(|v| finish(py, v, future))
            .or_else(|err| {
                let failed = Resolve {
                    future: self.future,
                    ok: false,
                    value: err.into_value(py).into_any(),
                };
                Py::new(py, failed).map(|f| f.into_bound(py).into_any())
            });
        // Fails only when the loop is closed: then no one awaits the future,
        // and raising here (on a runtime thread) would help no one.
        if let Ok(callback) = callback {
            let _ = self
                .event_loop
                .bind(py)
                .call_method1(intern!(py, "call_soon_threadsafe"), (callback,));
        }
    }
}

/// Whether an `asyncio.Future` is settled (or cannot be asked).
pub fn is_done(future: &Bound<'_, PyAny>) -> bool {
    future
        .call_method0(intern!(future.py(), "done"))
        .and_then(|d| d.is_truthy())
        .unwrap_or(true)
}

/// Run by the event loop: sets the future's result or exception if it is
/// still pending (it may have been cancelled after the value was ready).
#[pyclass(frozen, module = "lasso._native")]
struct Resolve {
    future: Py<PyAny>,
    ok: bool,
    value: Py<PyAny>,
}

#[pymethods]
impl Resolve {
    fn __call__(&self, py: Python<'_>) -> PyResult<()> {
        let future = self.future.bind(py);
        let resolved = crate::errors::guard(py, "Resolve.__call__", || {
            if is_done(future) {
                return Ok(());
            }
            let method = if self.ok {
                intern!(py, "set_result")
            } else {
                intern!(py, "set_exception")
            };
            future.call_method1(method, (self.value.bind(py),))?;
            Ok(())
        });
        match resolved {
            // The task awaiting the future hears of a failure here (a panic
            // made `LassoError`) rather than waiting forever.
            Err(e) if !is_done(future) => {
                future.call_method1(intern!(py, "set_exception"), (e.into_value(py),))?;
                Ok(())
            }
            other => other,
        }
    }
}

/// Done-callback of every async call's future: once the future is done
/// (resolved, or cancelled by its caller) the task has nothing left to do, so
/// it is aborted; for a cancellation that drops the request in flight.
#[pyclass(frozen, module = "lasso._native")]
struct AbortOnDone {
    task: AbortHandle,
}

#[pymethods]
impl AbortOnDone {
    fn __call__(&self, py: Python<'_>, _future: &Bound<'_, PyAny>) -> PyResult<()> {
        crate::errors::guard(py, "AbortOnDone.__call__", || {
            self.task.abort();
            Ok(())
        })
    }
}
