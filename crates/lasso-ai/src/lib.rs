//! Rust SDK for the [Lasso](https://productlasso.com) product-data API.
//!
//! One core serves Rust, Python (`lasso`) and Node (`@lasso-ai/sdk`): the
//! authenticated transport, the billing-safe retry policy, the error model
//! and every API operation live here.
//!
//! ```no_run
//! # async fn run() -> Result<(), lasso_ai::Error> {
//! let client = lasso_ai::Client::from_env()?; // LASSO_API_KEY, LASSO_BASE_URL
//! let balance = client.credits().balance().await?;
//! println!("{} credits", balance.balance);
//! match client.tables().get("tbl_missing").await {
//!     Err(e) if e.code() == "not_found" => println!("no such table"),
//!     other => println!("{other:?}"),
//! }
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

mod api_key;
mod client;
mod config;
mod error;
pub mod operation;
mod operations;
mod options;
pub mod pagination;
mod resources;
pub mod retry;
mod transfer;
mod transport;
pub mod types;
mod waiting;
pub mod webhook;

pub use api_key::{KEY_LENGTH, KEY_PREFIX};
pub use client::Client;
pub use config::{
    duration_from_millis, duration_from_secs, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_TIMEOUT, ENV_API_KEY, ENV_BASE_URL,
};
pub use error::{ApiError, ApiErrorKind, Error, Result, RAW_BODY_LIMIT};
pub use options::RequestOptions;
pub use pagination::Pager;
pub use resources::{Credits, Tables};
pub use transfer::{Download, SavedExport, Upload, UploadSource, EXPORT_FORMATS};
pub use transport::RawResponse;
pub use types::{Balance, Table, TableStatus};
pub use waiting::{Progress, DEFAULT_POLL_INTERVAL, DEFAULT_WAIT_TIMEOUT};
pub use webhook::{WebhookError, WebhookErrorReason};

/// This crate's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
