//! Uploads and exports, streamed from and to disk so that a 1 GB file never
//! has to fit in memory.

mod atomic;
mod disk_writer;
mod export;
mod upload;

pub use crate::transport::ChunkStream;
pub use export::{Download, Export, ExportRequest, SavedExport};
pub use upload::{OpenStream, Upload, UploadSource};
