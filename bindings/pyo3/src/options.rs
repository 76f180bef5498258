//! Python option values → the core's client builder and request options.
//!
//! Every method of `lasso.LassoClient` ends with the same per-call options
//! (`timeout`, `max_retries`, `extra_headers`, `extra_query`, `extra_body`);
//! they arrive here positionally from `lasso/_base.py`. A value of the wrong
//! type is a `TypeError` naming the option; a value of the right type that
//! the core refuses is its `ConfigurationError` (a `ValueError`).

use lasso_ai::__bindings::{timeout_from_secs, CallSettings, ErrorExt, TimeUnit};
use lasso_ai::{Error, RequestOptions};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple};
use serde_json::Value;

use crate::convert::to_json;
use crate::errors::to_pyerr;

fn config(message: String) -> Error {
    Error::configuration_error(message)
}

static NOT_GIVEN: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Whether `value` is absent or `lasso.NOT_GIVEN`.
pub fn not_given(value: Option<&Bound<'_, PyAny>>) -> PyResult<bool> {
    let Some(value) = value else { return Ok(true) };
    let py = value.py();
    let sentinel = NOT_GIVEN.get_or_try_init(py, || {
        PyResult::Ok(py.import("lasso._base")?.getattr("NOT_GIVEN")?.unbind())
    })?;
    Ok(value.is(sentinel.bind(py)))
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".into())
}

/// A number of seconds (int or float, not bool) as a float, or a `TypeError`
/// naming the option.
fn seconds(name: &str, value: &Bound<'_, PyAny>) -> PyResult<f64> {
    let number = !value.is_instance_of::<PyBool>()
        && (value.is_instance_of::<PyInt>() || value.is_instance_of::<PyFloat>());
    if !number {
        return Err(PyTypeError::new_err(format!(
            "{name} must be a number of seconds (int or float), not {}",
            type_name(value)
        )));
    }
    value.extract::<f64>()
}

