//! Webhook verification (`lasso.webhooks`): Python values in, the core's
//! [`lasso_ai::webhook`] does the work, its errors come out as
//! `WebhookVerificationError`. No client or API key is involved.

use lasso_ai::webhook::{self, WebhookError};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyMemoryView, PyString};

use crate::convert::to_py;
use crate::errors::to_pyerr;

/// How to get the raw body in the common Python frameworks.
const RAW_BODY_HINT: &str = "`await request.body()` (FastAPI / Starlette), `request.get_data()` (Flask) \
                             or `request.body` (Django), before any JSON parsing";

/// Verifies the `X-Lasso-Signature` header against the raw body; raises
/// `WebhookVerificationError` on failure.
#[pyfunction]
#[pyo3(signature = (payload, signature, secrets, tolerance=None))]
pub fn verify_webhook(
    py: Python<'_>,
    payload: &Bound<'_, PyAny>,
    signature: Option<&Bound<'_, PyAny>>,
    secrets: Option<&Bound<'_, PyAny>>,
    tolerance: Option<f64>,
) -> PyResult<()> {
    crate::errors::guard(py, "verify_webhook", || {
        let (payload, signature, secrets) = arguments(py, payload, signature, secrets)?;
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        let tolerance = tolerance_of(py, tolerance)?;
        webhook::verify_within(&payload, signature.as_deref(), &secrets, tolerance)
            .map_err(|e| to_pyerr(py, &e.into()))
    })
}

/// Verifies like `verify_webhook`, then returns the parsed event (a dict).
#[pyfunction]
#[pyo3(signature = (payload, signature, secrets, tolerance=None))]
pub fn construct_webhook_event<'py>(
    py: Python<'py>,
    payload: &Bound<'py, PyAny>,
    signature: Option<&Bound<'py, PyAny>>,
    secrets: Option<&Bound<'py, PyAny>>,
    tolerance: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    crate::errors::guard(py, "construct_webhook_event", || {
        let (payload, signature, secrets) = arguments(py, payload, signature, secrets)?;
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        let tolerance = tolerance_of(py, tolerance)?;
        let event = webhook::construct_event_within(&payload, signature.as_deref(), &secrets, tolerance)
            .map_err(|e| to_pyerr(py, &e))?;
        to_py(py, &event)
    })
}

/// The `tolerance` option (seconds) as a duration.
fn tolerance_of(py: Python<'_>, secs: Option<f64>) -> PyResult<Option<std::time::Duration>> {
    secs.map(|s| lasso_ai::__bindings::duration_from_secs("tolerance", s))
        .transpose()
        .map_err(|e| to_pyerr(py, &e))
}

/// The `X-Lasso-Signature` value for `payload` signed with `secret`.
#[pyfunction]
#[pyo3(signature = (payload, secret))]
pub fn sign_webhook(
    py: Python<'_>,
    payload: &Bound<'_, PyAny>,
    secret: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    crate::errors::guard(py, "sign_webhook", || {
        let payload = raw_payload(payload).map_err(|e| to_pyerr(py, &e))?;
        let secret = match secret {
            None => return Err(to_pyerr(py, &WebhookError::no_secret().into())),
            Some(s) => text(s, "secret")?,
        };
        webhook::try_sign(&payload, &secret).map_err(|e| to_pyerr(py, &e.into()))
    })
}

type Arguments = (Vec<u8>, Option<String>, Vec<String>);

fn arguments(
    py: Python<'_>,
    payload: &Bound<'_, PyAny>,
    signature: Option<&Bound<'_, PyAny>>,
    secrets: Option<&Bound<'_, PyAny>>,
) -> PyResult<Arguments> {
    let payload = raw_payload(payload).map_err(|e| to_pyerr(py, &e))?;
    let signature = signature.map(|s| header(s)).transpose()?;
    let secrets = match secrets {
        None => Vec::new(),
        Some(s) if s.is_instance_of::<PyString>() => vec![text(s, "secret")?],
        Some(s) if s.is_instance_of::<PyBytes>() || s.is_instance_of::<PyByteArray>() => {
            return Err(PyTypeError::new_err(
                "secret must be a str (the `whsec_…` value) or a list of str, not bytes",
            ))
        }
        Some(s) => s
            .try_iter()
            .map_err(|_| {
                PyTypeError::new_err(format!(
                    "secret must be a str or a list of str, not {}",
                    type_name(s)
                ))
            })?
            .enumerate()
            .map(|(i, item)| text(&item?, &format!("secret[{i}]")))
            .collect::<PyResult<_>>()?,
    };
    Ok((payload, signature, secrets))
}

/// The raw body: bytes, bytearray, memoryview or str (encoded as UTF-8);
/// anything else (a parsed dict or list…) is `payload_not_raw`.
fn raw_payload(obj: &Bound<'_, PyAny>) -> Result<Vec<u8>, lasso_ai::Error> {
    let raw = if let Ok(b) = obj.cast::<PyBytes>() {
        Some(Ok(b.as_bytes().to_vec()))
    } else if let Ok(b) = obj.cast::<PyByteArray>() {
        Some(Ok(b.to_vec()))
    } else if let Ok(s) = obj.cast::<PyString>() {
        Some(s.to_cow().map(|s| s.as_bytes().to_vec()))
    } else if obj.is_instance_of::<PyMemoryView>() {
        Some(
            obj.call_method0("tobytes")
                .and_then(|b| Ok(b.cast::<PyBytes>()?.as_bytes().to_vec())),
        )
    } else {
        None
    };
    match raw {
        Some(Ok(bytes)) => Ok(bytes),
        Some(Err(e)) => Err(WebhookError::payload_not_raw(
            &format!("a value that cannot be read ({e})"),
            RAW_BODY_HINT,
        )
        .into()),
        None => {
            let got = if obj.is_none() {
                "None".to_owned()
            } else {
                format!("a {} (an already-parsed body?)", type_name(obj))
            };
            Err(WebhookError::payload_not_raw(&got, RAW_BODY_HINT).into())
        }
    }
}

/// The header value: str, or bytes as raw ASGI / WSGI servers give it.
fn header(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(b) = obj.cast::<PyBytes>() {
        return Ok(String::from_utf8_lossy(b.as_bytes()).into_owned());
    }
    text(obj, "signature_header")
}

fn text(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    match obj.cast::<PyString>() {
        Ok(s) => Ok(s.to_cow()?.into_owned()),
        Err(_) => Err(PyTypeError::new_err(format!(
            "{what} must be a str, not {}",
            type_name(obj)
        ))),
    }
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".into())
}
