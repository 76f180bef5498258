//! Typed resource handles: `client.credits()`, `client.tables()`.

mod credits;
mod tables;

pub use credits::Credits;
pub use tables::Tables;
