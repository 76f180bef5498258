//! Values that belong to the process that built them.
//!
//! A child made by `fork()` inherits a copy of the parent's memory but only
//! the forking thread: the parent's tokio workers do not exist in it, and a
//! lock one of them held at the moment of the fork stays locked forever.
//! Dropping a client, pool or runtime inherited that way wakes tasks on the
//! parent's scheduler and can wait on such a lock (a hang seen in CI), so in
//! a child those values are leaked instead: the memory is a copy-on-write
//! image of the parent's and nothing in the child needs it back.

use std::mem::ManuallyDrop;

/// `T` plus the id of the process that built it; dropped only there.
pub struct ProcessLocal<T> {
    pid: u32,
    value: ManuallyDrop<T>,
}

impl<T> ProcessLocal<T> {
    pub fn new(value: T) -> Self {
        Self {
            pid: std::process::id(),
            value: ManuallyDrop::new(value),
        }
    }

    /// Whether this process built it (false in a forked child).
    pub fn is_current(&self) -> bool {
        self.pid == std::process::id()
    }

    /// The value, whichever process asks: callers check [`is_current`]
    /// before using anything that needs the builder's threads.
    ///
    /// [`is_current`]: ProcessLocal::is_current
    pub fn get(&self) -> &T {
        &self.value
    }
}

impl<T> Drop for ProcessLocal<T> {
    fn drop(&mut self) {
        if self.is_current() {
            // SAFETY: dropped once, here, and never used again.
            unsafe { ManuallyDrop::drop(&mut self.value) }
        }
    }
}
