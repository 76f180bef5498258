//! Webhook verification for `node/src/webhooks.ts`: JS values in, the core's
//! [`lasso_ai::webhook`] does the work, failures leave as marked errors
//! (`webhook_verification` → `WebhookVerificationError`). No client or API
//! key is involved.

use lasso_ai::webhook::{self, WebhookError};
use napi::bindgen_prelude::{Buffer, Either, Either3, Unknown};
use napi::{Result, ValueType};
use napi_derive::napi;
use serde_json::Value;

use crate::errors::{guard, to_napi};

/// How to get the raw body in the common Node frameworks.
const RAW_BODY_HINT: &str = "`express.raw({ type: \"application/json\" })` and `req.body` (Express), \
                             `await request.text()` / `Buffer.from(await request.arrayBuffer())` (fetch, \
                             Next.js route handlers) or `request.rawBody` (Fastify with rawBody), before any \
                             JSON parsing";

/// The payload as the TS layer passes it: a Buffer (it turns any
/// `Uint8Array` / `ArrayBuffer` into one), a string, or anything else.
type Payload<'a> = Either3<Buffer, String, Unknown<'a>>;
/// One secret or several (rotation); `null`/`undefined` when unset.
type Secrets = Option<Either<String, Vec<String>>>;

/// Verifies the `X-Lasso-Signature` value against the raw body; throws a
/// marked `webhook_verification` error on failure.
#[napi(
    ts_args_type = "payload: unknown, signature: string | null | undefined, secrets: string | string[] | null | undefined, toleranceMs?: number | null"
)]
pub fn verify_webhook(
    payload: Payload<'_>,
    signature: Option<String>,
    secrets: Secrets,
    tolerance_ms: Option<f64>,
) -> Result<()> {
    guard(|| {
        let payload = raw_payload(payload)?;
        let secrets = secret_list(secrets);
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        let tolerance = tolerance(tolerance_ms)?;
        webhook::verify_within(&payload, signature.as_deref(), &secrets, tolerance)
            .map_err(|e| to_napi(&e.into()))
    })
}

/// Verifies like `verifyWebhook`, then returns the parsed event.
#[napi(
    ts_args_type = "payload: unknown, signature: string | null | undefined, secrets: string | string[] | null | undefined, toleranceMs?: number | null",
    ts_return_type = "any"
)]
pub fn construct_webhook_event(
    payload: Payload<'_>,
    signature: Option<String>,
    secrets: Secrets,
    tolerance_ms: Option<f64>,
) -> Result<Value> {
    guard(|| {
        let payload = raw_payload(payload)?;
        let secrets = secret_list(secrets);
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        let tolerance = tolerance(tolerance_ms)?;
        webhook::construct_event_within(&payload, signature.as_deref(), &secrets, tolerance)
            .map_err(|e| to_napi(&e))
    })
}

/// The `tolerance` option (milliseconds) as a duration.
fn tolerance(ms: Option<f64>) -> Result<Option<std::time::Duration>> {
    ms.map(|ms| lasso_ai::__bindings::duration_from_millis("tolerance", ms))
        .transpose()
        .map_err(|e| to_napi(&e))
}

/// The `X-Lasso-Signature` value for `payload` signed with `secret`.
#[napi(ts_args_type = "payload: unknown, secret: string | null | undefined")]
pub fn sign_webhook(payload: Payload<'_>, secret: Option<String>) -> Result<String> {
    guard(|| {
        let payload = raw_payload(payload)?;
        let secret = secret.ok_or_else(|| to_napi(&WebhookError::no_secret().into()))?;
        webhook::try_sign(&payload, &secret).map_err(|e| to_napi(&e.into()))
    })
}

fn secret_list(secrets: Secrets) -> Vec<String> {
    match secrets {
        None => Vec::new(),
        Some(Either::A(one)) => vec![one],
        Some(Either::B(many)) => many,
    }
}

/// The raw body bytes; anything but a Buffer or a string is `payload_not_raw`.
fn raw_payload(payload: Payload<'_>) -> Result<Vec<u8>> {
    let got = match payload {
        Either3::A(buffer) => return Ok(buffer.to_vec()),
        Either3::B(text) => return Ok(text.into_bytes()),
        Either3::C(other) => match other.get_type()? {
            ValueType::Object => "an object (an already-parsed body?)",
            ValueType::Undefined => "undefined",
            ValueType::Null => "null",
            ValueType::Number => "a number",
            ValueType::Boolean => "a boolean",
            ValueType::BigInt => "a bigint",
            ValueType::Function => "a function",
            ValueType::Symbol => "a symbol",
            _ => "a value of another type",
        },
    };
    Err(to_napi(&WebhookError::payload_not_raw(got, RAW_BODY_HINT).into()))
}
