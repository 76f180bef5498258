//! A bounded log shared between requests: the newest entries, oldest first. The
//! request journal and the callback delivery log are two of them.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};

pub struct BoundedLog<T> {
    capacity: usize,
    entries: Mutex<VecDeque<T>>,
}

impl<T> BoundedLog<T> {
    pub fn new(capacity: usize) -> BoundedLog<T> {
        BoundedLog {
            capacity,
            entries: Mutex::new(VecDeque::new()),
        }
    }

    /// Appends an entry, dropping the oldest when full.
    pub fn push(&self, entry: T) {
        let mut entries = self.lock();
        if entries.len() == self.capacity {
            entries.pop_front();
        }
        entries.push_back(entry);
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    /// Every entry, oldest first, through `f`.
    pub fn map<R>(&self, f: impl FnMut(&T) -> R) -> Vec<R> {
        self.lock().iter().map(f).collect()
    }

    fn lock(&self) -> MutexGuard<'_, VecDeque<T>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_newest() {
        let log = BoundedLog::new(2);
        for n in 1..=3 {
            log.push(n);
        }
        assert_eq!(log.map(|n| *n), [2, 3]);
        log.clear();
        assert!(log.map(|n| *n).is_empty());
    }
}
