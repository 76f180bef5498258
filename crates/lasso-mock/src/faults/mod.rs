//! Fault injection: queued faults that replace (or damage) the responses of the next
//! matching API calls, so SDK tests can exercise retries, timeouts, backoff and error
//! mapping deterministically.
//!
//! A fault has a `kind`: a canned HTTP response (`status`, `slow_headers`,
//! `truncated_json`, `wrong_content_type`, `oversized`) or a broken connection
//! (`reset_before`, `reset_after_headers`, `stall_body`). It applies `times` times, or
//! at random with a seeded `probability`. By default the operation does not run; with
//! `execute: true` it runs first and the fault then replaces or damages its answer.

mod action;
mod damage;
mod kind;
mod mix;
mod queue;
mod route;
mod spec;

pub use mix::random_mix;
pub use queue::FaultQueue;
pub use spec::{parse_spec, Fault};
