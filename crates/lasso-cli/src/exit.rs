//! Exit codes, one per class of failure, and the one-line error report.
//!
//! | code | meaning | error codes of the SDK |
//! |---:|---|---|
//! | 0 | success | |
//! | 1 | any other failure | `decode`, `response_too_large`, `pagination`, `internal_sdk_error` |
//! | 2 | bad usage: the command line, the configuration, or a request the API refused as invalid | `configuration`, `invalid_request`, `validation_error`, `conflict` |
//! | 3 | authentication: no key, a malformed key, or one the API refuses | `invalid_api_key`, `unauthenticated`, `forbidden` |
//! | 4 | not found | `not_found` |
//! | 5 | rate limited | `rate_limited` |
//! | 6 | server error | `internal_error`, `service_unavailable`, `api_error` |
//! | 7 | network: no connection or no answer in time | `connection`, `timeout` |
//! | 8 | the job (a table's extraction) failed | `job_failed` |
//! | 9 | not enough credits | `insufficient_credits` |
//! | 10 | a webhook delivery does not verify | `webhook_verification` |
//! | 130 | interrupted (Ctrl-C) | |

use lasso_ai::__bindings::ErrorExt;
use serde_json::Value;

/// Success.
pub const OK: u8 = 0;
/// Any failure not in a class below.
pub const FAILURE: u8 = 1;
/// Bad usage: the command line, the configuration, or an invalid request.
pub const USAGE: u8 = 2;
/// Authentication.
pub const AUTH: u8 = 3;
/// Not found.
pub const NOT_FOUND: u8 = 4;
/// Rate limited.
pub const RATE_LIMITED: u8 = 5;
/// Server error.
pub const SERVER: u8 = 6;
/// Network: connection or timeout.
pub const NETWORK: u8 = 7;
/// A job failed.
pub const JOB_FAILED: u8 = 8;
/// Not enough credits.
pub const INSUFFICIENT_CREDITS: u8 = 9;
/// A webhook delivery does not verify.
pub const WEBHOOK: u8 = 10;
/// Interrupted by Ctrl-C (128 + SIGINT).
pub const INTERRUPTED: u8 = 130;

/// Every exit code with its name, as `lasso --help` lists them (and the tests read).
pub const TABLE: [(u8, &str); 12] = [
    (OK, "success"),
    (FAILURE, "other failure"),
    (USAGE, "bad usage (command line, configuration, invalid request)"),
    (AUTH, "authentication (missing, malformed or refused key)"),
    (NOT_FOUND, "not found"),
    (RATE_LIMITED, "rate limited"),
    (SERVER, "server error"),
    (NETWORK, "network (connection, timeout)"),
    (JOB_FAILED, "job failed"),
    (INSUFFICIENT_CREDITS, "insufficient credits"),
    (WEBHOOK, "webhook signature does not verify"),
    (INTERRUPTED, "interrupted (Ctrl-C)"),
];

/// The exit code for an SDK error code (`lasso_ai::Error::code`).
pub fn code_for(error_code: &str) -> u8 {
    match error_code {
        "configuration" | "invalid_request" | "validation_error" | "conflict" => USAGE,
        // A file named on the command line that cannot be read or written.
        "local_file" | "local_file_not_found" | "local_file_permission_denied" => USAGE,
        "invalid_api_key" | "unauthenticated" | "forbidden" => AUTH,
        "not_found" => NOT_FOUND,
        "rate_limited" => RATE_LIMITED,
        "internal_error" | "service_unavailable" | "api_error" => SERVER,
        "connection" | "timeout" => NETWORK,
        "job_failed" => JOB_FAILED,
        "insufficient_credits" => INSUFFICIENT_CREDITS,
        "webhook_verification" => WEBHOOK,
        _ => FAILURE,
    }
}

/// The class every language raises for an SDK error code (`NotFoundError`).
pub fn class_for(error_code: &str) -> String {
    let base = lasso_spec::errors::error_kind(error_code)
        .map(|k| k.class)
        .unwrap_or(lasso_spec::BASE_CLASS);
    format!("{base}Error")
}

/// What to do about a failure of this exit class.
pub fn hint_for(code: u8, error_code: &str) -> &'static str {
    match (code, error_code) {
        (AUTH, "invalid_api_key") => {
            "set LASSO_API_KEY (or --api-key-file, or `lasso auth login`) to a key `lasso_` + 64 hex characters"
        }
        (AUTH, "forbidden") => "this key may not do that; check the key's company and role",
        (AUTH, _) => "the API refused the key; check it with `lasso auth status`",
        (USAGE, "configuration") => "check the command line (`lasso --help`) and the configuration",
        (USAGE, "local_file" | "local_file_not_found" | "local_file_permission_denied") => {
            "check the file's path and permissions"
        }
        (USAGE, _) => "fix the arguments (see `lasso api <operation> --help`)",
        (NOT_FOUND, _) => "check the id (e.g. `lasso tables list`)",
        (RATE_LIMITED, _) => "wait a moment and try again",
        (SERVER, _) => "try again later; quote the request id to Lasso support if it persists",
        (NETWORK, _) => "check the network and LASSO_BASE_URL, then try again",
        (JOB_FAILED, _) => "see the table's error_message (`lasso tables get ID`)",
        (INSUFFICIENT_CREDITS, _) => "top up the company's credits",
        (WEBHOOK, _) => "pass the raw body and the endpoint's signing secret; if it did not come from Lasso, reject it",
        _ => "run again with --verbose for the details",
    }
}

/// The one line reported for an SDK error: class, message, status and
/// request id, and what to do. The core has already replaced any trace of
/// the key with its masked form.
pub fn error_line(error: &lasso_ai::Error) -> String {
    let code = error.code();
    let message = one_line(error.message());
    let mut line = format!(
        "{}: {}",
        class_for(code),
        message.trim_end().trim_end_matches('.')
    );
    let mut extra = Vec::new();
    if let Some(status) = error.status() {
        extra.push(format!("HTTP {status}"));
    }
    if let Some(id) = error.request_id() {
        extra.push(format!("request_id {id}"));
    }
    if !extra.is_empty() {
        line.push_str(&format!(" ({})", extra.join(", ")));
    }
    line.push_str(&format!("; {}", hint_for(code_for(code), code)));
    line
}

/// Everything the SDK knows about the error, for `--verbose`.
pub fn error_detail(error: &lasso_ai::Error) -> Value {
    error.to_fields()
}

/// Text on one line: newlines and control characters become spaces.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        out.push(if c.is_control() { ' ' } else { c });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_code_of_the_spec_has_a_class_and_an_exit_code() {
        for kind in lasso_spec::ERRORS {
            let code = code_for(kind.code);
            assert!(TABLE.iter().any(|(c, _)| *c == code), "{}", kind.code);
            assert!(class_for(kind.code).ends_with("Error"));
        }
        assert_eq!(code_for("not_found"), NOT_FOUND);
        assert_eq!(class_for("not_found"), "NotFoundError");
        assert_eq!(class_for("internal_sdk_error"), "LassoError");
    }
}
