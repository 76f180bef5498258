//! Webhooks the emulator sends: one sender and one signer behind the catalog
//! endpoints' events and the `webhook_url` callbacks of search, enrich and table
//! creation.

pub mod callbacks;
pub mod catalog;
mod send;
pub mod signature;

pub use send::{is_loopback, payload};
