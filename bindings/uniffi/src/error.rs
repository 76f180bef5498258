//! Error mapping: every failure reaches Kotlin as `NativeException.Lasso`
//! whose `fields` is the core error's [`lasso_ai::Error::to_fields`] as JSON
//! text; the Kotlin layer (`LassoException.fromNative`) turns it into the
//! class of that `kind`, generated from `lasso_spec::ERRORS`.
//!
//! Nothing here formats the API key: the core's messages show at most its
//! masked form.

use std::any::Any;

use lasso_ai::__bindings::ErrorExt;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// A failure of the core, as its fields.
#[derive(Debug, uniffi::Error)]
pub enum NativeError {
    /// Every field of the core error as one JSON object (`kind`, `message`,
    /// `status_code`, `error_type`, `request_id`, …).
    Lasso {
        /// The JSON text of [`lasso_ai::Error::to_fields`].
        fields: String,
    },
}

impl std::fmt::Display for NativeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NativeError::Lasso { fields } => f.write_str(fields),
        }
    }
}

/// Converts a core error, its message naming options as Kotlin spells them
/// (`baseUrl`, not `base_url`).
pub fn to_native(err: &lasso_ai::Error) -> NativeError {
    let mut fields = err.to_fields();
    fields["message"] = err
        .spelled_message(lasso_ai::__bindings::OptionNames::Camel)
        .into();
    NativeError::Lasso {
        fields: fields.to_string(),
    }
}

/// The error reported instead of unwinding into the JVM.
pub fn panic_error(panic: Box<dyn Any + Send>) -> NativeError {
    to_native(&lasso_ai::Error::from_panic(&*panic))
}

/// Runs synchronous binding code, turning a panic into a core error.
pub fn guard<T>(f: impl FnOnce() -> Result<T, NativeError>) -> Result<T, NativeError> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|p| Err(panic_error(p)))
}
