//! The queue of faults and the matching of requests against it.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::http::Method;
use serde_json::{json, Value};
use tokio::sync::watch;

use super::action::FaultAction;
use super::spec::Fault;
use crate::hash::Rng;

/// Ends fault delays and stalls early when the server shuts down, so a stalled
/// response cannot hold up a test's teardown.
#[derive(Clone, Debug)]
pub struct Closing(watch::Receiver<bool>);

impl Closing {
    /// Sleeps for `duration`, or less if the server shuts down meanwhile; returns
    /// whether the whole duration passed.
    pub(super) async fn pause(mut self, duration: Duration) -> bool {
        tokio::select! {
            _ = tokio::time::sleep(duration) => true,
            _ = self.0.wait_for(|closing| *closing) => false,
        }
    }
}

/// FIFO of faults. `len` mirrors the queue length so the common case (no faults)
/// costs one atomic load and never touches the mutex.
pub struct FaultQueue {
    len: AtomicUsize,
    queue: Mutex<VecDeque<Fault>>,
    /// Seeds of faults queued without a `seed`: derived from the emulator's seed and
    /// the order of queuing.
    seeds: Mutex<Rng>,
    /// Set when the server shuts down (see [`Closing`]).
    closing: watch::Sender<bool>,
}

impl Default for FaultQueue {
    fn default() -> Self {
        FaultQueue::new(0)
    }
}

impl FaultQueue {
    pub fn new(seed: u64) -> FaultQueue {
        FaultQueue {
            len: AtomicUsize::new(0),
            queue: Mutex::new(VecDeque::new()),
            seeds: Mutex::new(Rng::new(seed ^ 0x6c61_7373_6f5f_6661)),
            closing: watch::channel(false).0,
        }
    }

    /// Called on shutdown: pending fault delays and stalls end now.
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    pub fn closing(&self) -> Closing {
        Closing(self.closing.subscribe())
    }

    /// Whether any fault is queued (one atomic load).
    pub fn is_active(&self) -> bool {
        self.len.load(Ordering::Acquire) != 0
    }

    pub fn push(&self, mut fault: Fault) {
        if fault.seed.is_none() {
            let mut seeds = self.seeds.lock().unwrap_or_else(PoisonError::into_inner);
            fault.rng = Rng::new(seeds.next_u64());
        }
        let mut queue = self.lock();
        queue.push_back(fault);
        self.len.store(queue.len(), Ordering::Release);
    }

    /// Consumes one use of the first fault that matches the request and fires.
    pub fn take(&self, method: &Method, path: &str) -> Option<Arc<FaultAction>> {
        if !self.is_active() {
            return None;
        }
        let mut queue = self.lock();
        let index = queue
            .iter_mut()
            .position(|f| f.route.matches(method, path) && f.fires())?;
        let fault = &mut queue[index];
        let action = Arc::clone(&fault.action);
        if let Some(remaining) = &mut fault.remaining {
            *remaining -= 1;
            if *remaining == 0 {
                queue.remove(index);
                self.len.store(queue.len(), Ordering::Release);
            }
        }
        Some(action)
    }

    pub fn to_json(&self) -> Value {
        let faults: Vec<Value> = self.lock().iter().map(Fault::to_json).collect();
        json!({ "faults": faults })
    }

    /// Removes every fault and returns how many there were.
    pub fn clear(&self) -> usize {
        let mut queue = self.lock();
        let count = queue.len();
        queue.clear();
        self.len.store(0, Ordering::Release);
        count
    }

    fn lock(&self) -> MutexGuard<'_, VecDeque<Fault>> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Fault {
    /// Whether this fault applies to one more matching request: always for counted
    /// faults, a seeded draw for probability faults.
    fn fires(&mut self) -> bool {
        match self.probability {
            None => true,
            Some(p) => self.rng.unit() < p,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_consumes_in_order() {
        let queue = FaultQueue::default();
        let fault = Fault::from_json(br#"{"route":"GET /credits/balance","status":429,"times":2}"#).unwrap();
        queue.push(fault);
        assert!(queue.take(&Method::GET, "/tables/x").is_none());
        assert!(queue.take(&Method::GET, "/credits/balance").is_some());
        assert!(queue.take(&Method::GET, "/credits/balance").is_some());
        assert!(queue.take(&Method::GET, "/credits/balance").is_none());
        assert_eq!(queue.clear(), 0);
    }

    #[test]
    fn probability_is_seeded_and_about_right() {
        let draws = |seed: u64| {
            let queue = FaultQueue::new(7);
            let body = format!(r#"{{"route":"*","status":503,"probability":0.25,"seed":{seed}}}"#);
            queue.push(Fault::from_json(body.as_bytes()).unwrap());
            (0..4000)
                .map(|_| queue.take(&Method::GET, "/x").is_some())
                .collect::<Vec<bool>>()
        };
        let a = draws(1);
        assert_eq!(a, draws(1));
        assert_ne!(a, draws(2));
        let hits = a.iter().filter(|&&hit| hit).count();
        assert!((850..1150).contains(&hits), "{hits}");
    }
}
