//! A download's bytes written to disk by one blocking thread of its own.
//!
//! A tokio file hands every write to the blocking pool after copying it into
//! a buffer of its own: for a gigabyte that is tens of thousands of hops and
//! a second copy of every byte. Here the received chunks are passed as they
//! are (reference-counted, no copy) through a short queue to a thread that
//! writes them with plain blocking calls while the next ones arrive. On Linux
//! the thread also starts the writeback of what it wrote as it goes, so the
//! final `fsync` finds little left to do: a gigabyte of dirty pages synced at
//! the end cost half a second, a third of the whole export.

use std::fs::File;
use std::io::{self, Write};

use bytes::Bytes;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// Chunks queued ahead of the disk: what arrives while a write is under way.
/// A chunk is one read of the connection, at most 4 MiB (`READ_BUFFER_MAX` in
/// the transport), so a stalled disk holds back at most 16 MiB.
const QUEUE: usize = 4;

enum Block {
    Data(Bytes),
    /// Everything was sent: make it durable.
    Finish,
}

pub(crate) struct DiskWriter {
    queue: mpsc::Sender<Block>,
    thread: JoinHandle<io::Result<()>>,
}

impl DiskWriter {
    pub(crate) fn new(file: File) -> DiskWriter {
        let (queue, mut blocks) = mpsc::channel::<Block>(QUEUE);
        let thread = tokio::task::spawn_blocking(move || {
            let mut file = Writeback::new(file);
            while let Some(block) = blocks.blocking_recv() {
                match block {
                    Block::Data(chunk) => file.write_all(&chunk)?,
                    Block::Finish => return file.sync_all(),
                }
            }
            // The download was dropped (cancelled): nothing to make durable.
            Ok(())
        });
        DiskWriter { queue, thread }
    }

    /// Queues `chunk`; waits only while the queue is full.
    pub(crate) async fn write(&mut self, chunk: Bytes) -> io::Result<()> {
        if self.queue.send(Block::Data(chunk)).await.is_ok() {
            return Ok(());
        }
        // The thread stopped early: a write failed, and says why.
        Err(self.stopped().await)
    }

    /// Waits until every chunk is written and synced to disk.
    pub(crate) async fn finish(mut self) -> io::Result<()> {
        if self.queue.send(Block::Finish).await.is_err() {
            return Err(self.stopped().await);
        }
        (&mut self.thread).await.map_err(io::Error::other)?
    }

    async fn stopped(&mut self) -> io::Error {
        match (&mut self.thread).await {
            Ok(Err(e)) => e,
            Ok(Ok(())) => io::Error::other("the disk writer stopped before the download ended"),
            Err(e) => io::Error::other(e),
        }
    }
}

/// A file whose written bytes are handed to the kernel's writeback every
/// [`WRITEBACK_STEP`] bytes, without waiting for it.
struct Writeback {
    file: File,
    written: u64,
    /// Where the bytes not yet handed to writeback start.
    flushed: u64,
}

/// How many written bytes make one writeback request.
const WRITEBACK_STEP: u64 = 8 << 20;

impl Writeback {
    fn new(file: File) -> Writeback {
        Writeback {
            file,
            written: 0,
            flushed: 0,
        }
    }

    fn write_all(&mut self, chunk: &[u8]) -> io::Result<()> {
        self.file.write_all(chunk)?;
        self.written += chunk.len() as u64;
        if self.written - self.flushed >= WRITEBACK_STEP {
            start_writeback(&self.file, self.flushed, self.written - self.flushed);
            self.flushed = self.written;
        }
        Ok(())
    }

    fn sync_all(self) -> io::Result<()> {
        self.file.sync_all()
    }
}

/// Asks the kernel to start writing `len` bytes at `from` to disk. Advice
/// only: where it fails or does not exist, the final `fsync` does the work.
#[cfg(target_os = "linux")]
fn start_writeback(file: &File, from: u64, len: u64) {
    use std::os::fd::AsRawFd;
    // SAFETY: a system call on a descriptor `file` keeps open; it touches no memory.
    unsafe {
        libc::sync_file_range(
            file.as_raw_fd(),
            from as libc::off64_t,
            len as libc::off64_t,
            libc::SYNC_FILE_RANGE_WRITE,
        );
    }
}

#[cfg(not(target_os = "linux"))]
fn start_writeback(_file: &File, _from: u64, _len: u64) {}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_path(name: &str) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("lasso-disk-writer-{}-{name}", std::process::id()))
    }

    #[tokio::test]
    async fn chunks_land_in_order_past_the_queue_and_the_writeback_step() {
        let path = temp_path("order");
        let mut writer = DiskWriter::new(File::create(&path).unwrap());
        // 40 chunks of 512 KiB: more than the queue holds and past two
        // writeback requests; each chunk is filled with its own number.
        let chunks: Vec<Bytes> = (0..40u8).map(|i| Bytes::from(vec![i; 512 << 10])).collect();
        for chunk in &chunks {
            writer.write(chunk.clone()).await.unwrap();
        }
        writer.finish().await.unwrap();
        let written = std::fs::read(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(written, chunks.concat());
    }

    #[tokio::test]
    async fn a_failed_write_is_reported_with_the_system_error() {
        let path = temp_path("read-only");
        std::fs::write(&path, b"").unwrap();
        // Opened for reading only: every write fails with EBADF.
        let mut writer = DiskWriter::new(File::open(&path).unwrap());
        let mut error = None;
        for _ in 0..(QUEUE + 2) {
            if let Err(e) = writer.write(Bytes::from_static(b"abc")).await {
                error = Some(e);
                break;
            }
        }
        let error = match error {
            Some(e) => e,
            None => writer.finish().await.unwrap_err(),
        };
        std::fs::remove_file(&path).unwrap();
        assert!(
            error.raw_os_error().is_some(),
            "not the system's error: {error:?}"
        );
    }
}
