//! `NativeClient`: one core client, callable from any Python thread.

use std::sync::{Arc, Mutex};

use lasso_ai::__bindings::{ClientExt, ErrorExt, JsonBody};
use lasso_ai::__bindings::{ClientSettings, ProxyChoice, TimeUnit, MAX_SAFE_INTEGER};
use lasso_ai::{CaBundle, Client, ClientBuilder, RequestOptions};
use pyo3::prelude::*;
use pyo3::types::PyAny;

use crate::convert::{json_to_py, to_json};
use crate::errors::to_pyerr;
use crate::fork::ProcessLocal;
use crate::{options, runtime};

/// The core client behind `lasso.LassoClient` and `lasso.AsyncLassoClient`.
#[pyclass(frozen, module = "lasso._native")]
pub struct NativeClient {
    /// Shared by every client derived with `with_options`: one pool.
    shared: Arc<Shared>,
    /// The options of `with_options`, applied over the shared client's own
    /// settings (after a rebuild in a forked child too).
    options: Option<RequestOptions>,
}

struct Shared {
    builder: ClientBuilder,
    /// This process's client: a forked child builds its own, since the
    /// parent's pooled connections belong to threads that do not exist in
    /// the child. `None` once closed. Locked only with the GIL held, so never
    /// held by another thread at a fork().
    client: Mutex<Option<ProcessLocal<Client>>>,
    base_url: String,
    masked_key: String,
}

