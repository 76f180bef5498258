//! `lasso-mock`: a local emulator of the Lasso product-data API.
//!
//! It speaks the documented wire format (Bearer `lasso_…` auth, the standard error
//! envelope, company-scoped resources) so SDK tests in every language can run offline
//! against real HTTP on loopback. A control API under `/__mock` lets tests inject faults
//! and prove how often an operation actually executed.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let server = lasso_mock::MockServer::start(lasso_mock::MockConfig::default()).await?;
//! println!("base URL for the SDK: {}", server.url());
//! server.shutdown().await;
//! # Ok(()) }
//! ```

mod accepted;
mod app;
mod auth;
mod bounded;
mod catalog_state;
mod clock;
mod conn;
mod control;
mod errors;
mod extraction;
mod faults;
mod gate;
mod hash;
mod input;
mod journal;
mod model;
mod operation;
mod pagination;
mod routes;
mod state;
mod stats;
mod webhook;

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use auth::REVOKED_KEY;

/// Path prefix of the emulated API, as in the real base URL.
pub const API_PREFIX: &str = "/api/v1";

/// How long a shutdown waits for in-flight requests (e.g. a delayed fault) before
/// dropping them, so a test's teardown can never hang.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

fn origin(addr: SocketAddr) -> String {
    format!("http://{addr}")
}

fn api_url(addr: SocketAddr) -> String {
    format!("http://{addr}{API_PREFIX}")
}

/// Settings of one emulator instance.
#[derive(Clone, Debug, PartialEq)]
pub struct MockConfig {
    /// TCP port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Seed for the deterministic ids of resources the emulator creates.
    pub seed: u64,
    /// Credit balance every company starts with.
    pub initial_balance: f64,
    /// Multiplies every emulated duration: table extraction (1.2 s at 1.0), enhancement
    /// cells and webhook retry delays. 0 makes jobs finish at once.
    pub time_scale: f64,
    /// With `Some`, only these keys are accepted, each mapped to a company name
    /// (keys mapped to the same name share that company's data); any other
    /// well-formed key gets `401`. With `None`, every well-formed key is its own company.
    pub keys: Option<std::collections::HashMap<String, String>>,
}

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            port: 0,
            seed: 42,
            initial_balance: 1000.0,
            time_scale: 1.0,
            keys: None,
        }
    }
}

/// A running emulator on the caller's tokio runtime. Dropping it stops the server.
pub struct MockServer {
    addr: SocketAddr,
    state: app::AppState,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<io::Result<()>>>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// Binds 127.0.0.1:`config.port` and starts serving in a spawned task.
    pub async fn start(config: MockConfig) -> io::Result<MockServer> {
        if let Some(keys) = &config.keys {
            auth::key_table(keys).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        }
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, config.port)).await?;
        let addr = listener.local_addr()?;
        // Each connection is wrapped so that fault injection can reset it.
        let listener = conn::KillableListener(listener);
        let state = app::AppState::new(config);
        let make_service = conn::MakeConnService {
            router: app::router(state.clone()),
            state: state.clone(),
        };
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, make_service)
                .with_graceful_shutdown(async {
                    // Either an explicit stop or the sender being dropped ends the server.
                    let _ = stopped.await;
                })
                .await
        });
        Ok(MockServer {
            addr,
            state,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// Queues faults as `POST /__mock/faults` would, from a spec: one fault object, a
    /// JSON array of them, or `{"faults": [...]}`. Returns how many were queued; on an
    /// error nothing is queued.
    pub fn add_faults(&self, spec: &str) -> Result<usize, String> {
        let faults = faults::parse_spec(spec)?;
        let count = faults.len();
        for fault in faults {
            self.state.faults.push(fault);
        }
        Ok(count)
    }

    /// Adds global random faults: each API request fails with `probability` (0–1),
    /// drawn evenly from 429 (`Retry-After: 0`), 500, 502 (HTML), 503 and a connection
    /// reset before the response; `seed` makes the draws reproducible.
    pub fn add_random_faults(&self, probability: f64, seed: u64) {
        for fault in faults::random_mix(probability.clamp(0.0, 1.0), seed) {
            self.state.faults.push(fault);
        }
    }

    /// Base URL of the emulated API, e.g. `http://127.0.0.1:41234/api/v1`.
    pub fn url(&self) -> String {
        api_url(self.addr)
    }

    /// Origin without the API prefix, e.g. `http://127.0.0.1:41234` (the control API
    /// lives at `{base}/__mock`).
    pub fn base(&self) -> String {
        origin(self.addr)
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Stops accepting connections and waits (bounded) for in-flight requests.
    pub async fn shutdown(mut self) {
        self.state.faults.close();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take() {
            if tokio::time::timeout(SHUTDOWN_GRACE, &mut task).await.is_err() {
                task.abort();
            }
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        // Can't await here: signal the graceful shutdown and let the task finish alone.
        self.state.faults.close();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// An emulator running on its own thread and tokio runtime; for tests without async.
/// Dropping it stops the server and joins the thread (do not drop it inside an async
/// task: joining blocks).
#[derive(Debug)]
pub struct MockHandle {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl MockHandle {
    /// Base URL of the emulated API, e.g. `http://127.0.0.1:41234/api/v1`.
    pub fn url(&self) -> String {
        api_url(self.addr)
    }

    /// Origin without the API prefix, e.g. `http://127.0.0.1:41234`.
    pub fn base(&self) -> String {
        origin(self.addr)
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Stops the server and waits for its thread.
    pub fn shutdown(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for MockHandle {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

/// Starts an emulator on a dedicated thread with its own runtime and returns once it
/// is listening.
pub fn start_blocking(config: MockConfig) -> io::Result<MockHandle> {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<io::Result<SocketAddr>>();
    let (stop, stopped) = oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("lasso-mock".into())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("lasso-mock-worker")
                .enable_all()
                .build();
            let runtime = match runtime {
                Ok(runtime) => runtime,
                Err(err) => {
                    let _ = ready_tx.send(Err(err));
                    return;
                }
            };
            runtime.block_on(async move {
                let server = match MockServer::start(config).await {
                    Ok(server) => server,
                    Err(err) => {
                        let _ = ready_tx.send(Err(err));
                        return;
                    }
                };
                let _ = ready_tx.send(Ok(server.addr));
                let _ = stopped.await;
                server.shutdown().await;
            });
        })?;
    match ready_rx.recv() {
        Ok(Ok(addr)) => Ok(MockHandle {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        }),
        Ok(Err(err)) => {
            let _ = thread.join();
            Err(err)
        }
        Err(_) => {
            let _ = thread.join();
            Err(io::Error::other("lasso-mock thread exited before listening"))
        }
    }
}
