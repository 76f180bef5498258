//! A Python file object as the content of an upload
//! ([`UploadSource::Stream`]): what the object itself reads, from its
//! position when the upload starts, in chunks of [`CHUNK`] bytes.
//!
//! Each chunk is one `read(n)` call on a thread of the upload's own, which
//! takes the GIL for that call only: the I/O threads never wait for the GIL,
//! and a file object read from any thread (a sync call, an event loop, a
//! progress callback) is served the same way. The core opens the content
//! once per attempt; a seekable object is rewound to where it started, a
//! non-seekable one cannot be sent twice, so a retry fails saying so.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures_util::StreamExt;
use lasso_ai::{ChunkStream, UploadSource};
use pyo3::exceptions::{PyOSError, PyTypeError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes};

use crate::errors::to_pyerr;
use crate::runtime::GilThread;

/// Bytes asked of the file object per `read`.
const CHUNK: usize = 512 * 1024;

/// One file object being uploaded.
pub struct FileSource {
    file: Py<PyAny>,
    /// Where the content starts, for a seekable object (a retry rewinds there).
    start: Option<u64>,
    /// The content's size, when the object could tell (seekable).
    length: Option<u64>,
    /// Whether the object was read since the upload started or was last
    /// rewound: the next attempt must then rewind first.
    used: AtomicBool,
    /// The first Python exception a read raised (or a misbehaving object
    /// caused): raised in place of the failure the transport reports.
    failure: Mutex<Option<PyErr>>,
    /// Where the reads run.
    reader: GilThread,
}

impl FileSource {
    /// Looks at `file` (a readable object): its position and, when it can
    /// seek, its length. Nothing is read yet.
    pub fn new(file: &Bound<'_, PyAny>) -> PyResult<Arc<FileSource>> {
        let start = seekable_position(file);
        let length = match start {
            Some(start) => length_from(file, start)?,
            None => None,
        };
        Ok(Arc::new(FileSource {
            file: file.clone().unbind(),
            start,
            length,
            used: AtomicBool::new(false),
            failure: Mutex::new(None),
            reader: GilThread::spawn("lasso-upload")?,
        }))
    }

    /// The core's view of it.
    pub fn upload_source(self: &Arc<Self>) -> UploadSource {
        let source = self.clone();
        UploadSource::Stream {
            open: Arc::new(move || source.open()),
            length: self.length,
        }
    }

    /// The Python exception a read raised, if any (taken: raised once).
    pub fn take_failure(&self) -> Option<PyErr> {
        self.failure.lock().unwrap_or_else(|p| p.into_inner()).take()
    }

    /// The content for one attempt.
    fn open(self: &Arc<Self>) -> Result<ChunkStream, lasso_ai::Error> {
        // Checked again on the reader thread, in order with the reads (a read
        // of the attempt before may still be queued).
        if self.start.is_none() && self.used.load(Ordering::SeqCst) {
            return Err(not_seekable());
        }
        let state = Attempt {
            source: self.clone(),
            remaining: self.length,
            first: true,
            done: false,
        };
        Ok(futures_util::stream::unfold(state, |mut at| async move {
            if at.done || at.remaining == Some(0) {
                return None;
            }
            let remaining = at.remaining;
            let rewind = std::mem::replace(&mut at.first, false);
            let (tx, rx) = tokio::sync::oneshot::channel();
            let source = at.source.clone();
            at.source.reader.run(move |py| {
                let _ = tx.send(source.read(py, remaining, rewind));
            });
            let outcome = rx
                .await
                .unwrap_or_else(|_| Err(std::io::Error::other("the Python interpreter is shutting down")));
            match outcome {
                Ok(chunk) if chunk.is_empty() => None,
                Ok(chunk) => {
                    if let Some(left) = at.remaining.as_mut() {
                        *left -= chunk.len() as u64;
                    }
                    Some((Ok(chunk), at))
                }
                Err(e) => {
                    at.done = true;
                    Some((Err(e), at))
                }
            }
        })
        .boxed())
    }

    /// One `read(n)` on the reader thread (`n`: [`CHUNK`], or what is left
    /// of a known length), rewinding first for the first read of an attempt
    /// after the object was read. An empty chunk is the end. A failure is
    /// kept (see [`FileSource::take_failure`]) and ends the stream.
    fn read(&self, py: Python<'_>, remaining: Option<u64>, first_of_attempt: bool) -> std::io::Result<Bytes> {
        match self.try_read(py, remaining, first_of_attempt) {
            Ok(chunk) => Ok(chunk),
            Err(e) => Err(self.keep(py, e)),
        }
    }

