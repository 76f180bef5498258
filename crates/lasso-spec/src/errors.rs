//! Every kind of failure the SDK reports, defined once.
//!
//! Each entry is a stable machine code (what `lasso_ai::Error::code()` returns and
//! what the bindings hand over as `kind`) and the class every language raises for
//! it: its base name (`NotFound` → Python and TypeScript `NotFoundError`, Kotlin
//! `NotFoundException`), its parent, the HTTP status that selects it, one line of
//! docs and the fields it carries besides the common ones (status code, error type,
//! message, request id, detail code, retryable, details, raw body, body, retry
//! after). `lasso-codegen` writes each language's classes and code → class table
//! from it, and `tests/conformance/error_classes.json` for the conformance suites.

use crate::models::StringEnum;

/// The base name of the class every error is: `LassoError`, `LassoException`.
pub const BASE_CLASS: &str = "Lasso";

/// A standard error of the host language that a class also is, where the
/// language allows more than one base (Python does; TypeScript does not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Std {
    /// An invalid argument or value: Python `ValueError`.
    InvalidArgument,
    /// A timeout: Python `TimeoutError`.
    Timeout,
    /// A failed file operation: Python `OSError`.
    Os,
    /// A file or directory that does not exist: Python `FileNotFoundError`.
    FileNotFound,
    /// A file the process may not read or write: Python `PermissionError`.
    FilePermission,
}

