//! Per-operation request counters. Lock-free: one relaxed atomic add per event, so
//! counting costs nothing measurable under load.

use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Map, Value};

use crate::operation::Op;

#[derive(Clone, Copy, Debug)]
pub enum Counter {
    /// Authenticated requests, whatever happened next.
    Received,
    /// Requests for which the operation really ran.
    Executed,
    /// Requests answered by an injected fault instead.
    Faulted,
}

#[derive(Default)]
pub struct Stats {
    received: Counters,
    executed: Counters,
    faulted: Counters,
}

struct Counters([AtomicU64; Op::COUNT]);

impl Default for Counters {
    fn default() -> Self {
        Counters(std::array::from_fn(|_| AtomicU64::new(0)))
    }
}

impl Counters {
    fn to_json(&self) -> Value {
        let map: Map<String, Value> = Op::ALL
            .iter()
            .map(|op| {
                let count = self.0[op.index()].load(Ordering::Relaxed);
                (op.id().to_owned(), Value::from(count))
            })
            .collect();
        Value::Object(map)
    }

    fn reset(&self) {
        for counter in &self.0 {
            counter.store(0, Ordering::Relaxed);
        }
    }
}

impl Stats {
    pub fn count(&self, counter: Counter, op: Op) {
        let counters = match counter {
            Counter::Received => &self.received,
            Counter::Executed => &self.executed,
            Counter::Faulted => &self.faulted,
        };
        counters.0[op.index()].fetch_add(1, Ordering::Relaxed);
    }

    /// `{"received": {...}, "executed": {...}, "faulted": {...}}`, every operation
    /// listed (zeros included) so tests can index without defaults.
    pub fn to_json(&self) -> Value {
        serde_json::json!({
            "received": self.received.to_json(),
            "executed": self.executed.to_json(),
            "faulted": self.faulted.to_json(),
        })
    }

    pub fn reset(&self) {
        self.received.reset();
        self.executed.reset();
        self.faulted.reset();
    }
}
