//! Python option values → the core's client builder and request options.
//!
//! Every method of `lasso.LassoClient` ends with the same per-call options
//! (`timeout`, `max_retries`, `extra_headers`, `extra_query`, `extra_body`);
//! they arrive here positionally from `lasso/_base.py`. A value of the wrong
//! type is a `TypeError` naming the option; a value of the right type that
//! the core refuses is its `ConfigurationError` (a `ValueError`).

use lasso_ai::__bindings::{duration_from_secs, ErrorExt};
use lasso_ai::{Error, RequestOptions, NO_TIMEOUT};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple};

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

/// A duration in seconds where `float("inf")` means "none" (`timeout=None`
/// reaches here as infinity, see `_base._request`): the core's [`NO_TIMEOUT`].
pub fn timeout(py: Python<'_>, name: &str, value: &Bound<'_, PyAny>) -> PyResult<std::time::Duration> {
    let secs = seconds(name, value)?;
    if secs == f64::INFINITY {
        return Ok(NO_TIMEOUT);
    }
    duration_from_secs(name, secs).map_err(|e| to_pyerr(py, &e))
}

/// An optional timeout: absent or `NOT_GIVEN` is `None`.
pub fn optional_timeout(
    py: Python<'_>,
    name: &str,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<std::time::Duration>> {
    match value {
        Some(v) if !not_given(Some(v))? => timeout(py, name, v).map(Some),
        _ => Ok(None),
    }
}

/// A retry count: an int from 0 to 2³² − 1.
pub fn retries(py: Python<'_>, value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<u32>> {
    let Some(value) = value else { return Ok(None) };
    if not_given(Some(value))? {
        return Ok(None);
    }
    if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
        return Err(PyTypeError::new_err(format!(
            "max_retries must be an int, not {}",
            type_name(value)
        )));
    }
    match value.extract::<i64>() {
        Ok(n) if (0..=i64::from(u32::MAX)).contains(&n) => Ok(Some(n as u32)),
        _ => Err(to_pyerr(
            py,
            &config(format!(
                "max_retries must be a whole number from 0 to {}, got {value}",
                u32::MAX
            )),
        )),
    }
}

/// A count of at least 1 (connections, bytes), or a `TypeError` naming it.
pub fn count(name: &str, value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<usize>> {
    let Some(value) = value else { return Ok(None) };
    if value.is_instance_of::<PyBool>() || !value.is_instance_of::<PyInt>() {
        return Err(PyTypeError::new_err(format!(
            "{name} must be an int, not {}",
            type_name(value)
        )));
    }
    match value.extract::<i64>() {
        Ok(n) if n >= 1 => Ok(Some(usize::try_from(n).unwrap_or(usize::MAX))),
        _ => Err(to_pyerr(
            value.py(),
            &config(format!("{name} must be at least 1, got {value}")),
        )),
    }
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

/// The per-call options of every method. `timeout` is absent/`NOT_GIVEN`
/// (the client's), a number of seconds, or infinity (none).
pub fn request_options(
    py: Python<'_>,
    timeout: Option<&Bound<'_, PyAny>>,
    max_retries: Option<&Bound<'_, PyAny>>,
    extra_headers: Option<&Bound<'_, PyAny>>,
    extra_query: Option<&Bound<'_, PyAny>>,
    extra_body: Option<&Bound<'_, PyAny>>,
) -> PyResult<RequestOptions> {
    let mut o = RequestOptions::new();
    o.timeout = optional_timeout(py, "timeout", timeout)?;
    o.max_retries = retries(py, max_retries)?;
    o.headers = string_map("extra_headers", extra_headers)?;
    if let Some(query) = extra_query {
        for item in mapping("extra_query", query)?.items()?.iter() {
            let (k, v) = item.extract::<(Bound<'_, PyAny>, Bound<'_, PyAny>)>()?;
            let key = k
                .cast::<PyString>()
                .map_err(|_| PyTypeError::new_err("extra_query must map str names to values"))?
                .to_cow()?
                .into_owned();
            if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
                for one in v.try_iter()? {
                    o.extra_query.push((key.clone(), query_text(&key, &one?)?));
                }
            } else {
                o.extra_query.push((key.clone(), query_text(&key, &v)?));
            }
        }
    }
    if let Some(body) = extra_body {
        mapping("extra_body", body)?;
        match to_json(body, "extra_body")? {
            serde_json::Value::Object(map) => o.extra_body = map,
            _ => return Err(PyTypeError::new_err("extra_body must be a dict")),
        }
    }
    Ok(o)
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