/// The type of an error's own field.
#[derive(Debug, Clone, Copy)]
pub enum ErrorFieldType {
    /// A string.
    Str,
    /// A number.
    Num,
    /// A length of time, in each language's unit (seconds in Python,
    /// milliseconds in TypeScript, a `Duration` in Rust).
    Duration,
    /// A string, one of these values.
    Enum(&'static StringEnum),
    /// A JSON object, typed as this model of [`crate::models::MODELS`] where a
    /// language has types.
    Model(&'static str),
}

/// A field an error carries besides the common ones.
#[derive(Debug, Clone, Copy)]
pub struct ErrorField {
    /// Its key among the error's fields (`lasso_ai::Error::to_fields()`), and the
    /// keyword the class's constructor takes (camelCase in TypeScript).
    pub name: &'static str,
    /// The attribute it is read as, in snake_case (camelCase in TypeScript):
    /// usually `name`.
    pub attr: &'static str,
    /// Its type.
    pub ty: ErrorFieldType,
    /// A common field every error has (declared once, on the base class),
    /// listed because this class is where it carries a value worth reading.
    pub inherited: bool,
    /// One line for generated docs.
    pub doc: &'static str,
}

/// One stable error code and the class raised for it.
#[derive(Debug, Clone, Copy)]
pub struct ErrorKind {
    /// The stable machine code, equal to the API's `error_type` for API errors.
    pub code: &'static str,
    /// The class's base name; the languages add their suffix (`Error`,
    /// `Exception`). [`BASE_CLASS`] for codes raised as the base class itself.
    pub class: &'static str,
    /// The base name of the parent class; `None` for [`BASE_CLASS`] itself.
    pub parent: Option<&'static str>,
    /// Standard errors of the host language the class also is, where it can be.
    pub also: &'static [Std],
    /// The HTTP status that selects this code when the body names no known
    /// `error_type` (`internal_error` also takes any other 5xx but 503).
    pub status: Option<u16>,
    /// One line for generated docs; API errors show it after their status and code
    /// (``404 `not_found`: …``).
    pub doc: &'static str,
    /// Fields it carries besides the common ones.
    pub fields: &'static [ErrorField],
}

impl ErrorKind {
    /// Whether the code is raised as the base class itself.
    pub fn is_base(&self) -> bool {
        self.class == BASE_CLASS
    }

    /// Its fields that the class itself declares (not the inherited ones).
    pub fn own_fields(&self) -> impl Iterator<Item = &'static ErrorField> {
        self.fields.iter().filter(|f| !f.inherited)
    }
}

const fn kind(code: &'static str, class: &'static str, status: Option<u16>, doc: &'static str) -> ErrorKind {
    ErrorKind {
        code,
        class,
        parent: Some(BASE_CLASS),
        also: &[],
        status,
        doc,
        fields: &[],
    }
}

const fn field(name: &'static str, ty: ErrorFieldType, doc: &'static str) -> ErrorField {
    ErrorField {
        name,
        attr: name,
        ty,
        inherited: false,
        doc,
    }
}

/// Why a webhook delivery failed verification (`WebhookVerificationError.reason`).
pub static WEBHOOK_VERIFICATION_REASON: StringEnum = StringEnum {
    name: "WebhookVerificationReason",
    doc: "Why a webhook delivery failed signature verification.",
    values: &[
        (
            "missing_header",
            "No `X-Lasso-Signature` header, or an empty one.",
        ),
        (
            "malformed_header",
            "The header is not `sha256=<64 hex characters>`.",
        ),
        (
            "no_matching_signature",
            "No signature matches the body for any of the secrets.",
        ),
        (
            "payload_not_raw",
            "A parsed object was passed instead of the raw body.",
        ),
        ("no_secret", "No secret, or an empty one, was given."),
        (
            "timestamp_outside_tolerance",
            "The signature matches but the event's `timestamp` is further from now than the tolerance.",
        ),
        (
            "missing_timestamp",
            "A tolerance was asked for but the signed body has no readable `timestamp`.",
        ),
    ],
};

/// Every error code, API errors first (by status), then the SDK's own.
pub static ERRORS: &[ErrorKind] = &[
    kind(
        "invalid_request",
        "InvalidRequest",
        Some(400),
        "the request is malformed or a query value is invalid.",
    ),
    kind(
        "unauthenticated",
        "Authentication",
        Some(401),
        "the API key is unknown, invalid, revoked or deactivated.",
    ),
    kind(
        "insufficient_credits",
        "InsufficientCredits",
        Some(402),
        "the company has run out of credits.",
    ),
    kind(
        "forbidden",
        "PermissionDenied",
        Some(403),
        "the key may not perform this action.",
    ),
    kind(
        "not_found",
        "NotFound",
        Some(404),
        "no such resource (or it belongs to another company).",
    ),
    kind(
        "conflict",
        "Conflict",
        Some(409),
        "the resource is locked, stale or still in use (see `code`, e.g. `stale_write`).",
    ),
    kind(
        "validation_error",
        "UnprocessableEntity",
        Some(422),
        "a field is missing or invalid (the message says which).",
    ),
    ErrorKind {
        fields: &[ErrorField {
            inherited: true,
            ..field(
                "retry_after",
                ErrorFieldType::Duration,
                "How long the server asked to wait (`Retry-After`), when it said.",
            )
        }],
        ..kind("rate_limited", "RateLimit", Some(429), "too many requests.")
    },
    kind(
        "internal_error",
        "InternalServer",
        Some(500),
        "the server failed; also raised for any other 5xx status but 503.",
    ),
    ErrorKind {
        parent: Some("InternalServer"),
        ..kind(
            "service_unavailable",
            "ServiceUnavailable",
            Some(503),
            "the service is temporarily unavailable (a rollout or a dependency failed; see `retryable`).",
        )
    },
    ErrorKind {
        parent: None,
        ..kind(
            "api_error",
            BASE_CLASS,
            None,
            "An API error whose status and `error_type` this SDK does not recognise.",
        )
    },
    kind(
        "connection",
        "APIConnection",
        None,
        "The connection could not be made or broke before a complete response arrived.",
    ),
    ErrorKind {
        parent: Some("APIConnection"),
        also: &[Std::Timeout],
        ..kind(
            "timeout",
            "APITimeout",
            None,
            "The request did not complete within its timeout.",
        )
    },
    ErrorKind {
        also: &[Std::InvalidArgument],
        ..kind(
            "invalid_api_key",
            "InvalidApiKey",
            None,
            "The API key is missing or malformed; raised before any request is sent.",
        )
    },
    ErrorKind {
        also: &[Std::InvalidArgument],
        ..kind(
            "configuration",
            "Configuration",
            None,
            "A client or request option (base URL, timeout, header…) is invalid.",
        )
    },
    kind(
        "decode",
        "ResponseDecode",
        None,
        "A successful response whose body is not what the operation returns.",
    ),
    ErrorKind {
        parent: Some("ResponseDecode"),
        ..kind(
            "response_too_large",
            "ResponseTooLarge",
            None,
            "A successful response larger than the client's `max_response_bytes` (256 MiB by default), \
             not read into memory: export to a file (a path) instead, or raise the limit.",
        )
    },
    kind(
        "pagination",
        "Pagination",
        None,
        "A paginated list that does not advance (a cursor or page served again, or empty pages that \
         say more follow): iteration stopped instead of looping forever; the items already returned \
         are valid.",
    ),
    ErrorKind {
        fields: &[
            field(
                "status",
                ErrorFieldType::Str,
                "The terminal status: `failed`, `error`, `cancelled`, …",
            ),
            field(
                "table",
                ErrorFieldType::Model("Table"),
                "For a table's extraction: the table as last read (its `error_message` says why, when \
                 the API gave a reason).",
            ),
            field(
                "enhancement",
                ErrorFieldType::Model("EnhanceStatus"),
                "For an enhancement: its last status (every cell failed).",
            ),
        ],
        ..kind(
            "job_failed",
            "JobFailed",
            None,
            "A job ended in failure while it was being waited for: a table's extraction (`failed`, \
             `error` or `cancelled`), or an enhancement whose every cell failed.",
        )
    },
    ErrorKind {
        fields: &[field(
            "reason",
            ErrorFieldType::Enum(&WEBHOOK_VERIFICATION_REASON),
            "Why the delivery failed verification.",
        )],
        ..kind(
            "webhook_verification",
            "WebhookVerification",
            None,
            "A webhook delivery failed signature verification: answer it with a 4xx. \
             The message never contains a secret.",
        )
    },
    ErrorKind {
        also: &[Std::Os],
        fields: &[
            field(
                "path",
                ErrorFieldType::Str,
                "The file as the caller named it (an upload's source, an export's destination).",
            ),
            field(
                "os_code",
                ErrorFieldType::Str,
                "The POSIX name of the failure (`ENOENT`, `EACCES`, `EISDIR`, `ENOSPC`, …), as Node's \
                 `err.code` spells it; Python also sets `OSError.errno` to its number.",
            ),
        ],
        ..kind(
            "local_file",
            "LocalFile",
            None,
            "A local file could not be read or written (an upload's source, an export's destination); \
             nothing was sent, or the destination was left as it was.",
        )
    },
    ErrorKind {
        parent: Some("LocalFile"),
        also: &[Std::FileNotFound],
        ..kind(
            "local_file_not_found",
            "LocalFileNotFound",
            None,
            "The file to upload, or the directory to export into, does not exist.",
        )
    },
    ErrorKind {
        parent: Some("LocalFile"),
        also: &[Std::FilePermission],
        ..kind(
            "local_file_permission_denied",
            "LocalFilePermission",
            None,
            "The process may not read the file to upload or write the export's destination.",
        )
    },
    ErrorKind {
        parent: None,
        ..kind(
            "internal_sdk_error",
            BASE_CLASS,
            None,
            "A bug inside the SDK (e.g. a panic caught at a language boundary); please report it.",
        )
    },
];

/// The entry of this code.
pub fn error_kind(code: &str) -> Option<&'static ErrorKind> {
    ERRORS.iter().find(|e| e.code == code)
}