#[pymethods]
impl NativeClient {
    #[new]
    #[pyo3(signature = (api_key=None, base_url=None, *, timeout=None, connect_timeout=None, max_retries=None, headers=None, user_agent_suffix=None, allow_nonstandard_key=false, front_door=None, proxy=None, ca_bundle=None, max_connections=None, max_response_bytes=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        api_key: Option<&Bound<'_, PyAny>>,
        base_url: Option<&Bound<'_, PyAny>>,
        timeout: Option<&Bound<'_, PyAny>>,
        connect_timeout: Option<&Bound<'_, PyAny>>,
        max_retries: Option<&Bound<'_, PyAny>>,
        headers: Option<&Bound<'_, PyAny>>,
        user_agent_suffix: Option<&Bound<'_, PyAny>>,
        allow_nonstandard_key: bool,
        front_door: Option<String>,
        proxy: Option<&Bound<'_, PyAny>>,
        ca_bundle: Option<&Bound<'_, PyAny>>,
        max_connections: Option<&Bound<'_, PyAny>>,
        max_response_bytes: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        crate::errors::guard(py, "NativeClient.__new__", || {
            // The logging bridge imports Python's `logging`: installed with the
            // first client rather than at `import lasso`, which stays fast.
            crate::logging::init(py)?;
            let err = |e: lasso_ai::Error| to_pyerr(py, &e);
            // The host types are checked here; values and ranges by the core.
            let proxy = match proxy {
                None => ProxyChoice::FromEnvironment,
                Some(p) if p.is_instance_of::<pyo3::types::PyBool>() && !p.is_truthy()? => ProxyChoice::Off,
                Some(p) => match p.extract::<String>() {
                    Ok(url) => ProxyChoice::Url(url),
                    Err(_) => {
                        return Err(pyo3::exceptions::PyTypeError::new_err(
                            "proxy must be a URL (\"http://host:port\"), False for no proxy, or None to read HTTPS_PROXY",
                        ))
                    }
                },
            };
            // Exact in a float up to 2^53 bytes or connections, which is no limit at all.
            let count =
                |name: &str, value| options::whole(name, value).map(|n| n.map(|n| n.min(MAX_SAFE_INTEGER)));
            let b = ClientSettings {
                api_key: options::text("api_key", api_key)?,
                base_url: options::text("base_url", base_url)?,
                time_unit: TimeUnit::Seconds,
                timeout: options::optional_seconds("timeout", timeout)?,
                connect_timeout: options::optional_seconds("connect_timeout", connect_timeout)?,
                max_retries: options::whole("max_retries", max_retries)?,
                headers: options::string_map("default_headers", headers)?,
                user_agent_suffix: options::text("user_agent_suffix", user_agent_suffix)?,
                allow_nonstandard_key: Some(allow_nonstandard_key),
                front_door,
                proxy,
                ca_bundle: ca_bundle.map(ca_bundle_of).transpose()?,
                max_connections: count("max_connections", max_connections)?,
                max_response_bytes: count("max_response_bytes", max_response_bytes)?,
                logger: None,
                log_level: None,
            }
            .builder()
            .map_err(err)?;
            NativeClient::built(b, None).map_err(err)
        })
    }

    /// A client sharing this one's connection pool, whose calls default to
    /// these options (unset ones keep this client's).
    #[pyo3(signature = (timeout=None, max_retries=None, extra_headers=None, extra_query=None, extra_body=None))]
    fn with_options(
        &self,
        py: Python<'_>,
        timeout: Option<&Bound<'_, PyAny>>,
        max_retries: Option<&Bound<'_, PyAny>>,
        extra_headers: Option<&Bound<'_, PyAny>>,
        extra_query: Option<&Bound<'_, PyAny>>,
        extra_body: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<NativeClient> {
        crate::errors::guard(py, "NativeClient.with_options", || {
            let opts =
                options::request_options(py, timeout, max_retries, extra_headers, extra_query, extra_body)?;
            let options = match &self.options {
                Some(base) => opts.merged_over(base),
                None => opts,
            };
            Ok(NativeClient {
                shared: self.shared.clone(),
                options: Some(options),
            })
        })
    }

    /// A client with the same settings and its own connection pool (what
    /// `copy.deepcopy` of a client gives): closing one leaves the other open.
    fn rebuilt(&self, py: Python<'_>) -> PyResult<NativeClient> {
        crate::errors::guard(py, "NativeClient.rebuilt", || {
            NativeClient::built(self.shared.builder.clone(), self.options.clone())
                .map_err(|e| to_pyerr(py, &e))
        })
    }

    /// Calls an API operation by id, blocking with the GIL released. With
    /// `raw`, returns `(status, headers, request_id, result)`.
    #[pyo3(signature = (operation, args=None, timeout=None, max_retries=None, extra_headers=None, extra_query=None, extra_body=None, opt_ins=None, raw=false))]
    #[allow(clippy::too_many_arguments)]
    fn call<'py>(
        &self,
        py: Python<'py>,
        operation: &str,
        args: Option<&Bound<'py, PyAny>>,
        timeout: Option<&Bound<'py, PyAny>>,
        max_retries: Option<&Bound<'py, PyAny>>,
        extra_headers: Option<&Bound<'py, PyAny>>,
        extra_query: Option<&Bound<'py, PyAny>>,
        extra_body: Option<&Bound<'py, PyAny>>,
        opt_ins: Option<Vec<String>>,
        raw: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::errors::guard(py, "NativeClient.call", || {
            let args = arguments(args)?;
            let mut opts =
                options::request_options(py, timeout, max_retries, extra_headers, extra_query, extra_body)?;
            options::opt_in(py, &mut opts, opt_ins)?;
            let client = self.client(py)?;
            let operation = operation.to_owned();
            let result =
                runtime::block_on(py, async move { client.call_json(&operation, args, &opts).await })?;
            match result {
                Ok(body) => result_to_py(py, &body, raw),
                Err(e) => Err(to_pyerr(py, &e)),
            }
        })
    }

    /// Calls an API operation by id on the shared runtime; returns an
    /// `asyncio.Future` of the running loop. Cancelling it drops the request.
    #[pyo3(signature = (operation, args=None, timeout=None, max_retries=None, extra_headers=None, extra_query=None, extra_body=None, opt_ins=None, raw=false))]
    #[allow(clippy::too_many_arguments)]
    fn call_async<'py>(
        &self,
        py: Python<'py>,
        operation: String,
        args: Option<&Bound<'py, PyAny>>,
        timeout: Option<&Bound<'py, PyAny>>,
        max_retries: Option<&Bound<'py, PyAny>>,
        extra_headers: Option<&Bound<'py, PyAny>>,
        extra_query: Option<&Bound<'py, PyAny>>,
        extra_body: Option<&Bound<'py, PyAny>>,
        opt_ins: Option<Vec<String>>,
        raw: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        crate::errors::guard(py, "NativeClient.call_async", || {
            let args = arguments(args)?;
            let mut opts =
                options::request_options(py, timeout, max_retries, extra_headers, extra_query, extra_body)?;
            options::opt_in(py, &mut opts, opt_ins)?;
            let client = self.client(py)?;
            runtime::spawn_awaitable(
                py,
                async move { client.call_json(&operation, args, &opts).await },
                move |py, body| result_to_py(py, &body, raw),
            )
        })
    }

    /// The base URL, without a trailing slash.
    #[getter]
    fn base_url(&self, py: Python<'_>) -> PyResult<String> {
        crate::errors::guard(py, "NativeClient.base_url", || Ok(self.shared.base_url.clone()))
    }

    /// `lasso_…` plus the key's last four characters.
    #[getter]
    fn masked_key(&self, py: Python<'_>) -> PyResult<String> {
        crate::errors::guard(py, "NativeClient.masked_key", || {
            Ok(self.shared.masked_key.clone())
        })
    }

    /// Later calls fail with a `configuration` error; calls in flight finish,
    /// then the connection pool is freed. Closes every client derived with
    /// `with_options` too (they share the pool). Safe to call more than once.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        crate::errors::guard(py, "NativeClient.close", || {
            *self.shared.client.lock().unwrap_or_else(|p| p.into_inner()) = None;
            Ok(())
        })
    }

    /// Whether `close()` was called.
    #[getter]
    fn closed(&self, py: Python<'_>) -> PyResult<bool> {
        crate::errors::guard(py, "NativeClient.closed", || {
            Ok(self
                .shared
                .client
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .is_none())
        })
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        crate::errors::guard(py, "NativeClient.__repr__", || {
            Ok(format!(
                "NativeClient(base_url={:?}, api_key={:?})",
                self.shared.base_url, self.shared.masked_key
            ))
        })
    }
}

