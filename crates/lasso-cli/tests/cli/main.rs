//! The `lasso` command line end to end, against lasso-mock (one test binary).

mod common;
mod docs;
mod interrupt;
mod shared;
mod terminal;
