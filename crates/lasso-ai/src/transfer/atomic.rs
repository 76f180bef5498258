//! Writing a download to a path all at once: into a private temporary file
//! beside it, renamed into place only when complete.

use std::io;
use std::path::{Path, PathBuf};

/// The temporary file of a download: removed when dropped (on failure, and
/// when the download's future is dropped, e.g. a cancelled call), unless it
/// was renamed into place.
pub(crate) struct TempFile {
    path: Option<PathBuf>,
}

impl TempFile {
    /// Creates `dir/.name.<random>.part` beside `dest` (same directory, so the
    /// final rename is atomic), new (never an existing file or a link planted
    /// there) and readable by its owner only while the data arrives.
    pub(crate) async fn create(dest: &Path) -> io::Result<(TempFile, tokio::fs::File)> {
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "export".into());
        let mut tries = 0;
        loop {
            let path = dest.with_file_name(format!(".{name}.{:08x}.part", fastrand::u32(..)));
            let mut options = tokio::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            options.mode(0o600);
            match options.open(&path).await {
                Ok(file) => return Ok((TempFile { path: Some(path) }, file)),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && tries < 8 => tries += 1,
                Err(e) => return Err(e),
            }
        }
    }

    pub(crate) fn path(&self) -> &Path {
        self.path
            .as_deref()
            .expect("the temporary file is kept only once done")
    }

    /// Moves the complete file to `dest`, with `dest`'s permissions when it
    /// replaces a file (else those a new file gets under the umask), and
    /// makes the rename durable.
    pub(crate) async fn finish(mut self, dest: &Path) -> io::Result<()> {
        let temp = self.path();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = match tokio::fs::metadata(dest).await {
                Ok(meta) => meta.permissions().mode() & 0o7777,
                Err(_) => 0o666 & !umask(),
            };
            tokio::fs::set_permissions(temp, std::fs::Permissions::from_mode(mode)).await?;
        }
        tokio::fs::rename(temp, dest).await?;
        self.path = None;
        sync_dir(dest).await;
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The process's umask, read without changing it (`umask(2)` can only set it).
#[cfg(unix)]
fn umask() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("Umask:"))?;
            u32::from_str_radix(line["Umask:".len()..].trim(), 8).ok()
        })
        .unwrap_or(0o022)
}

/// Flushes the directory entry of a rename to disk; best effort (some file
/// systems cannot sync a directory).
async fn sync_dir(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(dir) = tokio::fs::File::open(dir).await {
            let _ = dir.sync_all().await;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}
