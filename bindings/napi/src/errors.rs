//! Error mapping: every failure reaches JS as an `Error` whose message is
//! [`MARKER`] followed by a JSON object with the core error's fields. The
//! TypeScript layer (`node/src/errors.ts`) turns it into the matching class.
//!
//! Nothing here formats the API key: the core's messages show at most its
//! masked form.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use lasso_ai::__bindings::{ErrorExt, OptionNames};

/// Prefix of a marked error message; must match `MARKER` in `node/src/errors.ts`.
pub const MARKER: &str = "\u{1}lasso:";

/// Converts a core error: its fields travel as JSON after the marker, its
/// message naming options as Node spells them (`baseUrl`, not `base_url`).
pub fn to_napi(err: &lasso_ai::Error) -> napi::Error {
    let mut fields = err.to_fields();
    fields["message"] = err.spelled_message(OptionNames::Camel).into();
    napi::Error::from_reason(format!("{MARKER}{fields}"))
}

/// A call cancelled through its `AbortSignal`. Not a core error (the core
/// call was simply dropped), so the binding marks it itself; `node/src/errors.ts`
/// maps the kind `aborted` to `AbortError`.
pub fn aborted() -> napi::Error {
    let fields = serde_json::json!({ "kind": "aborted", "message": "This operation was aborted" });
    napi::Error::from_reason(format!("{MARKER}{fields}"))
}

/// The error reported instead of unwinding into Node (which would abort).
pub fn panic_error(panic: Box<dyn Any + Send>) -> napi::Error {
    to_napi(&<lasso_ai::Error as lasso_ai::__bindings::ErrorExt>::from_panic(
        &*panic,
    ))
}

/// Runs synchronous binding code, turning a panic into a marked error.
pub fn guard<T>(f: impl FnOnce() -> napi::Result<T>) -> napi::Result<T> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|p| Err(panic_error(p)))
}
