//! Ctrl-C, whoever catches it: the binary's own signal handler, or the host's
//! (Python, Node), which triggers an [`Interrupt`].

use std::sync::Arc;

use tokio::sync::watch;

/// A one-shot "stop now" flag. Cloning shares it. Triggering it makes the
/// running command drop its work (the request in flight, the temporary file
/// of an export), say what was already created on the server, and exit 130.
#[derive(Clone, Debug)]
pub struct Interrupt(Arc<watch::Sender<bool>>);

impl Default for Interrupt {
    fn default() -> Self {
        Self::new()
    }
}

impl Interrupt {
    /// A flag that is not triggered yet.
    pub fn new() -> Self {
        Interrupt(Arc::new(watch::Sender::new(false)))
    }

    /// Triggers it (safe to call more than once, from any thread).
    pub fn trigger(&self) {
        self.0.send_replace(true);
    }

    /// Whether it was triggered.
    pub fn is_triggered(&self) -> bool {
        *self.0.borrow()
    }

    /// Resolves once it is triggered.
    pub async fn triggered(&self) {
        let mut rx = self.0.subscribe();
        let _ = rx.wait_for(|t| *t).await;
    }
}
