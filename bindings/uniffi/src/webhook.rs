//! Webhook verification for the Kotlin `Webhooks` object: the raw body in,
//! the core's [`lasso_ai::webhook`] does the work, failures leave as
//! `webhook_verification` errors. No client or API key is involved.

use lasso_ai::webhook::{self, WebhookError};

use crate::error::{guard, to_native, NativeError};

/// Verifies the `X-Lasso-Signature` value against the raw body, with any of
/// `secrets` (rotation); with `tolerance_ms`, the event's `timestamp` must
/// also be that close to now.
#[uniffi::export]
pub fn verify_webhook(
    payload: Vec<u8>,
    signature: Option<String>,
    secrets: Vec<String>,
    tolerance_ms: Option<f64>,
) -> Result<(), NativeError> {
    guard(|| {
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        let tolerance = tolerance(tolerance_ms)?;
        webhook::verify_within(&payload, signature.as_deref(), &secrets, tolerance)
            .map_err(|e| to_native(&e.into()))
    })
}

/// Verifies like `verify_webhook`, then returns the event as JSON text.
#[uniffi::export]
pub fn construct_webhook_event(
    payload: Vec<u8>,
    signature: Option<String>,
    secrets: Vec<String>,
    tolerance_ms: Option<f64>,
) -> Result<String, NativeError> {
    guard(|| {
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        let tolerance = tolerance(tolerance_ms)?;
        webhook::construct_event_within(&payload, signature.as_deref(), &secrets, tolerance)
            .map(|event| event.to_string())
            .map_err(|e| to_native(&e))
    })
}

/// The `X-Lasso-Signature` value for `payload` signed with `secret`.
#[uniffi::export]
pub fn sign_webhook(payload: Vec<u8>, secret: Option<String>) -> Result<String, NativeError> {
    guard(|| {
        let secret = secret.ok_or_else(|| to_native(&WebhookError::no_secret().into()))?;
        webhook::try_sign(&payload, &secret).map_err(|e| to_native(&e.into()))
    })
}

/// The tolerance (milliseconds) as a duration.
fn tolerance(ms: Option<f64>) -> Result<Option<std::time::Duration>, NativeError> {
    ms.map(|ms| lasso_ai::__bindings::duration_from_millis("tolerance", ms))
        .transpose()
        .map_err(|e| to_native(&e))
}
