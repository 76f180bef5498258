//! The one description of the [Lasso](https://productlasso.com) product-data API
//! that the Lasso SDK is built from, as plain data with no dependencies:
//!
//! - [`operation`]: every API operation ([`OPERATIONS`]): method, path template,
//!   arguments and where each goes, response kind, paging and response model;
//! - [`models`]: every response model ([`MODELS`]) and string enumeration ([`ENUMS`]);
//! - [`errors`]: every stable error code and the class raised for it ([`ERRORS`]);
//! - [`helpers`]: the methods that are not one operation ([`HELPERS`]): waits,
//!   uploads, exports, data frames;
//! - [`client_options`]: the options a client is built with ([`CLIENT_OPTIONS`]);
//! - [`environment`]: the proxy variables every client honours.
//!
//! `lasso-codegen` writes every language's surface from these tables (the typed Rust
//! methods and structs of `lasso-ai`, the Python and TypeScript methods, types and
//! exception classes, the emulator's endpoint list and `tests/manifest.json`), and the
//! core (`lasso-ai`) sends each request as its operation says. Nothing here has
//! behaviour beyond looking things up: anything every language would restate
//! belongs in these tables.
//!
//! ```
//! let op = lasso_spec::OPERATIONS.iter().find(|op| op.id == "tables.get").unwrap();
//! assert_eq!((op.method.as_str(), op.path), ("GET", "/tables/{table_id}"));
//! assert_eq!(op.returns, Some("Table"));
//! let not_found = lasso_spec::errors::error_kind("not_found").unwrap();
//! assert_eq!((not_found.class, not_found.status), ("NotFound", Some(404)));
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod client_options;
pub mod environment;
pub mod errors;
pub mod helpers;
pub mod models;
pub mod operation;
mod operations;

pub use client_options::{ClientOption, ClientOptionTy, CLIENT_OPTIONS};
pub use errors::{ErrorField, ErrorFieldType, ErrorKind, Std, BASE_CLASS, ERRORS};
pub use helpers::{Helper, HelperKind, HelperParam, HelperReturn, HelperTy, HELPERS};
pub use models::{Field, FieldType, Model, StringEnum, BUILDABLE, ENUMS, INPUT_MODELS, MODELS};
pub use operation::{
    endpoints, Endpoint, Loc, Method, Operation, OptIn, Paging, Param, RequestKind, ResponseKind, Ty,
    OPERATIONS,
};