    fn try_read(&self, py: Python<'_>, remaining: Option<u64>, first_of_attempt: bool) -> PyResult<Bytes> {
        let want = remaining.map_or(CHUNK, |r| r.min(CHUNK as u64) as usize);
        let file = self.file.bind(py);
        if first_of_attempt && self.used.load(Ordering::SeqCst) {
            let Some(start) = self.start else {
                return Err(to_pyerr(py, &not_seekable()));
            };
            file.call_method1(intern!(py, "seek"), (start,))?;
        }
        self.used.store(true, Ordering::SeqCst);
        let chunk = file.call_method1(intern!(py, "read"), (want,))?;
        let bytes = if let Ok(b) = chunk.cast::<PyBytes>() {
            Bytes::copy_from_slice(b.as_bytes())
        } else if let Ok(b) = chunk.cast::<PyByteArray>() {
            Bytes::from(b.to_vec())
        } else if chunk.is_none() {
            return Err(PyTypeError::new_err(
                "files.upload: the file object's read() returned None (a non-blocking stream with no data \
                 ready?); pass a blocking binary file object, bytes or a path",
            ));
        } else {
            return Err(PyTypeError::new_err(format!(
                "files.upload: the file object's read() returned {} instead of bytes; open the file in binary \
                 mode ('rb')",
                chunk.get_type().name().map(|n| n.to_string()).unwrap_or_default()
            )));
        };
        if let (Some(total), Some(left)) = (self.length, remaining) {
            // The length is sent ahead (Content-Length): the content must match it.
            if bytes.is_empty() {
                return Err(PyOSError::new_err(format!(
                    "files.upload: the file object ended after {} of {total} bytes (its size when the upload \
                     started); was it truncated while being read?",
                    total - left
                )));
            }
            if bytes.len() > want {
                return Err(PyOSError::new_err(format!(
                    "files.upload: the file object's read({want}) returned {} bytes",
                    bytes.len()
                )));
            }
        }
        Ok(bytes)
    }

    /// Keeps the first failure for the caller; the transport gets an I/O error.
    fn keep(&self, py: Python<'_>, e: PyErr) -> std::io::Error {
        let text = e.to_string();
        let mut slot = self.failure.lock().unwrap_or_else(|p| p.into_inner());
        if slot.is_none() {
            *slot = Some(e.clone_ref(py));
        }
        std::io::Error::other(text)
    }
}

/// The state of one attempt's stream.
struct Attempt {
    source: Arc<FileSource>,
    /// Bytes still to send, when the length is known.
    remaining: Option<u64>,
    /// The next read is the attempt's first.
    first: bool,
    done: bool,
}

/// The object's position, if it can seek (and tell).
fn seekable_position(file: &Bound<'_, PyAny>) -> Option<u64> {
    let py = file.py();
    let seekable = file
        .call_method0(intern!(py, "seekable"))
        .and_then(|s| s.is_truthy())
        .unwrap_or(false);
    if !seekable {
        return None;
    }
    file.call_method0(intern!(py, "tell"))
        .and_then(|p| p.extract::<u64>())
        .ok()
}

/// The bytes from `start` to the end, found by seeking to the end and back;
/// `None` when the object cannot seek from its end (a gzip file).
fn length_from(file: &Bound<'_, PyAny>, start: u64) -> PyResult<Option<u64>> {
    let py = file.py();
    let end = file
        .call_method1(intern!(py, "seek"), (0, 2))
        .and_then(|_| file.call_method0(intern!(py, "tell")))
        .and_then(|p| p.extract::<u64>());
    // Back to the start in any case (a failed seek may have moved it).
    file.call_method1(intern!(py, "seek"), (start,))?;
    Ok(end.ok().map(|end| end.saturating_sub(start)))
}

fn not_seekable() -> lasso_ai::Error {
    <lasso_ai::Error as lasso_ai::__bindings::ErrorExt>::configuration_error(
        "files.upload: an attempt failed and the upload must be sent again, but the file object is \
         not seekable (a pipe or a stream), so its content cannot be read a second time; pass a \
         path, bytes or a seekable file object to allow retries (or max_retries=0)",
    )
}