/// Every class but the base, once (the entry of its first code), in table order.
pub fn error_classes() -> Vec<&'static ErrorKind> {
    let mut out: Vec<&'static ErrorKind> = Vec::new();
    for e in ERRORS.iter().filter(|e| !e.is_base()) {
        if !out.iter().any(|o| o.class == e.class) {
            out.push(e);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::model_named;

    #[test]
    fn codes_are_unique_and_each_class_has_one_code() {
        let mut codes: Vec<_> = ERRORS.iter().map(|e| e.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), ERRORS.len(), "a code is listed twice");
        let classes = error_classes();
        let own = ERRORS.iter().filter(|e| !e.is_base()).count();
        assert_eq!(classes.len(), own, "only the base class serves several codes");
    }

    #[test]
    fn parents_come_first_and_the_hierarchy_ends_at_the_base() {
        for (i, e) in ERRORS.iter().enumerate() {
            assert_eq!(
                e.is_base(),
                e.parent.is_none(),
                "{}: only the base has no parent",
                e.code
            );
            if let Some(parent) = e.parent.filter(|p| *p != BASE_CLASS) {
                assert!(
                    ERRORS[..i].iter().any(|c| c.class == parent),
                    "{}: its parent {parent} must come first",
                    e.code
                );
            }
        }
    }

    #[test]
    fn statuses_are_unique_and_fields_resolve() {
        let mut statuses: Vec<u16> = ERRORS.iter().filter_map(|e| e.status).collect();
        let count = statuses.len();
        statuses.sort_unstable();
        statuses.dedup();
        assert_eq!(statuses.len(), count, "two codes for one status");
        for e in ERRORS {
            assert!(!e.doc.is_empty() && e.doc.ends_with('.'), "{}: doc", e.code);
            for f in e.fields {
                if let ErrorFieldType::Model(name) = f.ty {
                    assert!(
                        model_named(name).is_some(),
                        "{}.{}: no model {name}",
                        e.code,
                        f.name
                    );
                }
            }
        }
    }
}