/// An optional number of seconds: absent or `NOT_GIVEN` is `None`; `float("inf")`
/// (how `timeout=None` arrives, see `_base._request`) means none.
pub fn optional_seconds(name: &str, value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<f64>> {
    match value {
        Some(v) if !not_given(Some(v))? => seconds(name, v).map(Some),
        _ => Ok(None),
    }
}

/// A timeout in seconds, checked by the core (infinity: none).
pub fn timeout(py: Python<'_>, name: &str, value: &Bound<'_, PyAny>) -> PyResult<std::time::Duration> {
    timeout_from_secs(name, seconds(name, value)?).map_err(|e| to_pyerr(py, &e))
}

/// An optional timeout: absent or `NOT_GIVEN` is `None`.
pub fn optional_timeout(
    py: Python<'_>,
    name: &str,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<std::time::Duration>> {
    optional_seconds(name, value)?
        .map(|secs| timeout_from_secs(name, secs).map_err(|e| to_pyerr(py, &e)))
        .transpose()
}

/// An optional `int` (absent or `NOT_GIVEN`: `None`) as the core's number, or a
/// `TypeError` naming it; its range is the core's to check.
pub fn whole(name: &str, value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<f64>> {
    let Some(value) = value else { return Ok(None) };
    if not_given(Some(value))? {
        return Ok(None);
    }
    if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
        return Err(PyTypeError::new_err(format!(
            "{name} must be an int, not {}",
            type_name(value)
        )));
    }
    // An int beyond a float's range is refused by the core as out of range.
    Ok(Some(value.extract::<f64>().unwrap_or(f64::INFINITY)))
}

/// A `str` argument, or a `TypeError` naming it.
pub fn text(name: &str, value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<String>> {
    match value {
        None => Ok(None),
        Some(v) => match v.cast::<PyString>() {
            Ok(s) => Ok(Some(s.to_cow()?.into_owned())),
            Err(_) => Err(PyTypeError::new_err(format!(
                "{name} must be a str, not {}",
                type_name(v)
            ))),
        },
    }
}

/// `{name: value}` of str → str (headers).
pub fn string_map(name: &str, value: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<(String, String)>> {
    let Some(value) = value else { return Ok(Vec::new()) };
    let mapping = mapping(name, value)?;
    let mut out = Vec::with_capacity(mapping.len()?);
    for item in mapping.items()?.iter() {
        let (k, v) = item.extract::<(Bound<'_, PyAny>, Bound<'_, PyAny>)>()?;
        let (Ok(k), Ok(v)) = (k.cast::<PyString>(), v.cast::<PyString>()) else {
            return Err(PyTypeError::new_err(format!(
                "{name} must map str names to str values"
            )));
        };
        out.push((k.to_cow()?.into_owned(), v.to_cow()?.into_owned()));
    }
    Ok(out)
}

fn mapping<'py>(name: &str, value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyMapping>> {
    if let Ok(d) = value.cast::<PyDict>() {
        return Ok(d.clone().into_mapping());
    }
    value
        .cast::<PyMapping>()
        .cloned()
        .map_err(|_| PyTypeError::new_err(format!("{name} must be a dict, not {}", type_name(value))))
}

/// One query value as text: str, int, float or bool (`true` / `false`).
fn query_text(name: &str, value: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(if b.is_true() { "true" } else { "false" }.to_owned());
    }
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(s.to_cow()?.into_owned());
    }
    if value.is_instance_of::<PyInt>() || value.is_instance_of::<PyFloat>() {
        return Ok(value.str()?.to_cow()?.into_owned());
    }
    Err(PyTypeError::new_err(format!(
        "extra_query[{name:?}] must be a str, int, float or bool (or a list of them), not {}",
        type_name(value)
    )))
}

/// The per-call options of every method, checked by the core. `timeout` is
/// absent/`NOT_GIVEN` (the client's), a number of seconds, or infinity (none).
pub fn request_options(
    py: Python<'_>,
    timeout: Option<&Bound<'_, PyAny>>,
    max_retries: Option<&Bound<'_, PyAny>>,
    extra_headers: Option<&Bound<'_, PyAny>>,
    extra_query: Option<&Bound<'_, PyAny>>,
    extra_body: Option<&Bound<'_, PyAny>>,
) -> PyResult<RequestOptions> {
    let mut query = Vec::new();
    if let Some(extra) = extra_query {
        for item in mapping("extra_query", extra)?.items()?.iter() {
            let (k, v) = item.extract::<(Bound<'_, PyAny>, Bound<'_, PyAny>)>()?;
            let key = k
                .cast::<PyString>()
                .map_err(|_| PyTypeError::new_err("extra_query must map str names to values"))?
                .to_cow()?
                .into_owned();
            // Python's spelling of each value (`True` as `true`, floats as `str()`).
            let values = if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
                v.try_iter()?
                    .map(|one| Ok(Value::String(query_text(&key, &one?)?)))
                    .collect::<PyResult<Vec<_>>>()?
            } else {
                vec![Value::String(query_text(&key, &v)?)]
            };
            query.push((key, Value::Array(values)));
        }
    }
    let body = match extra_body {
        None => None,
        Some(body) => {
            mapping("extra_body", body)?;
            Some(to_json(body, "extra_body")?)
        }
    };
    CallSettings {
        time_unit: TimeUnit::Seconds,
        timeout: optional_seconds("timeout", timeout)?,
        total_timeout: None,
        max_retries: whole("max_retries", max_retries)?,
        headers: string_map("extra_headers", extra_headers)?,
        extra_query: query,
        extra_body: body,
        allow_enrich_without_webhook: None,
    }
    .request_options()
    .map_err(|e| to_pyerr(py, &e))
}

/// Sets the opt-ins an operation's method was given (`["allow_enrich_without_webhook"]`).
pub fn opt_in(py: Python<'_>, options: &mut RequestOptions, names: Option<Vec<String>>) -> PyResult<()> {
    for name in names.unwrap_or_default() {
        match name.as_str() {
            "allow_enrich_without_webhook" => options.allow_enrich_without_webhook = true,
            other => return Err(to_pyerr(py, &config(format!("unknown opt-in `{other}`")))),
        }
    }
    Ok(())
}