/// A `ca_bundle` option: PEM text (str or bytes holding `-----BEGIN`), or a
/// path (str or os.PathLike) to a PEM file.
fn ca_bundle_of(value: &Bound<'_, PyAny>) -> PyResult<CaBundle> {
    if let Ok(bytes) = value.cast::<pyo3::types::PyBytes>() {
        return Ok(CaBundle::Pem(
            String::from_utf8_lossy(bytes.as_bytes()).into_owned(),
        ));
    }
    if let Ok(text) = value.extract::<String>() {
        return Ok(CaBundle::from_text_or_path(&text));
    }
    value
        .extract::<std::path::PathBuf>()
        .map(CaBundle::Path)
        .map_err(|_| {
            pyo3::exceptions::PyTypeError::new_err(
                "ca_bundle must be a path to a PEM file (str or os.PathLike) or PEM text (str or bytes)",
            )
        })
}

/// An operation's arguments (a dict) as JSON.
pub(crate) fn arguments(args: Option<&Bound<'_, PyAny>>) -> PyResult<serde_json::Value> {
    match args {
        Some(a) => to_json(a, "arguments"),
        None => Ok(serde_json::Value::Null),
    }
}

impl NativeClient {
    /// A client built from `builder`, whose calls default to `options`.
    fn built(
        builder: ClientBuilder,
        options: Option<RequestOptions>,
    ) -> Result<NativeClient, lasso_ai::Error> {
        let client = builder.clone().build()?;
        Ok(NativeClient {
            shared: Arc::new(Shared {
                builder,
                base_url: client.base_url().to_owned(),
                masked_key: client.masked_key(),
                client: Mutex::new(Some(ProcessLocal::new(client))),
            }),
            options,
        })
    }

    /// This process's client (rebuilt once after a fork).
    /// Every entry point goes through here (with the GIL held), so it also
    /// picks up a change of the `"lasso"` logger's level.
    pub(crate) fn client(&self, py: Python<'_>) -> PyResult<Client> {
        crate::logging::refresh(py);
        let client = {
            let mut slot = self.shared.client.lock().unwrap_or_else(|p| p.into_inner());
            let Some(current) = slot.as_mut() else {
                return Err(to_pyerr(py, &lasso_ai::Error::client_closed()));
            };
            if !current.is_current() {
                // Replacing the inherited client leaks it (see `fork`).
                let client = self
                    .shared
                    .builder
                    .clone()
                    .build()
                    .map_err(|e| to_pyerr(py, &e))?;
                *current = ProcessLocal::new(client);
            }
            current.get().clone()
        };
        Ok(match &self.options {
            Some(options) => client.with_options(options.clone()),
            None => client,
        })
    }
}

/// A response's JSON as Python objects; a body that is not JSON raises the
/// core's `decode` error. With `raw`, `(status, headers, request_id, result)`,
/// the headers a list of `(name, value)` pairs in the order received.
fn result_to_py<'py>(py: Python<'py>, body: &JsonBody, raw: bool) -> PyResult<Bound<'py, PyAny>> {
    let result = json_to_py(py, body.bytes()).map_err(|why| to_pyerr(py, &body.decode_error(&why)))?;
    if !raw {
        return Ok(result);
    }
    let meta = body.meta();
    (meta.status, meta.headers, meta.request_id, result)
        .into_pyobject(py)
        .map(|t| t.into_any())
}
