//! `NativeClient`: one core client, callable from any Python thread.

use std::collections::HashMap;
use std::sync::Mutex;

use lasso_ai::{duration_from_secs, Client, ClientBuilder, RequestOptions};
use pyo3::prelude::*;
use pyo3::types::PyAny;

use crate::convert::{to_json, to_py};
use crate::errors::to_pyerr;
use crate::runtime;

/// The core client behind `lasso.LassoClient`.
#[pyclass(frozen, module = "lasso._native")]
pub struct NativeClient {
    builder: ClientBuilder,
    /// The client and the process that built it: a forked child builds its
    /// own, since the parent's pooled connections belong to threads that do
    /// not exist in the child.
    client: Mutex<(u32, Client)>,
}

#[pymethods]
impl NativeClient {
    #[new]
    #[pyo3(signature = (api_key=None, *, base_url=None, timeout=None, connect_timeout=None, max_retries=None, headers=None, user_agent_suffix=None, allow_nonstandard_key=false, front_door=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        api_key: Option<String>,
        base_url: Option<String>,
        timeout: Option<f64>,
        connect_timeout: Option<f64>,
        max_retries: Option<u32>,
        headers: Option<HashMap<String, String>>,
        user_agent_suffix: Option<String>,
        allow_nonstandard_key: bool,
        front_door: Option<String>,
    ) -> PyResult<Self> {
        let err = |e: lasso_ai::Error| to_pyerr(py, &e);
        let mut b = ClientBuilder::from_env().allow_nonstandard_key(allow_nonstandard_key);
        if let Some(k) = api_key {
            b = b.api_key(k);
        }
        if let Some(u) = base_url {
            b = b.base_url(u);
        }
        if let Some(t) = timeout {
            b = b.timeout(duration_from_secs("timeout", t).map_err(err)?);
        }
        if let Some(t) = connect_timeout {
            b = b.connect_timeout(duration_from_secs("connect_timeout", t).map_err(err)?);
        }
        if let Some(r) = max_retries {
            b = b.max_retries(r);
        }
        for (name, value) in headers.unwrap_or_default() {
            b = b.header(name, value);
        }
        if let Some(s) = user_agent_suffix {
            b = b.user_agent_suffix(s);
        }
        if let Some(f) = front_door {
            b = b.front_door(f);
        }
        let client = b.clone().build().map_err(err)?;
        Ok(NativeClient {
            builder: b,
            client: Mutex::new((std::process::id(), client)),
        })
    }

    /// Calls an API operation by id, blocking with the GIL released.
    #[pyo3(signature = (operation, args=None, *, timeout=None, max_retries=None))]
    fn call<'py>(
        &self,
        py: Python<'py>,
        operation: &str,
        args: Option<&Bound<'py, PyAny>>,
        timeout: Option<f64>,
        max_retries: Option<u32>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let args = match args {
            Some(a) => to_json(a, "arguments")?,
            None => serde_json::Value::Null,
        };
        let mut opts = RequestOptions::new();
        if let Some(t) = timeout {
            opts.timeout = Some(duration_from_secs("timeout", t).map_err(|e| to_pyerr(py, &e))?);
        }
        opts.max_retries = max_retries;
        let client = self.client(py)?;
        let result = runtime::block_on(py, async move { client.call(operation, args, &opts).await })?;
        match result {
            Ok(value) => to_py(py, &value),
            Err(e) => Err(to_pyerr(py, &e)),
        }
    }

    /// The base URL, without a trailing slash.
    #[getter]
    fn base_url(&self, py: Python<'_>) -> PyResult<String> {
        Ok(self.client(py)?.base_url().to_owned())
    }

    /// `lasso_…` plus the key's last four characters.
    #[getter]
    fn masked_key(&self, py: Python<'_>) -> PyResult<String> {
        Ok(self.client(py)?.masked_key())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let c = self.client(py)?;
        Ok(format!(
            "NativeClient(base_url={:?}, api_key={:?})",
            c.base_url(),
            c.masked_key()
        ))
    }
}

impl NativeClient {
    /// This process's client (rebuilt once after a fork).
    fn client(&self, py: Python<'_>) -> PyResult<Client> {
        let pid = std::process::id();
        let mut slot = self.client.lock().unwrap_or_else(|p| p.into_inner());
        if slot.0 != pid {
            let fresh = self.builder.clone().build().map_err(|e| to_pyerr(py, &e))?;
            *slot = (pid, fresh);
        }
        Ok(slot.1.clone())
    }
}
