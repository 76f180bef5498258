//! The error of a webhook verification: always compiled (it is a field of
//! [`Error::WebhookVerification`]), while verifying needs the `webhooks` feature.

// Much of it serves the client only (`--no-default-features` leaves the types).
#![cfg_attr(not(feature = "client"), allow(dead_code))]

use crate::error::Error;

/// Why a webhook could not be verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WebhookErrorReason {
    /// No `X-Lasso-Signature` header (or an empty one).
    MissingHeader,
    /// The header is not `sha256=<64 hex characters>`.
    MalformedHeader,
    /// The header is well formed but no signature matches the body for any secret.
    NoMatchingSignature,
    /// The payload was given as a parsed object instead of the raw body
    /// (reported by the Python and Node bindings).
    PayloadNotRaw,
    /// No secret, or an empty one, was given.
    NoSecret,
    /// The signature matches but the event's `timestamp` is further from now
    /// than the tolerance allows (a replayed or delayed delivery).
    TimestampOutsideTolerance,
    /// A tolerance was asked for but the signed body has no readable
    /// `timestamp` (RFC 3339) to check it against.
    MissingTimestamp,
}

impl WebhookErrorReason {
    /// The stable string shared by every language (`missing_header`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MissingHeader => "missing_header",
            Self::MalformedHeader => "malformed_header",
            Self::NoMatchingSignature => "no_matching_signature",
            Self::PayloadNotRaw => "payload_not_raw",
            Self::NoSecret => "no_secret",
            Self::TimestampOutsideTolerance => "timestamp_outside_tolerance",
            Self::MissingTimestamp => "missing_timestamp",
        }
    }
}

impl std::fmt::Display for WebhookErrorReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failed webhook verification: the [reason](WebhookError::reason) and a
/// message saying what is wrong and how to fix it. The message never contains
/// a secret nor the expected signature.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct WebhookError {
    reason: WebhookErrorReason,
    message: String,
}

impl WebhookError {
    pub(crate) fn new(reason: WebhookErrorReason, message: impl Into<String>) -> Self {
        WebhookError {
            reason,
            message: message.into(),
        }
    }

    /// The error for a payload that is not the raw body: `got` describes what
    /// was passed (e.g. `a dict`), `hint` says how to get the raw body in the
    /// caller's framework (e.g. ``await request.body()``).
    pub fn payload_not_raw(got: &str, hint: &str) -> Self {
        Self::new(
            WebhookErrorReason::PayloadNotRaw,
            format!(
                "the webhook payload must be the raw request body exactly as received, but got {got}. \
                 The signature covers the exact bytes Lasso sent, so a parsed and re-serialized body \
                 cannot be verified: pass the raw body, e.g. {hint}"
            ),
        )
    }

    /// The error for a missing or empty list of secrets (e.g. an unset environment variable).
    pub fn no_secret() -> Self {
        Self::new(
            WebhookErrorReason::NoSecret,
            "no webhook secret given: pass the endpoint's signing secret (the `secret` returned once \
             when the webhook was created, starting `whsec_`), or a list of secrets while rotating",
        )
    }

    /// Why verification failed.
    pub fn reason(&self) -> WebhookErrorReason {
        self.reason
    }

    /// What is wrong and how to fix it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl From<WebhookError> for Error {
    fn from(e: WebhookError) -> Self {
        Error::WebhookVerification {
            reason: e.reason,
            message: e.message,
        }
    }
}
