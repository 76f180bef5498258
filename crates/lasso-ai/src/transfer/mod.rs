//! Uploads and exports, streamed from and to disk so that a 1 GB file never
//! has to fit in memory.

mod atomic;
mod export;
mod upload;

pub use export::{Download, SavedExport, EXPORT_FORMATS};
pub use upload::{OpenStream, Upload, UploadSource};
